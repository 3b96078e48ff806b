// How the `blueprint` command ends: its exit codes, and the error that stops start-up with one of
// them. Kept apart from the start-up code so that any layer can refuse to start without importing it.

/** Exit codes of the `blueprint` command. */
export const EXIT = { ok: 0, failed: 1, badInput: 2, environment: 3 } as const;

/** A reason the program cannot start (or a command cannot run): its message is shown as it is. */
export class StartupError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
  }
}
