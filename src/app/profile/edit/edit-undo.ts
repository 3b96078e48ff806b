// Undo of the editor's last Apply, on this machine. Before Apply writes, the texts of the files it
// is about to replace (config.yaml, profile.yaml, SOUL.md; never .env) are kept in one file in the
// profile's own `.blueprint-undo/` folder (folder 0700, file 0600) — a copy of a file that may hold
// what its owner put there by hand stays beside the original, never in the bot's store. Undo puts
// them back only while the profile is exactly as that Apply left it; keys set and skills installed
// by the Apply stay.
import type { Stats } from "node:fs";
import { lstat, mkdir, readdir, readFile, rm } from "node:fs/promises";
import path from "node:path";
import type { Outcome } from "../../ports/outcome.ts";
import { changedBetween, EDIT_FILES, fingerprint, readProfileTexts } from "./profile-texts.ts";
import { writeFileAtomic } from "./write-atomic.ts";

export const UNDO_DIR = ".blueprint-undo";
/** The copy: `{ after, files: { "config.yaml": text or null (the Apply created it) } }`. */
export const UNDO_SNAPSHOT = "snapshot.json";
/** The layout before one snapshot file (each file beside a manifest): still undone, never written. */
const OLD_MANIFEST = "manifest.json";
const UNDO_DIR_MODE = 0o700;
const SNAPSHOT_MODE = 0o600;

/** The files an undo may put back: never .env (keys are set and rotated on purpose). */
const UNDOABLE: readonly string[] = [EDIT_FILES.config, EDIT_FILES.meta, EDIT_FILES.soul];

interface Snapshot {
  /** The fingerprint the Apply leaves: the copy belongs to that Apply's Undo only. */
  readonly after?: string;
  readonly files: Record<string, string | null>;
}

/**
 * Keeps the current text (or absence) of each file about to be written, for the Apply that will
 * leave the files with fingerprint `after`; replaces an older copy. One atomic write: a kill leaves
 * the older copy or this one, and an older copy is never used for this Apply's Undo. An Apply that
 * writes none of the files an Undo puts back (only keys) keeps the older copy: the earlier Apply's
 * Undo still applies, since its check ignores .env.
 */
export async function snapshotForUndo(
  dir: string,
  files: readonly string[],
  previous: (file: string) => string | undefined,
  after: string,
): Promise<void> {
  const undoable = files.filter((name) => UNDOABLE.includes(name));
  if (undoable.length === 0) return;
  const undo = path.join(dir, UNDO_DIR);
  await undoFolder(undo);
  const kept: Record<string, string | null> = {};
  for (const file of undoable) kept[file] = previous(file) ?? null;
  const snapshot: Snapshot = { after, files: kept };
  await writeFileAtomic(path.join(undo, UNDO_SNAPSHOT), JSON.stringify(snapshot), SNAPSHOT_MODE);
}

/**
 * The folder as the copy needs it: a real folder, owner-only, holding nothing but the copy. Made
 * when missing; anything else found there (a link, another mode, an older layout's files, a
 * temporary file a kill left) is removed first, so the copy is never written through a link.
 */
async function undoFolder(undo: string): Promise<void> {
  const info = await lstat(undo).catch(() => undefined);
  if (isOwnFolder(info)) {
    const entries = await readdir(undo, { withFileTypes: true });
    if (entries.every((entry) => entry.name === UNDO_SNAPSHOT && entry.isFile())) return;
  }
  if (info) await rm(undo, { recursive: true, force: true });
  await mkdir(undo, { mode: UNDO_DIR_MODE });
}

function isOwnFolder(info: Stats | undefined): boolean {
  return info !== undefined && info.isDirectory() && (info.mode & 0o777) === UNDO_DIR_MODE;
}

/**
 * The copy kept in the folder, in either layout; undefined when there is none, or when the folder
 * is not the bot's own (a link, another mode): nothing is read through it.
 */
async function readSnapshot(undo: string): Promise<Snapshot | undefined> {
  if (!isOwnFolder(await lstat(undo).catch(() => undefined))) return undefined;
  try {
    const parsed = JSON.parse(await readFile(path.join(undo, UNDO_SNAPSHOT), "utf8")) as Snapshot;
    const valid =
      typeof parsed.files === "object" &&
      parsed.files !== null &&
      Object.values(parsed.files).every((text) => text === null || typeof text === "string");
    return valid ? parsed : undefined;
  } catch {
    // Not there: a copy in the older layout, or none.
  }
  try {
    const manifest = JSON.parse(await readFile(path.join(undo, OLD_MANIFEST), "utf8")) as {
      files: Record<string, boolean>;
    };
    const files: Record<string, string | null> = {};
    for (const [file, existed] of Object.entries(manifest.files))
      if (UNDOABLE.includes(file))
        files[file] = existed ? await readFile(path.join(undo, file), "utf8") : null;
    return { files };
  } catch {
    return undefined;
  }
}

/** Puts the copy back when the profile still has `after`, the fingerprint its Apply left. */
export async function undoLocalEdit(dir: string, after: string): Promise<Outcome<string[]>> {
  // Only the files an undo puts back count: installs finishing after the Apply change lock.json.
  const changed = changedBetween(after, fingerprint(await readProfileTexts(dir))).filter((file) =>
    UNDOABLE.includes(file),
  );
  if (changed.length > 0)
    return {
      ok: false,
      reason: `the profile changed after that Apply (${changed.join(", ")}); nothing was undone. Use /profile edit to change it back`,
    };
  const undo = path.join(dir, UNDO_DIR);
  const snapshot = await readSnapshot(undo);
  if (!snapshot || (snapshot.after !== undefined && snapshot.after !== after))
    return { ok: false, reason: "nothing to undo here any more (the copy of the old files is gone)" };
  const restored: string[] = [];
  for (const [file, text] of Object.entries(snapshot.files)) {
    if (!UNDOABLE.includes(file)) continue;
    if (text !== null) await writeFileAtomic(path.join(dir, file), text);
    else await rm(path.join(dir, file), { force: true });
    restored.push(file);
  }
  await rm(undo, { recursive: true, force: true });
  return { ok: true, value: restored };
}
