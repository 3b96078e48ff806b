// Subprocesses the bot starts (installers, Hermes' search) run in their own process group, so a
// timeout or Cancel reaches everything they started, not only the first process.

/** A deadline for a process group: at `ms` the whole group is killed; `fired` says whether it came. */
export function killGroupAfter(pid: number | undefined, ms: number): { fired(): boolean; clear(): void } {
  let fired = false;
  const timer = setTimeout(() => {
    fired = true;
    killGroup(pid);
  }, ms);
  return { fired: () => fired, clear: () => clearTimeout(timer) };
}

/** Kills a whole process group (the installer and everything it started). */
export function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, "SIGKILL");
  } catch {
    // Already gone.
  }
}
