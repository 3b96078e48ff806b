// The bot's life against Telegram's getUpdates: start-up calls with bounded retries (getMe, the
// command menu, removing a webhook), long polling through @grammyjs/runner (updates handled
// concurrently, a bounded number in flight), and a stop that drains the updates being handled and
// confirms the offset, each within a deadline, so a stop never hangs on an unreachable API.
import { run, type RunnerHandle } from "@grammyjs/runner";
import type { Bot } from "grammy";
import { networkErrorCode, withStartupRetries } from "../../app/net/startup-retry.ts";
import type { Logger } from "../../app/system/logger.ts";
import { TELEGRAM_ALLOWED_UPDATES } from "./allowed-updates.ts";
import { telegramCommands } from "./commands.ts";
import type { UpdateTracker } from "./update-tracker.ts";
import { waitUntil, withDeadline } from "./wait.ts";

/** How long a stop waits for Telegram to confirm the update offset. */
export const STOP_CONFIRM_MS = 3000;
/** How long a stop waits for updates already being handled (a Create writing its profile) to end. */
export const STOP_DRAIN_MS = 3000;
/**
 * Updates handled at once (the runner's own default). The runner stops fetching while this many are
 * in flight, so a burst cannot grow memory without bound (an update in flight holds a few KB);
 * updates of one chat still run one after another. At 100, 500 busy chats left 400 updates
 * waiting at Telegram while Discord's were all being handled: p99 15 s in the load benchmark.
 */
export const TELEGRAM_MAX_UPDATES_IN_FLIGHT = 500;
/** Pause between getUpdates tries while Telegram is unreachable (grammY's own polling waits 3 s too). */
export const POLL_RETRY_MS = 3000;
/** The long-polling timeout sent with getUpdates (Telegram's recommended range is 10–50 s). */
export const POLL_TIMEOUT_S = 30;

export class TelegramPolling {
  #polling: RunnerHandle | undefined;
  #stopRequested = false;

  constructor(
    private readonly bot: Bot,
    /** The API root, for log lines: never a URL with the token in it. */
    private readonly address: string,
    private readonly logger: Logger,
    /** The updates handed to the handlers: a stop confirms every update up to the newest. */
    private readonly tracker: UpdateTracker,
  ) {}

  /** True once stop() was called: retries stop, and a start not yet polling does not begin. */
  get stopRequested(): boolean {
    return this.#stopRequested;
  }

  /** Registers the command menu, then polls until stopped. */
  async run(): Promise<void> {
    const endpoint = { platform: "Telegram", address: this.address, variable: "TELEGRAM_API_ROOT" };
    // Not bot.init(): grammY retries a failing getMe there without end. botInfo set here counts as init.
    if (!this.bot.isInited())
      this.bot.botInfo = await withStartupRetries(endpoint, () => this.bot.api.getMe(), this.logger);
    await withStartupRetries(endpoint, () => this.bot.api.setMyCommands(telegramCommands()), this.logger);
    // As grammY's bot.start() does: getUpdates is refused (409) while a webhook is set. Pending
    // updates are kept, so presses made while the bot was down are still answered.
    await withStartupRetries(
      endpoint,
      () => this.bot.api.deleteWebhook({ drop_pending_updates: false }),
      this.logger,
    );
    if (this.#stopRequested) return;
    // Past this point the runner retries a failing getUpdates every POLL_RETRY_MS (each failure is
    // logged by the network-retry transformer); 401 and 409 end it, and run() rejects with the reason.
    this.#polling = run(this.bot, {
      runner: {
        fetch: { timeout: POLL_TIMEOUT_S, allowed_updates: [...TELEGRAM_ALLOWED_UPDATES] },
        retryInterval: POLL_RETRY_MS,
        silent: true,
      },
      sink: { concurrency: TELEGRAM_MAX_UPDATES_IN_FLIGHT },
    });
    await this.#polling.task();
  }

  /**
   * Stops fetching, lets the updates in flight finish (at most STOP_DRAIN_MS), then confirms the
   * update offset with Telegram (at most STOP_CONFIRM_MS): with the API unreachable the confirmation
   * cannot be had, and a stop must not wait for the network. Updates not confirmed come again after
   * a restart; wizards ignore stale presses.
   */
  async stop(): Promise<void> {
    this.#stopRequested = true;
    const polling = this.#polling;
    if (!polling) return;
    this.#polling = undefined;
    await polling.stop();
    const drained = await waitUntil(() => polling.size() === 0, STOP_DRAIN_MS);
    if (!drained)
      this.logger.warn(
        { platform: "Telegram", stillHandling: polling.size(), waitedMs: STOP_DRAIN_MS },
        "stopping while Telegram updates are still being handled; they may be handled again after a restart",
      );
    const highest = this.tracker.highestUpdateId;
    if (highest < 0) return;
    const confirm = () => this.bot.api.getUpdates({ offset: highest + 1, limit: 1, timeout: 0 });
    const outcome = await withDeadline(confirm(), STOP_CONFIRM_MS).then(
      (result) => result,
      (error: unknown) => {
        this.logger.warn(
          {
            platform: "Telegram",
            address: this.address,
            error: networkErrorCode(error) ?? (error as Error).message,
          },
          "could not confirm the update offset with Telegram; unconfirmed updates may arrive again after a restart",
        );
        return "failed" as const;
      },
    );
    if (outcome === "timeout")
      this.logger.warn(
        { platform: "Telegram", address: this.address, waitedMs: STOP_CONFIRM_MS },
        "Telegram did not answer the stop in time; unconfirmed updates may arrive again after a restart",
      );
  }
}
