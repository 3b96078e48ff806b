// The bot's life in webhook mode (TELEGRAM_WEBHOOK_URL): start-up calls with bounded retries
// (getMe, the command menu, setWebhook), then nothing to run — updates arrive over HTTP at the
// endpoint of webhook-endpoint.ts — until a stop, which waits for the updates being handled.
// There is no polling loop at all: Telegram answers getUpdates with 409 while a webhook is set.
import { GrammyError, type Bot } from "grammy";
import { withStartupRetries } from "../../app/net/startup-retry.ts";
import { EXIT, StartupError } from "../../app/system/exit.ts";
import type { Logger } from "../../app/system/logger.ts";
import type { Redactor } from "../shared/outbound-text.ts";
import { TELEGRAM_ALLOWED_UPDATES } from "./allowed-updates.ts";
import { telegramCommands } from "./commands.ts";
import { STOP_DRAIN_MS } from "./polling.ts";
import type { UpdateTracker } from "./update-tracker.ts";
import { waitUntil } from "./wait.ts";

export interface WebhookSettings {
  /** The public URL registered with setWebhook (the configuration refuses one holding a secret). */
  readonly url: string;
  /** Sent by Telegram in X-Telegram-Bot-Api-Secret-Token with every update; checked on each. */
  readonly secret: string;
}

export class TelegramWebhook {
  #stopRequested = false;
  readonly #stopped: Promise<void>;
  #markStopped: () => void = () => undefined;

  constructor(
    private readonly bot: Bot,
    /** The API root, for log lines: never a URL with the token in it. */
    private readonly address: string,
    private readonly logger: Logger,
    private readonly tracker: UpdateTracker,
    private readonly settings: WebhookSettings,
    private readonly secrets?: Redactor,
  ) {
    this.#stopped = new Promise((resolve) => (this.#markStopped = resolve));
  }

  get stopRequested(): boolean {
    return this.#stopRequested;
  }

  /**
   * Whether an update that arrives now can be handled: the bot knows itself (getMe answered) and
   * is not stopping. Until then the endpoint answers 503, and Telegram delivers the update again.
   */
  get serving(): boolean {
    return this.bot.isInited() && !this.#stopRequested;
  }

  /** Registers the command menu and the webhook, then waits until stopped. */
  async run(): Promise<void> {
    const endpoint = { platform: "Telegram", address: this.address, variable: "TELEGRAM_API_ROOT" };
    // Not bot.init(): grammY retries a failing getMe there without end. botInfo set here counts as init.
    if (!this.bot.isInited())
      this.bot.botInfo = await withStartupRetries(endpoint, () => this.bot.api.getMe(), this.logger);
    await withStartupRetries(endpoint, () => this.bot.api.setMyCommands(telegramCommands()), this.logger);
    if (this.#stopRequested) return;
    await this.#setWebhook(endpoint);
    this.logger.info(
      { platform: "Telegram", webhook: shownUrl(this.settings.url) },
      "Telegram webhook set: updates arrive over HTTP",
    );
    await this.#stopped;
  }

  /**
   * Ends run() and lets the updates being handled finish (at most STOP_DRAIN_MS). The webhook is
   * left set on purpose: it belongs to the deployment, not to this process. Other replicas still
   * serve it, and during a rolling deploy a deleteWebhook here would stop Telegram delivering to
   * all of them (it would hold every update until some replica set it again).
   */
  async stop(): Promise<void> {
    this.#stopRequested = true;
    this.#markStopped();
    const drained = await waitUntil(() => this.tracker.inFlight === 0, STOP_DRAIN_MS);
    if (!drained)
      this.logger.warn(
        { platform: "Telegram", stillHandling: this.tracker.inFlight, waitedMs: STOP_DRAIN_MS },
        "stopping while Telegram updates are still being handled; their effects may be incomplete",
      );
  }

  /**
   * setWebhook with the same allowed_updates polling asks for, and drop_pending_updates false said
   * outright: updates that waited while no replica served them are delivered, never dropped.
   * Telegram's refusal (a URL it cannot use) stops the start with its reason; the error itself is
   * never passed on, as its payload holds the secret token.
   */
  async #setWebhook(endpoint: Parameters<typeof withStartupRetries>[0]): Promise<void> {
    const { url, secret } = this.settings;
    try {
      await withStartupRetries(
        endpoint,
        () =>
          this.bot.api.setWebhook(url, {
            secret_token: secret,
            allowed_updates: [...TELEGRAM_ALLOWED_UPDATES],
            drop_pending_updates: false,
          }),
        this.logger,
      );
    } catch (error) {
      if (error instanceof StartupError) throw error;
      const reason = error instanceof GrammyError ? error.description : (error as Error).message;
      const quoted = this.secrets ? this.secrets.redact(reason) : reason;
      throw new StartupError(
        `Telegram refused the webhook ${shownUrl(url)}: ${quoted}. Set TELEGRAM_WEBHOOK_URL to a public https URL on port 443, 80, 88 or 8443 that reaches this bot's POST /telegram.`,
        EXIT.environment,
      );
    }
  }
}

/** The webhook URL as logged: scheme, host, port and path (a query string is left out). */
export function shownUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.origin}${parsed.pathname}`;
  } catch {
    return "(not a URL)";
  }
}
