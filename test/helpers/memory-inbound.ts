// The runtime's inbound dedupe for adapter tests that run without a store: each key is taken once.
import type { ChatRuntime } from "../../src/app/ports/chat-runtime.ts";

export function memoryInbound(): Pick<ChatRuntime, "claimInbound" | "finishInbound"> & {
  readonly finished: Set<string>;
} {
  const taken = new Set<string>();
  const finished = new Set<string>();
  return {
    finished,
    claimInbound: (key) => {
      if (taken.has(key)) return Promise.resolve(false);
      taken.add(key);
      return Promise.resolve(true);
    },
    finishInbound: (key) => {
      finished.add(key);
      return Promise.resolve();
    },
  };
}
