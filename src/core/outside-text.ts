// The one gate for text that comes from outside the bot — a Hermes host's answers and error
// details, a model server's ids, an installer's output lines, Hermes' provider labels — before any
// of it is shown, logged or kept. Such text is whatever the other side chose to send: terminal
// escapes that clear a screen or retitle a window, a newline that forges a line of our own
// ("✓ Profile 'admin' created"), bidi overrides that reverse what a reader sees, megabytes where a
// word was expected. The gate makes it one plain line of bounded length; names are checked against
// Hermes' name rule instead of being repaired. Redacting the bot's own secrets is the app's part
// (app/known-secrets.ts), which calls this first.
import { PROFILE_NAME_PATTERN } from "./limits.ts";
import { replaceDisallowedChars } from "./text-rules.ts";

/** A quoted error detail or reason from a host: enough for a sentence, never a page. */
export const OUTSIDE_DETAIL_MAX_CHARS = 200;
/** An installer's output line, kept for the status message and the report. */
export const OUTSIDE_LINE_MAX_CHARS = 300;
/** A label (a provider's name, a skill's title) from outside. */
export const OUTSIDE_LABEL_MAX_CHARS = 80;

/**
 * ANSI/VT escape sequences as a terminal reads them: CSI (`ESC [ … final`), OSC/DCS/PM/APC strings
 * (`ESC ] … BEL` or `… ESC \`), and two-character escapes. The 8-bit CSI (U+009B) is a C1 control
 * and goes with the disallowed characters.
 */
export const TERMINAL_ESCAPES =
  // eslint-disable-next-line no-control-regex -- matching terminal escapes is the point
  /\u001b(?:\[[0-?]*[ -/]*[@-~]?|[\]PX^_][^\u0007\u001b]*(?:\u0007|\u001b\\)?|[ -~])?/g;

/**
 * One plain line: escape sequences dropped, control, C1, bidi and zero-width characters removed,
 * every line break and tab a space, runs of spaces one, trimmed, and at most `max` characters
 * (cut at a character boundary, marked with "…").
 */
export function cleanOutsideText(raw: string, max: number): string {
  const plain = replaceDisallowedChars(raw.replace(TERMINAL_ESCAPES, "").replace(/[\r\n\t]/g, " "), "")
    .replace(/\s+/g, " ")
    .trim();
  return capChars(plain, max);
}

/** `text` cut to at most `max` characters (code points), "…" marking a cut. */
export function capChars(text: string, max: number): string {
  if (text.length <= max) return text;
  const points = Array.from(text);
  if (points.length <= max) return text;
  return `${points.slice(0, Math.max(0, max - 1)).join("")}…`;
}

/**
 * A profile name a host reported, if it is one Hermes itself could have made (its name rule, exactly:
 * no repair, so a disguised name is never shown as a real one); undefined otherwise.
 */
export function profileNameFromOutside(raw: unknown): string | undefined {
  return typeof raw === "string" && PROFILE_NAME_PATTERN.test(raw) ? raw : undefined;
}
