// Create, the synchronous half (the hub installs follow in the background): build the whole profile in a dot-named staging folder,
// then rename it into place, so a half-built profile is never visible under its name.
import { chmod, copyFile, mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { stringify, type Document } from "yaml";
import type { Blueprint } from "../../core/blueprint.ts";
import { checkBlueprintAgainstCatalog, findSkill } from "../../core/blueprint-checks.ts";
import { findProvider, type SkillInfo } from "../../core/catalog.ts";
import type { CreateReport, CreateStep } from "../../core/create-report.ts";
import { requiredSecrets } from "../../core/secrets.ts";
import type { LoadedLibrary } from "../library/library-loader.ts";
import {
  applyBlueprint,
  newConfigDocument,
  parseConfigDocument,
  stripPlatformConfig,
} from "./config-yaml.ts";
import { activatePersonality } from "../persona/personality.ts";
import { ENV_FILE_MODE, formatEnvFile, stripPlatformSecrets, upsertEnvLines } from "./env-file.ts";
import { HERMES_CONFIG_VERSION, NO_BUNDLED_SKILLS_TEXT } from "./hermes-defaults.ts";
import { defaultSoul, hasIdentity } from "./soul-text.ts";
import { existingAmong, exists, profileDir, stagingName } from "./profiles-root.ts";
import { readLock, recordHubInstall } from "../install/skill-lock.ts";
import { descriptionFiles } from "../library/skill-tree.ts";
import { scanSkill } from "../install/skill-scanner.ts";
import { copyTree, hashSkillDir, hermesContentHash, writeBundledManifest } from "./skill-files.ts";
import type { PersonaLookup } from "../ports/persona-lookup.ts";

/** The folders Hermes creates in every new profile. */
export const PROFILE_DIRS = [
  "memories",
  "sessions",
  "skills",
  "skins",
  "logs",
  "plans",
  "workspace",
  "cron",
  "home",
] as const;
/** What "clone config" copies, as Hermes' own `profile create --clone` does; never sessions, state.db, logs or cron. */
export const CLONED_FILES = [
  "config.yaml",
  ".env",
  "SOUL.md",
  "memories/MEMORY.md",
  "memories/USER.md",
] as const;

/** What the writer needs of the persona library: summaries for checks, bodies to write. */
export interface WriterOptions {
  readonly hermesHome: string;
  readonly profilesRoot: string;
  readonly library: LoadedLibrary;
  readonly personas?: PersonaLookup;
  /** The clock of lock.json and audit.log stamps. */
  readonly now?: () => Date;
  /** Test seam: runs after staging is complete and before the rename (e.g. to simulate a crash). */
  readonly beforeRename?: () => Promise<void> | void;
}

class CreateAbort extends Error {}

export async function writeProfile(
  blueprint: Blueprint,
  secrets: ReadonlyMap<string, string>,
  options: WriterOptions,
): Promise<CreateReport> {
  const { profilesRoot, library } = options;
  const finalDir = profileDir(options.hermesHome, profilesRoot, blueprint.name);
  const failed = (problems: string[]): CreateReport => ({
    ok: false,
    name: blueprint.name,
    path: finalDir,
    steps: [],
    hubInstalls: [],
    problems,
  });

  const catalog = { ...library.catalog, personas: options.personas?.summaries() ?? library.catalog.personas };
  const problems = checkBlueprintAgainstCatalog(
    blueprint,
    catalog,
    await existingAmong(profilesRoot, [blueprint.name, blueprint.clone_from]),
  );
  if (problems.length === 0 && (await exists(finalDir)))
    problems.push(`name: a profile named '${blueprint.name}' already exists. Pick another name.`);
  if (problems.length > 0) return failed(problems);

  try {
    await mkdir(profilesRoot, { recursive: true });
  } catch (error) {
    return failed([
      `profiles root: the profiles folder cannot be created (${errorCode(error)}). Check HERMES_HOME and its permissions (blueprint doctor shows where it is).`,
    ]);
  }
  const staging = path.join(profilesRoot, stagingName(blueprint.name, process.pid));
  const steps: CreateStep[] = [];
  try {
    await rm(staging, { recursive: true, force: true });
    await mkdir(staging);
    for (const dir of PROFILE_DIRS) await mkdir(path.join(staging, dir));
    steps.push({ step: "directories", ok: true, detail: PROFILE_DIRS.join(" ") });
    await buildContents(staging, blueprint, secrets, options, steps);
    await options.beforeRename?.();
    if (await exists(finalDir))
      throw new CreateAbort(`name: '${blueprint.name}' was created by someone else meanwhile`);
    await rename(staging, finalDir);
  } catch (error) {
    await rm(staging, { recursive: true, force: true }).catch(() => undefined);
    const reason =
      error instanceof CreateAbort ? error.message : `write failed (${errorCode(error)}); nothing was kept`;
    return failed([reason]);
  }
  return {
    ok: true,
    name: blueprint.name,
    path: finalDir,
    steps,
    hubInstalls: blueprint.skills.hub.map((identifier) => ({ identifier, status: "pending" as const })),
    problems: [],
  };
}

/**
 * A full disk, a quota, a read-only or failing device: the whole create stops (staging removed), so
 * a profile is never made visible without the skills its manifest would have listed. A single
 * skill missing from the library stays a per-step failure in the report.
 */
const DISK_FAULTS = new Set(["ENOSPC", "EDQUOT", "EROFS", "EIO"]);

function isDiskFault(error: unknown): boolean {
  return DISK_FAULTS.has((error as NodeJS.ErrnoException).code ?? "");
}

async function buildContents(
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
  envText = source ? upsertEnvLines(envText, entries) : formatEnvFile(entries);
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
  const kept = blueprint.skills.builtin;
  const disabled =
    !source && Array.isArray(kept)
      ? library.catalog.builtinSkills
          .filter((skill) => !kept.includes(skill.id) && !kept.includes(skill.name))
          .map((skill) => skill.name)
      : [];
  applyBlueprint(configDoc, blueprint, provider, disabled);
  const personaStep = applyPersona(configDoc, blueprint, options.personas);
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

async function copySkills(
  staging: string,
  blueprint: Blueprint,
  library: LoadedLibrary,
  cloned: boolean,
  steps: CreateStep[],
  now: () => Date,
): Promise<void> {
  const skillsDir = path.join(staging, "skills");
  if (!cloned && blueprint.skills.builtin === "none") {
    await writeFile(path.join(staging, ".no-bundled-skills"), NO_BUNDLED_SKILLS_TEXT);
    steps.push({ step: "built-in skills", ok: true, detail: "none (.no-bundled-skills marker written)" });
  } else if (!cloned) {
    const manifest: [string, string][] = [];
    const failures: string[] = [];
    // As Hermes' sync: each skill at its own path below the tree, named in the manifest by its
    // frontmatter name, then the categories' DESCRIPTION.md files.
    for (const skill of library.catalog.builtinSkills) {
      const from = library.skillDirs.get(skill.id);
      try {
        if (!from) throw new Error("missing from the library");
        await copyTree(from, path.join(skillsDir, ...skill.id.split("/")));
        manifest.push([skill.name, await hashSkillDir(from)]);
      } catch (error) {
        if (isDiskFault(error)) throw error;
        failures.push(`${skill.id} (${errorCode(error)})`);
      }
    }
    // Hermes writes no manifest when its tree does not exist (an empty tree gets an empty one).
    if (await exists(library.builtinRoot)) {
      await copyDescriptions(library.builtinRoot, skillsDir);
      await writeBundledManifest(skillsDir, manifest);
    }
    steps.push({
      step: "built-in skills",
      ok: failures.length === 0,
      detail: `${manifest.length} copied, listed in skills/.bundled_manifest${failures.length > 0 ? `; failed: ${failures.join(", ")}` : ""}`,
    });
  }
  if (blueprint.skills.optional.length === 0) return;
  const copied: string[] = [];
  const failures: string[] = [];
  for (const wanted of blueprint.skills.optional) {
    const skill = findSkill(library.catalog.optionalSkills, wanted);
    const from = skill ? library.optionalSkillDirs.get(skill.id) : undefined;
    try {
      if (!skill || !from) throw new Error("not in the library");
      const to = path.join(skillsDir, skill.category, skill.name);
      if (await exists(to)) continue;
      await copyTree(from, to);
      await recordOfficialInstall(staging, skill, now());
      copied.push(skill.id);
    } catch (error) {
      if (isDiskFault(error)) throw error;
      failures.push(`${wanted} (${errorCode(error)})`);
    }
  }
  steps.push({
    step: "optional skills",
    ok: failures.length === 0,
    detail: `${copied.join(", ") || "none copied"}${failures.length > 0 ? `; failed: ${failures.join(", ")}` : ""}`,
  });
}

/** The blueprint's persona as Hermes reads it: a named preset, made the active system prompt. */
export function applyPersona(
  doc: Document,
  blueprint: Blueprint,
  personas: PersonaLookup | undefined,
): CreateStep | undefined {
  const wanted = blueprint.persona;
  if (!wanted) return undefined;
  if (wanted.mode === "delegate")
    return { step: "persona", ok: true, detail: "delegate mode writes nothing into the profile" };
  const persona = personas?.get(wanted.id);
  if (!persona) return { step: "persona", ok: false, detail: `'${wanted.id}' is not in the library` };
  activatePersonality(doc, persona);
  return {
    step: "persona",
    ok: true,
    detail: `${persona.meta.id} v${persona.meta.version} as the active personality (agent.system_prompt; SOUL.md unchanged)`,
  };
}

/**
 * An optional skill is what Hermes' `skills install official/<category>/<name>` makes of it: the
 * files under skills/<category>/<name>, scanned, and recorded in skills/.hub/lock.json and audit.log
 * as an official hub skill, so `hermes skills list` shows it as such (not as a hand-made local one).
 */
/** A catalog server's post-install note is cut to this, on one line (it joins a chat message). */
export const MCP_NOTE_MAX_CHARS = 300;

/**
 * What Hermes prints after installing a catalog server (`post_install`: "a browser opens on first
 * connection", "restart your session"), one line per chosen server that has a note.
 */
export function mcpNotes(blueprint: Blueprint, library: LoadedLibrary): CreateStep[] {
  return blueprint.mcp_servers.flatMap((server) => {
    const note = library.catalog.mcps.find((entry) => entry.name === server.name)?.post_install?.trim();
    if (!note) return [];
    const line = note.replace(/\s+/g, " ");
    return [
      {
        step: `${server.name} (MCP)`,
        ok: true,
        detail: line.length > MCP_NOTE_MAX_CHARS ? `${line.slice(0, MCP_NOTE_MAX_CHARS)}…` : line,
      },
    ];
  });
}

/** Hermes' sync copies each category's DESCRIPTION.md that the profile does not have yet. */
async function copyDescriptions(root: string, skillsDir: string): Promise<void> {
  for (const relative of await descriptionFiles(root)) {
    const to = path.join(skillsDir, relative);
    if (await exists(to)) continue;
    await mkdir(path.dirname(to), { recursive: true });
    await copyFile(path.join(root, relative), to);
  }
}

async function recordOfficialInstall(profileDir: string, skill: SkillInfo, at: Date): Promise<void> {
  const target = path.join(profileDir, "skills", skill.category, skill.name);
  const scan = await scanSkill(target);
  await recordHubInstall(profileDir, await readLock(profileDir), {
    name: skill.name,
    source: "official",
    identifier: `official/${skill.id}`,
    trust: "builtin",
    verdict: scan.verdict.toLowerCase(),
    contentHash: await hermesContentHash(target),
    installPath: `${skill.category}/${skill.name}`,
    files: [...scan.files].sort(),
    at,
  });
}

/** Secrets arrive checked by the vault; a newline here would split a .env line, so it is a bug. */
function assertSingleLine(value: string): void {
  if (/[\r\n\0]/.test(value))
    throw new CreateAbort(".env: a secret value contained a line break and was refused");
}

function errorCode(error: unknown): string {
  return (error as NodeJS.ErrnoException).code ?? (error as Error).message;
}
