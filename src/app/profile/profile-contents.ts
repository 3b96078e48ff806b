// What a local Create writes into the staging folder, file by file: a clone's copied files (its
// platform credentials stripped), .env with the secrets, SOUL.md, config.yaml, profile.yaml, then
// the skills (profile-skills.ts). Each adds a step to the report; the staging and the rename that
// makes the profile visible are profile-writer.ts.
import { chmod, readFile, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { stringify } from "yaml";
import type { Blueprint } from "../../core/blueprint.ts";
import { findProvider } from "../../core/catalog.ts";
import type { CreateStep } from "../../core/create-report.ts";
import { requiredSecrets } from "../../core/secrets.ts";
import { builtinsSwitchedOff } from "../../core/blueprint-checks.ts";
import {
  applyBlueprint,
  applyToolsetChoice,
  newConfigDocument,
  parseConfigDocument,
  stripPlatformConfig,
} from "./config-yaml.ts";
import { CreateAbort } from "./create-abort.ts";
import { ENV_FILE_MODE, formatEnvFile, stripPlatformSecrets } from "./env-file.ts";
import { setEnvLine } from "./keys/env-edit.ts";
import { HERMES_CONFIG_VERSION } from "./hermes-defaults.ts";
import { exists, profileDir } from "./profiles-root.ts";
import type { WriterOptions } from "./writer-options.ts";
import { copySkills } from "./profile-skills.ts";
import { applyPersona, mcpNotes } from "./shared-create-steps.ts";
import { copyTree } from "./skill-files.ts";
import { enablePlugin, PERSONAS_PLUGIN, placePersonasPlugin } from "./personas-plugin.ts";
import { defaultSoul, hasIdentity } from "./soul-text.ts";

/** What "clone config" copies, as Hermes' own `profile create --clone` does; never sessions, state.db, logs or cron. */
export const CLONED_FILES = [
  "config.yaml",
  ".env",
  "SOUL.md",
  "memories/MEMORY.md",
  "memories/USER.md",
] as const;

export async function buildContents(
  staging: string,
  blueprint: Blueprint,
  secrets: ReadonlyMap<string, string>,
  options: WriterOptions,
  steps: CreateStep[],
): Promise<void> {
  const { library } = options;
  const provider = blueprint.model ? findProvider(library.catalog, blueprint.model.provider) : undefined;
  if (blueprint.model && !provider)
    throw new CreateAbort(`model.provider: unknown provider '${blueprint.model.provider}'`);
  const source = blueprint.clone_from
    ? profileDir(options.hermesHome, options.profilesRoot, blueprint.clone_from)
    : undefined;

  // Clone: copy what Hermes copies, then strip messaging-platform credentials.
  let envText = formatEnvFile([]);
  let configDoc = newConfigDocument();
  let clonedConfig = false;
  let soul: string | undefined;
  if (source) {
    const copied: string[] = [];
    for (const file of CLONED_FILES) {
      const text = await readFile(path.join(source, file), "utf8").catch(() => undefined);
      if (text === undefined) continue;
      copied.push(file);
      if (file === ".env") envText = text;
      else if (file === "config.yaml") {
        configDoc = parseConfigDocument(text).doc;
        clonedConfig = true;
      } else if (file === "SOUL.md") soul = text;
      else await writeFile(path.join(staging, file), text);
    }
    const links = (await exists(path.join(source, "skills")))
      ? await copyTree(path.join(source, "skills"), path.join(staging, "skills-clone"))
      : undefined;
    if (links) {
      await rm(path.join(staging, "skills"), { recursive: true });
      await rename(path.join(staging, "skills-clone"), path.join(staging, "skills"));
      copied.push("skills/");
    }
    const strippedEnv = stripPlatformSecrets(envText);
    envText = strippedEnv.text;
    const strippedConfig = stripPlatformConfig(configDoc);
    const removed = [...strippedEnv.removed, ...strippedConfig];
    steps.push({
      step: "clone",
      ok: true,
      detail: `from '${blueprint.clone_from ?? ""}': ${copied.join(", ") || "nothing to copy"}${
        removed.length > 0 ? `; platform settings removed: ${removed.join(", ")}` : ""
      }${links && links.skippedLinks > 0 ? `; ${links.skippedLinks} symlinks not copied` : ""}`,
    });
  }

  // .env: the secrets this blueprint needs; values only from the private prompts or the environment.
  // A variable left empty that the catalog gives a default for (never a secret) gets that default.
  const needed = requiredSecrets(blueprint, library.catalog);
  const valueOf = (entry: (typeof needed)[number]) => secrets.get(entry.env) || entry.default || "";
  const given = needed.filter((entry) => valueOf(entry) !== "");
  for (const entry of given) assertSingleLine(valueOf(entry));
  const entries = needed
    .filter((entry) => !source || given.includes(entry))
    .map((entry) => [entry.env, valueOf(entry)] as const);
  // A clone's .env is edited as `blueprint key set` edits one: its other lines kept.
  envText = source
    ? entries.reduce((text, [key, value]) => setEnvLine(text, key, value).text, envText)
    : formatEnvFile(entries);
  const envFile = path.join(staging, ".env");
  await writeFile(envFile, envText, { mode: ENV_FILE_MODE });
  await chmod(envFile, ENV_FILE_MODE);
  const empty = needed.filter((entry) => !given.includes(entry)).map((entry) => entry.env);
  steps.push({
    step: ".env",
    ok: true,
    detail: `mode 0600; ${given.length} secret(s) set${empty.length > 0 ? `; not set yet (commented out, so a value from the shell still applies): ${empty.join(", ")}` : ""}`,
  });

  await writeFile(path.join(staging, "SOUL.md"), blueprint.soul ?? soul ?? defaultSoul(blueprint));
  steps.push({
    step: "SOUL.md",
    ok: true,
    detail: blueprint.soul
      ? "from the blueprint"
      : soul
        ? "cloned"
        : hasIdentity(blueprint)
          ? "identity from the display name and description"
          : "Hermes' default identity",
  });

  // Every built-in is copied; the ones not kept are switched off in config (Hermes' own mechanism,
  // which compares each skill's frontmatter name with skills.disabled).
  const disabled = builtinsSwitchedOff(blueprint, library.catalog);
  applyBlueprint(configDoc, blueprint, provider, disabled);
  applyToolsetChoice(configDoc, blueprint, library.catalog);
  const withPlugin = blueprint.plugins.includes(PERSONAS_PLUGIN);
  const personaStep = applyPersona(configDoc, blueprint, options.personas, withPlugin);
  if (withPlugin) enablePlugin(configDoc, PERSONAS_PLUGIN);
  // Like `hermes profile create`, a profile with nothing to configure gets no config.yaml at all.
  if (clonedConfig || (configDoc.contents as { items?: unknown[] } | null)?.items?.length) {
    if (!clonedConfig) configDoc.set("_config_version", HERMES_CONFIG_VERSION);
    await writeFile(path.join(staging, "config.yaml"), configDoc.toString({ lineWidth: 0 }));
    steps.push({
      step: "config.yaml",
      ok: true,
      detail: `${blueprint.model ? `model ${blueprint.model.provider}/${blueprint.model.model}` : "no model"}; ${blueprint.mcp_servers.length} MCP server(s); ${disabled.length} skill(s) disabled`,
    });
  }

  if (personaStep) steps.push(personaStep);
  if (withPlugin) {
    const byReference =
      blueprint.persona?.mode === "overlay" && personaStep?.ok ? blueprint.persona.id : null;
    const defaultPersona = byReference ? (options.personas?.get(byReference)?.meta.id ?? null) : null;
    steps.push(
      await placePersonasPlugin(
        staging,
        {
          pluginSource: path.join(library.pluginsRoot, PERSONAS_PLUGIN),
          personasRoot: options.personas?.root ?? library.personasRoot,
          personas: options.personas,
        },
        defaultPersona,
      ),
    );
  }
  steps.push(...mcpNotes(blueprint, library));

  // profile.yaml as Hermes' write_profile_meta writes it; display_name is ours (Hermes keeps unknown keys).
  const profileYaml = {
    ...(blueprint.description ? { description: blueprint.description, description_auto: false } : {}),
    ...(blueprint.display_name ? { display_name: blueprint.display_name } : {}),
  };
  if (Object.keys(profileYaml).length > 0) {
    await writeFile(path.join(staging, "profile.yaml"), stringify(profileYaml));
    steps.push({ step: "profile.yaml", ok: true, detail: Object.keys(profileYaml).join(", ") });
  }

  await copySkills(staging, blueprint, library, Boolean(source), steps, options.now ?? (() => new Date()));
}

/** Secrets arrive checked by the vault; a newline here would split a .env line, so it is a bug. */
function assertSingleLine(value: string): void {
  if (/[\r\n\0]/.test(value))
    throw new CreateAbort(".env: a secret value contained a line break and was refused");
}
