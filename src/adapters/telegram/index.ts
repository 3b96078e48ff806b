// The Telegram surface through grammY: one wizard message edited in place, inline keyboards,
// ForceReply prompts for text in groups, secrets only in a private chat (deleted once read), and
// the install status message. Long polling through @grammyjs/runner handles updates concurrently,
// in order within each chat (sequentialize); every callback query is answered before any slow work.
import { autoRetry } from "@grammyjs/auto-retry";
import { run, sequentialize, type RunnerHandle } from "@grammyjs/runner";
import { networkErrorCode, withStartupRetries } from "../../app/net/startup-retry.ts";
import { Bot, GrammyError, type Context } from "grammy";
import type { Message, User } from "grammy/types";
import { commandEntries, parseCommand, type ParsedCommand } from "../../../commands/index.ts";
import type { PortResult } from "../../app/ports/wizard-output.ts";
import type { Logger } from "../../app/system/logger.ts";
import type { ChatRuntime } from "../../app/ports/chat-runtime.ts";
import type { WizardOutput } from "../../app/ports/wizard-output.ts";
import { parseButtonToken } from "../../core/tokens/button-token.ts";
import { describe } from "../../core/messages.ts";
import type { Reply } from "../../core/reply.ts";
import type { View } from "../../core/view.ts";
import type { Actor, WizardState } from "../../core/wizard/index.ts";
import type { Redactor } from "../shared/outbound-text.ts";
import { CALLBACK_ANSWER_MAX_CHARS, telegramOutboundGuard } from "./outbound-guard.ts";
import { renderTelegramView } from "./outbound.ts";
import { telegramReplyParts } from "./replies.ts";

export { CALLBACK_ANSWER_MAX_CHARS };
/** Rate-limit waits auto-retry sleeps through before the error reaches the progress reporter. */
export const AUTO_RETRY_MAX_DELAY_S = 10;
const DEEP_LINK_PREFIX = "s_";

export interface TelegramOptions {
  readonly token: string;
  readonly apiRoot?: string;
  /** Telegram user ids allowed to use the bot; everyone else is refused with their id. */
  readonly allowedUsers: ReadonlySet<string>;
  /** The bot's secrets: redacted from everything sent to Telegram. */
  readonly secrets?: Redactor;
}

export function telegramActor(user: User): Actor {
  return { id: `tg:${user.id}`, name: user.username ? `@${user.username}` : user.first_name };
}

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
/** More tries of an API call that failed on the network, NETWORK_RETRY_DELAY_MS × try apart. */
export const NETWORK_RETRIES = 2;
export const NETWORK_RETRY_DELAY_MS = 250;
/** Calls with retries of their own: start-up's bounded tries, and the runner's polling. */
const RETRIED_ELSEWHERE: ReadonlySet<string> = new Set([
  "getMe",
  "setMyCommands",
  "deleteWebhook",
  "getUpdates",
]);
/** The long-polling timeout sent with getUpdates (Telegram's recommended range is 10–50 s). */
export const POLL_TIMEOUT_S = 30;

export class TelegramAdapter implements WizardOutput {
  readonly bot: Bot;
  /** The wizard message of each session (recovered from the next press after a restart). */
  readonly #wizardMessages = new Map<string, number>();
  /** ForceReply prompts sent in groups, so a reply finds the wizard that asked. */
  readonly #prompts = new Map<string, string>();
  /** Private chats waiting for a secret, by user: the session it belongs to. */
  readonly #secretLinks = new Map<string, string>();
  readonly #lastPrompt = new Map<string, string>();
  #polling: RunnerHandle | undefined;
  #stopRequested = false;
  /** The newest update handed to the handlers: a stop confirms every update up to it. */
  #highestUpdateId = -1;

