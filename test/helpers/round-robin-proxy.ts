// The load balancer in front of the replicas in the replica tests: a loopback HTTP server that
// forwards POST /telegram and POST /discord/interactions to the replicas in turn, as nginx's
// round-robin upstream does in the README's example. A replica that refuses the connection (dead)
// or answers 503 (starting, stopping, its store away) is passed over for the next one, as
// `proxy_next_upstream error http_503` does; nothing else is retried. Every forward is recorded,
// so a test can tell which replica took which update.
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/** The paths forwarded; anything else is 404 here, as the README's `location / { return 404; }`. */
const FORWARDED = new Set(["/telegram", "/discord/interactions"]);
/**
 * Connections waiting to be accepted: 511, Node's and nginx's default on Linux, unless the load
 * benchmark sets LOAD_PROXY_BACKLOG (the kernel caps it at net.core.somaxconn). Under the saturated
 * replica load the bench's many connects overflowed 511 (deliveries that timed out connecting).
 */
const ACCEPT_BACKLOG = Number(process.env["LOAD_PROXY_BACKLOG"] ?? 511);
/** How long an idle client connection is kept open (nginx's keepalive_timeout default). */
const KEEP_ALIVE_MS = 75_000;
/** Request headers not passed on: the hop's own (fetch sets them for the next hop). */
const HOP_HEADERS = new Set(["host", "connection", "content-length", "transfer-encoding", "keep-alive"]);

export interface Forward {
  readonly path: string;
  /** The Telegram update_id or the Discord interaction id in the body, when there is one. */
  readonly id: string | undefined;
  /** Index of the replica that answered (the last one tried when none could be reached). */
  readonly replica: number;
  readonly status: number;
  /** Replicas passed over first (refused the connection or answered 503). */
  readonly skipped: readonly number[];
  /** When the proxy saw the request begin, had the whole request, and read this replica's answer (ms since the epoch). */
  readonly arrivedAt: number;
  readonly receivedAt: number;
  readonly answeredAt: number;
}

/**
 * What the replica cluster and the load benchmark need of the proxy in front of the replicas:
 * this in-process one (the tests), or the one in its own thread (proxy-thread.ts, the benchmark).
 */
export interface LoadBalancer {
  /** http://127.0.0.1:<port>, once started. */
  readonly origin: string;
  /** Every forward so far (see `settled`). */
  readonly forwards: readonly Forward[];
  start(): Promise<string>;
  /** The replicas' origins changed (they started): forward to `targets()` from now on. */
  targetsChanged(): void;
  /** Resolves once `forwards` holds every forward answered so far. */
  settled(): Promise<void>;
  /** How many forwards of this path each replica answered (not counting passed-over tries). */
  countsFor(path: string): number[];
  stop(): Promise<void>;
}

export class RoundRobinProxy implements LoadBalancer {
  readonly forwards: Forward[] = [];
  #next = 0;
  #server: Server | undefined;
  origin = "";

  /** `targets()` is asked on every request: the replicas' origins (http://127.0.0.1:<port>). */
  constructor(private readonly targets: () => readonly string[]) {}

  async start(): Promise<string> {
    this.#server = createServer((request, response) => {
      void this.#forward(request)
        .then(({ status, headers, body }) => {
          response.writeHead(status, headers);
          response.end(body);
        })
        .catch((error: unknown) => {
          // The client went away while its request was read (a fake giving up on a delivery).
          if (!response.headersSent) response.writeHead(502).end(`proxy: ${String(error)}\n`);
        });
    });
    // As nginx keeps a client's connection: 75 s idle (keepalive_timeout's default), where Node's
    // own 5 s may close a connection just as the platform fake reuses it.
    this.#server.keepAliveTimeout = KEEP_ALIVE_MS;
    await new Promise<void>((resolve) =>
      this.#server?.listen({ port: 0, host: "127.0.0.1", backlog: ACCEPT_BACKLOG }, resolve),
    );
    this.origin = `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
    return this.origin;
  }

  async stop(): Promise<void> {
    const server = this.#server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }

  /** `targets()` is asked on every request, so a change needs nothing here. */
  targetsChanged(): void {}

  /** Forwards are recorded as they are answered, in this thread. */
  async settled(): Promise<void> {}

  countsFor(path: string): number[] {
    return forwardCounts(this.forwards, path, this.targets().length);
  }

  /** The replica the next request goes to first. */
  nextReplica(): number {
    return this.#next % this.targets().length;
  }

  /** Gives the next turn away, as another chat's request passing through would take it. */
  skipTurn(): void {
    this.#next += 1;
  }

  /** The replica that answered the update / interaction with this id (200 or otherwise). */
  replicaOf(id: string | number): number | undefined {
    return this.forwards.findLast((forward) => forward.id === String(id) && forward.status !== 0)?.replica;
  }

  async #forward(
    request: IncomingMessage,
  ): Promise<{ status: number; headers: Record<string, string>; body: Buffer | string }> {
    const path = (request.url ?? "").split("?")[0] ?? "";
    const arrivedAt = Date.now();
    if (request.method !== "POST" || !FORWARDED.has(path))
      return { status: 404, headers: {}, body: "not forwarded\n" };
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const receivedAt = Date.now();
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(request.headers))
      if (typeof value === "string" && !HOP_HEADERS.has(name)) headers[name] = value;
    const targets = this.targets();
    const first = this.#next++ % targets.length;
    const skipped: number[] = [];
    let last: { status: number; headers: Record<string, string>; body: Buffer | string } = {
      status: 502,
      headers: {},
      body: "no replica answered\n",
    };
    for (let offset = 0; offset < targets.length; offset++) {
      const replica = (first + offset) % targets.length;
      const answer = await send(`${targets[replica] ?? ""}${path}`, headers, body);
      this.forwards.push({
        path,
        id: idIn(body),
        replica,
        status: answer.status,
        skipped: [...skipped],
        arrivedAt,
        receivedAt,
        answeredAt: Date.now(),
      });
      if (answer.status !== 0) last = answer;
      // Unreachable (dead) or 503 (not serving now): the next replica gets it, as nginx does.
      if (answer.status === 0 || answer.status === 503) {
        skipped.push(replica);
        continue;
      }
      return answer;
    }
    return last;
  }
}

/** How many forwards of this path each of `replicas` answered (not counting passed-over tries). */
export function forwardCounts(forwards: readonly Forward[], path: string, replicas: number): number[] {
  const counts = Array.from({ length: replicas }, () => 0);
  for (const forward of forwards)
    if (forward.path === path && forward.status !== 0)
      counts[forward.replica] = (counts[forward.replica] ?? 0) + 1;
  return counts;
}

async function send(
  url: string,
  headers: Record<string, string>,
  body: Buffer,
): Promise<{ status: number; headers: Record<string, string>; body: Buffer | string }> {
  try {
    const response = await fetch(url, { method: "POST", headers, body });
    const contentType = response.headers.get("content-type");
    return {
      status: response.status,
      headers: contentType ? { "content-type": contentType } : {},
      body: Buffer.from(await response.arrayBuffer()),
    };
  } catch {
    // Connection refused or reset: the replica is down.
    return { status: 0, headers: {}, body: "" };
  }
}

function idIn(body: Buffer): string | undefined {
  try {
    const parsed = JSON.parse(body.toString("utf8")) as { update_id?: unknown; id?: unknown };
    const id = parsed.update_id ?? parsed.id;
    return typeof id === "number" || typeof id === "string" ? String(id) : undefined;
  } catch {
    return undefined;
  }
}
