// The Telegram surface through grammY, wired: the Bot, the transformers every API call passes
// (outbound guard, rate-limit and network retries), the middleware every update passes (per-chat
// order, the tracker a stop relies on) and the handlers. The work lives beside it: inbound.ts
// (presses, text, commands, the secret deep link), outbound.ts (wizard, status and reply
// messages), polling.ts (start-up, long polling, stop), network-retry.ts, limits.ts.
import { sequentialize } from "@grammyjs/runner";
import { Bot, type Context } from "grammy";
import type { ChatRuntime } from "../../app/ports/chat-runtime.ts";
import type { PortResult, WizardOutput } from "../../app/ports/wizard-output.ts";
import type { Logger } from "../../app/system/logger.ts";
import type { View } from "../../core/view.ts";
import type { WizardState } from "../../core/wizard/index.ts";
import type { Redactor } from "../shared/outbound-text.ts";
import { TelegramInbound } from "./inbound.ts";
import { networkRetry, rateLimitRetry } from "./network-retry.ts";
import { telegramOutboundGuard } from "./outbound-guard.ts";
import { TelegramOutbound } from "./outbound.ts";
import { TelegramPolling } from "./polling.ts";

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

export interface TelegramOptions {
  readonly token: string;
  readonly apiRoot?: string;
  /** Telegram user ids allowed to use the bot; everyone else is refused with their id. */
  readonly allowedUsers: ReadonlySet<string>;
  /** The bot's secrets: redacted from everything sent to Telegram. */
  readonly secrets?: Redactor;
}

export class TelegramAdapter implements WizardOutput {
  readonly bot: Bot;
  readonly #polling: TelegramPolling;
  readonly #outbound: TelegramOutbound;

  constructor(runtime: ChatRuntime, options: TelegramOptions, logger: Logger) {
    this.bot = new Bot(options.token, options.apiRoot ? { client: { apiRoot: options.apiRoot } } : {});
    const address = options.apiRoot ?? "https://api.telegram.org";
    const polling = new TelegramPolling(this.bot, address, logger);
    this.#polling = polling;
    this.#outbound = new TelegramOutbound(this.bot);
    const inbound = new TelegramInbound(runtime, this.bot, this.#outbound, options.allowedUsers, logger);
    // Installed first, so it is the innermost: every call, whoever makes it and each of its retries,
    // is made safe right before it is sent.
    this.bot.api.config.use(telegramOutboundGuard(options.secrets));
    this.bot.api.config.use(rateLimitRetry());
    this.bot.api.config.use(networkRetry({ logger, address, stopping: () => polling.stopRequested }));
    // Per-chat order: a chat's presses and messages are handled one after another, other chats meanwhile.
    this.bot.use(sequentialize((ctx: Context) => (ctx.chat ? String(ctx.chat.id) : undefined)));
    this.bot.use(polling.tracker());
    this.bot.on("callback_query:data", (ctx) => inbound.onPress(ctx));
    this.bot.on("message:text", (ctx) => inbound.onText(ctx));
    this.bot.catch((error) => logger.error({ reason: error.message }, "telegram update failed"));
  }

  /** Registers the command menu, then polls until stopped. */
  run(): Promise<void> {
    return this.#polling.run();
  }

  /** Drains the updates in flight and confirms the offset, each within a deadline (polling.ts). */
  stop(): Promise<void> {
    return this.#polling.stop();
  }

  render(state: WizardState, view: View): Promise<void> {
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
