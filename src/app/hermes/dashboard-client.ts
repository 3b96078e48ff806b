// A client of Hermes 0.19's own dashboard API (`hermes serve`, `hermes dashboard`), for a bot that
// runs on another machine than Hermes (issue 13). Every call sends the session token in
// `X-Hermes-Session-Token`; every failure is sorted into what the operator must do about it — a
// wrong token is not a network fault — and described by the host alone, never the token, never a
// path Hermes put into its error text. Reads are retried a bounded number of times; a create is
// retried only when the connection was refused before anything was sent.
//
// The shapes here are the ones checked against the pinned `hermes serve`
// (test/hermes-host/dashboard.test.ts); the dashboard backend (dashboard-backend.ts) uses them.
import { z } from "zod";

/** How long one request may take before it counts as the host not answering. */
export const DASHBOARD_REQUEST_TIMEOUT_MS = 15_000;
/** Extra tries of a read after a network fault or a 5xx, with these pauses between them. */
export const DASHBOARD_RETRY_DELAYS_MS = [250, 1000] as const;
/** An answer larger than this is not one of the dashboard's. */
const MAX_ANSWER_BYTES = 4 * 1024 * 1024;

export type DashboardFault =
  | "token" // 401: no token, a wrong one or an expired one
  | "forbidden" // 403: the token is good but may not do this
  | "not found" // 404: no such profile (or no such endpoint on this Hermes)
  | "refused" // 4xx other than these: Hermes refused the request itself (a name taken, a bad field)
  | "server" // 5xx, after the retries
  | "network" // no answer: down, unreachable, timed out
  | "garbage"; // an answer that is not what this endpoint returns

export interface DashboardFailure {
  readonly fault: DashboardFault;
  readonly status?: number;
  /** For a person: names the host and what to do; holds no token and no server path. */
  readonly message: string;
}

export type DashboardResult<T> = { ok: true; value: T } | { ok: false; failure: DashboardFailure };

const profileSchema = z
  .object({
    name: z.string(),
    is_default: z.boolean().optional(),
    model: z.string().nullable().optional(),
    provider: z.string().nullable().optional(),
    skill_count: z.number().optional(),
    description: z.string().nullable().optional(),
  })
  .loose();
export type DashboardProfile = z.infer<typeof profileSchema>;

const listSchema = z.object({ profiles: z.array(profileSchema) }).loose();

/** One MCP server of a create, as Hermes 0.19's MCPServerCreate takes it. */
export interface DashboardMcpServer {
  readonly name: string;
  readonly url?: string;
  readonly command?: string;
  readonly args?: readonly string[];
  readonly env?: Readonly<Record<string, string>>;
  readonly auth?: "none" | "oauth" | "header";
}

/** Hermes 0.19's ProfileCreate (hermes_cli/web_server.py). */
export interface DashboardProfileCreate {
  readonly name: string;
  readonly description?: string;
  readonly clone_from?: string;
  readonly no_skills?: boolean;
  readonly provider?: string;
  readonly model?: string;
  readonly mcp_servers?: readonly DashboardMcpServer[];
  readonly keep_skills?: readonly string[];
  readonly hub_skills?: readonly string[];
}

const createdSchema = z
  .object({
    ok: z.literal(true),
    name: z.string(),
    model_set: z.boolean().optional(),
    mcp_written: z.number().optional(),
    skills_disabled: z.number().optional(),
    hub_installs: z
      .array(z.object({ identifier: z.string(), pid: z.number().nullable().optional() }).loose())
      .default([]),
  })
  .loose();
/** What a create answers; Hermes' `path` (a folder on its machine) is left out on purpose. */
export type DashboardCreated = Omit<z.infer<typeof createdSchema>, "path">;

const okSchema = z.object({ ok: z.literal(true) }).loose();

const anyObjectSchema = z.object({}).loose();

const actionStartedSchema = z
  .object({ ok: z.literal(true), name: z.string().min(1), pid: z.number().optional() })
  .loose();

