// `/profile list | show | delete` for every surface: what profiles exist, what one holds (never a
// secret value: .env keys are named, not shown), and deletion behind a confirmation button. A
// deletion renames the folder out of sight first, so a crash mid-way never leaves half a profile
// visible; the start-up sweep removes the leftover.
import { randomBytes } from "node:crypto";
import { readdir, readFile, rename, rm } from "node:fs/promises";
import path from "node:path";
import { parse } from "yaml";
import { DEFAULT_PROFILE } from "../../core/blueprint.ts";
import { describe } from "../../core/messages.ts";
import { checkProfileName } from "../../core/profile-name.ts";
import { encodeProfileToken, parseProfileToken } from "../../core/profile-token.ts";
import { refusal, reply, type Reply } from "../../core/reply.ts";
import type { Actor } from "../../core/wizard/index.ts";
import type { Logger } from "../logger.ts";
import type { SessionStore } from "../session-store.ts";
import { envKeys } from "./env-file.ts";
import { deletingName, exists, listProfiles } from "./profiles-root.ts";

/** A confirmation button older than this no longer deletes anything. */
export const DELETE_CONFIRM_TTL_MS = 10 * 60 * 1000;
/** /profile list shows this many; the rest are counted. */
export const PROFILE_LIST_MAX = 50;

export interface ProfileServiceDeps {
  readonly store: SessionStore;
  readonly profilesRoot: string;
  readonly logger: Logger;
  readonly now?: () => number;
  /** True while hub installs write into the profile (a deletion then waits). */
  readonly installing?: (profile: string) => boolean;
}

interface ProfileFacts {
  readonly model: string;
  readonly persona?: string;
  readonly displayName?: string;
  readonly description?: string;
  readonly mcpServers: string[];
  readonly personas: string[];
  readonly envKeys: { readonly key: string; readonly set: boolean }[];
  readonly skills: number;
}

export class ProfileService {
  readonly #now: () => number;

  constructor(private readonly deps: ProfileServiceDeps) {
    this.#now = deps.now ?? Date.now;
  }

  async list(): Promise<Reply> {
    const names = await listProfiles(this.deps.profilesRoot);
    if (names.length === 0) return reply("No profiles yet. Start one with /profile new.");
    const lines = await Promise.all(
      names.slice(0, PROFILE_LIST_MAX).map(async (name) => {
        const facts = await this.#facts(name);
        return `• ${name} — ${facts.model}${facts.persona ? ` · persona ${facts.persona}` : ""}`;
      }),
    );
    const more = names.length > PROFILE_LIST_MAX ? [`…and ${names.length - PROFILE_LIST_MAX} more.`] : [];
    return reply([`${names.length} profile(s):`, ...lines, ...more].join("\n"));
  }

  async show(rawName: string): Promise<Reply> {
    const target = await this.#existing(rawName);
    if ("refused" in target) return target.refused;
    const facts = await this.#facts(target.name);
    const env = facts.envKeys.map(({ key, set }) => `${key}${set ? " (set)" : " (empty)"}`);
    return reply(
      [
        `Profile '${target.name}'${facts.displayName && facts.displayName !== target.name ? ` — ${facts.displayName}` : ""}`,
        ...(facts.description ? [facts.description] : []),
        `Model: ${facts.model}`,
        `MCP servers: ${facts.mcpServers.join(", ") || "none"}`,
        `Skills installed: ${facts.skills}`,
        `Personas: ${facts.personas.join(", ") || "none"}${facts.persona ? ` (active: ${facts.persona})` : ""}`,
        `.env keys: ${env.join(", ") || "none"}`,
      ].join("\n"),
    );
  }

  /** Asks first: the answer carries "Delete" and "Keep" buttons for the person who asked. */
  async delete(actor: Actor, rawName: string): Promise<Reply> {
    const target = await this.#existing(rawName);
    if ("refused" in target) return target.refused;
    const id = randomBytes(6).toString("hex");
    this.deps.store.putAction(id, {
      kind: "confirm-delete",
      profile: target.name,
      actorId: actor.id,
      at: this.#now(),
    });
    return reply(
      `Delete profile '${target.name}' with its config, .env, skills, memories and sessions? This cannot be undone.`,
      {
        buttons: [
          { label: `Delete ${target.name}`, token: encodeProfileToken(id, "delete"), style: "danger" },
          { label: "Keep it", token: encodeProfileToken(id, "keep") },
        ],
      },
    );
  }

