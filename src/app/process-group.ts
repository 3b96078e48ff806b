// Subprocesses the bot starts (installers, Hermes' search, the discovery probe) run in their own
// process group, so a timeout or Cancel reaches everything they started, not only the first process.
// A process that left the group (`setsid cmd &`) survives that kill and may keep the pipes it
// inherited open; waiting for those pipes to close would then wait for it, however long it lives.
// So once a job is stopped, the wait ends as soon as our own process has exited: our ends of its
// pipes are destroyed and nothing more is read.
import type { ChildProcess } from "node:child_process";

/** Why a supervised process was stopped before it ended by itself. */
export type StopReason = "timed out" | "canceled";

export type SupervisedEnd<T> =
  { readonly stopped: undefined; readonly result: T } | { readonly stopped: StopReason };

export interface SuperviseOptions {
  /** The deadline: the whole group is killed this long after the start. */
  readonly timeoutMs: number;
  /** Cancel: the whole group is killed when it fires. */
  readonly signal?: AbortSignal;
}

/**
 * Waits for a subprocess started in its own group (`detached: true`) and its output (`done`: execa's
 * result, which waits for the pipes to close), or for the
 * deadline or Cancel, whichever comes first. Stopped, it kills the group and returns once the
 * process itself has exited, without waiting for pipes a runaway descendant may still hold.
 */
export async function superviseGroup<T>(
  child: ChildProcess,
  done: PromiseLike<T>,
  options: SuperviseOptions,
): Promise<SupervisedEnd<T>> {
  let stopped: StopReason | undefined;
  let onStopped: () => void = () => undefined;
  const stoppedAndExited = new Promise<void>((resolve) => (onStopped = resolve));
  const exited =
    child.exitCode !== null || child.signalCode !== null
      ? Promise.resolve()
      : new Promise<void>((resolve) => {
          child.once("exit", () => resolve());
          child.once("error", () => resolve());
        });
  const stop = (why: StopReason) => {
    if (stopped) return;
    stopped = why;
    killGroup(child.pid);
    void exited.then(onStopped);
  };
  const timer = setTimeout(() => stop("timed out"), options.timeoutMs);
  const cancel = () => stop("canceled");
  if (options.signal?.aborted) cancel();
  options.signal?.addEventListener("abort", cancel, { once: true });
  // Handled here whatever wins the race below, so a late rejection is never unhandled.
  const ended = Promise.resolve(done).then(
    (result) => ({ result }),
    (error: unknown) => ({ error }),
  );
  const first = await Promise.race([ended, stoppedAndExited.then(() => undefined)]);
  clearTimeout(timer);
  options.signal?.removeEventListener("abort", cancel);
  if (stopped) {
    child.stdout?.destroy();
    child.stderr?.destroy();
    return { stopped };
  }
  if (first && "result" in first) return { stopped: undefined, result: first.result };
  throw (first as { error: unknown }).error;
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
