// A client of Hermes 0.19's own dashboard API (`hermes serve`, `hermes dashboard`), for a bot that
// runs on another machine than Hermes (issue 13). Every call sends the session token in
// `X-Hermes-Session-Token`; every failure is sorted into what the operator must do about it — a
// wrong token is not a network fault — and described by the host alone, never the token, never a
// path Hermes put into its error text. Reads are retried a bounded number of times; a create is
// retried only when the connection was refused before anything was sent. Every answer is read the
// one bounded way (net/upstream-http.ts): a host that breaks off, trickles or floods costs one
// failure value, never a throw; what it says is quoted only through the bot's KnownSecrets (the token
// sent and any key written are never repeated), and profile names it lists must follow Hermes' rule.
//
// The shapes here are the ones checked against the pinned `hermes serve`
// (test/hermes-host/dashboard.test.ts); the dashboard backend (dashboard-backend.ts) uses them.
import { z } from "zod";
import { ENV_VAR_NAME_PATTERN } from "../../core/limits.ts";
import {
  cleanOutsideText,
  OUTSIDE_DETAIL_MAX_CHARS,
  OUTSIDE_LABEL_MAX_CHARS,
  profileNameFromOutside,
} from "../../core/outside-text.ts";
import { KnownSecrets } from "../known-secrets.ts";
import {
  decodeJson,
  upstreamRequest,
  withRetries,
  worstCaseMs,
  type UpstreamAnswer,
} from "../net/upstream-http.ts";

/** How long one request may take, headers and body, before it counts as the host not answering. */
export const DASHBOARD_REQUEST_TIMEOUT_MS = 15_000;
/** Extra tries of a read after a network fault or a 5xx, with these pauses between them. */
export const DASHBOARD_RETRY_DELAYS_MS = [250, 1000] as const;
/** The longest one read can take with the default timeout and retries (about 46 s). */
export const DASHBOARD_READ_WORST_CASE_MS = worstCaseMs(
  DASHBOARD_REQUEST_TIMEOUT_MS,
  DASHBOARD_RETRY_DELAYS_MS,
);
/** An answer larger than this is not one of the dashboard's: the read stops there. */
export const DASHBOARD_ANSWER_MAX_BYTES = 4 * 1024 * 1024;
/** A description a host lists for a profile, as shown. */
export const DASHBOARD_DESCRIPTION_MAX_CHARS = 200;

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
  /**
   * The request went out but its answer could not be read (timed out, broken off, too large, not
   * what the endpoint returns): it may have taken effect on the host.
   */
  readonly unread?: boolean;
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

const listSchema = z.object({ profiles: z.array(z.unknown()) }).loose();

/** The profiles a host listed that are real ones, and how many entries were not (dropped). */
export type DashboardListing =
  { ok: true; value: DashboardProfile[]; skipped: number } | { ok: false; failure: DashboardFailure };

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
  /** Every secret the bot holds (the token and keys sent here are added): never quoted back. */
  readonly secrets?: KnownSecrets;
}

type Outcome<T> =
  { ok: true; value: T } | { ok: false; failure: DashboardFailure; refusedConnection?: boolean };

export class DashboardClient {
  readonly host: string;
  readonly #root: string;
  readonly #token: string;
  readonly #timeoutMs: number;
  readonly #retryDelays: readonly number[];
  readonly #secrets: KnownSecrets;

  constructor(options: DashboardClientOptions) {
    const root = new URL(options.url);
    this.host = root.host;
    this.#root = root.origin + root.pathname.replace(/\/+$/, "");
    this.#token = options.token;
    this.#secrets = options.secrets ?? new KnownSecrets();
    this.#secrets.add(options.token);
    this.#timeoutMs = options.timeoutMs ?? DASHBOARD_REQUEST_TIMEOUT_MS;
    this.#retryDelays = options.retryDelaysMs ?? DASHBOARD_RETRY_DELAYS_MS;
  }

