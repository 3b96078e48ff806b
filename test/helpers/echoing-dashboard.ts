// A hostile Hermes dashboard on loopback, for the tests of what the bot's surfaces send. Two ways
// to misbehave, each a real attack (or a broken proxy):
// * "echo": every request fails (500) with a JSON `detail` that repeats the session token it was
//   sent — as sent and percent-encoded — wrapped in terminal escapes and a bidi override;
// * "flood": GET /api/profiles lists PROFILE_FLOOD_COUNT profiles whose names are about 100 KB each
//   (4 MB in all, under the client's 4 MiB cap) and start with escape sequences, C1 and bidi
//   characters and a newline that forges a line of the bot's own; every other request echoes;
// * "wide": one well-named profile, WIDE_PROFILE, whose facts are a flood: a config.yaml with
//   WIDE_MCP_SERVERS servers and an .env listing WIDE_ENV_KEYS set keys, each key named with the
//   token it received, escape sequences and a bidi override — names no rule on the way in checks,
//   so `/profile show` quotes about a megabyte of them.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { recordSecret } from "./leak-ledger.ts";

export type DashboardMode = "echo" | "flood" | "wide";

export const PROFILE_FLOOD_COUNT = 40;
export const WIDE_PROFILE = "wide";
export const WIDE_MCP_SERVERS = 20_000;
export const WIDE_ENV_KEYS = 5_000;
export const FLOOD_NAME_CHARS = 100_000;

/** What a line of the bot's own looks like, forged by a newline inside a profile name. */
export const FORGED_LINE = "✓ Profile 'admin' created";

/** The starts of the flood's names: each a way to act on a terminal or a reader. */
export const HOSTILE_NAME_STARTS = [
  "\u001b[2Jcleared",
  `evil\n${FORGED_LINE}`,
  "\u202eexe.md",
  "\u009b31mred",
  "\u001b]0;pwned\u0007title",
  "bell\u0007zero\u200bwidth\u0000nul",
] as const;

/**
 * Characters that must never reach a terminal or a chat from data: C0 controls but newline and tab
 * (ESC among them), DEL and C1, the line and paragraph separators, bidi marks, overrides and
 * isolates, zero-width and invisible characters.
 */
export const UNSAFE_OUTBOUND_CHARS =
  // eslint-disable-next-line no-control-regex -- finding control characters is the point
  /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/;

/**
 * Every string inside `value` (a recorded API call, a message) that holds an unsafe character.
 * Walked rather than searched as JSON: JSON writes ESC as the six characters `\u001b`.
 */
export function unsafeStrings(value: unknown): string[] {
  if (typeof value === "string") return UNSAFE_OUTBOUND_CHARS.test(value) ? [value.slice(0, 200)] : [];
  if (Array.isArray(value)) return value.flatMap(unsafeStrings);
  if (value && typeof value === "object") return Object.values(value).flatMap(unsafeStrings);
  return [];
}

/** The token as it may show when echoed: as sent, and percent-encoded. */
export function tokenForms(token: string): string[] {
  return [...new Set([token, encodeURIComponent(token)])];
}

export interface EchoingDashboard {
  readonly url: string;
  /** Requests answered so far. */
  readonly requests: () => number;
  readonly stop: () => Promise<void>;
}

export function floodNames(): string[] {
  return Array.from({ length: PROFILE_FLOOD_COUNT }, (_, index) => {
    const start = `${HOSTILE_NAME_STARTS[index % HOSTILE_NAME_STARTS.length] ?? ""}-${index}-`;
    return start + "x".repeat(FLOOD_NAME_CHARS - start.length);
  });
}

/**
 * Starts the dashboard on loopback. `token` is recorded as a secret for the suite's leak scan: the
 * dashboard echoes whatever token it receives, which is the one the bot was configured with.
 */
export async function startEchoingDashboard(mode: DashboardMode, token: string): Promise<EchoingDashboard> {
  recordSecret(token);
  let requests = 0;
  const listing = JSON.stringify({
    profiles: floodNames().map((name) => ({ name, is_default: false, model: "m", provider: "p" })),
  });
  const wideConfig = JSON.stringify({
    // YAML reads JSON: a config.yaml of WIDE_MCP_SERVERS servers.
    yaml: JSON.stringify({
      model: { default: "m" },
      mcp_servers: Object.fromEntries(
        Array.from({ length: WIDE_MCP_SERVERS }, (_, index) => [`server-${index}-${"s".repeat(30)}`, {}]),
      ),
    }),
  });
  const wideEnv = (received: string) =>
    JSON.stringify(
      Object.fromEntries(
        Array.from({ length: WIDE_ENV_KEYS }, (_, index) => [
          `KEY_${index}_${received}\u001b[2J\u202e`,
          { is_set: true },
        ]),
      ),
    );
  const server: Server = createServer((request, response) => {
    requests += 1;
    request.resume();
    const received = String(request.headers["x-hermes-session-token"] ?? "");
    const route = (request.url ?? "").split("?")[0];
    const answer = (body: string) => {
      response.writeHead(200, { "content-type": "application/json" });
      response.end(body);
    };
    if (mode === "flood" && request.method === "GET" && route === "/api/profiles") return answer(listing);
    if (mode === "wide" && request.method === "GET") {
      if (route === "/api/profiles") return answer(JSON.stringify({ profiles: [{ name: WIDE_PROFILE }] }));
      if (route === "/api/config/raw") return answer(wideConfig);
      if (route === "/api/env") return answer(wideEnv(received));
      if (route === "/api/skills") return answer("[]");
    }
    const detail = `token ${received} rejected (${encodeURIComponent(received)}) \u001b]0;owned\u0007\u001b[2J\u202e`;
    response.writeHead(500, { "content-type": "application/json" });
    response.end(JSON.stringify({ detail }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests: () => requests,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
