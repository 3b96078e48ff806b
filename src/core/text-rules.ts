// Checks shared by every free-text field: length caps and characters that have no place in a name,
// a description or an id (control characters, and bidi/zero-width marks that disguise text).
import { fail, ok, type Result } from "./result.ts";

// C0/C1 controls except tab and newline, the Unicode line and paragraph separators (they break a line
// where a reader sees none), bidi marks/overrides/isolates, and zero-width and invisible characters.
const DISALLOWED_CHARS =
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/;

const DISALLOWED_CHARS_ALL = new RegExp(DISALLOWED_CHARS.source, "g");

export function hasDisallowedChars(text: string): boolean {
  return DISALLOWED_CHARS.test(text);
}

/** The text with each disallowed character replaced (by a space unless told otherwise). */
export function replaceDisallowedChars(text: string, by = " "): string {
  return text.replace(DISALLOWED_CHARS_ALL, by);
}

/** Trims, then checks a free-text field against a character cap and the disallowed set. */
export function checkFreeText(
  raw: string,
  max: number,
  tooLong: "display_name_too_long" | "description_too_long" | "text_too_long",
): Result<string> {
  const text = raw.trim();
  if (text.length > max) return fail(tooLong, { length: text.length, max });
  if (hasDisallowedChars(text)) return fail("text_control_chars");
  return ok(text);
}

/**
 * Bytes `text` takes as UTF-8, counted without encoding it: this runs for every button token of every
 * screen, and TextEncoder would allocate a buffer each time. A lone surrogate counts 3, as its
 * replacement character (U+FFFD) is encoded.
 */
export function utf8ByteLength(text: string): number {
  let bytes = 0;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code <= 0xdbff && index + 1 < text.length) {
      const next = text.charCodeAt(index + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        bytes += 4;
        index += 1;
      } else bytes += 3;
    } else bytes += 3;
  }
  return bytes;
}
