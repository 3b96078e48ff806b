// The files of a profile an edit reads and may write, and a fingerprint of them taken when they
// are read: an apply goes ahead only while the fingerprint still matches (nobody ran `hermes config
// set`, nobody else applied meanwhile).
import { createHash } from "node:crypto";
import { closeSync, constants, fstatSync, openSync, readFileSync } from "node:fs";
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

/**
 * Files up to this size are read on the event loop itself; a larger one (a config.yaml grown by
 * hand) goes through libuv's threadpool, so one odd profile cannot hold every other user up.
 */
export const PROFILE_TEXT_SYNC_MAX_BYTES = 256 * 1024;

/**
 * The files as they are now; a missing or unreadable one (or one that is not a regular file) is
 * undefined. Read synchronously: they are a few KB on this machine's disk, where a read costs
 * microseconds, while the threadpool's four threads are shared with every Create's skill copies,
 * the store and the fsyncs. Under load each of the four round trips an async read takes per file
 * (open, stat, read, close) waited in that queue: `/profile edit` answered at p99 in 171–285 ms
 * (the other edit steps in 60–126 ms), 40–162 ms read this way (BENCHMARKS.md, issue 22).
 */
export async function readProfileTexts(dir: string): Promise<ProfileTexts> {
  const texts: Partial<Record<EditFile, string | undefined>> = {};
  const large: Promise<void>[] = [];
  for (const key of Object.keys(EDIT_FILES) as EditFile[]) {
    const file = path.join(dir, EDIT_FILES[key]);
    const read = readSmallFile(file);
    if (read === TOO_LARGE)
      large.push(
        readFile(file, "utf8").then(
          (text) => void (texts[key] = text),
          () => void (texts[key] = undefined),
        ),
      );
    else texts[key] = read;
  }
  await Promise.all(large);
  return texts as ProfileTexts;
}

const TOO_LARGE = Symbol("too large to read on the event loop");

function readSmallFile(file: string): string | undefined | typeof TOO_LARGE {
  let fd: number;
  try {
    // Non-blocking, so a FIFO someone put in a profile is not waited on (it is not read at all).
    fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch {
    return undefined;
  }
  try {
    const info = fstatSync(fd);
    if (!info.isFile()) return undefined;
    if (info.size > PROFILE_TEXT_SYNC_MAX_BYTES) return TOO_LARGE;
    return readFileSync(fd, "utf8");
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
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
