// The profiles root (`$HERMES_HOME/profiles`): which profiles exist, where one lives, and sweeping
// staging folders a crashed create left behind.
import { lstat, readdir, rm } from "node:fs/promises";
import path from "node:path";
import { DEFAULT_PROFILE } from "../../core/blueprint.ts";
import { PROFILE_NAME_PATTERN } from "../../core/limits.ts";

/**
 * `.<name>.staging-<pid>` (a create being built) and `.<name>.deleting-<pid>` (a profile being
 * removed): they start with a dot, so they never match the name rule and never load as profiles.
 */
export const STAGING_PATTERN = /^\.([a-z0-9][a-z0-9_-]{0,63})\.(?:staging|deleting)-(\d+)$/;

export function stagingName(name: string, pid: number): string {
  return `.${name}.staging-${pid}`;
}

export function deletingName(name: string, pid: number): string {
  return `.${name}.deleting-${pid}`;
}

export async function listProfiles(profilesRoot: string): Promise<string[]> {
  let entries;
  try {
    entries = await readdir(profilesRoot, { withFileTypes: true });
  } catch {
    return [];
  }
  return entries
    .filter(
      (entry) => (entry.isDirectory() || entry.isSymbolicLink()) && PROFILE_NAME_PATTERN.test(entry.name),
    )
    .map((entry) => entry.name)
    .sort();
}

/**
 * Which of these names are profiles, as `listProfiles` would say — without listing the whole root,
 * which at thousands of profiles cost more than the rest of a Create's checks.
 */
export async function existingAmong(
  profilesRoot: string,
  names: readonly (string | null | undefined)[],
): Promise<string[]> {
  const found = await Promise.all(
    names.map(async (name) => {
      if (!name || !PROFILE_NAME_PATTERN.test(name)) return undefined;
      const info = await lstat(path.join(profilesRoot, name)).catch(() => undefined);
      return info && (info.isDirectory() || info.isSymbolicLink()) ? name : undefined;
    }),
  );
  return found.filter((name): name is string => name !== undefined);
}

/** The folder of a profile; `default` is the Hermes home itself. Refuses anything outside the root. */
export function profileDir(hermesHome: string, profilesRoot: string, name: string): string {
  if (name === DEFAULT_PROFILE) return hermesHome;
  const dir = path.resolve(profilesRoot, name);
  if (path.dirname(dir) !== path.resolve(profilesRoot) || !PROFILE_NAME_PATTERN.test(name)) {
    throw new Error(`bug: profile name escaped the profiles root: ${JSON.stringify(name)}`);
  }
  return dir;
}

export async function exists(file: string): Promise<boolean> {
  try {
    await lstat(file);
    return true;
  } catch {
    return false;
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Staging and deleting folders whose process is gone (a running bot's own are left alone). */
export async function staleStaging(profilesRoot: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(profilesRoot);
  } catch {
    return [];
  }
  return names.filter((name) => {
    const pid = Number(STAGING_PATTERN.exec(name)?.[2] ?? Number.NaN);
    return !Number.isNaN(pid) && (pid === process.pid || !processAlive(pid));
  });
}

/** Removes staging folders whose creating process is gone. Returns the names removed. */
export async function sweepStaging(profilesRoot: string): Promise<string[]> {
  const stale = await staleStaging(profilesRoot);
  for (const name of stale) await rm(path.join(profilesRoot, name), { recursive: true, force: true });
  return stale;
}