const actionStatusSchema = z
  .object({
    name: z.string(),
    running: z.boolean(),
    exit_code: z.number().nullable(),
    lines: z.array(z.string()),
  })
  .loose();
const rawConfigSchema = z.object({ yaml: z.string() }).loose();

const skillSchema = z.object({ name: z.string(), provenance: z.string().optional() }).loose();
/** One skill of a profile as GET /api/skills lists it (`provenance` "hub" = recorded in its lock.json). */
export type DashboardSkill = z.infer<typeof skillSchema>;

const envEntrySchema = z.object({ is_set: z.boolean().optional() }).loose();

/** A background action of the dashboard (e.g. one hub install): running or not, its log's tail. */
export type DashboardActionStatus = z.infer<typeof actionStatusSchema>;

export interface DashboardClientOptions {
  /** The dashboard's root, e.g. http://127.0.0.1:9119 */
  readonly url: string;
  readonly token: string;
  readonly timeoutMs?: number;
  readonly retryDelaysMs?: readonly number[];
}

export class DashboardClient {
  readonly host: string;
  readonly #root: string;
  readonly #token: string;
  readonly #timeoutMs: number;
  readonly #retryDelays: readonly number[];

  constructor(options: DashboardClientOptions) {
    const root = new URL(options.url);
    this.host = root.host;
    this.#root = root.origin + root.pathname.replace(/\/+$/, "");
    this.#token = options.token;
    this.#timeoutMs = options.timeoutMs ?? DASHBOARD_REQUEST_TIMEOUT_MS;
    this.#retryDelays = options.retryDelaysMs ?? DASHBOARD_RETRY_DELAYS_MS;
  }

  async listProfiles(): Promise<DashboardResult<DashboardProfile[]>> {
    const answer = await this.#call("GET", "/api/profiles", undefined, listSchema, true);
    return answer.ok ? { ok: true, value: answer.value.profiles } : answer;
  }

  async createProfile(body: DashboardProfileCreate): Promise<DashboardResult<DashboardCreated>> {
    const answer = await this.#call("POST", "/api/profiles", body, createdSchema, false);
    if (!answer.ok) return answer;
    const { path: _path, ...created } = answer.value as z.infer<typeof createdSchema> & { path?: unknown };
    return { ok: true, value: created };
  }

