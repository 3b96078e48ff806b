// Secret values live here, in memory only, from the private prompt until Create writes them to the
// profile's .env. They never enter the session store, a log line or a chat message: the profile's .env is the one place a secret is written.
import { SECRET_MAX_CHARS } from "../../core/limits.ts";
import { fail, ok, type Result } from "../../core/result.ts";
import type { KnownSecrets } from "./known-secrets.ts";

/** A key or token: one line of visible ASCII, no spaces (it becomes a plain KEY=VALUE line). */
const SECRET_PATTERN = /^[\x21-\x7e]+$/;

/**
 * A pasted `Bearer <token>` is the token: Hermes' MCP header template already says `Bearer ${…}`,
 * and Hermes itself strips the prefix on save (hermes_cli/mcp_config.py _strip_bearer_prefix).
 */
const BEARER_PREFIX = /^bearer\s+/i;

export function checkSecretValue(raw: string): Result<string> {
  const value = raw.trim().replace(BEARER_PREFIX, "");
  if (value === "") return fail("secret_empty");
  if (value.length > SECRET_MAX_CHARS) return fail("secret_too_long", { max: SECRET_MAX_CHARS });
  if (!SECRET_PATTERN.test(value)) return fail("secret_invalid");
  return ok(value);
}

export class SecretVault {
  readonly #bySession = new Map<string, Map<string, string>>();
  readonly #givenAt = new Map<string, Map<string, number>>();

  /** `known`: told of every value, so nothing the bot quotes or logs can repeat one. */
  constructor(private readonly known?: KnownSecrets) {}

  /** `givenAt`: the time the wizard records for this key, to tell this value from a later one typed elsewhere. */
  set(sessionId: string, env: string, value: string, givenAt?: number): void {
    this.known?.add(value);
    const values = this.#bySession.get(sessionId) ?? new Map<string, string>();
    values.set(env, value);
    this.#bySession.set(sessionId, values);
    if (givenAt === undefined) return;
    const times = this.#givenAt.get(sessionId) ?? new Map<string, number>();
    times.set(env, givenAt);
    this.#givenAt.set(sessionId, times);
  }

  /** When each held value was given, for the keys set with a time. */
  givenAtFor(sessionId: string): ReadonlyMap<string, number> {
    return this.#givenAt.get(sessionId) ?? new Map();
  }

  valuesFor(sessionId: string): ReadonlyMap<string, string> {
    return this.#bySession.get(sessionId) ?? new Map();
  }

  forget(sessionId: string): void {
    this.#bySession.delete(sessionId);
    this.#givenAt.delete(sessionId);
  }
}
