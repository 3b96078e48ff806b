// A stand-in for the chat runtime an adapter is given: every command is answered with one reply,
// nothing else happens. Adapter tests use it to look at what a surface sends, with no app behind it.
import type { ChatRuntime } from "../../src/app/ports/chat-runtime.ts";
import type { Reply } from "../../src/core/reply.ts";
import { memoryInbound } from "./memory-inbound.ts";

export function replyingRuntime(answer: Reply): ChatRuntime {
  const none = () => Promise.resolve(undefined);
  const refused = () => Promise.resolve({ ok: false, message: "nothing behind this stand-in" });
  return {
    command: () => Promise.resolve({ kind: "reply", reply: answer }),
    suggest: () => Promise.resolve([]),
    press: refused,
    select: refused,
    submitSecret: refused,
    text: none,
    form: none,
    cancel: none,
    show: none,
    currentView: none,
    expectedSecret: none,
    findOpen: () => Promise.resolve(undefined),
    peek: () => Promise.resolve(undefined),
    linkKeyPrompt: () => Promise.resolve(),
    linkedKeyPrompt: () => Promise.resolve(undefined),
    ownerOf: () => Promise.resolve(undefined),
    settled: () => Promise.resolve(),
    ...memoryInbound(),
  };
}
