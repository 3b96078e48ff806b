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

export class ThreadedRoundRobinProxy implements LoadBalancer {
  readonly forwards: Forward[] = [];
  origin = "";
  #worker: Worker | undefined;
  #settles = new Map<number, () => void>();
  #nextSettle = 0;
  #stopped: (() => void) | undefined;

  /** `targets()` is sent to the thread at start and on each `targetsChanged()`. */
  constructor(private readonly targets: () => readonly string[]) {}

  async start(): Promise<string> {
    // A .mjs entry: a worker does not inherit the parent's `--import tsx`, so it registers tsx itself.
    const worker = new Worker(new URL("./proxy-thread-worker.mjs", import.meta.url));
    this.#worker = worker;
    const started = new Promise<string>((resolve, reject) => {
      worker.once("error", reject);
      worker.on("message", (message: FromProxyThread) => {
        if (message.kind === "started") resolve(message.origin);
        else if (message.kind === "forwards") {
          this.forwards.push(...message.forwards);
          if (message.settled !== undefined) {
            this.#settles.get(message.settled)?.();
            this.#settles.delete(message.settled);
          }
        } else this.#stopped?.();
      });
    });
    this.origin = await started;
    this.targetsChanged();
    return this.origin;
  }

  targetsChanged(): void {
    this.#post({ kind: "targets", origins: [...this.targets()] });
  }

  async settled(): Promise<void> {
    const id = this.#nextSettle++;
    await new Promise<void>((resolve) => {
      this.#settles.set(id, resolve);
      this.#post({ kind: "settle", id });
    });
  }

  countsFor(path: string): number[] {
    return forwardCounts(this.forwards, path, this.targets().length);
  }

  async stop(): Promise<void> {
    const worker = this.#worker;
    if (!worker) return;
    await new Promise<void>((resolve) => {
      this.#stopped = resolve;
      this.#post({ kind: "stop" });
    });
    await worker.terminate();
    this.#worker = undefined;
  }

  #post(message: ToProxyThread): void {
    this.#worker?.postMessage(message);
  }
}