  /**
   * The host's profiles whose names follow Hermes' name rule (anything else is dropped and counted:
   * a name with escapes or line breaks is not one Hermes made), their texts cleaned and capped.
   */
  async listProfiles(): Promise<DashboardListing> {
    const answer = await this.#call("GET", "/api/profiles", undefined, listSchema, true);
    if (!answer.ok) return answer;
    const profiles: DashboardProfile[] = [];
    for (const entry of answer.value.profiles) {
      const parsed = profileSchema.safeParse(entry);
      const name = parsed.success ? profileNameFromOutside(parsed.data.name) : undefined;
      if (parsed.success && name !== undefined) profiles.push(cleanProfile(parsed.data));
    }
    return { ok: true, value: profiles, skipped: answer.value.profiles.length - profiles.length };
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
   * knows with `is_set`; only names are kept, never the redacted values it also sends, and only
   * names a .env line can hold (anything else a host lists is not a key and is not shown).
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
        .filter(([key, entry]) => entry.is_set === true && HOST_ENV_KEY_PATTERN.test(key))
        .map(([key]) => key),
    };
  }

  /**
   * Writes one variable into a profile's .env (PUT /api/env?profile=). The value is a secret: it is
   * sent in the body only, and no answer or failure of this call repeats it.
   */
  async setEnv(profile: string, key: string, value: string): Promise<DashboardResult<true>> {
    // Known before it is sent: a host that echoes the body into its error cannot make us quote it.
    this.#secrets.add(value);
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

  #call<T>(
    method: string,
    route: string,
    body: unknown,
    schema: z.ZodType<T>,
    idempotent: boolean,
    timeoutMs = this.#timeoutMs,
  ): Promise<DashboardResult<T>> {
    return withRetries(
      () => this.#once(method, route, body, schema, timeoutMs),
      this.#retryDelays,
      (outcome) =>
        !outcome.ok &&
        (idempotent
          ? outcome.failure.fault === "network" || outcome.failure.fault === "server"
          : outcome.refusedConnection === true),
    ).then((outcome) => (outcome.ok ? outcome : { ok: false, failure: outcome.failure }));
  }

  async #once<T>(
    method: string,
    route: string,
    body: unknown,
    schema: z.ZodType<T>,
    timeoutMs: number,
  ): Promise<Outcome<T>> {
    const answer = await upstreamRequest({
      url: new URL(`${this.#root}${route}`),
      method,
      headers: {
        "X-Hermes-Session-Token": this.#token,
        accept: "application/json",
        ...(body === undefined ? {} : { "content-type": "application/json" }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      maxBytes: DASHBOARD_ANSWER_MAX_BYTES,
      deadlineMs: timeoutMs,
    });
    if (!answer.ok) return this.#transportFailure(answer, timeoutMs);
    const json = decodeJson(answer.body);
    if (answer.status < 200 || answer.status > 299)
      return { ok: false, failure: this.#statusFailure(answer.status, json.ok ? json.value : undefined) };
    if (!json.ok) return { ok: false, failure: { ...this.#garbage(answer.status), unread: true } };
    const parsed = schema.safeParse(json.value);
    return parsed.success
      ? { ok: true, value: parsed.data }
      : { ok: false, failure: { ...this.#garbage(answer.status), unread: true } };
  }

  #transportFailure(answer: Extract<UpstreamAnswer, { ok: false }>, timeoutMs: number): Outcome<never> {
    const { host } = this;
    const messages: Record<typeof answer.fault, string> = {
      timeout: `Hermes at ${host} did not answer in ${timeoutMs < 1000 ? `${timeoutMs} ms` : `${Math.round(timeoutMs / 1000)} s`}. Check that it is running and reachable, then try again.`,
      refused: `Hermes at ${host} cannot be reached (${answer.code ?? "no connection"}). Check that \`hermes serve\` runs there and the address is right.`,
      unreachable: `Hermes at ${host} cannot be reached (${answer.code ?? "no connection"}). Check that \`hermes serve\` runs there and the address is right.`,
      broken: `Hermes at ${host} broke off its answer (${answer.code ?? "connection closed"}). Try again; if it keeps happening, check the host and any proxy in front of it.`,
      "too large": `Something at ${host} answered with more than ${DASHBOARD_ANSWER_MAX_BYTES / (1024 * 1024)} MiB, which no answer of Hermes' dashboard is; the read was stopped. Check the address (a proxy or another service?).`,
    };
    return {
      ok: false,
      refusedConnection: answer.fault === "refused",
      failure: {
        fault: answer.fault === "too large" ? "garbage" : "network",
        message: messages[answer.fault],
        ...(answer.fault === "refused" || answer.fault === "unreachable" ? {} : { unread: true }),
      },
    };
  }

  #statusFailure(status: number, json: unknown): DashboardFailure {
    const said = this.#detail(json);
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
    if (status >= 300 && status < 400)
      return {
        fault: "garbage",
        status,
        message: `Something at ${this.host} redirected the request (${status}); the bot follows no redirect. Set the dashboard's own address (a proxy in front of it?).`,
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

  /**
   * Hermes' own `detail` text, fit to quote: one clean line, no secret the bot holds (a host may
   * echo the token it was sent), every absolute path replaced, at most OUTSIDE_DETAIL_MAX_CHARS.
   */
  #detail(json: unknown): string {
    const detail =
      json !== null && typeof json === "object" ? (json as { detail?: unknown }).detail : undefined;
    if (typeof detail !== "string") return "";
    const redacted = this.#secrets.quote(detail, Number.MAX_SAFE_INTEGER).replace(HOST_PATH, "…");
    const quoted = cleanOutsideText(redacted, OUTSIDE_DETAIL_MAX_CHARS);
    return quoted === "" ? "" : `: ${quoted}`;
  }

  #garbage(status: number): DashboardFailure {
    return {
      fault: "garbage",
      status,
      message: `Something at ${this.host} answered, but not as Hermes' dashboard does. Check the address (a proxy or another service?).`,
    };
  }
}

/** A listed profile with the texts a host chose cleaned and capped (the name is checked already). */
function cleanProfile(profile: DashboardProfile): DashboardProfile {
  const clean = (text: string | null | undefined, max: number) =>
    typeof text === "string" ? cleanOutsideText(text, max) : text;
  return {
    ...profile,
    model: clean(profile.model, OUTSIDE_LABEL_MAX_CHARS),
    provider: clean(profile.provider, OUTSIDE_LABEL_MAX_CHARS),
    description: clean(profile.description, DASHBOARD_DESCRIPTION_MAX_CHARS),
  };
}

/**
 * A .env key a host lists: the core's variable-name rule, but in either case. Hermes 0.19 accepts
 * and lists lower-case names (its config.py allows [A-Za-z_][A-Za-z0-9_]*, and GET /api/env lists
 * custom keys a user put into .env), while the core's rule is the stricter one for keys the bot writes.
 */
const HOST_ENV_KEY_PATTERN = new RegExp(ENV_VAR_NAME_PATTERN.source, "i");

/** An absolute path of the host's machine: Hermes puts folder paths into some errors. */
const HOST_PATH = /(?:\/[^\s/'"]+)+\/?/g;
