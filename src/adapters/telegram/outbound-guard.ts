// Every call the bot makes to Telegram passes this transformer, so nothing reaches a chat that has
// not been made safe (../shared/outbound-text.ts): not the wizard, not a command's reply, not a toast, a
// prompt or a button label, whichever code path built it. A text still over Telegram's limit after
// that (a redaction marker is longer than a short secret) is cut instead of refused.
import type { Transformer } from "grammy";
import { CALLBACK_ANSWER_MAX_CHARS, TELEGRAM_MESSAGE_MAX_CHARS } from "./limits.ts";
import { capChars } from "../../core/outside-text.ts";
import { safeOutboundPayload, type Redactor } from "../shared/outbound-text.ts";

export { CALLBACK_ANSWER_MAX_CHARS };

/** What a message says when nothing in it was fit to send. */
export const NOTHING_PRINTABLE = "(nothing printable)";

/** The most characters of the `text` field Telegram takes, by method. */
const TEXT_MAX_CHARS: Readonly<Record<string, number>> = {
  sendMessage: TELEGRAM_MESSAGE_MAX_CHARS,
  editMessageText: TELEGRAM_MESSAGE_MAX_CHARS,
  answerCallbackQuery: CALLBACK_ANSWER_MAX_CHARS,
};

/** A payload as it may go to Telegram: every string safe, `text` within the method's limit. */
export function guardTelegramPayload<P>(method: string, payload: P, secrets: Redactor | undefined): P {
  if (
    method === "setWebhook" &&
    payload !== null &&
    typeof payload === "object" &&
    "secret_token" in payload
  ) {
    // The webhook's secret is sent to Telegram on purpose (it is how Telegram proves a delivery
    // is its own), in a field no chat ever shows: redacting it would register "[redacted]".
    const { secret_token: secretToken, ...rest } = payload as Record<string, unknown>;
    return { ...safeOutboundPayload(rest, secrets), secret_token: secretToken } as P;
  }
  const safe = safeOutboundPayload(payload, secrets);
  const max = TEXT_MAX_CHARS[method];
  if (max === undefined || safe === null || typeof safe !== "object") return safe;
  const text = (safe as { text?: unknown }).text;
  if (typeof text !== "string") return safe;
  if (text.length > max) return { ...safe, text: capChars(text, max) };
  // A message of nothing but removed characters would be refused as empty; a toast may be empty.
  if (text.trim() === "" && method !== "answerCallbackQuery") return { ...safe, text: NOTHING_PRINTABLE };
  return safe;
}

export function telegramOutboundGuard(secrets: Redactor | undefined): Transformer {
  return (prev, method, payload, signal) =>
    prev(method, guardTelegramPayload(method, payload, secrets), signal);
}
