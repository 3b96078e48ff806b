// The bounds of the replicated mode's HTTP server, one named constant each: what it reads, how
// long it waits for a client, for the readiness check and for a stop. Tests show each one holding.

/**
 * The largest request body read. A Telegram update is a few KB (a 4,096-character message with
 * its entities and a replied-to message stays well under 64 KB); a Discord interaction is of the
 * same order. A larger body is refused with 413 before the rest of it is read.
 */
export const INGRESS_BODY_MAX_BYTES = 1024 * 1024;

/** How long a client may take to send its request headers (Node's server.headersTimeout). */
export const INGRESS_HEADERS_TIMEOUT_MS = 10_000;

/**
 * How long a client may take to send its whole request (Node's server.requestTimeout): a slow
 * sender cannot hold a socket open for ever. It bounds receiving only, not our answer.
 */
export const INGRESS_REQUEST_TIMEOUT_MS = 30_000;

/**
 * How often Node looks for requests past those two timeouts (its own default, 30 s, would let a
 * slow client hold a socket for up to 30 s longer than the bound says).
 */
export const INGRESS_TIMEOUT_CHECK_MS = 1_000;

/** /readyz waits this long for the readiness check; an answer that has not come by then is 503. */
export const READY_CHECK_TIMEOUT_MS = 2_000;

/**
 * A stop lets requests being answered finish for this long, then cuts their connections (a
 * Telegram update cut so is delivered again, to this replica after a restart or to another).
 */
export const INGRESS_STOP_DRAIN_MS = 5_000;
