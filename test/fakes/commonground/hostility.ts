// Faults a client of the fake must survive, injected per route: a 5xx, a body that is not JSON, a
// body far bigger than any answer, an answer that never comes, a connection cut without one. With
// `afterHandling` the fake first does the work (stores the upload, deletes the profile) and then
// fails, as a server that did it and lost the answer would.
import type { IncomingMessage, ServerResponse } from "node:http";

interface Common {
  /** Do the honest work first, then answer with the fault instead of its result. */
  readonly afterHandling?: boolean;
}

export type Hostility = Common &
  (
    | /** `status` (a 5xx) with `body`, by default the real server's `internal_error` shape. */
      { readonly kind: "status"; readonly status: number; readonly body?: string }
    | /** A 200 whose body, sent as JSON, is not JSON. */ {
        readonly kind: "garbage";
      } /** A chunked 200 of about `bytes` bytes: a JSON prefix, then filler, written as fast as read. */
    | { readonly kind: "huge"; readonly bytes: number }
    | /** The request is read and never answered. */ { readonly kind: "silent" }
    | /** The connection is destroyed without an answer. */ { readonly kind: "reset" }
  );

const INTERNAL_ERROR = JSON.stringify({
  detail: { error_code: "internal_error", error_message: "internal server error" },
});

export function answerHostile(
  hostility: Hostility,
  request: IncomingMessage,
  response: ServerResponse,
): void {
  switch (hostility.kind) {
    case "status":
      response
        .writeHead(hostility.status, { "content-type": "application/json" })
        .end(hostility.body ?? INTERNAL_ERROR);
      return;
    case "garbage":
      response.writeHead(200, { "content-type": "application/json" }).end("<html><body>502 Bad Gateway</bo");
      return;
    case "huge": {
      response.writeHead(200, { "content-type": "application/json" });
      response.on("error", () => undefined);
      const filler = Buffer.alloc(64 * 1024, "a");
      let sent = 0;
      response.write('[{"name":"');
      const pump = (): void => {
        while (sent < hostility.bytes && !response.destroyed) {
          sent += filler.length;
          if (!response.write(filler)) return void response.once("drain", pump);
        }
        if (!response.destroyed) response.end('"}]');
      };
      pump();
      return;
    }
    case "silent":
      return;
    case "reset":
      request.socket.destroy();
      return;
  }
}
