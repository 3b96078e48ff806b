// The editor's starting point: a profile as Hermes reads it, turned back into the wizard's draft,
// so `/profile edit` opens the same wizard prefilled. What cannot be shown as a draft (a server
// entry the blueprint rules refuse, a persona not in the library) is left untouched by the edit
// and named in `notes`.
import { mcpServerSchema, type McpServerSpec } from "../blueprint.ts";
import { findProvider, hermesProviderId, type Catalog, type ProviderInfo } from "../catalog.ts";
import { SOUL_MAX_CHARS } from "../limits.ts";
import { mcpApiKeyEnv } from "../secrets.ts";
import { hasDisallowedChars } from "../text-rules.ts";
import type { Draft } from "../wizard/state.ts";
import { record, type CurrentProfile } from "./current-profile.ts";
import { keptByName } from "./plan-skills.ts";

export interface ProfileDraft {
  readonly draft: Draft;
  /** MCP servers the draft does not hold (their entries break the blueprint rules): an edit keeps them. */
  readonly keptServers: readonly string[];
  readonly notes: readonly string[];
}

export function draftFromProfile(name: string, current: CurrentProfile, catalog: Catalog): ProfileDraft {
  const notes: string[] = [];
  const text = (value: unknown) =>
    typeof value === "string" && value.trim() !== "" ? value.trim() : undefined;
  const display_name = text(current.meta["display_name"]);
  const description = text(current.meta["description"]);

  const model = record(current.config["model"]);
  const modelId = text(model["default"]) ?? text(current.config["model"]);
  const baseUrl = text(model["base_url"]);
  const provider = providerFor(catalog, text(model["provider"]), baseUrl);
  if (modelId && !provider)
    notes.push(
      `model: provider '${text(model["provider"]) ?? "none"}' is not one the wizard offers; the model is left as it is unless you pick one`,
    );

  const disabled = new Set(
    (Array.isArray(record(current.config["skills"])["disabled"])
      ? (record(current.config["skills"])["disabled"] as unknown[])
      : []
    ).map(String),
  );
  const present = current.builtinsPresent;
  const noBuiltins = present !== undefined && present.length === 0 && catalog.builtinSkills.length > 0;
  const builtinOff = catalog.builtinSkills
    .filter((skill) => disabled.has(skill.name) && (present === undefined || present.includes(skill.name)))
    .map((skill) => skill.id);
  const optional: string[] = [];
  const hub: string[] = [];
  const nameOnly: string[] = [];
  for (const installed of current.hubInstalls) {
    if (installed.identifier === undefined && !disabled.has(installed.name)) nameOnly.push(installed.name);
    if (disabled.has(installed.name) || installed.identifier === undefined) continue;
    const official = /^official\/(.+)$/.exec(installed.identifier)?.[1];
    const skill = official ? catalog.optionalSkills.find((entry) => entry.id === official) : undefined;
    if (skill) optional.push(skill.id);
    else hub.push(installed.identifier);
  }

  if (nameOnly.length > 0) notes.push(keptByName(nameOnly));

  const mcp: McpServerSpec[] = [];
  const keptServers: string[] = [];
  for (const [server, entry] of Object.entries(record(current.config["mcp_servers"]))) {
    const spec = mcpSpec(server, record(entry));
    if (spec) mcp.push(spec);
    else {
      keptServers.push(server);
      notes.push(`MCP server '${server}' is not one the wizard can show; the edit leaves it as it is`);
    }
  }

  const active = text(record(current.config["display"])["personality"]);
  const inLibrary = active ? catalog.personas.find((persona) => persona.id === active) : undefined;
  if (active && !inLibrary)
    notes.push(`persona '${active}' is not in the library; the edit leaves it unless you pick another`);

  // The identity text as the blueprint rules take it; one they refuse is shown as the profile's own.
  const soulText = current.soul?.replace(/\r\n?/g, "\n");
  const soul =
    soulText !== undefined && soulText.length <= SOUL_MAX_CHARS && !hasDisallowedChars(soulText)
      ? soulText
      : undefined;
  if (current.soul !== undefined && soul === undefined)
    notes.push(
      "SOUL.md is longer or holds characters the wizard does not take; it is left as it is unless you give a new text",
    );

  const toolsets = sharedToolsets(current, catalog);
  if (toolsets === undefined) {
    const lists = record(current.config["platform_toolsets"]);
    const unlisted = catalog.toolsets.platforms.filter((platform) => !Array.isArray(lists[platform]));
    notes.push(
      `${
        unlisted.length > 0
          ? `toolsets are Hermes' default (the shell included) on ${unlisted.length === catalog.toolsets.platforms.length ? "every platform" : unlisted.join(", ")}`
          : "toolsets differ by platform"
      }; the editor leaves them as they are unless you pick a set, which then applies to every platform`,
    );
  }

  return {
    draft: {
      name,
      ...(display_name ? { display_name } : {}),
      ...(description ? { description } : {}),
      ...(provider && modelId ? { provider: provider.slug, model: modelId } : {}),
      ...(provider?.base_url && baseUrl ? { base_url: baseUrl } : {}),
      noBuiltins,
      builtinOff,
      optional,
      hub,
      mcp,
      ...(toolsets !== undefined ? { toolsets } : {}),
      ...(inLibrary ? { persona: { id: inLibrary.id, mode: "overlay" as const } } : {}),
      ...(soul !== undefined ? { soul } : {}),
    },
    keptServers,
    notes,
  };
}

/**
 * The one set of configurable toolsets every platform has in config.yaml's `platform_toolsets`, or
 * undefined when a platform of the catalog has no list (Hermes' default) or the lists differ. A
 * toolset a platform cannot have (Discord's own) is not counted against the platforms without it.
 */
function sharedToolsets(current: CurrentProfile, catalog: Catalog): string[] | undefined {
  const lists = record(current.config["platform_toolsets"]);
  const known = catalog.toolsets.toolsets;
  const seen: { onHere: string[]; chosen: string[] }[] = [];
  for (const platform of catalog.toolsets.platforms) {
    const raw = lists[platform];
    if (!Array.isArray(raw)) return undefined;
    const names = new Set(raw.map(String));
    // A composite (`hermes-cli`, …) stands for Hermes' default: not a set the wizard can show.
    if ([...names].some((name) => name.startsWith("hermes-"))) return undefined;
    const onHere = known
      .filter((toolset) => toolset.platforms === undefined || toolset.platforms.includes(platform))
      .map((toolset) => toolset.id);
    seen.push({ onHere, chosen: onHere.filter((id) => names.has(id)).sort() });
  }
  const union = [...new Set(seen.flatMap((entry) => entry.chosen))].sort();
  const same = seen.every(
    (entry) => union.filter((id) => entry.onHere.includes(id)).join(",") === entry.chosen.join(","),
  );
  return same ? union : undefined;
}

/** The catalog provider Hermes' id stands for; `custom` is told apart by its base URL. */
function providerFor(
  catalog: Catalog,
  id: string | undefined,
  baseUrl: string | undefined,
): ProviderInfo | undefined {
  if (!id) return undefined;
  const matches = catalog.providers.filter((provider) => hermesProviderId(provider) === id);
  return (
    matches.find((provider) => baseUrl !== undefined && provider.base_url?.default === baseUrl) ??
    matches.find((provider) => provider.slug === id) ??
    matches[0] ??
    findProvider(catalog, id)
  );
}

/** A config.yaml server entry as the blueprint's server, when the blueprint's rules accept it. */
function mcpSpec(name: string, entry: Record<string, unknown>): McpServerSpec | undefined {
  const include = record(entry["tools"])["include"];
  const tools = Array.isArray(include) ? { tools: { include: include.map(String) } } : {};
  const authorization = record(entry["headers"])["Authorization"];
  const data =
    typeof entry["url"] === "string"
      ? {
          name,
          url: entry["url"],
          auth:
            authorization === `Bearer \${${mcpApiKeyEnv(name)}}`
              ? "api_key"
              : entry["auth"] === "oauth"
                ? "oauth"
                : "none",
          ...tools,
        }
      : {
          name,
          command: entry["command"],
          ...(Array.isArray(entry["args"]) ? { args: entry["args"] } : {}),
          ...(entry["env"] !== undefined ? { env: entry["env"] } : {}),
          ...tools,
        };
  const parsed = mcpServerSchema.safeParse(data);
  return parsed.success ? parsed.data : undefined;
}
