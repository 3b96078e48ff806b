// What the bot posts to Telegram. A neutral View as a Telegram message: plain text (no parse mode,
// so nothing needs escaping) and an inline keyboard, every callback_data a core button token checked
// against Telegram's 64 bytes. And TelegramOutbound, which sends and edits those messages (the
// wizard's, the install status, group prompts, command replies) and remembers which is whose.
// Every call it makes still passes the outbound guard (outbound-guard.ts) on its way out.
import { GrammyError, type Bot } from "grammy";
import type { InlineKeyboardButton, InlineKeyboardMarkup } from "grammy/types";
import type { PortResult, WizardOutput } from "../../app/ports/wizard-output.ts";
import { BUTTON_TOKEN_MAX_BYTES } from "../../core/limits.ts";
import type { Reply } from "../../core/reply.ts";
import { utf8ByteLength } from "../../core/text-rules.ts";
import type { View, ViewButton } from "../../core/view.ts";
import type { WizardState } from "../../core/wizard/index.ts";
import { secretDeepLink } from "./commands.ts";
import { TELEGRAM_INPUT_PLACEHOLDER_MAX_CHARS, TELEGRAM_MESSAGE_MAX_CHARS } from "./limits.ts";
import { telegramReplyParts } from "./replies.ts";

/** Telegram shows long button labels cut off anyway; keep them readable. */
export const TELEGRAM_BUTTON_LABEL_MAX_CHARS = 48;

export interface TelegramScreen {
  readonly text: string;
  readonly keyboard?: InlineKeyboardMarkup;
}

export function renderTelegramView(view: View, extraLines: readonly string[] = []): TelegramScreen {
  const mark = { error: "✗", warning: "⚠", info: "ℹ" } as const;
  const lines = [
    ...(view.title ? [view.title, ""] : []),
    ...view.body,
    ...(view.notice
      ? ["", ...view.notice.text.split("\n").map((line) => `${mark[view.notice?.tone ?? "info"]} ${line}`)]
      : []),
    ...(view.input
      ? ["", `↩ ${view.input.prompt}${view.input.kind === "secret" ? " (sent privately)" : ""}`]
      : []),
    ...extraLines,
  ];
  const rows: InlineKeyboardButton[][] = [];
  const choices = view.choices;
  if (choices) {
    for (const item of choices.items) {
      const prefix = choices.mode === "multi" ? (item.selected ? "✓ " : "☐ ") : item.selected ? "• " : "";
      rows.push([button({ label: `${prefix}${item.label}`, token: item.token })]);
    }
    if (choices.pageCount > 1) {
      const position = `${choices.page + 1}/${choices.pageCount}`;
      const paging: InlineKeyboardButton[] = [];
      if (choices.previousToken)
        paging.push(
          button({ label: `◀ ${choices.nextToken ? "" : position}`.trim(), token: choices.previousToken }),
        );
      if (choices.nextToken) paging.push(button({ label: `${position} ▶`, token: choices.nextToken }));
      rows.push(paging);
    }
  }
  for (const row of view.buttons) if (row.length > 0) rows.push(row.map(button));
  const text = fit(lines.join("\n"));
  return rows.length > 0 && !view.final ? { text, keyboard: { inline_keyboard: rows } } : { text };
}

function button(source: ViewButton): InlineKeyboardButton {
  if (utf8ByteLength(source.token) > BUTTON_TOKEN_MAX_BYTES)
    throw new Error(`bug: callback_data over 64 bytes: ${source.token}`);
  const label =
    source.label.length > TELEGRAM_BUTTON_LABEL_MAX_CHARS
      ? `${source.label.slice(0, TELEGRAM_BUTTON_LABEL_MAX_CHARS - 1)}…`
      : source.label;
  return { text: label, callback_data: source.token };
}

/** A wizard screen is one message: past Telegram's limit, the body is cut with a marker. */
function fit(text: string): string {
  return text.length <= TELEGRAM_MESSAGE_MAX_CHARS
    ? text
    : `${text.slice(0, TELEGRAM_MESSAGE_MAX_CHARS - 2)} …`;
}

/**
 * Everything the bot posts or edits: the wizard message of each session, edited in place; in a
 * group, a ForceReply prompt for a typed answer (a reply to it finds the wizard that asked); the
 * install status message; and a command's reply. It keeps which message is whose, so the inbound
 * handlers ask it rather than keep copies.
 */
