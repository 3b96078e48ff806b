// The keys a profile needs, read from what the profile holds (not from a blueprint): its model's
// provider (config.yaml model.provider → the catalog's api_key_env; `custom` has none), every
// `${VAR}` an MCP server's config names (Hermes interpolates the whole server entry, headers and
// env included: tools/mcp_tool.py `_interpolate_env_vars`, `${env:VAR}` too), and every variable a
// skill under skills/ declares in its SKILL.md. Each is set or not set as .env says; keys .env holds
// that nothing asks for are "other". Values are never read out of .env, only whether a key has one.
import { open, readFile, type FileHandle } from "node:fs/promises";
import path from "node:path";
import { yamlMappingOrEmpty } from "../yaml-mapping.ts";
import { hermesProviderId, type Catalog } from "../../../core/catalog.ts";
import { KEY_SKILL_FILE_MAX_BYTES, KEY_SKILL_FILES_MAX } from "../../../core/limits.ts";
import type { KeyReason, ProfileKey, ProfileKeys } from "../../ports/profile-backend.ts";
import { frontmatterUnclosed, splitFrontmatter } from "../../persona/frontmatter.ts";
import { envKeys } from "../env-file.ts";
import { skillEnvVars, type SkillEnvVar } from "./skill-env-vars.ts";
import { readEnvText } from "./env-edit.ts";
import { skillFiles } from "../../library/skill-tree.ts";

function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

/** config.yaml's mapping; a missing or broken one names no provider and no MCP server. */
async function readConfigRecord(file: string): Promise<Record<string, unknown>> {
  return yamlMappingOrEmpty(await readFile(file, "utf8").catch(() => ""));
}

export interface SkillDeclaration {
  /** Its frontmatter `name:`, else its folder's name (as Hermes names a skill). */
  readonly skill: string;
  readonly vars: readonly SkillEnvVar[];
}

/** `${VAR}` and `${env:VAR}` as Hermes' MCP loader reads them (`_ENV_VAR_PATTERN`, `_env_ref_name`). */
const ENV_REFERENCE = /\$\{([^}]+)\}/g;

function references(value: unknown, into: string[]): string[] {
  if (typeof value === "string") {
    for (const match of value.matchAll(ENV_REFERENCE)) {
      const name = (match[1] ?? "").trim().replace(/^env:/, "").trim();
      if (name !== "" && !into.includes(name)) into.push(name);
    }
  } else if (Array.isArray(value)) for (const item of value) references(item, into);
  else if (typeof value === "object" && value !== null)
    for (const item of Object.values(value)) references(item, into);
  return into;
}

/** The key config.yaml's provider reads: the catalog entry whose Hermes id (or slug, or alias) it is. */
export function providerKey(
  config: Record<string, unknown>,
  catalog: Catalog,
): (KeyReason & { env: string }) | undefined {
  const provider = asRecord(config["model"])["provider"];
  if (typeof provider !== "string" || provider === "") return undefined;
  const entry =
    catalog.providers.find(
      (candidate) => hermesProviderId(candidate) === provider && candidate.api_key_env,
    ) ??
    catalog.providers.find(
      (candidate) => candidate.slug === provider || candidate.aliases?.includes(provider),
    );
  return entry?.api_key_env ? { kind: "provider", name: provider, env: entry.api_key_env } : undefined;
}

/** Pure: what a profile's config, skills and .env text say about its keys. */
export function neededKeys(input: {
  readonly config: Record<string, unknown>;
  readonly skills: readonly SkillDeclaration[];
  /** .env's text; or, where only the names of the keys set are known (a Hermes host), `keysSet`. */
  readonly envText?: string;
  readonly keysSet?: readonly string[];
  readonly catalog: Catalog;
}): ProfileKeys {
  const reasons = new Map<string, KeyReason[]>();
  const need = (key: string, why: KeyReason) => {
    const known = reasons.get(key) ?? [];
    if (!known.some((reason) => reason.kind === why.kind && reason.name === why.name)) known.push(why);
    reasons.set(key, known);
  };
  const provider = providerKey(input.config, input.catalog);
  if (provider) need(provider.env, { kind: "provider", name: provider.name });
  for (const [server, spec] of Object.entries(asRecord(input.config["mcp_servers"])))
    for (const key of references(spec, [])) need(key, { kind: "mcp", name: server });
  for (const { skill, vars } of input.skills)
    for (const { name, optional } of vars) need(name, { kind: "skill", name: skill, optional });

  // A key set anywhere in .env counts as set (dotenv's last line wins; a later placeholder is a comment).
  const inEnv = new Map<string, boolean>();
  const entries = input.keysSet
    ? input.keysSet.map((key) => ({ key, set: true }))
    : envKeys(input.envText ?? "");
  for (const { key, set } of entries) inEnv.set(key, (inEnv.get(key) ?? false) || set);
  const needed = [...reasons].map(([key, why]) => ({ key, set: inEnv.get(key) ?? false, why }));
  const other: ProfileKey[] = [...inEnv]
    .filter(([key]) => !reasons.has(key))
    .map(([key, set]) => ({ key, set, why: [] }));
  return { needed, other };
}

