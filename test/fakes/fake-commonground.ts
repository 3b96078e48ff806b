// A CommonGround (CardBox) profile management API of our own, v1r4, for tests: real HTTP on
// loopback, answering as the real v1r4 server answers, including where that is unkind (no
// duplicate check on upload, a case variant becomes a second profile, DELETE of two case variants
// answers 404 yet deletes both, the Profile object does not echo most of the card). The real server
// cannot run here; every rule this fake follows has a test in fake-commonground.test.ts.
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { recordArtifact, recordSecret } from "../helpers/leak-ledger.ts";
import { answerHostile, type Hostility } from "./commonground/hostility.ts";
import { type Card, readProfileUpload, UploadRefused } from "./commonground/profile-rules.ts";
import { ProfileStore } from "./commonground/profile-store.ts";
import { checkProjectBody } from "./commonground/project-body.ts";
import { readUploadField } from "./commonground/upload-field.ts";

export type { Hostility } from "./commonground/hostility.ts";
export type { Card } from "./commonground/profile-rules.ts";
export type { Profile, Project } from "./commonground/profile-store.ts";

/**
 * The fake's own guard against a runaway client, not an observed rule of the real server: a
 * request body above this is answered 413 (and not kept).
 */
export const MAX_BODY_BYTES = 1024 * 1024;
/**
 * The list's page size when the request gives no `limit`. The real default was not observed: the
 * fake guesses a page rather than everything, the stricter guess, so a client that lists without
 * paging is caught here rather than on a full server.
 */
export const LIST_DEFAULT_LIMIT = 100;

export type FakeRoute =
  | "GET /health"
  | "POST /projects"
  | "POST /projects/{project_id}/profiles"
  | "GET /projects/{project_id}/profiles"
  | "GET /projects/{project_id}/profiles/{name}"
  | "DELETE /projects/{project_id}/profiles/{name}";

export interface SeenRequest {
  readonly method: string;
  /** The path as sent (not decoded), without the query. */
  readonly path: string;
  readonly query: string;
  readonly headers: IncomingHttpHeaders;
  /** The body as UTF-8 text ("" when over MAX_BODY_BYTES). */
  readonly body: string;
}

export interface FakeCommonGroundOptions {
  /**
   * The real server has no authentication. An operator may put it behind a proxy that checks a
   * token; with this set the fake models that proxy: any request without
   * `Authorization: Bearer <token>` is answered 401 before it reaches the API.
   */
  readonly requireToken?: string;
  /** Projects that exist from the start (title and owner "test"). */
  readonly projects?: readonly string[];
}

export interface FakeCommonGround {
  readonly url: string;
  readonly requests: SeenRequest[];
  /** The stored cards of a project: the whole uploaded document as stored, fields the API never echoes included. */
  cards(projectId: string): Card[];
  /** Answers `route`'s next `times` requests with `hostility` instead of honestly. */
  fail(route: FakeRoute, hostility: Hostility, times?: number): void;
  /** Drops every open connection (ends a silent or huge answer) and stops listening. */
  close(): Promise<void>;
}

interface Answer {
  readonly status: number;
  readonly json?: unknown;
  readonly headers?: Record<string, string>;
}

