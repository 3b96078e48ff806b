// Retries of Bot API calls, as two grammY transformers: auto-retry for Telegram's own "slow down"
// answers (429, 5xx), and ours for calls that failed on the network (a kept-alive socket the
// server closed as we sent, a blip). Both are bounded, so a start or a stop never waits on an
// unreachable API; start-up calls and getUpdates are left to the retries of their own.
import { autoRetry } from "@grammyjs/auto-retry";
import type { Transformer } from "grammy";
import { networkErrorCode } from "../../app/net/startup-retry.ts";
import type { Logger } from "../../app/system/logger.ts";

/** Rate-limit waits auto-retry sleeps through before the error reaches the progress reporter. */
export const AUTO_RETRY_MAX_DELAY_S = 10;
/** More tries of an API call that failed on the network, NETWORK_RETRY_DELAY_MS × try apart. */
export const NETWORK_RETRIES = 2;
export const NETWORK_RETRY_DELAY_MS = 250;
/** Calls with retries of their own: start-up's bounded tries, and the runner's polling. */
export const RETRIED_ELSEWHERE: ReadonlySet<string> = new Set([
  "getMe",
  "setMyCommands",
  "deleteWebhook",
  "setWebhook",
  "getUpdates",
]);

/**
 * Retries of calls Telegram answered with 429 or 5xx. rethrowHttpErrors: network failures reach
 * networkRetry instead of being retried forever inside one call (auto-retry's attempt limit counts
 * only 429 and 5xx answers), so start and stop stay bounded.
 */
export function rateLimitRetry(): Transformer {
  return autoRetry({ maxRetryAttempts: 3, maxDelaySeconds: AUTO_RETRY_MAX_DELAY_S, rethrowHttpErrors: true });
}

export interface NetworkRetryOptions {
  readonly logger: Logger;
  /** The API root, for the log line: never a URL with the token in it. */
  readonly address: string;
  /** True once the bot is stopping: a stop does not wait out retries. */
  readonly stopping: () => boolean;
  /** How a pause between tries is waited (tests pass their own). */
  readonly sleep?: (ms: number) => Promise<void>;
}

/**
 * A call that fails on the network is tried again, NETWORK_RETRIES more times at most, unless it
 * is retried elsewhere, its signal was aborted or the bot is stopping. Every network failure is
 * logged, retried or not, so an unreachable API shows in the log whichever call met it.
 */
export function networkRetry(options: NetworkRetryOptions): Transformer {
  const { logger, address, stopping } = options;
  const sleep = options.sleep ?? ((ms) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  return async (prev, method, payload, signal) => {
    for (let attempt = 0; ; attempt++) {
      try {
        return await prev(method, payload, signal);
      } catch (error) {
        const code = networkErrorCode(error);
        if (code)
          logger.warn(
            { platform: "Telegram", address, method, error: code, attempt: attempt + 1 },
            "Telegram API unreachable",
          );
        const retry =
          code !== undefined &&
          !RETRIED_ELSEWHERE.has(method) &&
          attempt < NETWORK_RETRIES &&
          !signal?.aborted &&
          !stopping();
        if (!retry) throw error;
        await sleep(NETWORK_RETRY_DELAY_MS * (attempt + 1));
      }
    }
  };
}