/** SKILL.md files under a skills folder, as Hermes finds them (skill-tree.ts), sorted, at most KEY_SKILL_FILES_MAX. */
async function skillFilesUpTo(dir: string): Promise<{ files: string[]; leftOut: number }> {
  const files = (await skillFiles(dir)).sort();
  return {
    files: files.slice(0, KEY_SKILL_FILES_MAX),
    leftOut: Math.max(0, files.length - KEY_SKILL_FILES_MAX),
  };
}

/**
 * What a SKILL.md head is read in first. The frontmatter is all the keys need and is short, so a
 * longer read happens only for a frontmatter still open past it; a buffer of the full `max` (256 KiB)
 * for every SKILL.md of every editor open was a fresh mapping of memory per file, faulted in by the read.
 */
const SKILL_HEAD_FIRST_READ_BYTES = 16 * 1024;

/**
 * The start of a file, at most `max` bytes: enough for its frontmatter (a file whose frontmatter is
 * still open after the first read is read on up to `max`); "" when it cannot be read.
 */
async function readHead(file: string, max: number): Promise<string> {
  try {
    const handle = await open(file, "r");
    try {
      const first = await readBytes(handle, Math.min(max, SKILL_HEAD_FIRST_READ_BYTES), 0);
      const text = first.toString("utf8");
      if (first.length < SKILL_HEAD_FIRST_READ_BYTES || !frontmatterUnclosed(text)) return text;
      const rest = await readBytes(handle, max - first.length, first.length);
      return Buffer.concat([first, rest]).toString("utf8");
    } finally {
      await handle.close();
    }
  } catch {
    return "";
  }
}

async function readBytes(handle: FileHandle, length: number, position: number): Promise<Buffer> {
  if (length <= 0) return Buffer.alloc(0);
  // Not zero-filled: only the bytes read are used.
  const buffer = Buffer.allocUnsafe(length);
  const { bytesRead } = await handle.read(buffer, 0, length, position);
  return buffer.subarray(0, bytesRead);
}

/** One SKILL.md's declaration: its frontmatter `name:` (else `fallbackName`) and the variables it names. */
export function skillDeclaration(text: string, fallbackName: string): SkillDeclaration {
  const front = splitFrontmatter(text.slice(0, KEY_SKILL_FILE_MAX_BYTES));
  const data = front.ok ? asRecord(front.data) : {};
  const named = typeof data["name"] === "string" ? data["name"].trim() : "";
  return { skill: named || fallbackName, vars: skillEnvVars(data) };
}

export async function skillDeclarations(skillsDir: string): Promise<{
  skills: SkillDeclaration[];
  leftOut: number;
}> {
  const { files, leftOut } = await skillFilesUpTo(skillsDir);
  const skills = await Promise.all(
    files.map(async (file) =>
      skillDeclaration(await readHead(file, KEY_SKILL_FILE_MAX_BYTES), path.basename(path.dirname(file))),
    ),
  );
  return { skills: skills.filter((skill) => skill.vars.length > 0), leftOut };
}

/** The keys of the profile in `dir` (its config.yaml, skills/ and .env). */
export async function readProfileKeys(
  dir: string,
  catalog: Catalog,
): Promise<ProfileKeys & { notes: string[] }> {
  const config = await readConfigRecord(path.join(dir, "config.yaml"));
  const { skills, leftOut } = await skillDeclarations(path.join(dir, "skills"));
  const env = await readEnvText(path.join(dir, ".env"));
  const notes = [
    ...(leftOut > 0
      ? [`${leftOut} SKILL.md file(s) past the first ${KEY_SKILL_FILES_MAX} were not read.`]
      : []),
    ...(env.ok ? [] : [env.reason]),
  ];
  return { ...neededKeys({ config, skills, envText: env.ok ? env.value : "", catalog }), notes };
}
