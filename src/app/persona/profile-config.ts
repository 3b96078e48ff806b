// Reading and writing a profile's config.yaml for persona commands: comments and key order are
// kept (yaml Document), and a write replaces the file atomically with its mode unchanged.
import { chmod, readFile, rename, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { isMap, parseDocument, type Document } from "yaml";

export type ConfigRead =
  | { ok: true; doc: Document; file: string; /** The file's text as read. */ text: string }
  | { ok: false; reason: string };

export async function readProfileConfig(profileDir: string): Promise<ConfigRead> {
  const file = path.join(profileDir, "config.yaml");
  const text = await readFile(file, "utf8").catch(() => undefined);
  if (text === undefined)
    return { ok: false, reason: "there is no config.yaml in this profile; nothing was changed" };
  const doc = parseDocument(text, { uniqueKeys: true });
  if (doc.errors.length > 0) {
    return {
      ok: false,
      reason: `config.yaml cannot be parsed (${doc.errors[0]?.message.split("\n")[0] ?? ""}); fix it first, nothing was changed`,
    };
  }
  if (doc.contents !== null && !isMap(doc.contents))
    return { ok: false, reason: "config.yaml is not a mapping; nothing was changed" };
  return { ok: true, doc, file, text };
}

/** Writes the document as config.yaml (through a temp file and a rename); returns the text written. */
export async function writeProfileConfig(file: string, doc: Document): Promise<string> {
  const mode = (await stat(file)).mode & 0o777;
  const temp = `${file}.${process.pid}.tmp`;
  const text = doc.toString({ lineWidth: 0 });
  await writeFile(temp, text, { mode });
  await chmod(temp, mode);
  await rename(temp, file);
  return text;
}

/** A plain JSON copy of the value at `path`, or undefined when it is absent. */
export function snapshot(doc: Document, keys: readonly string[]): unknown {
  const node: unknown = doc.getIn(keys, true);
  if (node === undefined) return undefined;
  return JSON.parse(JSON.stringify(doc.getIn(keys) ?? null)) as unknown;
}

/**
 * Puts a snapshot back: sets the value, or deletes the key when the snapshot is "absent" - and then
 * any parent mapping the deletion left empty, so an undone apply leaves no `personalities: {}`.
 */
export function restore(doc: Document, keys: readonly string[], value: unknown): void {
  if (value !== undefined) {
    doc.setIn(keys, doc.createNode(value));
    return;
  }
  if (doc.hasIn(keys)) doc.deleteIn(keys);
  for (let depth = keys.length - 1; depth >= 1; depth--) {
    const parent = keys.slice(0, depth);
    const node: unknown = doc.getIn(parent, true);
    if (!isMap(node) || node.items.length > 0) break;
    doc.deleteIn(parent);
  }
}