  async press(actor: Actor, token: string): Promise<Reply> {
    const parsed = parseProfileToken(token);
    if (!parsed.ok) return refusal(describe(parsed.error));
    const { actionId, button } = parsed.value;
    const action = this.deps.store.action(actionId);
    if (!action || action.kind !== "confirm-delete" || this.#now() - action.at > DELETE_CONFIRM_TTL_MS)
      return refusal("That button has expired or was already used. Run /profile delete again.");
    if (action.actorId !== actor.id)
      return refusal("Only the person who asked for the deletion can confirm it.");
    this.deps.store.deleteAction(actionId);
    if (button === "keep") return reply(`Kept profile '${action.profile}'.`);
    if (this.deps.installing?.(action.profile))
      return refusal(
        `Hub skills are still installing into '${action.profile}'. Cancel them or wait, then delete.`,
      );
    const dir = path.join(this.deps.profilesRoot, action.profile);
    if (!(await exists(dir))) return refusal(`Profile '${action.profile}' is already gone.`);
    const doomed = path.join(this.deps.profilesRoot, deletingName(action.profile, process.pid));
    try {
      await rename(dir, doomed);
    } catch (error) {
      this.deps.logger.error({ profile: action.profile, reason: (error as Error).message }, "delete failed");
      return refusal(
        `Could not delete '${action.profile}': ${(error as NodeJS.ErrnoException).code ?? "error"}.`,
      );
    }
    this.deps.store.forgetProfile(action.profile);
    await rm(doomed, { recursive: true, force: true });
    this.deps.logger.info({ profile: action.profile, by: actor.id }, "profile deleted");
    return reply(`Deleted profile '${action.profile}'. Chats bound to it are unbound.`);
  }

  async #existing(rawName: string): Promise<{ name: string } | { refused: Reply }> {
    if (rawName.trim().toLowerCase() === DEFAULT_PROFILE)
      return { refused: refusal("'default' is the Hermes home itself; it cannot be shown or deleted here.") };
    const checked = checkProfileName(rawName);
    if (!checked.ok) return { refused: refusal(describe(checked.error)) };
    const { name } = checked.value;
    if (!(await exists(path.join(this.deps.profilesRoot, name))))
      return { refused: refusal(`There is no profile '${name}'. /profile list shows the ones there are.`) };
    return { name };
  }

  /** Reads what a profile holds; a missing or broken file reads as "unknown", never as an error. */
  async #facts(name: string): Promise<ProfileFacts> {
    const dir = path.join(this.deps.profilesRoot, name);
    const config = asRecord(await readYaml(path.join(dir, "config.yaml")));
    const profile = asRecord(await readYaml(path.join(dir, "profile.yaml")));
    const model = asRecord(config["model"]);
    const agent = asRecord(config["agent"]);
    const display = asRecord(config["display"]);
    const persona = typeof display["personality"] === "string" ? display["personality"] : undefined;
    const displayName = typeof profile["display_name"] === "string" ? profile["display_name"] : undefined;
    const description = typeof profile["description"] === "string" ? profile["description"] : undefined;
    return {
      model:
        typeof model["default"] === "string"
          ? `${typeof model["provider"] === "string" ? `${model["provider"]}/` : ""}${model["default"]}`
          : "model not set",
      ...(persona ? { persona } : {}),
      ...(displayName ? { displayName } : {}),
      ...(description ? { description } : {}),
      mcpServers: Object.keys(asRecord(config["mcp_servers"])),
      personas: Object.keys(asRecord(agent["personalities"])),
      envKeys: await readEnvKeys(path.join(dir, ".env")),
      skills: await countSkills(path.join(dir, "skills")),
    };
  }
}

async function readYaml(file: string): Promise<unknown> {
  try {
    return parse(await readFile(file, "utf8"), { maxAliasCount: 100 }) as unknown;
  } catch {
    return undefined;
  }
}

function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

/** The keys of a profile's .env and whether each is set; a missing file has none. */
async function readEnvKeys(file: string): Promise<{ key: string; set: boolean }[]> {
  return envKeys(await readFile(file, "utf8").catch(() => ""));
}

/** SKILL.md files under skills/ (categories nest one level), the way Hermes finds skills. */
async function countSkills(dir: string): Promise<number> {
  try {
    const entries = await readdir(dir, { recursive: true });
    return entries.filter((entry) => path.basename(entry) === "SKILL.md").length;
  } catch {
    return 0;
  }
}
