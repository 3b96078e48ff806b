// A client of CommonGround's profile management API (v1r4), for profiles made in a CommonGround
// project. Every answer is read the one bounded way (net/upstream-http.ts): a server that breaks
// off, trickles or floods costs one failure, never a throw. Reads are retried a bounded number of
// times; an upload or a delete only when nothing was sent (the connection was refused), since the
// server may have acted on a request whose answer was lost — the caller lists first and again.
// Failures name the server by host alone; what it says is quoted only through the bot's
// KnownSecrets (the token is never repeated) and cleaned for a chat.
import { randomBytes } from "node:crypto";
import { z } from "zod";
import { OUTSIDE_DETAIL_MAX_CHARS } from "../../core/outside-text.ts";
import { KnownSecrets } from "../secrets/known-secrets.ts";
import { decodeJson, upstreamRequest, withRetries, type UpstreamAnswer } from "../net/upstream-http.ts";

/** One request, headers and body, before it counts as the server not answering. */
export const CG_REQUEST_TIMEOUT_MS = 15_000;
/** Extra tries of a read after a network fault or a 5xx, with these pauses between them. */
export const CG_RETRY_DELAYS_MS = [250, 1000] as const;
/** An answer larger than this is not one of the profile API's: the read stops there. */
export const CG_ANSWER_MAX_BYTES = 4 * 1024 * 1024;
/** Profiles asked per page of the list, and pages read at most (a project of 2,000 profiles). */
export const CG_PAGE_SIZE = 100;
export const CG_PAGES_MAX = 20;

/** The Profile object the API answers with (it echoes no more than these). */
const profileSchema = z
  .object({
    name: z.string().min(1).max(500),
    worker_target: z.string().max(500).optional(),
    tags: z.array(z.string().max(500)).max(1000).optional(),
    system_prompt_compiled: z
      .string()
      .max(1024 * 1024)
      .optional(),
    updated_at: z.string().max(100).optional(),
  })
  .loose();

export type CgListedProfile = z.infer<typeof profileSchema>;

export interface CgFailure {
  readonly fault: "token" | "not found" | "refused" | "server" | "network" | "garbage";
  readonly status?: number;
  /** For a person: names the server and what to do; holds no token. */
  readonly message: string;
  /** The request went out but its answer could not be read: it may have taken effect. */
  readonly unread?: boolean;
}

export type CgResult<T> = { ok: true; value: T } | { ok: false; failure: CgFailure };

export interface CgClientOptions {
  /** The management API's root, e.g. http://127.0.0.1:8000 */
  readonly url: string;
  readonly project: string;
  /** Sent as `Authorization: Bearer …` when the operator put the API behind a proxy that checks one. */
  readonly token?: string;
  readonly timeoutMs?: number;
  readonly retryDelaysMs?: readonly number[];
  readonly secrets?: KnownSecrets;
}

export class CommonGroundClient {
  readonly host: string;
  readonly project: string;
  readonly #root: string;
  readonly #token: string | undefined;
  readonly #timeoutMs: number;
  readonly #retryDelays: readonly number[];
  readonly #secrets: KnownSecrets;

  constructor(options: CgClientOptions) {
    const root = new URL(options.url);
    this.host = root.host;
    this.project = options.project;
    this.#root = root.origin + root.pathname.replace(/\/+$/, "");
    this.#token = options.token;
    this.#secrets = options.secrets ?? new KnownSecrets();
    if (options.token) this.#secrets.add(options.token);
    this.#timeoutMs = options.timeoutMs ?? CG_REQUEST_TIMEOUT_MS;
    this.#retryDelays = options.retryDelaysMs ?? CG_RETRY_DELAYS_MS;
  }

