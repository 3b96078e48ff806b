// Buttons are stateless pointers: `w:<sessionId>:<rev>:<action>[:<arg>]`, within Telegram's 64 bytes of callback_data. Everything
// else is looked up in the session, so a token stays far inside Telegram's 64-byte callback_data.
import { BUTTON_TOKEN_MAX_BYTES } from "../limits.ts";
import { fail, ok, type Result } from "../result.ts";
import { utf8ByteLength } from "../text-rules.ts";

export interface ButtonPress {
  readonly sessionId: string;
  readonly rev: number;
  readonly action: string;
  readonly arg?: string;
}

export const BUTTON_TOKEN_PREFIX = "w:";
export const SESSION_ID_PATTERN = /^[a-z0-9]{4,16}$/;
const TOKEN_PATTERN = /^w:([a-z0-9]{4,16}):(\d{1,9}):([a-z]{1,8})(?::([A-Za-z0-9_.-]{1,24}))?$/;

/** Builds a token. Our ids, revs and actions are bounded, so an oversized token is a bug: it throws. */
export function encodeButtonToken(sessionId: string, rev: number, action: string, arg?: string): string {
  const token = `${BUTTON_TOKEN_PREFIX}${sessionId}:${rev}:${action}${arg === undefined ? "" : `:${arg}`}`;
  if (utf8ByteLength(token) > BUTTON_TOKEN_MAX_BYTES || !TOKEN_PATTERN.test(token)) {
    throw new Error(`bug: button token out of bounds: ${token}`);
  }
  return token;
}

/** Reads a token from a platform payload; anything else is refused with a code, never thrown. */
export function parseButtonToken(raw: string): Result<ButtonPress> {
  if (utf8ByteLength(raw) > BUTTON_TOKEN_MAX_BYTES) {
    return fail("token_too_long", { max: BUTTON_TOKEN_MAX_BYTES });
  }
  const match = TOKEN_PATTERN.exec(raw);
  if (!match?.[1] || !match[2] || !match[3]) return fail("token_malformed");
  const press: { sessionId: string; rev: number; action: string; arg?: string } = {
    sessionId: match[1],
    rev: Number(match[2]),
    action: match[3],
  };
  if (match[4] !== undefined) press.arg = match[4];
  return ok(press);
}
