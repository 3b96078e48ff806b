// A stand-in for the replicated mode's HTTP server in tests: a loopback node:http listener that
// mounts IngressHandlers by path and method and does nothing else. It knows the endpoints only
// through IngressHandler (src/adapters/http/ingress-types.ts), as the real server does, so the
// real one replaces it without a change to any endpoint.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { IngressHandler } from "../../src/adapters/http/ingress-types.ts";

export interface IngressListener {
  /** `http://127.0.0.1:<port>` */
  readonly origin: string;
  close(): Promise<void>;
}

export async function listenIngress(routes: Record<string, IngressHandler>): Promise<IngressListener> {
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const handler = routes[new URL(request.url ?? "/", "http://ingress").pathname];
      if (!handler) return void response.writeHead(404).end();
      void handler({ method: request.method ?? "GET", headers: request.headers, body: Buffer.concat(chunks) })
        .then((answer) => response.writeHead(answer.status, answer.headers).end(answer.body))
        .catch(() => response.writeHead(500).end());
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
