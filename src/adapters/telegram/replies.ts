// A command's Reply on Telegram: split at 4,096 characters, and never more than a few messages. Each
// message counts against Telegram's rate (about one per second per chat, 20 a minute in a group),
// so a flood of parts would hold the chat for minutes and other replies behind it.
import { type Reply } from "../../core/reply.ts";
import { TELEGRAM_MAX_MESSAGES_PER_REPLY, TELEGRAM_MESSAGE_MAX_CHARS } from "./limits.ts";
import { boundedParts } from "../shared/reply-bound.ts";

export { TELEGRAM_MAX_MESSAGES_PER_REPLY };

/** The messages of a reply, the last one saying how much did not fit and how to ask for less. */
export function telegramReplyParts(answer: Reply): string[] {
  return boundedParts(
    `${answer.ok ? "" : "✗ "}${answer.text}`,
    TELEGRAM_MESSAGE_MAX_CHARS,
    TELEGRAM_MAX_MESSAGES_PER_REPLY,
    (leftOut) =>
      `… about ${leftOut.toLocaleString("en-US")} more characters not shown: a reply here is at most ${TELEGRAM_MAX_MESSAGES_PER_REPLY} messages. Ask for one thing at a time, e.g. /profile_show <name>.`,
  );
}
