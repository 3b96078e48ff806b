// Telegram's limits the adapter designs around (the Bot API documentation), one named constant each.
// The test fake checks the same numbers independently.

/** One message's text, in characters (after entity parsing; the bot sends plain text). */
export const TELEGRAM_MESSAGE_MAX_CHARS = 4096;
