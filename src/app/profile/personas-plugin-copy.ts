// The personas plugin's folder in a profile: its code, a copy of the persona library, `state.json`
// (the default persona) and `accepted.json` (the files this bot checked and placed, with their
// hashes: the plugin trusts those bytes rather than judging them again with its port of the rules,
// and drift is read from it without reading every file twice). The folder and every folder in it
// must be real folders, not links: a link planted by anyone who can write the profile (its own
// agent, with file tools) would otherwise make an update write or delete outside the profile.
import { createHash } from "node:crypto";
import { constants } from "node:fs";
import { copyFile, lstat, mkdir, readdir, readFile, rename, rm, stat } from "node:fs/promises";
import path from "node:path";
import type { PersonaLookup } from "../ports/persona-lookup.ts";
import type { PluginCopyDrift } from "../ports/personas-plugin-files.ts";
import { writeFileAtomic } from "./edit/write-atomic.ts";

export const PERSONAS_PLUGIN = "personas";
/** The plugin's own files: anything else in its source folder (caches, notes) is not copied. */
const PLUGIN_FILE = /^(?:[a-z_]+\.py|plugin\.yaml|README\.md)$/;
const STATE_FILE = "state.json";
const MANIFEST_FILE = "accepted.json";
/** A state file larger than this is not the plugin's: its default is read as none (the plugin's own limit). */
const STATE_FILE_MAX_BYTES = 4 * 1024;
/** The manifest of a 10,000-persona library is about 1 MB; one larger is read as empty. */
const MANIFEST_MAX_BYTES = 4 * 1024 * 1024;
/**
 * Library files copied at once: a 10,000-persona library is 10,000 small files, and one at a
 * time the copy waits on each (BENCHMARKS.md, personas plugin).
 */
export const COPY_CONCURRENCY = 16;

export interface PersonasPluginSource {
  /** The plugin's folder in this project (library/hermes-plugins/personas). */
  readonly pluginSource: string;
  /** The persona library folder the bot loaded its personas from. */
  readonly personasRoot: string;
  readonly personas: PersonaLookup | undefined;
}

/** A folder of the copy that is a link or a file: nothing is read or written through it. */
export class NotARealFolder extends Error {}

/** Where the plugin lives in a profile. */
export function personasPluginDir(profileDir: string): string {
  return path.join(profileDir, "plugins", PERSONAS_PLUGIN);
}

/** Absent (false), a real folder (true), or refused: a link or anything but a folder. */
async function realFolder(folder: string, shown: string): Promise<boolean> {
  const info = await lstat(folder).catch((error: NodeJS.ErrnoException) => {
    if (error.code === "ENOENT") return undefined;
    throw error;
  });
  if (!info) return false;
  if (info.isSymbolicLink() || !info.isDirectory())
    throw new NotARealFolder(
      `the profile's ${shown} is ${info.isSymbolicLink() ? "a link" : "not a folder"}; nothing was changed (remove it by hand)`,
    );
  return true;
}

/** The source files' hashes, kept while a file's size and mtime stay (a status reads 10,000 of them). */
const sourceHashes = new Map<string, { stamp: string; hash: string }>();

async function sourceHash(file: string): Promise<string> {
  const info = await stat(file);
  const stamp = `${info.size}:${info.mtimeMs}`;
  const known = sourceHashes.get(file);
  if (known?.stamp === stamp) return known.hash;
  const hash = `sha256:${createHash("sha256")
    .update(await readFile(file))
    .digest("hex")}`;
  sourceHashes.set(file, { stamp, hash });
  return hash;
}

/** Every library file the copy should hold (category/id.md) and where it comes from. */
function wantedLibrary(source: PersonasPluginSource): Map<string, string> {
  const wanted = new Map<string, string>();
  // The files of the personas the bot offers, byte for byte: the agent and the wizard list the same.
  for (const summary of source.personas?.summaries() ?? []) {
    const file = source.personas?.get(summary.id)?.file;
    if (file) wanted.set(file.split(path.sep).join("/"), path.join(source.personasRoot, file));
  }
  return wanted;
}

async function codeFiles(pluginSource: string): Promise<string[]> {
  return (await readdir(pluginSource, { withFileTypes: true }))
    .filter((entry) => entry.isFile() && PLUGIN_FILE.test(entry.name))
    .map((entry) => entry.name);
}

/** The copy's library files (category/file.md), real files in real category folders only. */
async function presentLibrary(dir: string): Promise<string[]> {
  const present: string[] = [];
  const library = path.join(dir, "library");
  if (!(await realFolder(library, "plugins/personas/library"))) return present;
  for (const category of await readdir(library, { withFileTypes: true })) {
    // A link in place of a category folder is not the copy's: its names are never listed.
    if (!category.isDirectory()) continue;
    const files = await readdir(path.join(library, category.name), { withFileTypes: true }).catch(() => []);
    for (const file of files)
      if (file.isFile() && file.name.endsWith(".md")) present.push(`${category.name}/${file.name}`);
  }
  return present;
}

