// Undo of the editor's last Apply, on this machine. Before Apply writes, the files it is about to
// replace (config.yaml, profile.yaml, SOUL.md; never .env) are copied into the profile's own
// `.blueprint-undo/` folder, mode 0600 — a copy of a file that may hold what its owner put there by
// hand stays beside the original, never in the bot's store. Undo puts them back only while the
// profile is exactly as that Apply left it; keys set and skills installed by the Apply stay.
import { mkdir, readFile, rm } from "node:fs/promises";
import path from "node:path";
import type { Outcome } from "../../ports/outcome.ts";
import { changedBetween, EDIT_FILES, fingerprint, readProfileTexts } from "./profile-texts.ts";
import { writeFileAtomic } from "./write-atomic.ts";

export const UNDO_DIR = ".blueprint-undo";
const MANIFEST = "manifest.json";
const SNAPSHOT_MODE = 0o600;

/** The files an undo may put back: never .env (keys are set and rotated on purpose). */
const UNDOABLE: readonly string[] = [EDIT_FILES.config, EDIT_FILES.meta, EDIT_FILES.soul];

/** Keeps the current text (or absence) of each file about to be written; replaces an older snapshot. */
export async function snapshotForUndo(
  dir: string,
  files: readonly string[],
  previous: (file: string) => string | undefined,
): Promise<void> {
  const undo = path.join(dir, UNDO_DIR);
  await rm(undo, { recursive: true, force: true });
  await mkdir(undo, { mode: 0o700 });
  const kept: Record<string, boolean> = {};
  for (const file of files.filter((name) => UNDOABLE.includes(name))) {
    const text = previous(file);
    kept[file] = text !== undefined;
    if (text !== undefined) await writeFileAtomic(path.join(undo, file), text, SNAPSHOT_MODE);
  }
  // Written last: a snapshot without its manifest (a kill meanwhile) is never used.
  await writeFileAtomic(path.join(undo, MANIFEST), JSON.stringify({ files: kept }), SNAPSHOT_MODE);
}

/** Puts the snapshot back when the profile still has `after`, the fingerprint its Apply left. */
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
  let kept: Record<string, boolean>;
  try {
    kept = (
      JSON.parse(await readFile(path.join(undo, MANIFEST), "utf8")) as { files: Record<string, boolean> }
    ).files;
  } catch {
    return { ok: false, reason: "nothing to undo here any more (the copy of the old files is gone)" };
  }
  const restored: string[] = [];
  for (const [file, existed] of Object.entries(kept)) {
    if (!UNDOABLE.includes(file)) continue;
    if (existed) await writeFileAtomic(path.join(dir, file), await readFile(path.join(undo, file), "utf8"));
    else await rm(path.join(dir, file), { force: true });
    restored.push(file);
  }
  await rm(undo, { recursive: true, force: true });
  return { ok: true, value: restored };
}
