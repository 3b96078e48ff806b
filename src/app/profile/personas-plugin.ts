// The personas plugin in a profile, as Hermes 0.19 loads a profile-local plugin:
// `<profile>/plugins/personas/` with the plugin's files, a copy of the persona library under
// `library/<category>/<id>.md` (the plugin reads only its own folder) and `state.json` naming the
// profile's default persona. config.yaml lists it under `plugins.enabled` (Hermes loads a user
// plugin only then) and never under `plugins.disabled` (which always wins). Create places it in
// its staging folder; an existing profile's copy is brought up to date file by file, each file
// replaced whole, so a reader never sees half a persona.
import { copyFile, mkdir, readdir, readFile, rename, rm } from "node:fs/promises";
import path from "node:path";
import type { Document } from "yaml";
import { isSeq } from "yaml";
import type { CreateStep } from "../../core/create-report.ts";
import type { PersonaLookup } from "../ports/persona-lookup.ts";
import type { PluginCopyDrift } from "../ports/personas-plugin-files.ts";
import { writeFileAtomic } from "./edit/write-atomic.ts";

export const PERSONAS_PLUGIN = "personas";
/** The plugin's own files: anything else in its source folder (caches, notes) is not copied. */
const PLUGIN_FILE = /^(?:[a-z_]+\.py|plugin\.yaml|README\.md)$/;
const STATE_FILE = "state.json";
/**
 * Library files copied at once: a 10,000-persona library is 10,000 small files, and one at a
 * time the copy waits on each (BENCHMARKS.md, personas plugin).
 */
export const COPY_CONCURRENCY = 16;
/** A state file larger than this is not the plugin's: its default is read as none. */
const STATE_FILE_MAX_BYTES = 256 * 1024;

/** Where the plugin lives in a profile. */
export function personasPluginDir(profileDir: string): string {
  return path.join(profileDir, "plugins", PERSONAS_PLUGIN);
}

function pluginList(doc: Document, key: "enabled" | "disabled"): string[] {
  const node: unknown = doc.getIn(["plugins", key]);
  return isSeq(node) ? node.toJSON().map(String) : [];
}

/** `plugins.enabled` gains the plugin (a clone's other entries kept); `plugins.disabled` loses it. */
export function enablePlugin(doc: Document, name: string): boolean {
  const enabled = pluginList(doc, "enabled");
  const disabled = pluginList(doc, "disabled");
  if (enabled.includes(name) && !disabled.includes(name)) return false;
  if (!enabled.includes(name)) doc.setIn(["plugins", "enabled"], doc.createNode([...enabled, name]));
  if (disabled.includes(name))
    doc.setIn(["plugins", "disabled"], doc.createNode(disabled.filter((entry) => entry !== name)));
  return true;
}

/** `plugins.enabled` loses the plugin; false when it was not there. */
export function disablePlugin(doc: Document, name: string): boolean {
  const enabled = pluginList(doc, "enabled");
  if (!enabled.includes(name)) return false;
  doc.setIn(["plugins", "enabled"], doc.createNode(enabled.filter((entry) => entry !== name)));
  return true;
}

export function pluginEnabled(doc: Document, name: string): boolean {
  return pluginList(doc, "enabled").includes(name) && !pluginList(doc, "disabled").includes(name);
}

export interface PersonasPluginSource {
  /** The plugin's folder in this project (library/hermes-plugins/personas). */
  readonly pluginSource: string;
  /** The persona library folder the bot loaded its personas from. */
  readonly personasRoot: string;
  readonly personas: PersonaLookup | undefined;
}

/** Every file the copy should hold (relative to the plugin folder) and where it comes from. */
async function wantedFiles(source: PersonasPluginSource): Promise<Map<string, string>> {
  const wanted = new Map<string, string>();
  for (const entry of await readdir(source.pluginSource, { withFileTypes: true }))
    if (entry.isFile() && PLUGIN_FILE.test(entry.name))
      wanted.set(entry.name, path.join(source.pluginSource, entry.name));
  // The files of the personas the bot offers, byte for byte: the agent and the wizard list the same.
  for (const summary of source.personas?.summaries() ?? []) {
    const file = source.personas?.get(summary.id)?.file;
    if (file)
      wanted.set(
        path.posix.join("library", file.split(path.sep).join("/")),
        path.join(source.personasRoot, file),
      );
  }
  return wanted;
}

/** The copy's files as they are: its code files and library/<category>/<file>.md (links ignored). */
async function presentFiles(dir: string): Promise<string[]> {
  const present: string[] = [];
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  for (const entry of entries) if (entry.isFile() && PLUGIN_FILE.test(entry.name)) present.push(entry.name);
  const library = path.join(dir, "library");
  for (const category of await readdir(library, { withFileTypes: true }).catch(() => [])) {
    if (!category.isDirectory()) continue;
    for (const file of await readdir(path.join(library, category.name), { withFileTypes: true }))
      if (file.isFile() && file.name.endsWith(".md")) present.push(`library/${category.name}/${file.name}`);
  }
  return present;
}

