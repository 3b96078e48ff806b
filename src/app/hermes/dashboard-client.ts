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
// The shapes it sends and reads are in dashboard-schemas.ts, how it words a failure in
// dashboard-failures.ts; the dashboard backend (dashboard-backend.ts) uses it.
import { z } from "zod";
import { ENV_VAR_NAME_PATTERN } from "../../core/limits.ts";
import {
  cleanOutsideText,
  OUTSIDE_LABEL_MAX_CHARS,
  profileNameFromOutside,
} from "../../core/outside-text.ts";
import { KnownSecrets } from "../secrets/known-secrets.ts";
import { decodeJson, upstreamRequest, withRetries, worstCaseMs } from "../net/upstream-http.ts";
import {
  garbageFailure,
  statusFailure,
  transportFailure,
  type DashboardFailure,
} from "./dashboard-failures.ts";
import {
  actionStartedSchema,
  actionStatusSchema,
  anyObjectSchema,
  createdSchema,
  envEntrySchema,
  listSchema,
  okSchema,
  profileSchema,
  rawConfigSchema,
  skillContentSchema,
  skillSchema,
  soulSchema,
  type DashboardActionStatus,
  type DashboardCreated,
  type DashboardProfile,
  type DashboardProfileCreate,
  type DashboardSkill,
} from "./dashboard-schemas.ts";

// Named here too for the callers that know the client only.
export type { DashboardFailure } from "./dashboard-failures.ts";
export type { DashboardActionStatus } from "./dashboard-schemas.ts";

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

export type DashboardResult<T> = { ok: true; value: T } | { ok: false; failure: DashboardFailure };

/** A profile a host listed: its texts cleaned for showing, its description also as the host has it. */
export type ListedProfile = DashboardProfile & { readonly descriptionAsIs?: string };

/** The profiles a host listed that are real ones, and how many entries were not (dropped). */
export type DashboardListing =
  { ok: true; value: ListedProfile[]; skipped: number } | { ok: false; failure: DashboardFailure };

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
    const profiles: ListedProfile[] = [];
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

  /** A profile's SOUL.md (GET /api/profiles/{name}/soul); undefined when it has none. */
  async soul(profile: string): Promise<DashboardResult<string | undefined>> {
    const answer = await this.#call(
      "GET",
      `/api/profiles/${encodeURIComponent(profile)}/soul`,
      undefined,
      soulSchema,
      true,
    );
    if (!answer.ok) return answer;
    return { ok: true, value: answer.value.exists === false ? undefined : answer.value.content };
  }

  /** Sets a profile's description in its profile.yaml (PUT /api/profiles/{name}/description; "" clears it). */
  async putDescription(profile: string, description: string): Promise<DashboardResult<true>> {
    const answer = await this.#call(
      "PUT",
      `/api/profiles/${encodeURIComponent(profile)}/description`,
      { description },
      okSchema,
      true,
    );
    return answer.ok ? { ok: true, value: true } : answer;
  }

  /**
   * One skill's SKILL.md text (GET /api/skills/content?name=&profile=). Hermes' answer also names
   * the file's path on its machine; only the text is kept.
   */
  async skillText(profile: string, skill: string): Promise<DashboardResult<string>> {
    const answer = await this.#call(
      "GET",
      `/api/skills/content?name=${encodeURIComponent(skill)}&profile=${encodeURIComponent(profile)}`,
      undefined,
      skillContentSchema,
      true,
    );
    return answer.ok ? { ok: true, value: answer.value.content } : answer;
  }

  /**
   * The skills of the dashboard's own profile (GET /api/skills, no profile), unchecked rows: what
   * the host seeds a new profile with is among them (provenance "bundled"). One try within `timeoutMs`
   * beyond a refused connection: a wizard step waits on it.
   */
  ownSkills(timeoutMs: number): Promise<DashboardResult<unknown[]>> {
    return this.#call("GET", "/api/skills", undefined, z.array(z.unknown()), false, timeoutMs);
  }

  /** The host's MCP catalog (GET /api/mcp/catalog), unchecked rows; tried like `ownSkills`. */
  async mcpCatalog(timeoutMs: number): Promise<DashboardResult<unknown[]>> {
    const answer = await this.#call(
      "GET",
      "/api/mcp/catalog",
      undefined,
      z.object({ entries: z.array(z.unknown()) }).loose(),
      false,
      timeoutMs,
    );
    return answer.ok ? { ok: true, value: answer.value.entries } : answer;
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
    if (!answer.ok)
      return { ok: false, ...transportFailure(this.host, answer, timeoutMs, DASHBOARD_ANSWER_MAX_BYTES) };
    const json = decodeJson(answer.body);
    if (answer.status < 200 || answer.status > 299)
      return {
        ok: false,
        failure: statusFailure(this.host, answer.status, json.ok ? json.value : undefined, this.#secrets),
      };
    if (!json.ok)
      return { ok: false, failure: { ...garbageFailure(this.host, answer.status), unread: true } };
    const parsed = schema.safeParse(json.value);
    return parsed.success
      ? { ok: true, value: parsed.data }
      : { ok: false, failure: { ...garbageFailure(this.host, answer.status), unread: true } };
  }
}

/**
 * A listed profile with the texts a host chose cleaned and capped for showing (the name is checked
 * already). The description as the host has it is kept apart (`descriptionAsIs`): the editor
 * compares, plans and undoes with it, never shows it unchecked.
 */
function cleanProfile(profile: DashboardProfile): ListedProfile {
  const clean = (text: string | null | undefined, max: number) =>
    typeof text === "string" ? cleanOutsideText(text, max) : text;
  return {
    ...profile,
    ...(typeof profile.description === "string" ? { descriptionAsIs: profile.description } : {}),
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
