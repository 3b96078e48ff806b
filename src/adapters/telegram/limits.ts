// Telegram's limits the adapter designs around (the Bot API documentation), one named constant each,
// gathered here so every file that sends something checks the same numbers. The test fake checks
// them independently.

/** One message's text, in characters (after entity parsing; the bot sends plain text). */
export const TELEGRAM_MESSAGE_MAX_CHARS = 4096;

/** The text of a callback answer (the toast a button press shows). */
export const CALLBACK_ANSWER_MAX_CHARS = 200;

/** A command's description in the bot's command menu (setMyCommands). */
export const TELEGRAM_COMMAND_DESCRIPTION_MAX_CHARS = 256;

/** The placeholder a ForceReply prompt shows in the input field. */
export const TELEGRAM_INPUT_PLACEHOLDER_MAX_CHARS = 64;

/**
 * The most messages one reply is sent as — the bot's own bound, set by Telegram's rate (about one
 * message per second per chat, 20 a minute in a group): 20,480 characters, more than any reply of
 * the bot's own (a whole persona is about 6,000), and no more than five seconds of a chat's rate.
 */
export const TELEGRAM_MAX_MESSAGES_PER_REPLY = 5;
