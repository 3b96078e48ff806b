// A reverse proxy on loopback in front of a dashboard, as operators put nginx or Caddy there: it
// forwards every request, counts them by method and route, and can answer 502 itself (the upstream
// "down" behind a live proxy) or run a hook after forwarding a given request (to stop Hermes right
// after it created a profile, mid-create).
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll } from "vitest";

export interface ForwardingProxy {
  readonly url: string;
  /** "METHOD /path" (no query) of every request received, in order. */
  readonly requests: string[];
  /** Answer with 502 from now on: every request (true), only those of one "METHOD /path" route, or none (false). */
  badGateway(on: boolean | string): void;
  /** Runs once, after the first request matching `route` was forwarded and before it is answered. */
  after(route: string, hook: () => Promise<void>): void;
  close(): Promise<void>;
}

/** In a test file the proxy is closed after the file's tests; a benchmark closes it itself. */
export async function startForwardingProxy(
  upstream: () => string,
  options: { closeAfterAll?: boolean } = {},
): Promise<ForwardingProxy> {
  const requests: string[] = [];
  let gatewayDown: boolean | string = false;
  const hooks = new Map<string, () => Promise<void>>();
  const server = createServer((request, response) => {
    void (async () => {
      const route = `${request.method ?? "GET"} ${(request.url ?? "/").split("?")[0] ?? "/"}`;
      requests.push(route);
      if (gatewayDown === true || gatewayDown === route) {
        response.writeHead(502, { "content-type": "text/html" }).end("<h1>502 Bad Gateway</h1>");
        return;
      }
      try {
        const body = await readBody(request);
        const forwarded = await fetch(`${upstream()}${request.url ?? "/"}`, {
          method: request.method ?? "GET",
          headers: Object.fromEntries(
            Object.entries(request.headers).filter(
              (entry): entry is [string, string] => typeof entry[1] === "string" && entry[0] !== "host",
            ),
          ),
          ...(body.length > 0 ? { body } : {}),
        });
        const text = await forwarded.text();
        const hook = hooks.get(route);
        if (hook) {
          hooks.delete(route);
          await hook();
        }
        response
          .writeHead(forwarded.status, {
            "content-type": forwarded.headers.get("content-type") ?? "text/plain",
          })
          .end(text);
      } catch {
        response.writeHead(502, { "content-type": "text/html" }).end("<h1>502 Bad Gateway</h1>");
      }
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  if (options.closeAfterAll ?? true) afterAll(close);
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    badGateway: (on) => {
      gatewayDown = on;
    },
    after: (route, hook) => hooks.set(route, hook),
    close,
  };
}

function readBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => resolve(Buffer.concat(chunks)));
    request.on("error", reject);
  });
}