  constructor(
    private readonly runtime: ChatRuntime,
    private readonly options: TelegramOptions,
    private readonly logger: Logger,
  ) {
    this.bot = new Bot(options.token, options.apiRoot ? { client: { apiRoot: options.apiRoot } } : {});
    // Installed first, so it is the innermost: every call, whoever makes it and each of its retries,
    // is made safe right before it is sent.
    this.bot.api.config.use(telegramOutboundGuard(options.secrets));
    // rethrowHttpErrors: network failures reach us instead of being retried forever inside one call
    // (auto-retry's attempt limit counts only 429 and 5xx answers), so start and stop stay bounded.
    this.bot.api.config.use(
      autoRetry({ maxRetryAttempts: 3, maxDelaySeconds: AUTO_RETRY_MAX_DELAY_S, rethrowHttpErrors: true }),
    );
    // A call that fails on the network (a kept-alive socket the server closed as we sent, a blip) is
    // tried again, a bounded number of times; start-up calls and getUpdates have their own retries.
    this.bot.api.config.use(async (prev, method, payload, signal) => {
      for (let attempt = 0; ; attempt++) {
        try {
          return await prev(method, payload, signal);
        } catch (error) {
          const code = networkErrorCode(error);
          if (code)
            this.logger.warn(
              { platform: "Telegram", address: this.#address, method, error: code, attempt: attempt + 1 },
              "Telegram API unreachable",
            );
          const retry =
            code !== undefined &&
            !RETRIED_ELSEWHERE.has(method) &&
            attempt < NETWORK_RETRIES &&
            !signal?.aborted &&
            !this.#stopRequested;
          if (!retry) throw error;
          await new Promise((resolve) => setTimeout(resolve, NETWORK_RETRY_DELAY_MS * (attempt + 1)));
        }
      }
    });
    // Per-chat order: a chat's presses and messages are handled one after another, other chats meanwhile.
    this.bot.use(sequentialize((ctx: Context) => (ctx.chat ? String(ctx.chat.id) : undefined)));
    this.bot.use(async (ctx, next) => {
      const started = performance.now();
      this.#highestUpdateId = Math.max(this.#highestUpdateId, ctx.update.update_id);
      try {
        await next();
      } finally {
        this.logger.trace(
          { update_id: ctx.update.update_id, ms: Math.round(performance.now() - started) },
          "telegram update handled",
        );
      }
    });
    this.bot.on("callback_query:data", (ctx) => this.#onPress(ctx));
    this.bot.on("message:text", (ctx) => this.#onText(ctx));
    this.bot.catch((error) => this.logger.error({ reason: error.message }, "telegram update failed"));
  }

  /** Registers the command menu, then polls until stopped. */
  async run(): Promise<void> {
    const endpoint = { platform: "Telegram", address: this.#address, variable: "TELEGRAM_API_ROOT" };
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
    // logged by the API middleware above); 401 and 409 end it, and run() rejects with the reason.
    this.#polling = run(this.bot, {
      runner: {
        fetch: { timeout: POLL_TIMEOUT_S, allowed_updates: ["message", "callback_query"] },
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
    if (this.#highestUpdateId < 0) return;
    const confirm = () =>
      this.bot.api.getUpdates({ offset: this.#highestUpdateId + 1, limit: 1, timeout: 0 });
    const outcome = await withDeadline(confirm(), STOP_CONFIRM_MS).then(
      (result) => result,
      (error: unknown) => {
        this.logger.warn(
          {
            platform: "Telegram",
            address: this.#address,
            error: networkErrorCode(error) ?? (error as Error).message,
          },
          "could not confirm the update offset with Telegram; unconfirmed updates may arrive again after a restart",
        );
        return "failed" as const;
      },
    );
    if (outcome === "timeout")
      this.logger.warn(
        { platform: "Telegram", address: this.#address, waitedMs: STOP_CONFIRM_MS },
        "Telegram did not answer the stop in time; unconfirmed updates may arrive again after a restart",
      );
  }

  get #address(): string {
    return this.options.apiRoot ?? "https://api.telegram.org";
  }

  async render(state: WizardState, view: View): Promise<void> {
    const chatId = Number(state.chat);
    const extra =
      view.input?.kind === "secret" && chatId < 0
        ? [
            `Send it in a private chat: https://t.me/${this.bot.botInfo.username}?start=${DEEP_LINK_PREFIX}${state.id}`,
          ]
        : [];
    const screen = renderTelegramView(view, extra);
    const existing = this.#wizardMessages.get(state.id);
    const markup = screen.keyboard ? { reply_markup: screen.keyboard } : {};
    if (existing !== undefined) {
      await this.#edit(chatId, existing, screen.text, markup);
    } else {
      const sent = await this.bot.api.sendMessage(chatId, screen.text, markup);
      this.#wizardMessages.set(state.id, sent.message_id);
    }
    if (view.final) this.#wizardMessages.delete(state.id);
    if (view.input?.kind === "text" && chatId < 0) await this.#askInGroup(state, view.input.prompt);
  }

  async notify(state: WizardState, _actorId: string, text: string): Promise<void> {
    await this.bot.api.sendMessage(Number(state.chat), text);
  }

  async sendStatus(chat: string, view: View): Promise<PortResult> {
    const screen = renderTelegramView(view);
    return this.#port(async () => {
      const sent = await this.bot.api.sendMessage(
        Number(chat),
        screen.text,
        screen.keyboard ? { reply_markup: screen.keyboard } : {},
      );
      return String(sent.message_id);
    });
  }

  async editStatus(chat: string, ref: string, view: View): Promise<PortResult> {
    const screen = renderTelegramView(view);
    return this.#port(async () => {
      await this.bot.api.editMessageText(
        Number(chat),
        Number(ref),
        screen.text,
        screen.keyboard ? { reply_markup: screen.keyboard } : {},
      );
      return undefined;
    });
  }

  async #onPress(ctx: Context): Promise<void> {
    const query = ctx.callbackQuery;
    const data = query?.data;
    if (!query || data === undefined) return;
    const actor = telegramActor(query.from);
    if (!this.#allowed(query.from)) {
      await ctx.answerCallbackQuery({ text: toast(refusalFor(query.from)), show_alert: true });
      return;
    }
    const parsed = parseButtonToken(data);
    if (parsed.ok) {
      const session = this.runtime.peek(parsed.value.sessionId);
      if (!session) {
        // An ended wizard's button (a double click on Create, an old message): a toast, no chat message.
        await ctx.answerCallbackQuery({ text: toast(describe({ code: "session_missing" })) });
        return;
      }
      if (session.owner.id !== actor.id) {
        await ctx.answerCallbackQuery({
          text: toast(describe({ code: "not_owner", params: { owner: session.owner.name } })),
        });
        return;
      }
      // Answer first: the client spins until it is answered, and the answer expires in ~10 s.
      await ctx.answerCallbackQuery();
      if (query.message) this.#wizardMessages.set(session.id, query.message.message_id);
      const result = await this.runtime.press(data, actor);
      if (!result.ok && result.message && query.message)
        await this.bot.api.sendMessage(query.message.chat.id, result.message);
      return;
    }
    // Install and persona buttons: quick file operations, so their answer can be the toast itself.
    const result = await this.runtime.press(data, actor);
    await ctx.answerCallbackQuery({ text: toast(result.message ?? "") });
    if (result.reply && result.ok && query.message) await this.#reply(query.message.chat.id, result.reply);
  }

  async #onText(ctx: Context): Promise<void> {
    const message = ctx.message;
    if (!message?.text || !message.from) return;
    const from = message.from;
    const chatId = message.chat.id;
    const isPrivate = message.chat.type === "private";
    const actor = telegramActor(from);
    const text = message.text;
    if (text.startsWith("/")) {
      if (!this.#allowed(from)) return void (await ctx.reply(refusalFor(from)));
      const deepLink = new RegExp(`^/start ${DEEP_LINK_PREFIX}([a-z0-9]{4,16})$`).exec(text);
      if (deepLink?.[1] && isPrivate) return this.#linkSecret(ctx, actor, deepLink[1]);
      const command = parseCommand(text);
      if (command) return this.#command(ctx, command, actor);
      if (isPrivate) await ctx.reply("Unknown command. Send /help for the list.");
      return;
    }
    if (!this.#allowed(from)) {
      if (isPrivate) await ctx.reply(refusalFor(from));
      return;
    }
    const linked = isPrivate ? this.#secretLinks.get(actor.id) : undefined;
    const replyTarget = message.reply_to_message
      ? this.#prompts.get(`${chatId}:${message.reply_to_message.message_id}`)
      : undefined;
    const sessionId =
      linked ?? replyTarget ?? this.runtime.findOpen("telegram", String(chatId), actor.id)?.id;
    if (!sessionId) return;
    const session = this.runtime.peek(sessionId);
    if (!session || session.owner.id !== actor.id) return;
    const expectsSecret = (await this.runtime.expectedSecret(sessionId)) !== undefined;
    if (expectsSecret) {
      // Whatever happens next, the message carrying the secret does not stay in the chat.
      await this.#delete(chatId, message);
      if (!isPrivate) {
        await ctx.reply(
          `${actor.name}, never post keys in a group: I deleted that message. Use the private link in the wizard message instead.`,
        );
        return;
      }
      const result = await this.runtime.submitSecret(sessionId, actor, text);
      if (result.ok) this.#secretLinks.delete(actor.id);
      await ctx.reply(
        result.ok
          ? "Key received and your message deleted. Back to the wizard."
          : `✗ ${result.message ?? ""}`,
      );
      return;
    }
    if (linked) {
      // They opened a key link, so this message may be a key sent late: it does not stay either.
      await this.#delete(chatId, message);
      this.#secretLinks.delete(actor.id);
      await ctx.reply("That key prompt has moved on, so nothing was stored and your message was deleted.");
      return;
    }
    await this.runtime.text(sessionId, actor, text);
  }

  async #command(ctx: Context, command: ParsedCommand, actor: Actor): Promise<void> {
    const chat = String(ctx.chat?.id ?? "");
    const outcome = await this.runtime.command(
      command,
      { actor, surface: "telegram", chat },
      {
        spell: telegramCommand,
        // A wizard shown again is posted as a new message at the bottom of the chat.
        beforeWizardShown: (sessionId) => this.#wizardMessages.delete(sessionId),
      },
    );
    switch (outcome.kind) {
      case "wizard":
        return;
      case "reply":
        return this.#reply(Number(chat), outcome.reply);
      case "help":
        await ctx.reply(
          commandEntries()
            .map((entry) => `${telegramCommand(entry.path)} — ${entry.description}`)
            .join("\n"),
        );
        return;
    }
  }

  async #linkSecret(ctx: Context, actor: Actor, sessionId: string): Promise<void> {
    const session = this.runtime.peek(sessionId);
    const env = session ? await this.runtime.expectedSecret(sessionId) : undefined;
    if (!session || session.owner.id !== actor.id || !env) {
      await ctx.reply(
        "That link is not for an open key prompt of yours. Open the wizard and use its current link.",
      );
      return;
    }
    this.#secretLinks.set(actor.id, sessionId);
    await ctx.reply(
      `Send ${env} here as one message. I delete it as soon as I have read it, and it goes only into the profile's .env.`,
    );
  }

  /** A command's reply, split at Telegram's 4,096 characters, in a few messages at most; buttons ride on the last. */
  async #reply(chatId: number, answer: Reply): Promise<void> {
    const parts = telegramReplyParts(answer);
    for (const [index, part] of parts.entries()) {
      const last = index === parts.length - 1;
      const buttons =
        last && answer.buttons?.length
          ? {
              reply_markup: {
                inline_keyboard: [answer.buttons.map((b) => ({ text: b.label, callback_data: b.token }))],
              },
            }
          : {};
      await this.bot.api.sendMessage(chatId, part, buttons);
    }
  }

