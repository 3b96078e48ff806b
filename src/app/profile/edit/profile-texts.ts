// The files of a profile an edit reads and may write, and a fingerprint of them taken when they
// are read: an apply goes ahead only while the fingerprint still matches (nobody ran `hermes config
// set`, nobody else applied meanwhile).
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import path from "node:path";

/** Read to plan and to detect a change; the first four are the ones an edit may write. */
export const EDIT_FILES = {
  config: "config.yaml",
  meta: "profile.yaml",
  soul: "SOUL.md",
  env: ".env",
  lock: path.join("skills", ".hub", "lock.json"),
  manifest: path.join("skills", ".bundled_manifest"),
} as const;

export type EditFile = keyof typeof EDIT_FILES;
export type ProfileTexts = Readonly<Record<EditFile, string | undefined>>;

export async function readProfileTexts(dir: string): Promise<ProfileTexts> {
  const entries = await Promise.all(
    (Object.keys(EDIT_FILES) as EditFile[]).map(
      async (key) =>
        [key, await readFile(path.join(dir, EDIT_FILES[key]), "utf8").catch(() => undefined)] as const,
    ),
  );
  return Object.fromEntries(entries) as Record<EditFile, string | undefined>;
}

export function fingerprint(texts: ProfileTexts): string {
  const hash = createHash("sha256");
  for (const key of Object.keys(EDIT_FILES) as EditFile[]) {
    const text = texts[key];
    hash.update(`${key}:${text === undefined ? "-" : `${text.length}:${text}`}\n`);
  }
  return hash.digest("hex");
}

/** Which of the files differ between two readings: what the user is told changed meanwhile. */
export function changedFiles(before: ProfileTexts, after: ProfileTexts): string[] {
  return (Object.keys(EDIT_FILES) as EditFile[])
    .filter((key) => before[key] !== after[key])
    .map((key) => EDIT_FILES[key]);
}
