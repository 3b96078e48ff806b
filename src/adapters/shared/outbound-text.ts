// The last line before a chat or a terminal: every text an adapter sends passes here, whatever
// produced it. Values from outside are cleaned where they enter (core/outside-text.ts), but a reply
// is assembled from many places, and one that forgot would put a host's token into a public channel
// or a clear-screen sequence onto a terminal. So every outbound text loses terminal escapes, control
// and C1 characters (newline and tab stay: they are our own layout), bidi overrides and zero-width
// characters, and every secret the bot holds is replaced by "[redacted]".
import type { KnownSecrets } from "../../app/secrets/known-secrets.ts";
import { TERMINAL_ESCAPES } from "../../core/outside-text.ts";
import { replaceDisallowedChars } from "../../core/text-rules.ts";

/** What the adapters need of the bot's secrets: their redaction. */
export type Redactor = Pick<KnownSecrets, "redact">;

/** `text` fit to send: no escape sequence, no invisible or control character but \n and \t, no secret. */
export function safeOutboundText(text: string, secrets: Redactor | undefined): string {
  // Cleaned first, so a secret split by invisible characters is whole again when it is looked for.
  const plain = replaceDisallowedChars(text.replace(TERMINAL_ESCAPES, ""), "");
  return secrets ? secrets.redact(plain) : plain;
}

/**
 * A request payload (plain objects, arrays, strings, numbers) with every string made safe; anything
 * else (a file object, a buffer) is passed on as it is. The payload given is not changed.
 */
export function safeOutboundPayload<T>(payload: T, secrets: Redactor | undefined): T {
  return walk(payload, secrets) as T;
}

/**
 * Fields that are the bot's own identifiers, never text a person reads: button tokens it made
 * (Telegram's callback_data, Discord's custom_id). Changing one would break its button, and a key
 * someone typed that happens to match part of one must not do that.
 */
const MACHINE_FIELDS: ReadonlySet<string> = new Set(["callback_data", "custom_id"]);

function walk(value: unknown, secrets: Redactor | undefined): unknown {
  if (typeof value === "string") return safeOutboundText(value, secrets);
  if (Array.isArray(value)) return value.map((item) => walk(item, secrets));
  if (value === null || typeof value !== "object") return value;
  const prototype = Object.getPrototypeOf(value) as unknown;
  if (prototype !== Object.prototype && prototype !== null) return value;
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>).map(([key, item]) => [
      key,
      MACHINE_FIELDS.has(key) ? item : walk(item, secrets),
    ]),
  );
}
