// /readyz: the injected check, bounded in time. A check that fails, throws or has not answered
// within READY_CHECK_TIMEOUT_MS is "not ready": a load balancer then sends the traffic elsewhere,
// and a hanging store cannot hang the probe that is meant to notice it.
import { READY_CHECK_TIMEOUT_MS } from "./ingress-limits.ts";
import type { IngressResponse } from "./ingress-types.ts";

const TEXT = { "content-type": "text/plain; charset=utf-8" };

export async function readinessAnswer(
  ready: () => Promise<boolean>,
  timeoutMs: number = READY_CHECK_TIMEOUT_MS,
): Promise<IngressResponse> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<"timeout">((resolve) => (timer = setTimeout(() => resolve("timeout"), timeoutMs)));
  const checked = Promise.resolve()
    .then(ready)
    .then(
      (answer) => (answer === true ? "ready" : "not ready"),
      () => "not ready" as const,
    );
  try {
    const outcome = await Promise.race([checked, late]);
    if (outcome === "ready") return { status: 200, headers: TEXT, body: "ready\n" };
    if (outcome === "timeout")
      return { status: 503, headers: TEXT, body: `not ready: no answer within ${timeoutMs} ms\n` };
    return { status: 503, headers: TEXT, body: "not ready\n" };
  } finally {
    clearTimeout(timer);
  }
}
