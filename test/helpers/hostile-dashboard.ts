// A Hermes dashboard on loopback that lies, stalls or floods, as a broken proxy or an attacker in
// front of a bot's HERMES_URL would. By default it answers like a tiny honest `hermes serve` (enough
// for a remote create: profiles, config, env, soul, skills); any route can be given a hostile
// answer instead: reset mid-body, a trickle of a byte a second (for a while or forever), a chunked
// body of hundreds of megabytes, accept-and-never-answer, an error whose `detail` echoes the token
// or the body it was sent, a body that is not JSON.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";

export type Hostility =
  /** Headers and half of a JSON body, then the connection is destroyed. */
  | { readonly kind: "reset mid-body" }
  /** `text` one byte per `everyMs`; `endless` repeats it forever (never ends the body). */
  | { readonly kind: "trickle"; readonly text: string; readonly everyMs?: number; readonly endless?: boolean }
  /** A chunked 200 of `bytes` bytes (a JSON prefix, then filler), written as fast as it is read. */
  | { readonly kind: "flood"; readonly bytes: number }
  /** The request is accepted and never answered. */
  | { readonly kind: "silent" }
  /** `status` with `{"detail": "<what the host says>"}` built from the request. */
  | { readonly kind: "echo"; readonly status: number; readonly detail: (request: SeenRequest) => string }
  /** A redirect to `location` (where the token would go next, were it followed). */
  | { readonly kind: "redirect"; readonly status: number; readonly location: string }
  /** `status` with this exact body (e.g. malformed JSON). */
  | { readonly kind: "raw"; readonly status: number; readonly body: string | Buffer };

export interface SeenRequest {
  readonly method: string;
  readonly path: string;
  readonly token: string | undefined;
  readonly body: string;
}

export interface HostileProfile {
  readonly name: string;
  readonly description?: string;
  readonly model?: string;
  readonly provider?: string;
}

export interface HostileDashboard {
  readonly url: string;
  readonly host: string;
  readonly requests: SeenRequest[];
  /** What GET /api/profiles lists (entries may be anything a host could send). */
  profiles: unknown[];
  /**
   * Answers "METHOD /path" (no query) with `hostility` for its next `times` requests (default:
   * always); the honest answer otherwise. A POST /api/profiles is recorded as made either way,
   * as a host that made the profile and then failed to answer would.
   */
  hostile(route: string, hostility: Hostility, times?: number): void;
  /** Drops every open connection (ends a silent or trickling answer) and stops listening. */
  close(): Promise<void>;
}

