// The Telegram surface through grammY, wired: the Bot, the transformers every API call passes
// (outbound guard, rate-limit and network retries), the middleware every update passes (per-chat
// order, the tracker a stop relies on) and the handlers. The work lives beside it: inbound.ts
// (presses, text, commands, the secret deep link), outbound.ts (wizard, status and reply
// messages), polling.ts (start-up, long polling, stop) or, with a webhook set, webhook.ts (start-up,
// stop) and webhook-endpoint.ts (updates over HTTP), update-tracker.ts, network-retry.ts, limits.ts.
import { inboundOnce } from "./inbound-once.ts";
import { sequentialize } from "@grammyjs/runner";
import { Bot, type Context } from "grammy";
import type { ChatRuntime } from "../../app/ports/chat-runtime.ts";
import type { PortResult, WizardOutput } from "../../app/ports/wizard-output.ts";
import type { Logger } from "../../app/system/logger.ts";
import type { View } from "../../core/view.ts";
import type { WizardState } from "../../core/wizard/index.ts";
import type { IngressHandler } from "../http/ingress-types.ts";
import type { Redactor } from "../shared/outbound-text.ts";
import { TelegramInbound } from "./inbound.ts";
import { networkRetry, rateLimitRetry } from "./network-retry.ts";
import { telegramOutboundGuard } from "./outbound-guard.ts";
import { TelegramOutbound } from "./outbound.ts";
import { TakenUpdates } from "./taken-updates.ts";
import { TelegramPolling } from "./polling.ts";
import { UpdateTracker } from "./update-tracker.ts";
import { catchHandlerFailures, telegramWebhookEndpoint } from "./webhook-endpoint.ts";
import { TelegramWebhook, type WebhookSettings } from "./webhook.ts";

// Names tests and start-up read from here, wherever they now live.
export { telegramCommands } from "./commands.ts";
export { telegramActor } from "./inbound.ts";
export { CALLBACK_ANSWER_MAX_CHARS } from "./limits.ts";
export { AUTO_RETRY_MAX_DELAY_S, NETWORK_RETRIES, NETWORK_RETRY_DELAY_MS } from "./network-retry.ts";
export {
  POLL_RETRY_MS,
  POLL_TIMEOUT_S,
  STOP_CONFIRM_MS,
  STOP_DRAIN_MS,
  TELEGRAM_MAX_UPDATES_IN_FLIGHT,
} from "./polling.ts";
export { TELEGRAM_ALLOWED_UPDATES } from "./allowed-updates.ts";
export { TELEGRAM_SECRET_HEADER, WEBHOOK_ANSWER_WITHIN_MS } from "./webhook-endpoint.ts";
export type { WebhookSettings } from "./webhook.ts";

export interface TelegramOptions {
  readonly token: string;
  readonly apiRoot?: string;
  /** Telegram user ids allowed to use the bot; everyone else is refused with their id. */
  readonly allowedUsers: ReadonlySet<string>;
  /** The bot's secrets: redacted from everything sent to Telegram. */
  readonly secrets?: Redactor;
  /** Webhook mode: updates come over HTTP (`ingress`) instead of long polling. */
  readonly webhook?: WebhookSettings;
}

/** How updates reach the bot: long polling, or a webhook. */
interface UpdateSource {
  readonly stopRequested: boolean;
  run(): Promise<void>;
  stop(): Promise<void>;
}

export class TelegramAdapter implements WizardOutput {
  readonly bot: Bot;
  /** In webhook mode, what the HTTP server's POST /telegram hands each request to. */
  readonly ingress?: IngressHandler;
  readonly #source: UpdateSource;
  readonly #outbound: TelegramOutbound;

  constructor(runtime: ChatRuntime, options: TelegramOptions, logger: Logger) {
    this.bot = new Bot(options.token, options.apiRoot ? { client: { apiRoot: options.apiRoot } } : {});
    const address = options.apiRoot ?? "https://api.telegram.org";
    const tracker = new UpdateTracker(logger);
    let source: UpdateSource;
    let taken: TakenUpdates | undefined;
    if (options.webhook) {
      const webhook = new TelegramWebhook(
        this.bot,
        address,
        logger,
        tracker,
        options.webhook,
        options.secrets,
      );
      source = webhook;
      taken = new TakenUpdates();
      this.ingress = telegramWebhookEndpoint(this.bot, {
        secret: options.webhook.secret,
        serving: () => webhook.serving,
        logger,
        taken,
      });
    } else source = new TelegramPolling(this.bot, address, logger, tracker);
    this.#source = source;
    this.#outbound = new TelegramOutbound(this.bot);
    const inbound = new TelegramInbound(runtime, this.bot, this.#outbound, options.allowedUsers, logger);
    // Installed first, so it is the innermost: every call, whoever makes it and each of its retries,
    // is made safe right before it is sent.
    this.bot.api.config.use(telegramOutboundGuard(options.secrets));
    this.bot.api.config.use(rateLimitRetry());
    this.bot.api.config.use(networkRetry({ logger, address, stopping: () => source.stopRequested }));
    // Outermost: a duplicate never reaches a handler; an unanswerable store is the webhook's 503.
    this.bot.use(inboundOnce(runtime, taken));
    // Polling's runner hands a failed update to bot.catch itself; a webhook request would not.
    if (options.webhook) this.bot.use(catchHandlerFailures(this.bot));
    // Per-chat order: a chat's presses and messages are handled one after another, other chats meanwhile.
    this.bot.use(sequentialize((ctx: Context) => (ctx.chat ? String(ctx.chat.id) : undefined)));
    this.bot.use(tracker.middleware());
    this.bot.on("callback_query:data", (ctx) => inbound.onPress(ctx));
    this.bot.on("message:text", (ctx) => inbound.onText(ctx));
    this.bot.catch((error) => logger.error({ reason: error.message }, "telegram update failed"));
  }

  /** Registers the command menu, then polls (or sets the webhook and waits) until stopped. */
  run(): Promise<void> {
    return this.#source.run();
  }

  /** Drains the updates in flight (and when polling confirms the offset), each within a deadline. */
  stop(): Promise<void> {
    return this.#source.stop();
  }

  render(state: WizardState, view: View): Promise<string> {
    return this.#outbound.render(state, view);
  }

  notify(state: WizardState, actorId: string, text: string): Promise<void> {
    return this.#outbound.notify(state, actorId, text);
  }

  sendStatus(chat: string, view: View): Promise<PortResult> {
    return this.#outbound.sendStatus(chat, view);
  }

  editStatus(chat: string, ref: string, view: View): Promise<PortResult> {
    return this.#outbound.editStatus(chat, ref, view);
  }
}
