// A command's answer, platform-free: text (each adapter splits it to its platform's messages),
// optional buttons, optional file.
import type { ViewButton } from "./view.ts";

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
