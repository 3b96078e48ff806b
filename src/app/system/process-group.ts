// Subprocesses the bot starts (installers, Hermes' search, the discovery probe) run in their own
// process group, so a timeout or Cancel reaches everything they started, not only the first process.
// A process that left the group (`setsid cmd &`) survives that kill and may keep the pipes it
// inherited open; waiting for those pipes to close would then wait for it, however long it lives.
// So the wait is for our own process, never for the pipes alone: once it was stopped and has
// exited, or once it exited by itself and its output stayed open past a short grace, our ends of
// the pipes are destroyed and nothing more is read.
import type { ChildProcess } from "node:child_process";

/**
 * After the process exits by itself, its output may still be draining; a pipe still open this long
 * after is held by a descendant, not by anything the process has left to say.
 */
export const OUTPUT_AFTER_EXIT_MS = 2000;

export type SupervisedEnd<T> =
  /** It ended by itself and its output closed: `done`'s result. */
  | { readonly stopped: undefined; readonly result: T }
  /** The deadline or Cancel came first: the group was killed. */
  | { readonly stopped: "timed out" }
  | { readonly stopped: "canceled" }
  /** It exited by itself, but a descendant kept its output open: the group was killed, the rest unread. */
  | { readonly stopped: "output held"; readonly exitCode: number | null; readonly signal: string | null };

export interface SuperviseOptions {
  /** The deadline: the whole group is killed this long after the start. */
  readonly timeoutMs: number;
  /** Cancel: the whole group is killed when it fires. */
  readonly signal?: AbortSignal;
}

/**
 * Waits for a subprocess started in its own group (`detached: true`) and its output (`done`:
 * execa's result, which waits for the pipes to close), or for the deadline or Cancel, whichever
 * comes first — never longer than the process itself lives plus OUTPUT_AFTER_EXIT_MS.
 */
export async function superviseGroup<T>(
  child: ChildProcess,
  done: PromiseLike<T>,
  options: SuperviseOptions,
): Promise<SupervisedEnd<T>> {
  const exited =
    child.exitCode !== null || child.signalCode !== null
      ? Promise.resolve()
      : new Promise<void>((resolve) => {
          child.once("exit", () => resolve());
          child.once("error", () => resolve());
        });
  let stopped: "timed out" | "canceled" | undefined;
  let settle: (end: "stopped" | "output held") => void = () => undefined;
  const cutShort = new Promise<"stopped" | "output held">((resolve) => (settle = resolve));
  const stop = (why: "timed out" | "canceled") => {
    if (stopped) return;
    stopped = why;
    killGroup(child.pid);
    void exited.then(() => settle("stopped"));
  };
  const timer = setTimeout(() => stop("timed out"), options.timeoutMs);
  let drain: NodeJS.Timeout | undefined;
  void exited.then(() => {
    if (!stopped) drain = setTimeout(() => settle("output held"), OUTPUT_AFTER_EXIT_MS);
  });
  const cancel = () => stop("canceled");
  if (options.signal?.aborted) cancel();
  options.signal?.addEventListener("abort", cancel, { once: true });
  // Handled here whatever wins the race below, so a late rejection is never unhandled.
  const ended = Promise.resolve(done).then(
    (result) => ({ result }),
    (error: unknown) => ({ error }),
  );
  const first = await Promise.race([ended, cutShort]);
  clearTimeout(timer);
  clearTimeout(drain);
  options.signal?.removeEventListener("abort", cancel);
  if (stopped || first === "output held") {
    // Whatever of the group is left goes too; what holds the pipes outside it is out of reach.
    killGroup(child.pid);
    child.stdout?.destroy();
    child.stderr?.destroy();
    if (stopped === "timed out") return { stopped };
    if (stopped === "canceled") return { stopped };
    return { stopped: "output held", exitCode: child.exitCode, signal: child.signalCode };
  }
  if (first !== "stopped" && "result" in first) return { stopped: undefined, result: first.result };
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