export async function startFakeCommonGround(
  options: FakeCommonGroundOptions = {},
): Promise<FakeCommonGround> {
  const store = new ProfileStore();
  for (const project_id of options.projects ?? [])
    store.addProject({ project_id, title: "test", owner_id: "test" });
  if (options.requireToken) recordSecret(options.requireToken);
  const faults = new Map<FakeRoute, { hostility: Hostility; left: number }>();
  const requests: SeenRequest[] = [];
  const sockets = new Set<Socket>();

  const server = createServer((request, response) => {
    void readBounded(request).then((bytes) => {
      const [rawPath = "/", query = ""] = (request.url ?? "/").split(/\?(.*)/s);
      const seen: SeenRequest = {
        method: request.method ?? "GET",
        path: rawPath,
        query,
        headers: request.headers,
        body: bytes?.toString("utf8") ?? "",
      };
      requests.push(seen);
      if (seen.body) recordArtifact(`fake CommonGround ${seen.method} ${seen.path}`, seen.body);
      if (!bytes) return send(response, { status: 413, json: { detail: "request body too large" } });
      if (options.requireToken && request.headers.authorization !== `Bearer ${options.requireToken}`)
        return send(response, {
          status: 401,
          json: { detail: "missing or wrong bearer token" },
          headers: { "www-authenticate": "Bearer" },
        });
      const matched = route(seen.method, rawPath);
      const fault = matched.route ? faults.get(matched.route) : undefined;
      if (fault && fault.left > 0) {
        fault.left -= 1;
        if (fault.hostility.afterHandling) answerSafely(store, matched, seen, bytes);
        return answerHostile(fault.hostility, request, response);
      }
      send(response, answerSafely(store, matched, seen, bytes));
    });
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
    cards: (projectId) => store.cards(projectId),
    fail(routeName, hostility, times = 1) {
      faults.set(routeName, { hostility, left: times });
    },
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

interface Matched {
  /** The route, when the path matched one and the method is served there. */
  readonly route?: FakeRoute;
  readonly projectId?: string;
  readonly name?: string;
  /** The path matched a route, but not with this method. */
  readonly wrongMethod?: boolean;
}

/** Path parameters are matched after %-decoding, as the real server's router does (so "%2F" splits). */
function route(method: string, rawPath: string): Matched {
  let path = rawPath;
  try {
    path = decodeURIComponent(rawPath);
  } catch {
    // Left as sent: nothing will match.
  }
  const parts = path.split("/").slice(1);
  if (parts.some((part) => part === "")) return {};
  const pick = (routes: Partial<Record<string, FakeRoute>>, params: Omit<Matched, "route">): Matched => {
    const found = routes[method];
    return found ? { route: found, ...params } : { wrongMethod: true };
  };
  const [first, projectId, third, name, ...rest] = parts;
  if (rest.length > 0) return {};
  if (first === "health" && parts.length === 1) return pick({ GET: "GET /health" }, {});
  if (first !== "projects") return {};
  if (parts.length === 1) return pick({ POST: "POST /projects" }, {});
  if (third !== "profiles" || projectId === undefined) return {};
  if (name === undefined)
    return pick(
      { GET: "GET /projects/{project_id}/profiles", POST: "POST /projects/{project_id}/profiles" },
      { projectId },
    );
  return pick(
    {
      GET: "GET /projects/{project_id}/profiles/{name}",
      DELETE: "DELETE /projects/{project_id}/profiles/{name}",
    },
    { projectId, name },
  );
}

function appError(status: number, code: string, message: string): Answer {
  return { status, json: { detail: { error_code: code, error_message: message } } };
}

const PROJECT_NOT_FOUND = appError(404, "not_found", "project not found");
const PROFILE_NOT_FOUND = appError(404, "not_found", "profile not found");

/** A bug of the fake itself answers as the real server's unexpected errors do. */
function answerSafely(store: ProfileStore, matched: Matched, seen: SeenRequest, bytes: Buffer): Answer {
  try {
    return answer(store, matched, seen, bytes);
  } catch (error) {
    return appError(500, "internal_error", (error as Error).message);
  }
}

function answer(store: ProfileStore, matched: Matched, seen: SeenRequest, bytes: Buffer): Answer {
  if (matched.wrongMethod) return { status: 405, json: { detail: "Method Not Allowed" } };
  const contentType = String(seen.headers["content-type"] ?? "");
  const projectId = matched.projectId ?? "";
  const name = matched.name ?? "";
  if (matched.route === undefined) return { status: 404, json: { detail: "Not Found" } };
  switch (matched.route) {
    case "GET /health":
      return { status: 200, json: { status: "ok" } };
    case "POST /projects": {
      const checked = checkProjectBody(contentType, seen.body);
      if ("errors" in checked) return { status: 422, json: { detail: checked.errors } };
      const project = store.addProject(checked.fields);
      if (!project) return appError(409, "conflict", `project ${checked.fields.project_id} already exists`);
      return { status: 201, json: project };
    }
    case "POST /projects/{project_id}/profiles": {
      const field = readUploadField(contentType, bytes);
      if (field.kind === "invalid") return { status: 422, json: { detail: [field.detail] } };
      if (field.kind === "unparsable") return { status: 400, json: { detail: field.detail } };
      if (!store.hasProject(projectId)) return PROJECT_NOT_FOUND;
      try {
        return { status: 201, json: store.upload(projectId, readProfileUpload(field.bytes)) };
      } catch (error) {
        if (error instanceof UploadRefused) return appError(400, "bad_request", error.message);
        throw error;
      }
    }
    // Only the upload's 404 for an unknown project was observed; the fake answers the same on the
    // other profile routes rather than an empty list, so a client cannot mistake a typo for "none".
    case "GET /projects/{project_id}/profiles": {
      const page = pageOf(seen.query);
      if ("errors" in page) return { status: 422, json: { detail: page.errors } };
      if (!store.hasProject(projectId)) return PROJECT_NOT_FOUND;
      return { status: 200, json: store.list(projectId).slice(page.offset, page.offset + page.limit) };
    }
    case "GET /projects/{project_id}/profiles/{name}": {
      if (!store.hasProject(projectId)) return PROJECT_NOT_FOUND;
      const profile = store.find(projectId, name);
      return profile ? { status: 200, json: profile } : PROFILE_NOT_FOUND;
    }
    case "DELETE /projects/{project_id}/profiles/{name}":
      if (!store.hasProject(projectId)) return PROJECT_NOT_FOUND;
      // One match: deleted, 204. Several case variants: all deleted, yet 404 (the real server's bug).
      return store.delete(projectId, name) === 1 ? { status: 204 } : PROFILE_NOT_FOUND;
  }
}

/**
 * `limit` and `offset` as FastAPI reads integer query parameters: text that is no integer is a
 * 422. A negative one is refused too, a guess (not observed) on the strict side.
 */
function pageOf(query: string): { limit: number; offset: number } | { errors: Record<string, unknown>[] } {
  const params = new URLSearchParams(query);
  const errors: Record<string, unknown>[] = [];
  const read = (key: string, fallback: number): number => {
    const text = params.get(key);
    if (text === null) return fallback;
    if (!/^\s*[-+]?\d+\s*$/.test(text)) {
      errors.push({
        type: "int_parsing",
        loc: ["query", key],
        msg: "Input should be a valid integer, unable to parse string as an integer",
        input: text,
      });
      return fallback;
    }
    const value = Number(text);
    if (value < 0)
      errors.push({
        type: "greater_than_equal",
        loc: ["query", key],
        msg: "Input should be greater than or equal to 0",
        input: text,
        ctx: { ge: 0 },
      });
    return value;
  };
  const limit = read("limit", LIST_DEFAULT_LIMIT);
  const offset = read("offset", 0);
  return errors.length > 0 ? { errors } : { limit, offset };
}

/** The body, or undefined when it exceeded MAX_BODY_BYTES (the rest is drained, not kept). */
function readBounded(request: IncomingMessage): Promise<Buffer | undefined> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    request.on("end", () => resolve(size <= MAX_BODY_BYTES ? Buffer.concat(chunks) : undefined));
    request.on("error", () => resolve(Buffer.alloc(0)));
  });
}

function send(response: ServerResponse, answer: Answer): void {
  if (answer.json === undefined) {
    response.writeHead(answer.status, answer.headers ?? {}).end();
    return;
  }
  response
    .writeHead(answer.status, { "content-type": "application/json", ...answer.headers })
    .end(JSON.stringify(answer.json));
}
