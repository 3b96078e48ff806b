// A request body read whole, within a bound: a declared length over it is refused before a byte is
// read, and a body that grows past it (chunked, or a lying Content-Length) stops being read at the
// bound. Either way no more than the bound is ever held in memory.
import type { IncomingMessage } from "node:http";

export type BodyRead =
  | { readonly ok: true; readonly body: Buffer }
  | { readonly ok: false; readonly reason: "too-large" | "aborted" };

export function readBoundedBody(request: IncomingMessage, maxBytes: number): Promise<BodyRead> {
  const declared = Number(request.headers["content-length"]);
  if (Number.isFinite(declared) && declared > maxBytes)
    return Promise.resolve({ ok: false, reason: "too-large" });
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const finish = (outcome: BodyRead) => {
      request.off("data", onData);
      request.off("end", onEnd);
      request.off("close", onClose);
      resolve(outcome);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        // Stop reading here: the answer says 413 and the connection is closed after it.
        request.pause();
        finish({ ok: false, reason: "too-large" });
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => finish({ ok: true, body: Buffer.concat(chunks, size) });
    // "close" before "end": the client went away mid-body.
    const onClose = () => finish({ ok: false, reason: "aborted" });
    request.on("data", onData);
    request.on("end", onEnd);
    request.on("close", onClose);
  });
}
