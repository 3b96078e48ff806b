// One small HTTP server per replica (node:http): the platforms' endpoints and the health checks of
// ingress-routes.ts, nothing else. Unknown path 404, wrong method 405 with Allow, a body over
// INGRESS_BODY_MAX_BYTES 413 without reading the rest: none of them reaches an endpoint, so none
// changes anything. Slow clients are cut by Node's own header and request timeouts; a stop lets
// the requests being answered finish (within INGRESS_STOP_DRAIN_MS).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Logger } from "../../app/system/logger.ts";
import {
  INGRESS_BODY_MAX_BYTES,
  INGRESS_HEADERS_TIMEOUT_MS,
  INGRESS_REQUEST_TIMEOUT_MS,
  INGRESS_STOP_DRAIN_MS,
  INGRESS_TIMEOUT_CHECK_MS,
} from "./ingress-limits.ts";
import { ingressRoutes, matchRoute, type IngressEndpoints, type IngressRoute } from "./ingress-routes.ts";
import type { IngressResponse } from "./ingress-types.ts";
import { readBoundedBody } from "./read-body.ts";

export interface IngressServerOptions extends IngressEndpoints {
  readonly host: string;
  /** 0 lets the system pick a free port; `port` on the started server says which. */
  readonly port: number;
  readonly logger: Logger;
  /** The client timeouts; the named defaults unless a test passes shorter ones. */
  readonly timeouts?: IngressTimeouts;
}

export interface IngressTimeouts {
  readonly headersMs: number;
  readonly requestMs: number;
  readonly checkEveryMs: number;
}

export const INGRESS_TIMEOUTS: IngressTimeouts = {
  headersMs: INGRESS_HEADERS_TIMEOUT_MS,
  requestMs: INGRESS_REQUEST_TIMEOUT_MS,
  checkEveryMs: INGRESS_TIMEOUT_CHECK_MS,
};

export type IngressStart =
  { readonly ok: true; readonly server: IngressServer } | { readonly ok: false; readonly reason: string };

const TEXT = { "content-type": "text/plain; charset=utf-8" };

/** Starts listening; a port in use or a host that is not this machine's is a value, not a throw. */
export async function startIngressServer(options: IngressServerOptions): Promise<IngressStart> {
  const routes = ingressRoutes(options);
  const timeouts = options.timeouts ?? INGRESS_TIMEOUTS;
  const server = createServer({
    headersTimeout: timeouts.headersMs,
    requestTimeout: timeouts.requestMs,
    connectionsCheckingInterval: timeouts.checkEveryMs,
  });
  const state = { stopping: false };
  server.on("request", (request: IncomingMessage, response: ServerResponse) => {
    void answer(routes, request, response, options.logger, state);
  });
  const listened = await new Promise<string | undefined>((resolve) => {
    const onError = (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message);
    server.once("error", onError);
    server.listen(options.port, options.host, () => {
      server.off("error", onError);
      resolve(undefined);
    });
  });
  if (listened !== undefined)
    return {
      ok: false,
      reason: `cannot listen on ${options.host}:${options.port} (${listened}); set HTTP_HOST and HTTP_PORT to a free address of this machine`,
    };
  return { ok: true, server: new IngressServer(server, state) };
}

export class IngressServer {
  readonly #server: Server;
  readonly #state: { stopping: boolean };
  #stopping: Promise<void> | undefined;

  constructor(server: Server, state: { stopping: boolean }) {
    this.#server = server;
    this.#state = state;
  }

  /** The port actually bound (the one the system picked when 0 was asked for). */
  get port(): number {
    return (this.#server.address() as AddressInfo).port;
  }

  /**
   * Stops accepting, lets the requests being answered finish, then closes. Connections still busy
   * after INGRESS_STOP_DRAIN_MS are cut, so a stop never waits on a slow client.
   */
  stop(): Promise<void> {
    this.#stopping ??= new Promise<void>((resolve) => {
      // Answers given from now on close their connection, so no kept-alive socket holds the close.
      this.#state.stopping = true;
      const cut = setTimeout(() => this.#server.closeAllConnections(), INGRESS_STOP_DRAIN_MS);
      this.#server.close(() => {
        clearTimeout(cut);
        resolve();
      });
      this.#server.closeIdleConnections();
    });
    return this.#stopping;
  }
}

async function answer(
  routes: ReadonlyMap<string, IngressRoute>,
  request: IncomingMessage,
  response: ServerResponse,
  logger: Logger,
  state: { readonly stopping: boolean },
): Promise<void> {
  // A client that goes away mid-body makes the request emit "error": expected, nothing to do.
  request.on("error", () => undefined);
  const method = request.method ?? "";
  const match = matchRoute(routes, method, request.url ?? "");
  const path = match.kind === "no-such-path" ? "(unknown)" : (request.url ?? "").split("?")[0];
  const started = performance.now();
  const write = (reply: IngressResponse, closeConnection = false) => {
    if (closeConnection || state.stopping) response.setHeader("connection", "close");
    response.writeHead(reply.status, { ...TEXT, ...reply.headers });
    response.end(reply.body ?? "");
    logger.debug(
      { method, path, status: reply.status, ms: Math.round(performance.now() - started) },
      "http ingress answered",
    );
  };
  // Answered before the body is read: the connection closes after the answer instead of reading on.
  if (match.kind === "no-such-path") return write({ status: 404, body: "not found\n" }, true);
  if (match.kind === "wrong-method")
    return write({ status: 405, headers: { allow: match.allow }, body: "method not allowed\n" }, true);
  const { route } = match;
  let body: Buffer = Buffer.alloc(0);
  if (route.method === "POST") {
    const read = await readBoundedBody(request, INGRESS_BODY_MAX_BYTES);
    if (!read.ok) {
      if (read.reason === "aborted") return;
      return write({ status: 413, body: `request body over ${INGRESS_BODY_MAX_BYTES} bytes\n` }, true);
    }
    body = read.body;
  }
  try {
    write(await route.handler({ method, headers: request.headers, body }));
  } catch (error) {
    // An endpoint answers its expected failures itself; a throw is a bug, logged without the request.
    logger.error({ method, path, reason: (error as Error).message }, "http ingress endpoint failed");
    if (!response.headersSent) write({ status: 500, body: "internal error\n" });
  }
}
