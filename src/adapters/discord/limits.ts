// Discord's limits the adapter designs around (Discord's developer documentation), one named constant each. The test
// fake checks the same numbers independently.

/** Every interaction gets its first response within 3 s, exactly once. */
export const DISCORD_ACK_DEADLINE_MS = 3000;
/**
 * An interaction older than this when it reaches the bot is not answered: the answer still has to
 * travel back over the internet within the 3 s, and a late one fails with 10062, which counts
 * toward Discord's invalid-request limit. discord.js holds interactions that arrive while the
 * client is still starting, so right after a start some are already this old.
 */
export const DISCORD_ACK_BUDGET_MS = 2500;
/**
 * HTTP interactions mode: the bot's HTTP answer is the acknowledgement. When the handler has not
 * made its first response this long after the request reached the bot, a deferred type is answered
 * instead: Discord's 3 s count from the click and include its request's trip to the bot and the
 * answer's trip back, so a second is left for both.
 */
export const DISCORD_HTTP_ACK_BUDGET_MS = 2000;
/**
 * A signed request whose X-Signature-Timestamp is further than this from the bot's clock is
 * refused (401): a captured request cannot be replayed later, and real clocks drift by less.
 */
export const DISCORD_SIGNATURE_MAX_SKEW_MS = 5 * 60 * 1000;
/**
 * After an answer given over HTTP, Discord may take a moment before the interaction's webhook
 * exists: an edit or follow-up sent at once can get 404 Unknown Webhook (10015). Such a request
 * is sent again after each of these pauses, and only within the first this-many ms of the answer.
 */
export const DISCORD_ANSWER_PROPAGATION_RETRY_DELAYS_MS = [100, 300, 1000, 2000] as const;
export const DISCORD_ANSWER_PROPAGATION_WINDOW_MS = 10_000;

/** An interaction token edits its reply and sends follow-ups for 15 minutes. */
export const DISCORD_INTERACTION_TOKEN_TTL_MS = 15 * 60 * 1000;
/** We stop using a token a minute early, so an edit never races its expiry. */
export const INTERACTION_TOKEN_USABLE_MS = DISCORD_INTERACTION_TOKEN_TTL_MS - 60 * 1000;

/** Requests per second Discord allows a bot in total (bot-token routes: channel messages, DMs). */
export const DISCORD_GLOBAL_REQUESTS_PER_SECOND = 50;
/**
 * Interaction responses are exempt from that global limit (Discord's rate-limit docs), but
 * @discordjs/rest counts them against it; the client that answers interactions gets this ceiling.
 */
export const INTERACTION_REQUESTS_PER_SECOND = 1000;

/**
 * @discordjs/rest keeps one queue per interaction token route and sweeps idle ones hourly; at
 * thousands of interactions an hour that held gigabytes in the load benchmark. Tokens die after 15
 * minutes, so idle queues and bucket hashes are swept every minute and forgotten after 15.
 */
export const REST_HANDLER_SWEEP_MS = 60_000;
/**
 * Sockets the bot keeps open to Discord's API, both REST clients together. undici's default agent
 * opens one per request in flight, so 500 wizards answering at once held hundreds of keep-alive
 * sockets; past this bound requests wait for a free socket (Discord serves 50 requests/s per bot).
 */
export const DISCORD_REST_MAX_CONNECTIONS = 32;
/** How long an idle socket to Discord stays open for the next request. */
export const DISCORD_REST_KEEP_ALIVE_MS = 4000;
export const REST_HASH_LIFETIME_MS = DISCORD_INTERACTION_TOKEN_TTL_MS;

export const DISCORD_CUSTOM_ID_MAX_CHARS = 100;
export const DISCORD_ROWS_MAX = 5;
export const DISCORD_BUTTONS_PER_ROW_MAX = 5;
export const DISCORD_BUTTON_LABEL_MAX_CHARS = 80;
export const DISCORD_SELECT_OPTIONS_MAX = 25;
/** Label, value and description of one select option. */
export const DISCORD_SELECT_OPTION_MAX_CHARS = 100;
export const DISCORD_SELECT_PLACEHOLDER_MAX_CHARS = 150;

export const DISCORD_MODAL_TITLE_MAX_CHARS = 45;
export const DISCORD_MODAL_INPUTS_MAX = 5;
export const DISCORD_TEXT_INPUT_LABEL_MAX_CHARS = 45;
export const DISCORD_TEXT_INPUT_MAX_CHARS = 4000;
export const DISCORD_TEXT_INPUT_PLACEHOLDER_MAX_CHARS = 100;

export const DISCORD_AUTOCOMPLETE_CHOICES_MAX = 25;
/** Name and value of one autocomplete choice. */
export const DISCORD_CHOICE_MAX_CHARS = 100;

export const DISCORD_COMMAND_NAME_PATTERN = /^[-_a-z0-9]{1,32}$/;
export const DISCORD_COMMAND_DESCRIPTION_MAX_CHARS = 100;
export const DISCORD_COMMAND_OPTIONS_MAX = 25;
/** Names, descriptions and choices of one command together. */
export const DISCORD_COMMAND_TOTAL_CHARS_MAX = 8000;

/** Cuts text to `max` characters with an ellipsis (labels, titles, descriptions). */
export function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** One message's text (content), in characters. */
export const DISCORD_MESSAGE_MAX_CHARS = 2000;
/** A reply that would need more messages than this is sent as a file instead. */
export const DISCORD_MAX_MESSAGES_PER_REPLY = 4;
