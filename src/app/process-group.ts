// Subprocesses the bot starts (installers, Hermes' search) run in their own process group, so a
// timeout or Cancel reaches everything they started, not only the first process.

/** Kills a whole process group (the installer and everything it started). */
export function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, "SIGKILL");
  } catch {
    // Already gone.
  }
}
