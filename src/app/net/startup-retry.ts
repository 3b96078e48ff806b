// Reaching a platform's API at start-up: a few tries with growing pauses, each failure logged with
// the platform, the address and the error, then a clear stop (exit code 3) instead of a silent
// hang or a raw stack trace. Only network failures are retried; an answer from the API (a refused
// token, a bad request) is returned to the caller at once.
import { EXIT, StartupError } from "../system/exit.ts";
import type { Logger } from "../system/logger.ts";

/** Tries before giving up: 1 + 3 retries after 0.5, 1 and 2 s (about 3.5 s in all). */
export const STARTUP_ATTEMPTS = 4;
export const STARTUP_FIRST_DELAY_MS = 500;

const NETWORK_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ENOTFOUND",
  "EAI_AGAIN",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EPIPE",
  "UND_ERR_CONNECT_TIMEOUT",
  "UND_ERR_SOCKET",
]);

/** The network error code somewhere in an error's cause chain (fetch, grammY's HttpError), if any. */
export function networkErrorCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current !== null && typeof current === "object"; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string" && NETWORK_CODES.has(code)) return code;
    const next =
      (current as { cause?: unknown; error?: unknown }).cause ?? (current as { error?: unknown }).error;
    current = next;
  }
  return undefined;
}

export interface Endpoint {
  /** "Telegram", "Discord". */
  readonly platform: string;
  /** Where the bot was trying to go: the API root, never a URL with a token in it. */
  readonly address: string;
  /** The variable that sets the address, for the message. */
  readonly variable: string;
}

export async function withStartupRetries<T>(
  endpoint: Endpoint,
  attempt: () => Promise<T>,
  logger: Logger,
  sleep: (ms: number) => Promise<void> = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
): Promise<T> {
  let delay = STARTUP_FIRST_DELAY_MS;
  for (let tried = 1; ; tried++) {
    try {
      return await attempt();
    } catch (error) {
      const code = networkErrorCode(error);
      if (!code) throw error;
      const { platform, address } = endpoint;
      if (tried >= STARTUP_ATTEMPTS)
        throw new StartupError(
          `${platform}: the API at ${address} cannot be reached (${code}) after ${tried} tries. Check the network, or ${endpoint.variable} if it points elsewhere, then start again.`,
          EXIT.environment,
        );
      logger.warn(
        { platform, address, error: code, attempt: tried, retryInMs: delay },
        `${platform} API unreachable at start-up; retrying`,
      );
      await sleep(delay);
      delay *= 2;
    }
  }
}