  async #askInGroup(state: WizardState, prompt: string): Promise<void> {
    if (this.#lastPrompt.get(state.id) === `${state.step}:${prompt}`) return;
    this.#lastPrompt.set(state.id, `${state.step}:${prompt}`);
    const sent = await this.bot.api.sendMessage(
      Number(state.chat),
      `${state.owner.name}, reply to this message with: ${prompt}`,
      {
        reply_markup: { force_reply: true, selective: true, input_field_placeholder: prompt.slice(0, 64) },
      },
    );
    this.#prompts.set(`${state.chat}:${sent.message_id}`, state.id);
  }

  async #edit(chatId: number, messageId: number, text: string, markup: object): Promise<void> {
    try {
      await this.bot.api.editMessageText(chatId, messageId, text, markup);
    } catch (error) {
      if (!isNotModified(error)) throw error;
    }
  }

  async #delete(chatId: number, message: Message): Promise<void> {
    try {
      await this.bot.api.deleteMessage(chatId, message.message_id);
    } catch (error) {
      // In a group the bot must be an admin to delete; say so rather than fail silently.
      this.logger.warn(
        { chat: chatId, reason: (error as Error).message },
        "could not delete a message carrying a secret",
      );
    }
  }

  async #port(call: () => Promise<string | undefined>): Promise<PortResult> {
    try {
      const ref = await call();
      return ref === undefined ? { ok: true } : { ok: true, ref };
    } catch (error) {
      if (isNotModified(error)) return { ok: false, kind: "not_modified" };
      if (error instanceof GrammyError && error.error_code === 429) {
        return { ok: false, kind: "rate_limited", retryAfterMs: (error.parameters.retry_after ?? 1) * 1000 };
      }
      return { ok: false, kind: "error", message: (error as Error).message };
    }
  }

  #allowed(user: User): boolean {
    return this.options.allowedUsers.has(String(user.id));
  }
}

