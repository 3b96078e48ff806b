// A command's answer, platform-free: text (split per surface), optional buttons, optional file.
import type { ViewButton } from "./view.ts";

/** Per-message text limits: Discord 2,000 characters, Telegram 4,096. The console has no messages. */
export const DISCORD_MESSAGE_MAX_CHARS = 2000;
export const TELEGRAM_MESSAGE_MAX_CHARS = 4096;
/** Text that would need more messages than this is sent as a file instead. */
export const MAX_MESSAGES_PER_REPLY = 4;

export interface Reply {
  readonly ok: boolean;
  readonly text: string;
  readonly buttons?: readonly ViewButton[];
  /** Long content (a persona's full text) that a surface may send as a file. */
  readonly file?: { readonly name: string; readonly content: string };
}

export function reply(
  text: string,
  extra: { ok?: boolean; buttons?: readonly ViewButton[]; file?: Reply["file"] } = {},
): Reply {
  return {
    ok: extra.ok ?? true,
    text,
    ...(extra.buttons ? { buttons: extra.buttons } : {}),
    ...(extra.file ? { file: extra.file } : {}),
  };
}

export function refusal(text: string): Reply {
  return { ok: false, text };
}

/**
 * Splits text into messages of at most `limit` characters, at paragraph breaks, then line breaks,
 * then spaces; a single overlong word is cut. Joining the parts gives back the text, whitespace
 * at the cuts aside.
 */
export function splitMessage(text: string, limit: number): string[] {
  const parts: string[] = [];
  let rest = text.trim();
  while (rest.length > limit) {
    const window = rest.slice(0, limit + 1);
    let cut = window.lastIndexOf("\n\n");
    if (cut < limit / 2) cut = window.lastIndexOf("\n");
    if (cut < limit / 2) cut = window.lastIndexOf(" ");
    if (cut <= 0) cut = limit;
    parts.push(rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut).trimStart();
  }
  if (rest.length > 0) parts.push(rest);
  return parts;
}