async function readJson(file: string, max: number): Promise<Record<string, unknown> | undefined> {
  const info = await lstat(file).catch(() => undefined);
  if (!info?.isFile() || info.size > max) return undefined;
  try {
    const data = JSON.parse(await readFile(file, "utf8")) as unknown;
    return data !== null && typeof data === "object" && !Array.isArray(data)
      ? (data as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

async function readDefault(dir: string): Promise<string | null> {
  const value = (await readJson(path.join(dir, STATE_FILE), STATE_FILE_MAX_BYTES))?.["default"];
  return typeof value === "string" && value !== "" ? value : null;
}

async function readManifest(dir: string): Promise<Record<string, string>> {
  const files = (await readJson(path.join(dir, MANIFEST_FILE), MANIFEST_MAX_BYTES))?.["files"];
  if (files === null || typeof files !== "object" || Array.isArray(files)) return {};
  return Object.fromEntries(
    Object.entries(files).filter((entry): entry is [string, string] => typeof entry[1] === "string"),
  );
}

interface Comparison {
  readonly drift: PluginCopyDrift;
  /** Files to write (relative to the plugin folder → source), to remove, and the manifest after. */
  readonly write: ReadonlyMap<string, string>;
  readonly remove: readonly string[];
  readonly manifest: Readonly<Record<string, string>>;
}

async function compare(profileDir: string, source: PersonasPluginSource): Promise<Comparison> {
  const dir = personasPluginDir(profileDir);
  await realFolder(path.join(profileDir, "plugins"), "plugins folder");
  const installed = await realFolder(dir, "plugins/personas");
  const wanted = wantedLibrary(source);
  const present = new Set(installed ? await presentLibrary(dir) : []);
  const placed = installed ? await readManifest(dir) : {};
  const defaultPersona = installed ? await readDefault(dir) : null;
  const write = new Map<string, string>();
  const manifest: Record<string, string> = {};
  const added: string[] = [];
  const changed: string[] = [];
  let codeOutdated = false;
  for (const name of await codeFiles(source.pluginSource)) {
    const from = path.join(source.pluginSource, name);
    const there = installed ? await readFile(path.join(dir, name)).catch(() => undefined) : undefined;
    if (there && there.equals(await readFile(from))) continue;
    write.set(name, from);
    codeOutdated = installed;
  }
  await eachLimited([...wanted], COPY_CONCURRENCY, async ([file, from]) => {
    const hash = await sourceHash(from);
    manifest[file] = hash;
    if (!present.has(file)) added.push(file);
    else if (placed[file] !== hash) changed.push(file);
    else return;
    write.set(`library/${file}`, from);
  });
  // A file gone from the bot's library stays while it is the default persona: the agent would
  // otherwise lose it silently; /persona status names it.
  const keep = defaultPersona ? `/${defaultPersona}.md` : undefined;
  const kept = [...present].find(
    (file) => !wanted.has(file) && keep !== undefined && `/${file}`.endsWith(keep),
  );
  const removed = [...present].filter((file) => !wanted.has(file) && file !== kept);
  for (const file of present)
    if (!wanted.has(file) && placed[file] && !removed.includes(file)) manifest[file] = placed[file];
  return {
    drift: {
      installed,
      defaultPersona,
      codeOutdated,
      added: added.sort(),
      changed: changed.sort(),
      removed: removed.sort(),
      defaultGone: kept !== undefined,
      personas: present.size,
    },
    write,
    remove: removed.map((file) => `library/${file}`),
    manifest,
  };
}

export async function pluginCopyDrift(
  profileDir: string,
  source: PersonasPluginSource,
): Promise<PluginCopyDrift> {
  return (await compare(profileDir, source)).drift;
}

/**
 * Installs the plugin into a profile folder, or brings its copy up to this bot's. `defaultPersona`
 * (when given) becomes the default; otherwise a present state is kept as it is. Returns the drift
 * there was before.
 */
export async function syncPersonasPlugin(
  profileDir: string,
  source: PersonasPluginSource,
  defaultPersona?: string | null,
): Promise<PluginCopyDrift> {
  const dir = personasPluginDir(profileDir);
  const { drift, write, remove, manifest } = await compare(profileDir, source);
  if (!drift.installed) await mkdir(dir, { recursive: true });
  const folders = new Set([
    path.join(dir, "library"),
    ...[...write.keys()].map((file) => path.dirname(path.join(dir, file))),
  ]);
  for (const folder of [...folders].sort()) {
    if (!(await realFolder(folder, path.relative(profileDir, folder)))) await mkdir(folder);
  }
  // A new folder is not loaded by Hermes yet (Create's staging, or a plugin not enabled until its
  // files are there): plain copies, never onto something already there. A copy in use is changed
  // one whole file at a time (a rename replaces a link rather than writing through it).
  await eachLimited([...write], COPY_CONCURRENCY, async ([file, from]) => {
    const target = path.join(dir, file);
    if (drift.installed) await writeFileAtomic(target, await readFile(from), 0o644);
    else await copyFile(from, target, constants.COPYFILE_EXCL);
  });
  for (const file of remove) await rm(path.join(dir, file), { force: true });
  if (write.size > 0 || remove.length > 0 || !drift.installed)
    await writeFileAtomic(path.join(dir, MANIFEST_FILE), `${JSON.stringify({ files: manifest })}\n`, 0o644);
  if (!drift.installed || (defaultPersona !== undefined && defaultPersona !== drift.defaultPersona))
    await writeFileAtomic(
      path.join(dir, STATE_FILE),
      `${JSON.stringify({ default: defaultPersona ?? null })}\n`,
      0o644,
    );
  return drift;
}

/**
 * Removes the plugin's folder: renamed out of the plugins folder first (Hermes loads any folder
 * there whose manifest says `personas`), so no half-removed plugin is ever loaded.
 */
export async function removePersonasPlugin(profileDir: string): Promise<boolean> {
  const dir = personasPluginDir(profileDir);
  await realFolder(path.join(profileDir, "plugins"), "plugins folder");
  const doomed = path.join(profileDir, `.${PERSONAS_PLUGIN}-removing-${process.pid}`);
  try {
    await rename(dir, doomed);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return false;
    throw error;
  }
  await rm(doomed, { recursive: true, force: true });
  return true;
}

/** Runs `work` over the items with at most `limit` of them in flight. */
async function eachLimited<T>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++] as T;
      await work(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