async function readDefault(
  dir: string,
): Promise<{ state: Record<string, unknown> | undefined; default: string | null }> {
  const text = await readFile(path.join(dir, STATE_FILE)).catch(() => undefined);
  if (!text || text.length > STATE_FILE_MAX_BYTES) return { state: undefined, default: null };
  try {
    const state = JSON.parse(text.toString("utf8")) as unknown;
    if (state === null || typeof state !== "object" || Array.isArray(state))
      return { state: undefined, default: null };
    const value = (state as Record<string, unknown>)["default"];
    return { state: state as Record<string, unknown>, default: typeof value === "string" ? value : null };
  } catch {
    return { state: undefined, default: null };
  }
}

interface Comparison {
  readonly drift: PluginCopyDrift;
  /** Files to write (relative → source) and to remove (relative). */
  readonly write: ReadonlyMap<string, string>;
  readonly remove: readonly string[];
}

async function compare(dir: string, source: PersonasPluginSource): Promise<Comparison> {
  const installed = (await readdir(dir).catch(() => undefined)) !== undefined;
  const wanted = await wantedFiles(source);
  const present = new Set(await presentFiles(dir));
  const write = new Map<string, string>();
  const added: string[] = [];
  const changed: string[] = [];
  let codeOutdated = false;
  for (const [relative, from] of wanted) {
    const isLibrary = relative.startsWith("library/");
    if (!present.has(relative)) {
      write.set(relative, from);
      if (isLibrary) added.push(relative.slice("library/".length));
      else codeOutdated = true;
      continue;
    }
    const [mine, theirs] = await Promise.all([readFile(from), readFile(path.join(dir, relative))]);
    if (mine.equals(theirs)) continue;
    write.set(relative, from);
    if (isLibrary) changed.push(relative.slice("library/".length));
    else codeOutdated = true;
  }
  const remove = [...present].filter((relative) => !wanted.has(relative));
  if (remove.some((relative) => !relative.startsWith("library/"))) codeOutdated = true;
  const removed = remove
    .filter((relative) => relative.startsWith("library/"))
    .map((relative) => relative.slice(8));
  const { default: defaultPersona } = await readDefault(dir);
  return {
    drift: {
      installed,
      defaultPersona,
      codeOutdated: installed && codeOutdated,
      added,
      changed,
      removed,
      personas: [...present].filter((relative) => relative.startsWith("library/")).length,
    },
    write,
    remove,
  };
}

export async function pluginCopyDrift(
  profileDir: string,
  source: PersonasPluginSource,
): Promise<PluginCopyDrift> {
  return (await compare(personasPluginDir(profileDir), source)).drift;
}

/**
 * Installs the plugin into a profile folder, or brings its copy up to this bot's. `defaultPersona`
 * (when given) becomes the state's default; otherwise a present state is kept as it is.
 */
export async function syncPersonasPlugin(
  profileDir: string,
  source: PersonasPluginSource,
  defaultPersona?: string | null,
): Promise<PluginCopyDrift> {
  const dir = personasPluginDir(profileDir);
  const { drift, write, remove } = await compare(dir, source);
  await mkdir(path.join(dir, "library"), { recursive: true });
  for (const folder of new Set([...write.keys()].map((relative) => path.dirname(path.join(dir, relative)))))
    await mkdir(folder, { recursive: true });
  // A new folder is not loaded by Hermes yet (Create's staging, or a plugin not enabled until its
  // files are there): plain copies. A copy in use is changed one whole file at a time.
  await eachLimited([...write], COPY_CONCURRENCY, async ([relative, from]) => {
    if (drift.installed) await writeFileAtomic(path.join(dir, relative), await readFile(from), 0o644);
    else await copyFile(from, path.join(dir, relative));
  });
  for (const relative of remove) await rm(path.join(dir, relative), { force: true });
  const current = await readDefault(dir);
  if (!current.state || defaultPersona !== undefined) {
    const state = { sessions: {}, ...(current.state ?? {}), default: defaultPersona ?? current.default };
    await writeFileAtomic(path.join(dir, STATE_FILE), `${JSON.stringify(state)}\n`, 0o644);
  }
  return drift;
}

/** Removes the plugin's folder: renamed out of sight first, so no half-removed plugin is loaded. */
export async function removePersonasPlugin(profileDir: string): Promise<boolean> {
  const dir = personasPluginDir(profileDir);
  const doomed = path.join(path.dirname(dir), `.${PERSONAS_PLUGIN}-removing-${process.pid}`);
  try {
    await rename(dir, doomed);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return false;
    throw error;
  }
  await rm(doomed, { recursive: true, force: true });
  return true;
}

/** Create's step: the plugin written into the staging folder, so it appears with the profile or not at all. */
export async function placePersonasPlugin(
  profileDir: string,
  source: PersonasPluginSource,
  defaultPersona: string | null,
): Promise<CreateStep> {
  const drift = await syncPersonasPlugin(profileDir, source, defaultPersona);
  return {
    step: "personas plugin",
    ok: true,
    detail: `plugins/${PERSONAS_PLUGIN} with ${drift.added.length} persona(s); tools persona_list, persona_get, persona_apply (toolset ${PERSONAS_PLUGIN}); ${
      defaultPersona ? `default persona ${defaultPersona}, by reference` : "no default persona"
    }`,
  };
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
