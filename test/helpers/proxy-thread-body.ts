// The body of the proxy's worker thread (see proxy-thread.ts): the in-process proxy, run here,
// its forwards sent to the main thread in batches (every 200 ms, and on request).
import { parentPort } from "node:worker_threads";
import type { FromProxyThread, ToProxyThread } from "./proxy-thread.ts";
import { RoundRobinProxy } from "./round-robin-proxy.ts";

/** How often the forwards answered since the last batch go to the main thread. */
const BATCH_MS = 200;

const port = parentPort;
if (!port) throw new Error("proxy-thread-body.ts runs only as a worker thread (proxy-thread.ts)");

let origins: readonly string[] = [];
const proxy = new RoundRobinProxy(() => origins);

function post(message: FromProxyThread): void {
  port?.postMessage(message);
}

/** Sends the forwards answered since the last batch, and keeps none here (the main thread has them). */
function sendForwards(settled?: number): void {
  const forwards = proxy.forwards.splice(0);
  if (forwards.length > 0 || settled !== undefined)
    post({ kind: "forwards", forwards, ...(settled !== undefined ? { settled } : {}) });
}

const batches = setInterval(() => sendForwards(), BATCH_MS);
port.on("message", (message: ToProxyThread) => {
  if (message.kind === "targets") origins = message.origins;
  else if (message.kind === "settle") sendForwards(message.id);
  else {
    clearInterval(batches);
    void proxy.stop().then(() => {
      sendForwards();
      post({ kind: "stopped" });
    });
  }
});
post({ kind: "started", origin: await proxy.start() });
