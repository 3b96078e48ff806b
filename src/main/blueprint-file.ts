// A blueprint file read for `create --from` and `apply --from`: size-checked before it is read,
// parsed and validated, with the top-level keys it gives (an apply matches only those); and what
// both commands take beside it — the persona library, the keys from the environment.
import { readFile, stat } from "node:fs/promises";
import { parseDocument } from "yaml";
import type { Blueprint } from "../core/blueprint.ts";
import type { Catalog } from "../core/catalog.ts";
import {
  BLUEPRINT_FILE_MAX_BYTES,
  parseBlueprintYaml,
  YAML_MAX_ALIAS_COUNT,
} from "../core/blueprint-yaml.ts";
import { describe } from "../core/messages.ts";
import { requiredSecrets } from "../core/secrets.ts";
import path from "node:path";
import { loadPersonas } from "../app/persona/persona-loader.ts";
import { summarize } from "../app/persona/persona-catalog.ts";
import type { PersonaLookup } from "../app/ports/persona-lookup.ts";
import { checkSecretValue } from "../app/secrets/secret-vault.ts";
import type { Setup } from "./load-setup.ts";

export type BlueprintFile =
  { ok: true; blueprint: Blueprint; present: ReadonlySet<string> } | { ok: false; problems: string[] };

export async function readBlueprintFile(file: string): Promise<BlueprintFile> {
  let text: string;
  try {
    const info = await stat(file);
    if (!info.isFile())
      return {
        ok: false,
        problems: [
          describe({ code: "blueprint_unreadable", params: { file, reason: "not a regular file" } }),
        ],
      };
    if (info.size > BLUEPRINT_FILE_MAX_BYTES)
      return {
        ok: false,
        problems: [
          describe({
            code: "blueprint_too_large",
            params: { size: info.size, max: BLUEPRINT_FILE_MAX_BYTES },
          }),
        ],
      };
    text = await readFile(file, "utf8");
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? "unknown error";
    return { ok: false, problems: [describe({ code: "blueprint_unreadable", params: { file, reason } })] };
  }
  const parsed = parseBlueprintYaml(text);
  if (!parsed.ok) return parsed;
  // The parse above has accepted the text as a mapping, so its keys are plain strings.
  const data: unknown = parseDocument(text).toJS({ maxAliasCount: YAML_MAX_ALIAS_COUNT });
  return { ok: true, blueprint: parsed.blueprint, present: new Set(Object.keys(data as object)) };
}

/** The persona library as the file commands read it (the bot's own, from the library folder). */
export async function filePersonas(setup: Setup): Promise<PersonaLookup> {
  const root = path.join(setup.config.libraryDir, "personas");
  const library = (await loadPersonas(root)).library;
  const summaries = library.list().map(summarize);
  return { summaries: () => summaries, get: (id) => library.get(id), root };
}

/**
 * The keys the blueprint needs, from the environment variables of those names (a value the vault
 * would refuse is left out); each is added to the secrets every print redacts.
 */
export function secretsFromEnvironment(
  blueprint: Blueprint,
  setup: Setup,
  env: NodeJS.ProcessEnv,
): Map<string, string> {
  const secrets = new Map<string, string>();
  const unnamed = new Set(unnamedSkillKeys(blueprint, setup.library.catalog));
  for (const { env: key } of requiredSecrets(blueprint, setup.library.catalog)) {
    if (unnamed.has(key)) continue;
    const checked = checkSecretValue(env[key] ?? "");
    if (!checked.ok) continue;
    secrets.set(key, checked.value);
    setup.secrets.add(checked.value);
  }
  return secrets;
}

/**
 * Keys only the built-in skills a file keeps without naming them (`skills.builtin` left at Hermes'
 * default) declare. They are not taken from the environment: a shell's GITHUB_TOKEN set for other
 * work must not reach an agent because a bundled skill happens to declare it. Naming the skills
 * (`skills.builtin: [...]`, or optional skills) takes their keys; `blueprint key set` sets one later.
 */
export function unnamedSkillKeys(blueprint: Blueprint, catalog: Catalog): string[] {
  if (blueprint.skills.builtin !== "default") return [];
  const named = new Set(
    requiredSecrets({ ...blueprint, skills: { ...blueprint.skills, builtin: "none" } }, catalog).map(
      (secret) => secret.env,
    ),
  );
  return requiredSecrets(blueprint, catalog)
    .map((secret) => secret.env)
    .filter((key) => !named.has(key));
}