/** The command table as Telegram's menu: `profile new` → `profile_new`. */
export function telegramCommands(): { command: string; description: string }[] {
  return commandEntries().map((entry) => ({
    command: entry.path.replace(" ", "_"),
    description: entry.description.slice(0, 256),
  }));
}

function refusalFor(user: User): string {
  return `You are not allowed to use this bot. Ask an admin to add your id ${user.id} to TELEGRAM_ALLOWED_USERS.`;
}

function toast(text: string): string {
  return text.length > CALLBACK_ANSWER_MAX_CHARS ? `${text.slice(0, CALLBACK_ANSWER_MAX_CHARS - 1)}…` : text;
}

/** Polls `condition` every 20 ms; false if it is still unmet after `timeoutMs`. */
async function waitUntil(condition: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() >= deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return true;
}

/** The promise's value, or "timeout" once `ms` have passed (the promise keeps running). */
async function withDeadline<T>(promise: Promise<T>, ms: number): Promise<T | "timeout"> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<"timeout">((resolve) => (timer = setTimeout(() => resolve("timeout"), ms)));
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function isNotModified(error: unknown): boolean {
  return error instanceof GrammyError && error.description.includes("message is not modified");
}

/** A command as Telegram users type it: command names cannot hold spaces (`/profile_new`). */
function telegramCommand(path: string): string {
  return `/${path.replace(" ", "_")}`;
}
