// Hermes' toolsets, as the wizard offers them and a blueprint names them. Hermes decides which tools
// an agent has on each platform from config.yaml's `platform_toolsets.<platform>` (a list of toolset
// names, as `hermes tools enable|disable` writes it); a platform without a list gets Hermes' default
// composite, which includes the shell (`terminal`) and code execution. A list chosen for every
// platform is written for every platform Hermes knows, so none is left on that default; lists by
// platform leave the platforms they do not name (without `default`) to Hermes.
import { z } from "zod";

/** A toolset and platform name as Hermes spells them (`code_execution`, `whatsapp_cloud`). */
export const TOOLSET_NAME_PATTERN = /^[a-z0-9][a-z0-9_-]{0,31}$/;
/** More toolsets than this in one list is not a choice (Hermes 0.19 has 25). */
export const TOOLSETS_MAX = 64;
/** Platforms Hermes serves (Hermes 0.19 has 22). */
export const TOOLSET_PLATFORMS_MAX = 64;

export const toolsetInfoSchema = z
  .object({
    id: z.string().regex(TOOLSET_NAME_PATTERN),
    label: z.string().min(1).max(80),
    description: z.string().max(200),
    /** Only these platforms can have it (Hermes' `_TOOLSET_PLATFORM_RESTRICTIONS`, e.g. `discord`). */
    platforms: z.array(z.string().regex(TOOLSET_NAME_PATTERN)).optional(),
    /**
     * Provided by a Hermes plugin: Hermes switches a plugin toolset on by itself on a platform whose
     * `known_plugin_toolsets` does not name it, so a chosen list names every plugin toolset there.
     */
    plugin: z.boolean().optional(),
  })
  .strict();
export type ToolsetInfo = z.infer<typeof toolsetInfoSchema>;

export const toolsetCatalogSchema = z
  .object({
    /** Every platform Hermes resolves tools for (cli, telegram, discord, …, cron). */
    platforms: z.array(z.string().regex(TOOLSET_NAME_PATTERN)).min(1).max(TOOLSET_PLATFORMS_MAX),
    toolsets: z.array(toolsetInfoSchema).min(1).max(TOOLSETS_MAX),
  })
  .strict();
export type ToolsetCatalog = z.infer<typeof toolsetCatalogSchema>;

/**
 * Toolsets that give the agent the machine Hermes runs on, with the one line of why the wizard
 * shows. Anyone who can talk to the agent (everyone in a team chat) can make it use them.
 */
export const MACHINE_TOOLSETS: Readonly<Record<string, string>> = {
  terminal: "runs shell commands on the machine Hermes runs on",
  code_execution: "runs code it writes on that machine",
  computer_use: "controls that machine's desktop",
  browser: "drives a browser on that machine, with its network and logins",
  file: "reads and writes files there, the profile's .env with its keys included",
};

/** What a profile gets when nobody picked: what a chat agent needs to work, nothing of the machine. */
export const SAFE_TOOLSETS: readonly string[] = [
  "web",
  "skills",
  "todo",
  "memory",
  "session_search",
  "clarify",
];

/** A blueprint's `toolsets`: one list for every platform, or lists by platform (`default` for the rest). */
export type ToolsetChoice = readonly string[] | Readonly<Record<string, readonly string[]>>;

export const DEFAULT_PLATFORM_KEY = "default";

/**
 * The toolsets one platform gets. A mapping without the platform and without `default` leaves it
 * to Hermes' own default (undefined): naming some platforms only is a choice about those.
 */
export function toolsetsOn(
  choice: ToolsetChoice,
  platform: string,
  catalog: ToolsetCatalog,
): string[] | undefined {
  const listed = Array.isArray(choice)
    ? (choice as readonly string[])
    : ((choice as Readonly<Record<string, readonly string[]>>)[platform] ??
      (choice as Readonly<Record<string, readonly string[]>>)[DEFAULT_PLATFORM_KEY]);
  if (listed === undefined) return undefined;
  const allowed = (id: string) => {
    const info = catalog.toolsets.find((toolset) => toolset.id === id);
    return info !== undefined && (info.platforms === undefined || info.platforms.includes(platform));
  };
  return [...new Set(listed)].filter(allowed).sort();
}

/** Problems of a choice against the Hermes in use: unknown toolsets and platforms, each with the list. */
export function toolsetProblems(choice: ToolsetChoice, catalog: ToolsetCatalog): string[] {
  const known = catalog.toolsets.map((toolset) => toolset.id);
  const problems: string[] = [];
  const check = (names: readonly string[], where: string) => {
    const unknown = names.filter((name) => !known.includes(name));
    if (unknown.length > 0)
      problems.push(
        `toolsets${where}: ${unknown.map((name) => `'${name}'`).join(", ")} ${unknown.length === 1 ? "is not a toolset" : "are not toolsets"} of this Hermes; it has: ${known.join(", ")}`,
      );
  };
  if (Array.isArray(choice)) check(choice as readonly string[], "");
  else
    for (const [platform, names] of Object.entries(choice as Readonly<Record<string, readonly string[]>>)) {
      if (platform !== DEFAULT_PLATFORM_KEY && !catalog.platforms.includes(platform))
        problems.push(
          `toolsets: '${platform}' is not a platform of this Hermes; it has: ${[DEFAULT_PLATFORM_KEY, ...catalog.platforms].join(", ")}`,
        );
      check(names, `.${platform}`);
      // Named for one platform that cannot have it: Hermes would drop it without a word.
      if (platform === DEFAULT_PLATFORM_KEY) continue;
      for (const name of names) {
        const only = catalog.toolsets.find((toolset) => toolset.id === name)?.platforms;
        if (only && !only.includes(platform))
          problems.push(
            `toolsets.${platform}: '${name}' is a toolset Hermes allows only on ${only.join(", ")}`,
          );
      }
    }
  return problems;
}

/** The machine toolsets a choice gives on any platform. */
export function machineToolsets(choice: ToolsetChoice): string[] {
  const all = Array.isArray(choice)
    ? (choice as readonly string[])
    : Object.values(choice as Readonly<Record<string, readonly string[]>>).flat();
  return [...new Set(all)].filter((name) => MACHINE_TOOLSETS[name] !== undefined);
}

/**
 * config.yaml's `platform_toolsets` for a choice, as `hermes tools` saves it: per platform, the
 * sorted toolsets that platform may have. Platforms the choice leaves to Hermes are not in it.
 */
export function platformToolsets(choice: ToolsetChoice, catalog: ToolsetCatalog): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const platform of catalog.platforms) {
    const listed = toolsetsOn(choice, platform, catalog);
    if (listed !== undefined) out[platform] = listed;
  }
  return out;
}
