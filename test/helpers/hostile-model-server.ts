// A model server on loopback (Ollama's GET /api/tags and the OpenAI-compatible GET /v1/models) that
// lists whatever ids a test gives it: terminal escapes, bidi overrides, C1 controls, huge ids; and
// answers Ollama's POST /api/show with whatever body a test gives (raw text, sent as is).
import { createServer } from "node:http";
import type { AddressInfo, Socket } from "node:net";

export interface HostileModelServer {
  /** The server's root, e.g. http://127.0.0.1:4242 (an Ollama base URL). */
  readonly url: string;
  /** Paths asked, in order. */
  readonly requests: string[];
  close(): Promise<void>;
}

export async function startHostileModelServer(
  ids: readonly string[],
  show?: string,
): Promise<HostileModelServer> {
  const requests: string[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((request, response) => {
    const path = (request.url ?? "/").split("?")[0] ?? "/";
    requests.push(path);
    const json = (body: unknown): void => {
      response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(body));
    };
    if (path === "/api/show" && show !== undefined)
      return response.writeHead(200, { "content-type": "application/json" }).end(show);
    if (path === "/api/tags") return json({ models: ids.map((name) => ({ name, size: 1 })) });
    if (path === "/v1/models")
      return json({ object: "list", data: ids.map((id) => ({ id, object: "model" })) });
    response.writeHead(404).end();
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