export class TelegramOutbound implements WizardOutput {
  /**
   * The wizard message of sessions whose state names none yet (stored before the session kept
   * `screenRef`: recovered from the next press). The session's `screenRef` comes first: another
   * replica may have posted the wizard since.
   */
  readonly #wizardMessages = new Map<string, number>();
  /** Sessions whose next screen is posted as a new message at the bottom of the chat. */
  readonly #afresh = new Set<string>();
  /** ForceReply prompts sent in groups, so a reply finds the wizard that asked. */
  readonly #prompts = new Map<string, string>();
  /** The step and prompt last asked in a group, by session: a screen drawn again does not ask twice. */
  readonly #lastPrompt = new Map<string, string>();

  constructor(private readonly bot: Bot) {}

  /** Answers the wizard message's id: the runner keeps it with the session for every replica. */
  async render(state: WizardState, view: View): Promise<string> {
    const chatId = Number(state.chat);
    const extra =
      view.input?.kind === "secret" && chatId < 0
        ? [`Send it in a private chat: ${secretDeepLink(this.bot.botInfo.username, state.id)}`]
        : [];
    const screen = renderTelegramView(view, extra);
    const afresh = this.#afresh.delete(state.id);
    const stored = Number(state.screenRef);
    const existing = afresh
      ? undefined
      : Number.isSafeInteger(stored)
        ? stored
        : this.#wizardMessages.get(state.id);
    const markup = screen.keyboard ? { reply_markup: screen.keyboard } : {};
    let shown: number;
    if (existing !== undefined) {
      await this.#edit(chatId, existing, screen.text, markup);
      shown = existing;
    } else {
      shown = (await this.bot.api.sendMessage(chatId, screen.text, markup)).message_id;
    }
    if (view.final) this.#wizardMessages.delete(state.id);
    else this.#wizardMessages.set(state.id, shown);
    if (view.input?.kind === "text" && chatId < 0) await this.#askInGroup(state, view.input.prompt);
    return String(shown);
  }

  async notify(state: WizardState, _actorId: string, text: string): Promise<void> {
    await this.bot.api.sendMessage(Number(state.chat), text);
  }

  async sendStatus(chat: string, view: View): Promise<PortResult> {
    const screen = renderTelegramView(view);
    return portResult(async () => {
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
    return portResult(async () => {
      await this.bot.api.editMessageText(
        Number(chat),
        Number(ref),
        screen.text,
        screen.keyboard ? { reply_markup: screen.keyboard } : {},
      );
      return undefined;
    });
  }

  /** A command's reply, split at Telegram's 4,096 characters, in a few messages at most; buttons ride on the last. */
  async reply(chatId: number, answer: Reply): Promise<void> {
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

  /** A press on a wizard's message: the one to edit when the session names none (stored before `screenRef`). */
  wizardMessageIs(sessionId: string, messageId: number): void {
    this.#wizardMessages.set(sessionId, messageId);
  }

  /** The wizard's next screen goes out as a new message at the bottom of the chat. */
  postWizardAfresh(sessionId: string): void {
    this.#wizardMessages.delete(sessionId);
    this.#afresh.add(sessionId);
  }

  /** The wizard session a group prompt asked for, by the prompt message a reply answers. */
  promptedSession(chatId: number, messageId: number): string | undefined {
    return this.#prompts.get(`${chatId}:${messageId}`);
  }

  async #askInGroup(state: WizardState, prompt: string): Promise<void> {
    if (this.#lastPrompt.get(state.id) === `${state.step}:${prompt}`) return;
    this.#lastPrompt.set(state.id, `${state.step}:${prompt}`);
    const sent = await this.bot.api.sendMessage(
      Number(state.chat),
      `${state.owner.name}, reply to this message with: ${prompt}`,
      {
        reply_markup: {
          force_reply: true,
          selective: true,
          input_field_placeholder: prompt.slice(0, TELEGRAM_INPUT_PLACEHOLDER_MAX_CHARS),
        },
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
}

/** A status call's outcome as the progress reporter reads it: "not modified" and 429 told apart. */
async function portResult(call: () => Promise<string | undefined>): Promise<PortResult> {
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

function isNotModified(error: unknown): boolean {
  return error instanceof GrammyError && error.description.includes("message is not modified");
}
