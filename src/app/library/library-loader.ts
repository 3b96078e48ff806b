// Loads the catalogs the wizard offers into the plain Catalog the core reads: providers from
// library/models.yaml joined with the Hermes beside the bot's registry; toolsets from that Hermes'
// registry, else library/toolsets.yaml; skills and MCP servers from
// that Hermes when it has them, else from the shipped library/. A bad file is skipped with a warning naming it and the reason; it never
// stops the others.
import { readFile } from "node:fs/promises";
import path from "node:path";
import { parse as parseYaml } from "yaml";
import {
  hermesProviderId,
  mcpManifestSchema,
  modelsFileSchema,
  hermesOnlyProviderSchema,
  type Catalog,
  type McpManifest,
  type ProviderInfo,
} from "../../core/catalog.ts";
import type { HermesInstall, HermesProvider } from "../hermes/discover.ts";
import { toolsetCatalogSchema, type ToolsetCatalog } from "../../core/toolsets.ts";
import { discoverSkillTree, subdirectories } from "./skill-tree.ts";

/** Where each catalog came from, for doctor, the start-up log and the README's "which mode". */
export interface CatalogSources {
  readonly builtinSkills: string;
  readonly optionalSkills: string;
  /** Folders read in order; an entry of a later one replaces a same-named one of an earlier one. */
  readonly mcps: readonly string[];
}

/** A catalog entry Hermes offers that the wizard cannot, and why (shown by doctor, logged at start). */
export interface NotOffered {
  readonly name: string;
  readonly reason: string;
}

export interface LoadedLibrary {
  readonly catalog: Catalog;
  /** Absolute folder of each built-in / optional skill, by skill id (its folder below the tree). */
  readonly skillDirs: ReadonlyMap<string, string>;
  readonly optionalSkillDirs: ReadonlyMap<string, string>;
  /** The built-in tree itself: Hermes' sync also copies its category DESCRIPTION.md files. */
  readonly builtinRoot: string;
  /** The persona library (`personas/`), which the personas plugin's copy is taken from. */
  readonly personasRoot: string;
  /** The Hermes plugins this project ships (`hermes-plugins/<name>/`). */
  readonly pluginsRoot: string;
  readonly sources: CatalogSources;
  readonly notOffered: readonly NotOffered[];
  readonly warnings: readonly string[];
}

export async function loadLibrary(
  libraryDir: string,
  hermes?: Pick<HermesInstall, "bundledSkills" | "optionalSkills" | "optionalMcps"> &
    Partial<Pick<HermesInstall, "providers" | "toolsets">>,
): Promise<LoadedLibrary> {
  const warnings: string[] = [];
  const modelsPath = path.join(libraryDir, "models.yaml");
  const models = modelsFileSchema.safeParse(parseYaml(await readFile(modelsPath, "utf8")));
  if (!models.success) {
    // Without providers the wizard cannot run: this is an installation fault, not a skippable file.
    throw new Error(
      `${modelsPath}: ${models.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`).join("; ")}`,
    );
  }
  // Hermes' folder when it exists (what `hermes profile create` seeds from), else ours.
  const builtinRoot = hermes?.bundledSkills.exists
    ? hermes.bundledSkills.path
    : path.join(libraryDir, "skills");
  const optionalRoot = hermes?.optionalSkills.exists
    ? hermes.optionalSkills.path
    : path.join(libraryDir, "optional-skills");
  const mcpRoots = [
    path.join(libraryDir, "mcps"),
    ...(hermes?.optionalMcps.exists ? [hermes.optionalMcps.path] : []),
  ];
  const builtin = await discoverSkillTree(builtinRoot, warnings, !hermes?.bundledSkills.exists);
  const optional = await discoverSkillTree(optionalRoot, warnings, !hermes?.optionalSkills.exists);
  const byName = new Map<string, McpManifest>();
  for (const root of mcpRoots)
    for (const manifest of await loadMcps(root, warnings)) byName.set(manifest.name, manifest);
  const notOffered: NotOffered[] = [];
  const mcps = [...byName.values()].filter((manifest) => {
    if (!manifest.install) return true;
    notOffered.push({
      name: manifest.name,
      reason: `clones ${manifest.install.url} and runs its set-up commands; install it on the Hermes host with \`hermes -p <profile> mcp install ${manifest.name}\``,
    });
    return false;
  });
  return {
    catalog: {
      providers: hermes?.providers
        ? withHermesProviders(models.data.providers, hermes.providers, warnings)
        : models.data.providers,
      builtinSkills: builtin.skills,
      optionalSkills: optional.skills,
      mcps: mcps.sort((a, b) => a.name.localeCompare(b.name)),
      personas: [],
      toolsets: hermes?.toolsets ?? (await loadToolsets(libraryDir)),
    },
    skillDirs: builtin.dirs,
    optionalSkillDirs: optional.dirs,
    builtinRoot,
    personasRoot: path.join(libraryDir, "personas"),
    pluginsRoot: path.join(libraryDir, "hermes-plugins"),
    sources: { builtinSkills: builtinRoot, optionalSkills: optionalRoot, mcps: mcpRoots },
    notOffered,
    warnings,
  };
}

