// A neutral View as a Telegram message: plain text (no parse mode, so nothing needs escaping) and an
// inline keyboard. Every callback_data is a core button token, checked against Telegram's 64 bytes.
import type { InlineKeyboardButton, InlineKeyboardMarkup } from "grammy/types";
import { BUTTON_TOKEN_MAX_BYTES } from "../../core/limits.ts";
import { TELEGRAM_MESSAGE_MAX_CHARS } from "./limits.ts";
import { utf8ByteLength } from "../../core/text-rules.ts";
import type { View, ViewButton } from "../../core/view.ts";

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