export async function startHostileDashboard(): Promise<HostileDashboard> {
  const rules = new Map<string, { hostility: Hostility; left: number }>();
  const requests: SeenRequest[] = [];
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  const state = {
    profiles: [{ name: "default", is_default: true, model: null, provider: null }] as unknown[],
  };
  const server = createServer((request, response) => {
    void readBody(request).then((body) => {
      const path = (request.url ?? "/").split("?")[0] ?? "/";
      const token = request.headers["x-hermes-session-token"];
      const seen: SeenRequest = {
        method: request.method ?? "GET",
        path,
        token: typeof token === "string" ? token : undefined,
        body,
      };
      requests.push(seen);
      const route = `${seen.method} ${path}`;
      if (route === "POST /api/profiles") remember(state.profiles, body);
      const rule = rules.get(route);
      if (rule && rule.left > 0) {
        rule.left -= 1;
        answerHostile(rule.hostility, seen, request, response, timers);
        return;
      }
      answerHonestly(seen, response, state.profiles);
    });
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const host = `127.0.0.1:${port}`;
  return {
    url: `http://${host}`,
    host,
    requests,
    get profiles() {
      return state.profiles;
    },
    set profiles(entries: unknown[]) {
      state.profiles = entries;
    },
    hostile(route, hostility, times = Number.POSITIVE_INFINITY) {
      rules.set(route, { hostility, left: times });
    },
    close: async () => {
      for (const timer of timers) clearInterval(timer);
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function remember(profiles: unknown[], body: string): void {
  try {
    const name = (JSON.parse(body) as { name?: unknown }).name;
    if (typeof name === "string") profiles.push({ name, model: null, provider: null, description: null });
  } catch {
    // Not a create body: nothing made.
  }
}

function answerHostile(
  hostility: Hostility,
  seen: SeenRequest,
  request: IncomingMessage,
  response: ServerResponse,
  timers: Set<NodeJS.Timeout>,
): void {
  switch (hostility.kind) {
    case "reset mid-body": {
      const body = JSON.stringify({ profiles: [{ name: "alpha" }, { name: "beta" }] });
      response.writeHead(200, { "content-type": "application/json", "content-length": body.length });
      response.write(body.slice(0, body.length / 2), () => request.socket.destroy());
      return;
    }
    case "trickle": {
      response.writeHead(200, { "content-type": "application/json" });
      let index = 0;
      const timer = setInterval(() => {
        if (response.destroyed) return clearInterval(timer);
        if (index >= hostility.text.length) {
          if (!hostility.endless) {
            clearInterval(timer);
            response.end();
            return;
          }
          index = 0;
        }
        response.write(hostility.text[index] ?? " ");
        index += 1;
      }, hostility.everyMs ?? 1000);
      timers.add(timer);
      return;
    }
    case "flood": {
      response.writeHead(200, { "content-type": "application/json" });
      const filler = Buffer.alloc(64 * 1024, "a");
      let sent = 0;
      response.write('{"profiles":[{"name":"');
      const pump = (): void => {
        while (sent < hostility.bytes && !response.destroyed) {
          sent += filler.length;
          if (!response.write(filler)) return void response.once("drain", pump);
        }
        if (!response.destroyed) response.end('"}]}');
      };
      response.on("error", () => undefined);
      pump();
      return;
    }
    case "silent":
      return;
    case "echo":
      response
        .writeHead(hostility.status, { "content-type": "application/json" })
        .end(JSON.stringify({ detail: hostility.detail(seen) }));
      return;
    case "redirect":
      response.writeHead(hostility.status, { location: hostility.location }).end();
      return;
    case "raw":
      response.writeHead(hostility.status, { "content-type": "application/json" }).end(hostility.body);
      return;
  }
}

/** The honest part: what the bot needs of Hermes 0.19's dashboard for lists and a remote create. */
function answerHonestly(seen: SeenRequest, response: ServerResponse, profiles: unknown[]): void {
  const json = (status: number, body: unknown): void => {
    response.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
  };
  const route = `${seen.method} ${seen.path}`;
  if (route === "GET /api/profiles") return json(200, { profiles });
  if (route === "POST /api/profiles") {
    const name = (JSON.parse(seen.body) as { name: string }).name;
    return json(200, { ok: true, name, model_set: true, skills_disabled: 0, hub_installs: [] });
  }
  if (seen.method === "DELETE" && seen.path.startsWith("/api/profiles/")) {
    const name = decodeURIComponent(seen.path.slice("/api/profiles/".length));
    const index = profiles.findIndex((entry) => (entry as { name?: unknown }).name === name);
    if (index < 0) return json(404, { detail: "Profile not found" });
    profiles.splice(index, 1);
    return json(200, { ok: true });
  }
  if (route === "GET /api/config/raw") return json(200, { yaml: "model:\n  default: some-model\n" });
  if (route === "PUT /api/config/raw") return json(200, { ok: true });
  if (route === "GET /api/env") return json(200, {});
  if (route === "PUT /api/env" || route === "DELETE /api/env") return json(200, { ok: true });
  if (seen.method === "PUT" && seen.path.endsWith("/soul")) return json(200, { ok: true });
  if (route === "GET /api/skills") return json(200, []);
  return json(404, { detail: "Not Found" });
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    request.on("error", () => resolve(""));
  });
}
