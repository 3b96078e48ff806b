// What people send the bot on Telegram, handled: button presses (callback queries), typed answers
// to a wizard, commands, and the /start deep link that moves a key prompt into a private chat.
// Everyone not on the allowed list is refused with their id. A callback query is answered before
// any slow work (the client spins until it is, and the answer expires in ~10 s), and a message
// carrying a secret never stays in the chat, whatever happens to it next.
import type { Bot, Context } from "grammy";
import type { Message, User } from "grammy/types";
import { parseCommand, type ParsedCommand } from "../../../commands/index.ts";
import type { ChatRuntime } from "../../app/ports/chat-runtime.ts";
import type { Logger } from "../../app/system/logger.ts";
import { describe } from "../../core/messages.ts";
import { parseButtonToken } from "../../core/tokens/button-token.ts";
import type { Actor } from "../../core/wizard/index.ts";
import { deepLinkSession, telegramCommand, telegramHelp } from "./commands.ts";
import { CALLBACK_ANSWER_MAX_CHARS } from "./limits.ts";
import type { TelegramOutbound } from "./outbound.ts";

export function telegramActor(user: User): Actor {
  return { id: `tg:${user.id}`, name: user.username ? `@${user.username}` : user.first_name };
}

export class TelegramInbound {
  constructor(
    private readonly runtime: ChatRuntime,
    private readonly bot: Bot,
    private readonly outbound: TelegramOutbound,
    /** Telegram user ids allowed to use the bot. */
    private readonly allowedUsers: ReadonlySet<string>,
    private readonly logger: Logger,
  ) {}

  async onPress(ctx: Context): Promise<void> {
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
      const session = await this.runtime.peek(parsed.value.sessionId);
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
      if (query.message) this.outbound.wizardMessageIs(session.id, query.message.message_id);
      const result = await this.runtime.press(data, actor);
      // Ended since the look-up above (a double click's first press finished it): nothing to add.
      if (!result.ok && !result.ended && result.message && query.message)
        await this.bot.api.sendMessage(query.message.chat.id, result.message);
      return;
    }
    // Install and persona buttons: quick file operations, so their answer can be the toast itself.
    const result = await this.runtime.press(data, actor);
    await ctx.answerCallbackQuery({ text: toast(result.message ?? "") });
    if (result.reply && result.ok && query.message)
      await this.outbound.reply(query.message.chat.id, result.reply);
  }

  async onText(ctx: Context): Promise<void> {
    const message = ctx.message;
    if (!message?.text || !message.from) return;
    const from = message.from;
    const chatId = message.chat.id;
    const isPrivate = message.chat.type === "private";
    const actor = telegramActor(from);
    const text = message.text;
    if (text.startsWith("/")) {
      if (!this.#allowed(from)) return void (await ctx.reply(refusalFor(from)));
      const linkedSession = deepLinkSession(text);
      if (linkedSession && isPrivate) return this.#linkSecret(ctx, actor, linkedSession);
      const command = parseCommand(text);
      if (command) return this.#command(ctx, command, actor);
      if (isPrivate) await ctx.reply("Unknown command. Send /help for the list.");
      return;
    }
    if (!this.#allowed(from)) {
      if (isPrivate) await ctx.reply(refusalFor(from));
      return;
    }
    // Kept with the session, not here: the key may reach another replica than the one that opened the link.
    const link = isPrivate ? await this.runtime.linkedKeyPrompt("telegram", actor.id) : undefined;
    const linked = link?.id;
    const replyTarget = message.reply_to_message
      ? this.outbound.promptedSession(chatId, message.reply_to_message.message_id)
      : undefined;
    const sessionId =
      linked ?? replyTarget ?? (await this.runtime.findOpen("telegram", String(chatId), actor.id))?.id;
    if (!sessionId) return;
    const session = await this.runtime.peek(sessionId);
    if (!session || session.owner.id !== actor.id) return;
    const expected = await this.runtime.expectedSecret(sessionId);
    // A private chat opened for one key takes that key only: a wizard that moved on to another asks again.
    const expectsSecret = expected !== undefined && (!linked || expected === link?.keyLink);
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
      if (result.ok && linked) await this.runtime.linkKeyPrompt(linked, undefined);
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
      await this.runtime.linkKeyPrompt(linked, undefined);
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
        beforeWizardShown: (sessionId) => this.outbound.postWizardAfresh(sessionId),
      },
    );
    switch (outcome.kind) {
      case "wizard":
        return;
      case "reply":
        return this.outbound.reply(Number(chat), outcome.reply);
      case "help":
        await ctx.reply(telegramHelp());
        return;
    }
  }

  async #linkSecret(ctx: Context, actor: Actor, sessionId: string): Promise<void> {
    const session = await this.runtime.peek(sessionId);
    const env = session ? await this.runtime.expectedSecret(sessionId) : undefined;
    if (!session || session.owner.id !== actor.id || !env) {
      await ctx.reply(
        "That link is not for an open key prompt of yours. Open the wizard and use its current link.",
      );
      return;
    }
    await this.runtime.linkKeyPrompt(sessionId, env);
    await ctx.reply(
      `Send ${env} here as one message. I delete it as soon as I have read it, and it goes only into the profile's .env.`,
    );
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

  #allowed(user: User): boolean {
    return this.allowedUsers.has(String(user.id));
  }
}

function refusalFor(user: User): string {
  return `You are not allowed to use this bot. Ask an admin to add your id ${user.id} to TELEGRAM_ALLOWED_USERS.`;
}

/** A toast's text within Telegram's limit for a callback answer. */
function toast(text: string): string {
  return text.length > CALLBACK_ANSWER_MAX_CHARS ? `${text.slice(0, CALLBACK_ANSWER_MAX_CHARS - 1)}…` : text;
}
