// The lists a wizard offers for a create on a Hermes host, taken from that host where its dashboard
// lists them: the built-in skills its new profiles are seeded with (GET /api/skills of its own
// profile, provenance "bundled") and its MCP catalog (GET /api/mcp/catalog). Hermes 0.19's dashboard
// lists no optional skills (its hub search answers nothing for an empty query), so those stay this
// bot's and the step says so. A host that does not answer in time, or answers what is not such a
// list, leaves this bot's list in place with the reason; nothing it sends is shown unchecked: names
// by a strict rule (others are left out), texts cleaned and capped.
import type { Catalog, McpManifest, SkillInfo } from "../../core/catalog.ts";
import { mcpManifestSchema } from "../../core/catalog.ts";
import { MCP_DESCRIPTION_MAX_CHARS } from "../../core/limits.ts";
import {
  cleanOutsideText,
  OUTSIDE_DETAIL_MAX_CHARS,
  OUTSIDE_LABEL_MAX_CHARS,
} from "../../core/outside-text.ts";
import type { DashboardClient, DashboardResult } from "../hermes/dashboard-client.ts";
import {
  mcpCatalogEntrySchema,
  ownSkillSchema,
  type DashboardMcpCatalogEntry,
} from "../hermes/dashboard-schemas.ts";
import type { HostCatalog } from "../ports/profile-backend.ts";
import { MCP_NOTE_MAX_CHARS } from "../profile/shared-create-steps.ts";

/** The longest one of the two catalog reads may take: a wizard step waits on it. */
export const HOST_CATALOG_TIMEOUT_MS = 5_000;
/** A host's lists are read again after this long (a Hermes update may change its trees). */
export const HOST_CATALOG_TTL_MS = 10 * 60_000;
/** After a failed read, the bot's lists are used this long before the host is asked again. */
export const HOST_CATALOG_RETRY_MS = 30_000;
/** More built-in skills than this is not a skill tree: the bot's list is used instead. */
export const HOST_SKILLS_MAX = 500;
/** More MCP catalog entries than this is not Hermes' catalog: the bot's list is used instead. */
export const HOST_MCPS_MAX = 200;

/**
 * A skill name or category segment from a host as the bot shows and writes it: Hermes' own trees
 * use lower-case words with dots, dashes and underscores. Anything else is left out (and stays on
 * in a new profile, as a skill the user never saw should).
 */
const HOST_SKILL_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const HOST_SKILL_CATEGORY_PATTERN =
  /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}(\/[A-Za-z0-9][A-Za-z0-9._-]{0,63}){0,3}$/;

/** Reads both lists from `client` (in parallel); `bot` is what stands in for a list not given. */
export async function readHostCatalog(
  client: DashboardClient,
  host: string,
  bot: Pick<Catalog, "builtinSkills" | "mcps">,
  timeoutMs = HOST_CATALOG_TIMEOUT_MS,
): Promise<HostCatalog> {
  const [skills, mcps] = await Promise.all([client.ownSkills(timeoutMs), client.mcpCatalog(timeoutMs)]);
  const builtin = listed(skills, (rows) => hostBuiltins(rows, bot.builtinSkills));
  const catalog = listed(mcps, (rows) => hostMcps(rows, bot.mcps));
  return {
    builtinSkills: builtin.ok ? builtin.value : bot.builtinSkills,
    mcps: catalog.ok ? catalog.value : bot.mcps,
    origin: {
      host,
      builtinSkills: builtin.ok ? "host" : "bot",
      optionalSkills: "bot",
      mcps: catalog.ok ? "host" : "bot",
      ...(builtin.ok && catalog.ok
        ? {}
        : {
            problems: {
              ...(builtin.ok ? {} : { builtinSkills: builtin.problem }),
              ...(catalog.ok ? {} : { mcps: catalog.problem }),
            },
          }),
    },
  };
}

type Listed<T> = { ok: true; value: T } | { ok: false; problem: string };

function listed<T>(answer: DashboardResult<unknown[]>, read: (rows: unknown[]) => Listed<T>): Listed<T> {
  // The failure's message names the host and never a secret (dashboard-failures.ts).
  return answer.ok ? read(answer.value) : { ok: false, problem: firstSentence(answer.failure.message) };
}

/**
 * The built-ins a new profile on the host gets: the "bundled" skills of its own profile (Hermes
 * syncs its bundled tree into it when the dashboard starts). A skill the bot knows by the same name
 * keeps the bot's id, so blueprints and personas that name it by id still find it.
 */
