// The one way the bot reads an answer from a server it does not control — a Hermes host's
// dashboard, a model server, later CommonGround. Such a server (or any proxy in front of it) may
// break off mid-body, trickle a byte a second forever, stream hundreds of megabytes, or answer
// bytes that are not text. So every exchange here:
// * has ONE deadline for the whole of it (connect, headers and body), kept by a plain timer that
//   destroys the request: a pending timer is held by the event loop, so it cannot be collected
//   away, and it does not depend on the body making progress (AbortSignal.timeout did both wrong);
// * reads the body as a stream and stops at a byte cap: the connection is destroyed at the first
//   chunk past it, so no more than the cap (plus one chunk) is ever held;
// * follows no redirect (a 3xx is returned as the status it is);
// * ends in a value, never a throw: a reset, a timeout, an oversized or undecodable body is a fault.
//
// Built on node:http(s) `request` rather than fetch/undici: it lets the caller hand a DNS lookup to
// the socket (the model lister's address policy is checked at connect time), and it gives direct
// hold of the request to destroy, with no web-stream layer buffering in between.
import type { LookupFunction } from "node:net";
import { request as httpRequest, type ClientRequest, type IncomingHttpHeaders } from "node:http";
import { request as httpsRequest } from "node:https";

export type UpstreamFault =
  /** Nothing listens there: the connection was refused before a byte was sent. */
  | "refused"
  /** No connection at all for another reason (no such name, no route, an address refused by policy). */
  | "unreachable"
  /** The deadline of the whole exchange passed (before or during the body). */
  | "timeout"
  /** The connection broke after the request went out (reset, closed mid-body). */
  | "broken"
  /** The answer is larger than the caller's cap (declared or counted while streaming). */
  | "too large";

export interface UpstreamRequest {
  readonly url: URL;
  readonly method?: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
  /** The largest body accepted; one byte more and the exchange ends as "too large". */
  readonly maxBytes: number;
  /** The whole exchange, connect to last byte, ends by then. */
  readonly deadlineMs: number;
  /** A DNS lookup for the socket (e.g. one that refuses addresses a policy forbids). */
  readonly lookup?: LookupFunction;
}

export type UpstreamAnswer =
  | {
      readonly ok: true;
      readonly status: number;
      readonly headers: IncomingHttpHeaders;
      readonly body: Buffer;
    }
  | {
      readonly ok: false;
      readonly fault: UpstreamFault;
      /** The system's error code where there is one (ECONNREFUSED, ENOTFOUND, EADDRREFUSED…). */
      readonly code?: string;
    };

export function upstreamRequest(request: UpstreamRequest): Promise<UpstreamAnswer> {
  const { url, maxBytes } = request;
  return new Promise((resolve) => {
    let settled = false;
    const send = url.protocol === "https:" ? httpsRequest : httpRequest;
    let outgoing: ClientRequest;
    try {
      outgoing = send(url, {
        method: request.method ?? "GET",
        headers: {
          ...request.headers,
          ...(request.body === undefined
            ? {}
            : { "content-length": String(Buffer.byteLength(request.body)) }),
        },
        ...(request.lookup ? { lookup: request.lookup } : {}),
      });
    } catch (error) {
      // Refused before anything was sent: a header value Node will not send (a token with a line
      // break), a protocol it does not speak.
      const code = (error as NodeJS.ErrnoException).code;
      resolve({ ok: false, fault: "unreachable", ...(typeof code === "string" ? { code } : {}) });
      return;
    }
    const finish = (answer: UpstreamAnswer): void => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      resolve(answer);
      // Whatever is still open (a trickling body, a half-read one) is of no use any more.
      if (!answer.ok) outgoing.destroy();
    };
    const deadline = setTimeout(() => finish({ ok: false, fault: "timeout" }), request.deadlineMs);

    outgoing.on("error", (error: NodeJS.ErrnoException) => finish(connectionFault(error)));
    outgoing.on("response", (response) => {
      response.on("error", () => finish({ ok: false, fault: "broken" }));
      const declared = Number(response.headers["content-length"] ?? "0");
      if (declared > maxBytes) return finish({ ok: false, fault: "too large" });
      const chunks: Buffer[] = [];
      let size = 0;
      response.on("data", (chunk: Buffer) => {
        size += chunk.length;
        if (size > maxBytes) finish({ ok: false, fault: "too large" });
        else chunks.push(chunk);
      });
      response.on("end", () =>
        finish({
          ok: true,
          status: response.statusCode ?? 0,
          headers: response.headers,
          body: Buffer.concat(chunks),
        }),
      );
      // A close without "end" is a body cut short (the server or a proxy hung up mid-answer).
      response.on("close", () => finish({ ok: false, fault: "broken" }));
    });
    outgoing.end(request.body);
  });
}

function connectionFault(error: NodeJS.ErrnoException): UpstreamAnswer {
  const code = typeof error.code === "string" ? error.code : undefined;
  if (code === "ECONNREFUSED") return { ok: false, fault: "refused", code };
  // HPE_*: Node's HTTP parser refused the answer (headers past its limit, not HTTP at all).
  if (code === "ECONNRESET" || code === "EPIPE" || code === "ECONNABORTED" || code?.startsWith("HPE_"))
    return { ok: false, fault: "broken", code };
  return { ok: false, fault: "unreachable", ...(code ? { code } : {}) };
}

export type DecodedJson = { ok: true; value: unknown } | { ok: false; why: "not text" | "not json" };

/** A body as JSON: strict UTF-8 (a malformed byte is refused, never replaced), then JSON.parse. */
export function decodeJson(body: Buffer): DecodedJson {
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(body);
  } catch {
    return { ok: false, why: "not text" };
  }
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false, why: "not json" };
  }
}

/**
 * Bounded retries: `first` and then one more try after each pause in `pausesMs`, as long as
 * `retryable` says so. Its worst case is stated by `worstCaseMs` (each try's deadline plus the pauses).
 */
export async function withRetries<T>(
  attempt: () => Promise<T>,
  pausesMs: readonly number[],
  retryable: (outcome: T) => boolean,
): Promise<T> {
  for (let index = 0; ; index++) {
    const outcome = await attempt();
    const pause = pausesMs[index];
    if (pause === undefined || !retryable(outcome)) return outcome;
    await new Promise((resolve) => setTimeout(resolve, pause));
  }
}

/** The longest a call with these retries can take: every try to its deadline, every pause. */
export function worstCaseMs(deadlineMs: number, pausesMs: readonly number[]): number {
  return deadlineMs * (pausesMs.length + 1) + pausesMs.reduce((sum, pause) => sum + pause, 0);
}