  #profiles(suffix = ""): string {
    return `/projects/${encodeURIComponent(this.project)}/profiles${suffix}`;
  }

  /** Every profile of the project, page by page (the API answers a bare array per page). */
  async listProfiles(): Promise<CgResult<CgListedProfile[]>> {
    const all: CgListedProfile[] = [];
    for (let page = 0; page < CG_PAGES_MAX; page++) {
      const answer = await this.#call(
        "GET",
        this.#profiles(`?limit=${CG_PAGE_SIZE}&offset=${page * CG_PAGE_SIZE}`),
      );
      if (!answer.ok) return answer;
      const parsed = z.array(profileSchema).safeParse(answer.value);
      if (!parsed.success) return { ok: false, failure: this.#garbage() };
      all.push(...parsed.data);
      if (parsed.data.length < CG_PAGE_SIZE) return { ok: true, value: all };
    }
    return { ok: true, value: all };
  }

  async getProfile(name: string): Promise<CgResult<CgListedProfile>> {
    const answer = await this.#call("GET", this.#profiles(`/${encodeURIComponent(name)}`));
    if (!answer.ok) return answer;
    const parsed = profileSchema.safeParse(answer.value);
    return parsed.success ? { ok: true, value: parsed.data } : { ok: false, failure: this.#garbage() };
  }

  /** Uploads a profile document (multipart, field `file`); never retried once anything was sent. */
  async upload(yamlText: string): Promise<CgResult<CgListedProfile>> {
    const boundary = `----agent-blueprint-${randomBytes(12).toString("hex")}`;
    const body = [
      `--${boundary}`,
      'Content-Disposition: form-data; name="file"; filename="profile.yaml"',
      "Content-Type: application/x-yaml",
      "",
      yamlText,
      `--${boundary}--`,
      "",
    ].join("\r\n");
    const answer = await this.#call(
      "POST",
      this.#profiles(),
      body,
      `multipart/form-data; boundary=${boundary}`,
    );
    if (!answer.ok) return answer;
    const parsed = profileSchema.safeParse(answer.value);
    return parsed.success
      ? { ok: true, value: parsed.data }
      : { ok: false, failure: { ...this.#garbage(), unread: true } };
  }

  async deleteProfile(name: string): Promise<CgResult<true>> {
    const answer = await this.#call("DELETE", this.#profiles(`/${encodeURIComponent(name)}`));
    return answer.ok ? { ok: true, value: true } : answer;
  }

  async #call(method: string, path: string, body?: string, contentType?: string): Promise<CgResult<unknown>> {
    const read = method === "GET";
    const attempt = () =>
      upstreamRequest({
        url: new URL(this.#root + path),
        method,
        headers: {
          accept: "application/json",
          ...(contentType ? { "content-type": contentType } : {}),
          ...(this.#token ? { authorization: `Bearer ${this.#token}` } : {}),
        },
        ...(body !== undefined ? { body } : {}),
        maxBytes: CG_ANSWER_MAX_BYTES,
        deadlineMs: this.#timeoutMs,
      });
    const retryable = (answer: UpstreamAnswer) =>
      answer.ok ? read && answer.status >= 500 : read || answer.fault === "refused";
    const answer = await withRetries(attempt, this.#retryDelays, retryable);
    if (!answer.ok) return { ok: false, failure: this.#transport(answer) };
    if (answer.status === 204) return { ok: true, value: undefined };
    const json = decodeJson(answer.body);
    if (answer.status >= 200 && answer.status < 300)
      return json.ok
        ? { ok: true, value: json.value }
        : { ok: false, failure: { ...this.#garbage(), unread: !read } };
    return { ok: false, failure: this.#status(answer.status, json.ok ? json.value : undefined) };
  }

  #where(): string {
    return `CommonGround at ${this.host}`;
  }

  #garbage(): CgFailure {
    return {
      fault: "garbage",
      message: `${this.#where()} answered with something that is not its profile API's answer. Check COMMONGROUND_URL (a proxy or another service?).`,
    };
  }

  #transport(answer: Extract<UpstreamAnswer, { ok: false }>): CgFailure {
    const seconds = Math.round(this.#timeoutMs / 1000);
    const messages: Record<typeof answer.fault, string> = {
      timeout: `${this.#where()} did not answer in ${seconds} s. Check that it is running, then try again.`,
      refused: `${this.#where()} cannot be reached (${answer.code ?? "no connection"}). Check that its management API runs there and COMMONGROUND_URL is right.`,
      unreachable: `${this.#where()} cannot be reached (${answer.code ?? "no connection"}). Check COMMONGROUND_URL.`,
      broken: `${this.#where()} broke off its answer (${answer.code ?? "connection closed"}). Try again.`,
      "too large": `Something at ${this.host} answered with more than ${CG_ANSWER_MAX_BYTES / (1024 * 1024)} MiB, which no answer of the profile API is; the read was stopped.`,
    };
    return {
      fault: answer.fault === "too large" ? "garbage" : "network",
      message: messages[answer.fault],
      ...(answer.fault === "refused" || answer.fault === "unreachable" ? {} : { unread: true }),
    };
  }

  /** `{"detail": {"error_code", "error_message"}}` or FastAPI's validation list, quoted safely. */
  #status(status: number, json: unknown): CgFailure {
    const detail = (json as { detail?: unknown } | undefined)?.detail;
    const text = (value: unknown) => (typeof value === "string" ? value : "");
    const said =
      detail && typeof detail === "object" && !Array.isArray(detail)
        ? text((detail as Record<string, unknown>)["error_message"])
        : Array.isArray(detail)
          ? detail.map((item: unknown) => text((item as Record<string, unknown> | null)?.["msg"])).join("; ")
          : "";
    const quoted = this.#secrets.quote(said, OUTSIDE_DETAIL_MAX_CHARS);
    const because = quoted ? `: ${quoted}` : "";
    if (status === 401 || status === 403)
      return {
        fault: "token",
        status,
        message: `${this.#where()} refused the token (${status}). Check COMMONGROUND_TOKEN.`,
      };
    if (status === 404)
      return { fault: "not found", status, message: `${this.#where()}: not found${because}.` };
    if (status >= 500)
      return {
        fault: "server",
        status,
        message: `${this.#where()} failed (${status})${because}. Try again later.`,
      };
    return { fault: "refused", status, message: `${this.#where()} refused it (${status})${because}.` };
  }
}