function hostBuiltins(rows: unknown[], bot: readonly SkillInfo[]): Listed<SkillInfo[]> {
  if (rows.length > HOST_SKILLS_MAX * 2) return tooMany(rows.length, "skills");
  const skills: SkillInfo[] = [];
  const ids = new Set<string>();
  for (const row of rows) {
    const parsed = ownSkillSchema.safeParse(row);
    if (!parsed.success || parsed.data.provenance !== "bundled") continue;
    const { name } = parsed.data;
    const category = parsed.data.category ?? "";
    if (
      !HOST_SKILL_NAME_PATTERN.test(name) ||
      (category !== "" && !HOST_SKILL_CATEGORY_PATTERN.test(category))
    )
      continue;
    const known = bot.find((skill) => skill.name === name);
    const skill: SkillInfo = known ?? {
      id: category === "" ? name : `${category}/${name}`,
      name,
      category,
      description: cleanOutsideText(parsed.data.description ?? "", OUTSIDE_DETAIL_MAX_CHARS),
    };
    if (ids.has(skill.id)) continue;
    ids.add(skill.id);
    skills.push(skill);
  }
  if (skills.length > HOST_SKILLS_MAX) return tooMany(skills.length, "built-in skills");
  if (skills.length === 0) return { ok: false, problem: "its own profile lists no built-in skill" };
  return { ok: true, value: skills.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)) };
}

/**
 * The host's MCP catalog as manifests. An entry the bot ships with the same name and the same
 * command or URL is the bot's manifest (it also says which keys are secret and which variable the
 * server reads); any other is built from what the host lists and checked like the bot's own. Entries
 * that need a clone-and-build install are not offered from a chat, as for the bot's catalog.
 */
function hostMcps(rows: unknown[], bot: readonly McpManifest[]): Listed<McpManifest[]> {
  if (rows.length > HOST_MCPS_MAX) return tooMany(rows.length, "MCP catalog entries");
  const manifests: McpManifest[] = [];
  for (const row of rows) {
    const parsed = mcpCatalogEntrySchema.safeParse(row);
    if (!parsed.success || parsed.data.needs_install) continue;
    const entry = parsed.data;
    const known = bot.find((manifest) => manifest.name === entry.name);
    if (known && sameTarget(known, entry)) {
      manifests.push(known);
      continue;
    }
    const manifest = mcpManifestSchema.safeParse({
      manifest_version: 1,
      name: entry.name,
      description: cleanOutsideText(entry.description, MCP_DESCRIPTION_MAX_CHARS),
      ...(entry.source ? { source: entry.source } : {}),
      transport:
        entry.transport === "http"
          ? { type: "http", url: entry.url }
          : { type: "stdio", command: entry.command, args: entry.args },
      auth: {
        type: entry.auth_type,
        env: entry.required_env.map((env) => ({
          name: env.name,
          prompt: cleanOutsideText(env.prompt, OUTSIDE_LABEL_MAX_CHARS) || env.name,
          required: env.required,
          // The host's catalog does not say which are secret: each is asked privately, kept in .env.
          secret: true,
        })),
      },
      ...(entry.default_enabled ? { tools: { default_enabled: entry.default_enabled } } : {}),
      // Shown in the Create report: outside text, cleaned and capped like every other.
      ...(entry.post_install
        ? { post_install: cleanOutsideText(entry.post_install, MCP_NOTE_MAX_CHARS) }
        : {}),
    });
    if (manifest.success) manifests.push(manifest.data);
  }
  return { ok: true, value: manifests };
}

function sameTarget(manifest: McpManifest, entry: DashboardMcpCatalogEntry): boolean {
  const { transport } = manifest;
  return transport.type === "http"
    ? transport.url === entry.url
    : transport.command === entry.command && transport.args.join("\u0000") === entry.args.join("\u0000");
}

function tooMany(count: number, what: string): Listed<never> {
  return { ok: false, problem: `it listed ${count} ${what}, more than a Hermes tree holds` };
}

/**
 * A failure's first sentence, the fact (the advice after it is for a command's reply, not for a
 * parenthesis at a wizard step), as one clean line.
 */
function firstSentence(message: string): string {
  const clean = cleanOutsideText(message, OUTSIDE_DETAIL_MAX_CHARS);
  return /^.*?\.(?=\s|$)/.exec(clean)?.[0].replace(/\.$/, "") ?? clean;
}
