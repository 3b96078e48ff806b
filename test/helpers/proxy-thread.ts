// The round-robin proxy in a worker thread of its own, for the load benchmark. In the bench
// process the fakes and a thousand simulated users keep the event loop busy, and Node accepts
// one connection per listening socket per turn of its loop (strace under the saturated replica
// load: 15 accept4 calls on the proxy's socket in 5 s, while 1,800+ connections waited in its
// accept queue for up to 100 s). A real load balancer in front of the replicas (nginx) runs
// apart from the platform's senders and accepts at once; in its own thread, so does this one.
// The forwarding itself is round-robin-proxy.ts, unchanged; the thread sends back each forward.
import { Worker } from "node:worker_threads";
import { forwardCounts, type Forward, type LoadBalancer } from "./round-robin-proxy.ts";

/** Messages from the proxy's thread. */
export type FromProxyThread =
  | { readonly kind: "started"; readonly origin: string }
  | { readonly kind: "forwards"; readonly forwards: readonly Forward[]; readonly settled?: number }
  | { readonly kind: "stopped" };

/** Messages to the proxy's thread. */
export type ToProxyThread =
  | { readonly kind: "targets"; readonly origins: readonly string[] }
  | { readonly kind: "settle"; readonly id: number }
  | { readonly kind: "stop" };

interface Pending {
  readonly resolve: () => void;
  readonly reject: (error: Error) => void;
}

export class ThreadedRoundRobinProxy implements LoadBalancer {
  readonly forwards: Forward[] = [];
  origin = "";
  #worker: Worker | undefined;
  /** Why the thread is gone when it ended other than by stop(): every wait then fails with it. */
  #died: Error | undefined;
  #waits = new Map<number | "started" | "stopped", Pending>();
  #nextSettle = 0;
  #stopping: Promise<void> | undefined;

  /** `targets()` is sent to the thread at start and on each `targetsChanged()`. */
  constructor(private readonly targets: () => readonly string[]) {}

  async start(): Promise<string> {
    // A .mjs entry: a worker does not inherit the parent's `--import tsx`, so it registers tsx itself.
    const worker = new Worker(new URL("./proxy-thread-worker.mjs", import.meta.url));
    this.#worker = worker;
    let origin = "";
    const started = this.#wait("started");
    worker.on("message", (message: FromProxyThread) => {
      if (message.kind === "started") {
        origin = message.origin;
        this.#settle("started");
      } else if (message.kind === "forwards") {
        this.forwards.push(...message.forwards);
        if (message.settled !== undefined) this.#settle(message.settled);
      } else this.#settle("stopped");
    });
    worker.on("error", (error) => this.#die(error));
    worker.on("exit", (code) => {
      if (!this.#stopping) this.#die(new Error(`the proxy's thread exited (code ${code}) before stop()`));
    });
    await started;
    this.origin = origin;
    this.targetsChanged();
    return this.origin;
  }

  targetsChanged(): void {
    this.#post({ kind: "targets", origins: [...this.targets()] });
  }

  async settled(): Promise<void> {
    if (!this.#worker) return;
    const id = this.#nextSettle++;
    const settled = this.#wait(id);
    this.#post({ kind: "settle", id });
    await settled;
  }

  countsFor(path: string): number[] {
    return forwardCounts(this.forwards, path, this.targets().length);
  }

  stop(): Promise<void> {
    this.#stopping ??= this.#stop();
    return this.#stopping;
  }

  async #stop(): Promise<void> {
    const worker = this.#worker;
    if (!worker) return;
    if (!this.#died) {
      const stopped = this.#wait("stopped");
      this.#post({ kind: "stop" });
      await stopped.catch(() => undefined);
    }
    await worker.terminate();
    this.#worker = undefined;
  }

  #wait(key: number | "started" | "stopped"): Promise<void> {
    if (this.#died) return Promise.reject(this.#died);
    return new Promise<void>((resolve, reject) => this.#waits.set(key, { resolve, reject }));
  }

  #settle(key: number | "started" | "stopped"): void {
    this.#waits.get(key)?.resolve();
    this.#waits.delete(key);
  }

  /** The thread failed or exited on its own: nothing it owed will come, so every wait fails now. */
  #die(error: Error): void {
    this.#died ??= error;
    console.error(`round-robin proxy thread: ${error.message}`);
    for (const pending of this.#waits.values()) pending.reject(this.#died);
    this.#waits.clear();
  }

  #post(message: ToProxyThread): void {
    if (!this.#died) this.#worker?.postMessage(message);
  }
}
