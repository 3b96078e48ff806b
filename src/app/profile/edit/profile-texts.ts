// The files of a profile an edit reads and may write, and a fingerprint of them taken when they
// are read: an apply goes ahead only while the fingerprint still matches (nobody ran `hermes config
// set`, nobody else applied meanwhile).
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { envKeys } from "../env-file.ts";

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

/**
 * One short hash per file, so a later reading can say which file changed. `.env` counts by its key
 * names and whether each is set, never its values: the fingerprint is kept with an open editor.
 */
export function fingerprint(texts: ProfileTexts): string {
  return (Object.keys(EDIT_FILES) as EditFile[])
    .map((key) => {
      const text = key === "env" && texts.env !== undefined ? JSON.stringify(envKeys(texts.env)) : texts[key];
      const hash = text === undefined ? "-" : createHash("sha256").update(text).digest("hex").slice(0, 16);
      return `${key}=${hash}`;
    })
    .join(";");
}

/** The files whose part of two fingerprints differs. */
export function changedBetween(before: string, after: string): string[] {
  const parts = (print: string) =>
    new Map(print.split(";").map((part) => part.split("=") as [string, string]));
  const old = parts(before);
  const now = parts(after);
  return (Object.keys(EDIT_FILES) as EditFile[])
    .filter((key) => old.get(key) !== now.get(key))
    .map((key) => EDIT_FILES[key]);
}
