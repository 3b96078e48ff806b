// One install at a time per profile: lock.json is read, changed and written back, so two installs
// into the same profile must not interleave. A lock folder (mkdir is atomic) marks the owner.
import { mkdir, rm, stat } from "node:fs/promises";
import path from "node:path";

/** A lock older than this was left by a killed installer and is taken over. */
export const PROFILE_LOCK_STALE_MS = 120_000;
/** How long an installer waits for another one on the same profile. */
export const PROFILE_LOCK_WAIT_MS = 60_000;
const POLL_MS = 50;

export async function withProfileLock<T>(hubDir: string, work: () => Promise<T>): Promise<T> {
  const lockDir = path.join(hubDir, ".install-lock");
  const deadline = Date.now() + PROFILE_LOCK_WAIT_MS;
  for (;;) {
    try {
      await mkdir(lockDir);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const age = await stat(lockDir).then(
        (info) => Date.now() - info.mtimeMs,
        () => 0,
      );
      if (age > PROFILE_LOCK_STALE_MS) await rm(lockDir, { recursive: true, force: true });
      else if (Date.now() > deadline)
        throw new Error("another install into this profile did not finish in time");
      else await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  }
  try {
    return await work();
  } finally {
    await rm(lockDir, { recursive: true, force: true });
  }
}