/** library/toolsets.yaml: Hermes 0.19's toolsets, for a bot with no Hermes beside it. */
async function loadToolsets(libraryDir: string): Promise<ToolsetCatalog> {
  const file = path.join(libraryDir, "toolsets.yaml");
  const parsed = toolsetCatalogSchema.safeParse(parseYaml(await readFile(file, "utf8")));
  // As for models.yaml: without it the Tools step cannot be offered; an installation fault.
  if (!parsed.success)
    throw new Error(
      `${file}: ${parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`).join("; ")}`,
    );
  return parsed.data;
}

async function loadMcps(root: string, warnings: string[]): Promise<McpManifest[]> {
  const manifests: McpManifest[] = [];
  for (const folder of await subdirectories(root)) {
    const file = path.join(root, folder, "manifest.yaml");
    try {
      const parsed = mcpManifestSchema.safeParse(parseYaml(await readFile(file, "utf8")));
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        warnings.push(`${file}: skipped, ${issue?.path.join(".") ?? ""}: ${issue?.message ?? "invalid"}`);
      } else if (parsed.data.name !== folder) {
        warnings.push(`${file}: skipped, name '${parsed.data.name}' differs from its folder '${folder}'`);
      } else {
        manifests.push(parsed.data);
      }
    } catch (error) {
      // Hermes lists only folders holding a manifest.yaml; a folder without one is not an entry.
      if ((error as NodeJS.ErrnoException).code === "ENOENT") continue;
      warnings.push(`${file}: skipped, ${(error as Error).message}`);
    }
  }
  return manifests;
}

/** Models offered per provider at most (the list pages; a typed model id is always possible). */
export const PROVIDER_MODELS_MAX = 60;

/**
 * Our providers first, each with the .env key Hermes reads and Hermes' models after ours; then the
 * providers only Hermes knows, by name (with or without a model list, OAuth ones with no key). A Hermes provider our rules refuse is skipped with a warning.
 */
function withHermesProviders(
  ours: readonly ProviderInfo[],
  theirs: readonly HermesProvider[],
  warnings: string[],
): ProviderInfo[] {
  const byId = new Map(theirs.map((provider) => [provider.id, provider]));
  const merged: ProviderInfo[] = ours.map((provider) => {
    const hermes = byId.get(hermesProviderId(provider));
    if (!hermes) return provider;
    const models = [...new Set([...provider.models, ...hermes.models])].slice(0, PROVIDER_MODELS_MAX);
    return { ...provider, api_key_env: hermes.env ?? provider.api_key_env, models };
  });
  const known = new Set(merged.flatMap((provider) => [hermesProviderId(provider), provider.slug]));
  // Those without a model list too: the wizard asks for the model id (Hermes knows the provider).
  const extra = theirs.filter((provider) => !known.has(provider.id)).sort((a, b) => a.name.localeCompare(b.name));
  for (const provider of extra) {
    const parsed = hermesOnlyProviderSchema.safeParse({
      slug: provider.id,
      label: provider.name.slice(0, 80),
      api_key_env: provider.env,
      base_url: null,
      models_endpoint: null,
      models: provider.models.slice(0, PROVIDER_MODELS_MAX),
      ...(provider.login ? { login: provider.login } : {}),
    });
    if (parsed.success) merged.push(parsed.data);
    else
      warnings.push(
        `Hermes provider '${provider.id}' skipped: ${parsed.error.issues[0]?.message ?? "invalid"}`,
      );
  }
  return merged;
}