  async deleteProfile(name: string): Promise<DashboardResult<true>> {
    const answer = await this.#call(
      "DELETE",
      `/api/profiles/${encodeURIComponent(name)}`,
      undefined,
      okSchema,
      true,
    );
    return answer.ok ? { ok: true, value: true } : answer;
  }

  /**
   * Hermes' hub search (GET /api/skills/hub/search): its sources searched in parallel on the host,
   * which waits up to 30 s for slow ones — this one call may take `timeoutMs`. The rows are
   * returned unchecked (the caller checks them like typed identifiers).
   */
  async hubSearch(query: string, limit: number, timeoutMs: number): Promise<DashboardResult<unknown[]>> {
    const answer = await this.#call(
      "GET",
      `/api/skills/hub/search?q=${encodeURIComponent(query)}&limit=${limit}`,
      undefined,
      z.object({ results: z.array(z.unknown()) }).loose(),
      true,
      timeoutMs,
    );
    return answer.ok ? { ok: true, value: answer.value.results } : answer;
  }

  /** A profile's config.yaml as text (GET /api/config/raw); "" when it has none. */
  async rawConfig(profile: string): Promise<DashboardResult<string>> {
    const answer = await this.#call(
      "GET",
      `/api/config/raw?profile=${encodeURIComponent(profile)}`,
      undefined,
      rawConfigSchema,
      true,
    );
    return answer.ok ? { ok: true, value: answer.value.yaml } : answer;
  }

  /** Replaces a profile's config.yaml (PUT /api/config/raw): Hermes parses, normalizes and saves it. */
  async putRawConfig(profile: string, yamlText: string): Promise<DashboardResult<true>> {
    const answer = await this.#call(
      "PUT",
      `/api/config/raw?profile=${encodeURIComponent(profile)}`,
      { yaml_text: yamlText, profile },
      okSchema,
      true,
    );
    return answer.ok ? { ok: true, value: true } : answer;
  }

  /** Writes a profile's SOUL.md (PUT /api/profiles/{name}/soul). */
  async putSoul(profile: string, content: string): Promise<DashboardResult<true>> {
    const answer = await this.#call(
      "PUT",
      `/api/profiles/${encodeURIComponent(profile)}/soul`,
      { content },
      anyObjectSchema,
      true,
    );
    return answer.ok ? { ok: true, value: true } : answer;
  }

  /** The skills Hermes finds in a profile (GET /api/skills?profile=). */
  skills(profile: string): Promise<DashboardResult<DashboardSkill[]>> {
    return this.#call(
      "GET",
      `/api/skills?profile=${encodeURIComponent(profile)}`,
      undefined,
      z.array(skillSchema),
      true,
    );
  }

  /**
   * The .env keys of a profile that hold a value (GET /api/env?profile=). Hermes lists every key it
   * knows with `is_set`; only names are kept, never the redacted values it also sends.
   */
  async envKeysSet(profile: string): Promise<DashboardResult<string[]>> {
    const answer = await this.#call(
      "GET",
      `/api/env?profile=${encodeURIComponent(profile)}`,
      undefined,
      z.record(z.string(), envEntrySchema),
      true,
    );
    if (!answer.ok) return answer;
    return {
      ok: true,
      value: Object.entries(answer.value)
        .filter(([, entry]) => entry.is_set === true)
        .map(([key]) => key),
    };
  }

  /**
   * Writes one variable into a profile's .env (PUT /api/env?profile=). The value is a secret: it is
   * sent in the body only, and no answer or failure of this call repeats it.
   */
  async setEnv(profile: string, key: string, value: string): Promise<DashboardResult<true>> {
    const answer = await this.#call(
      "PUT",
      `/api/env?profile=${encodeURIComponent(profile)}`,
      { key, value, profile },
      anyObjectSchema,
      true,
    );
    return answer.ok ? { ok: true, value: true } : answer;
  }

  /** Removes one variable from a profile's .env (DELETE /api/env?profile=); a key not there is "not found". */
  async deleteEnv(profile: string, key: string): Promise<DashboardResult<true>> {
    const answer = await this.#call(
      "DELETE",
      `/api/env?profile=${encodeURIComponent(profile)}`,
      { key, profile },
      anyObjectSchema,
      true,
    );
    return answer.ok ? { ok: true, value: true } : answer;
  }

  /**
   * Starts `hermes -p <profile> skills install <id> --yes` on the host (POST /api/skills/hub/install);
   * the answer names the action whose log `actionStatus` tails.
   */
  async installHubSkill(profile: string, identifier: string): Promise<DashboardResult<string>> {
    const answer = await this.#call(
      "POST",
      `/api/skills/hub/install?profile=${encodeURIComponent(profile)}`,
      { identifier, profile },
      actionStartedSchema,
      false,
    );
    return answer.ok ? { ok: true, value: answer.value.name } : answer;
  }

  /** GET /api/actions/{name}/status: whether the action still runs, its exit code, its last lines. */
  actionStatus(name: string, lines = 200): Promise<DashboardResult<DashboardActionStatus>> {
    return this.#call(
      "GET",
      `/api/actions/${encodeURIComponent(name)}/status?lines=${lines}`,
      undefined,
      actionStatusSchema,
      true,
    );
  }

  async #call<T>(
    method: string,
    route: string,
    body: unknown,
    schema: z.ZodType<T>,
    idempotent: boolean,
    timeoutMs = this.#timeoutMs,
  ): Promise<DashboardResult<T>> {
    for (let attempt = 0; ; attempt++) {
      const outcome = await this.#once(method, route, body, schema, timeoutMs);
      const retryable =
        outcome.ok === false &&
        (idempotent
          ? ["network", "server"].includes(outcome.failure.fault)
          : outcome.refusedConnection === true);
      const delay = this.#retryDelays[attempt];
      if (!retryable || delay === undefined)
        return outcome.ok ? outcome : { ok: false, failure: outcome.failure };
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }

  async #once<T>(
    method: string,
    route: string,
    body: unknown,
    schema: z.ZodType<T>,
    timeoutMs: number,
  ): Promise<{ ok: true; value: T } | { ok: false; failure: DashboardFailure; refusedConnection?: boolean }> {
    let response: Response;
    try {
      response = await fetch(`${this.#root}${route}`, {
        method,
        headers: {
          "X-Hermes-Session-Token": this.#token,
          accept: "application/json",
          ...(body === undefined ? {} : { "content-type": "application/json" }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(timeoutMs),
        redirect: "error",
      });
    } catch (error) {
      const code = (error as { cause?: { code?: string } }).cause?.code;
      const timedOut = (error as Error).name === "TimeoutError";
      return {
        ok: false,
        refusedConnection: code === "ECONNREFUSED",
        failure: {
          fault: "network",
          message: timedOut
            ? `Hermes at ${this.host} did not answer in ${timeoutMs < 1000 ? `${timeoutMs} ms` : `${Math.round(timeoutMs / 1000)} s`}. Check that it is running and reachable, then try again.`
            : `Hermes at ${this.host} cannot be reached (${code ?? "no connection"}). Check that \`hermes serve\` runs there and the address is right.`,
        },
      };
    }
    const text = await readCapped(response);
    if (!response.ok) return { ok: false, failure: this.#statusFailure(response.status, text) };
    let json: unknown;
    try {
      json = JSON.parse(text ?? "");
    } catch {
      return { ok: false, failure: this.#garbage(response.status) };
    }
    const parsed = schema.safeParse(json);
    return parsed.success
      ? { ok: true, value: parsed.data }
      : { ok: false, failure: this.#garbage(response.status) };
  }

  #statusFailure(status: number, text: string | undefined): DashboardFailure {
    const said = hermesDetail(text);
    if (status === 401)
      return {
        fault: "token",
        status,
        message: `Hermes at ${this.host} refused the token (401). Check HERMES_TOKEN against HERMES_DASHBOARD_SESSION_TOKEN on that host; it may have changed.`,
      };
    if (status === 403)
      return {
        fault: "forbidden",
        status,
        message: `Hermes at ${this.host} does not allow this (403)${said}.`,
      };
    if (status === 404)
      return {
        fault: "not found",
        status,
        message: `Hermes at ${this.host} has no such thing (404)${said}.`,
      };
    if (status >= 500)
      return {
        fault: "server",
        status,
        message: `Hermes at ${this.host} failed (${status})${said}. Try again later, or look at its log.`,
      };
    return {
      fault: "refused",
      status,
      message: `Hermes at ${this.host} refused the request (${status})${said}.`,
    };
  }

  #garbage(status: number): DashboardFailure {
    return {
      fault: "garbage",
      status,
      message: `Something at ${this.host} answered, but not as Hermes' dashboard does. Check the address (a proxy or another service?).`,
    };
  }
}

/** The body, unless it is larger than any answer of the dashboard (then it is not one). */
async function readCapped(response: Response): Promise<string | undefined> {
  const length = Number(response.headers.get("content-length") ?? "0");
  if (length > MAX_ANSWER_BYTES) {
    await response.body?.cancel();
    return undefined;
  }
  const text = await response.text();
  return text.length > MAX_ANSWER_BYTES ? undefined : text;
}

/**
 * Hermes' own `detail` text, shortened and with any absolute path replaced: Hermes puts folder
 * paths of its machine into some errors, and those must not reach a chat.
 */
function hermesDetail(text: string | undefined): string {
  let detail: unknown;
  try {
    detail = (JSON.parse(text ?? "") as { detail?: unknown }).detail;
  } catch {
    return "";
  }
  if (typeof detail !== "string" || detail.trim() === "") return "";
  const cleaned = detail
    .replace(/(?:\/[^\s/'"]+)+\/?/g, "…")
    .replace(/\s+/g, " ")
    .trim()
    .slice(0, 200);
  return `: ${cleaned}`;
}
