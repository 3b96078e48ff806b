// What the console prints, made fit for a terminal: a terminal obeys escape sequences (clear the
// screen, retitle the window, move the cursor) and shows bidi overrides, so no text that reached a
// screen, a reply or a note may carry them; no secret the bot holds is printed; and one print has an
// upper size, so a host's flood cannot scroll the terminal for minutes.
import { boundedText } from "../shared/reply-bound.ts";
import { safeOutboundText, type Redactor } from "../shared/outbound-text.ts";

/**
 * The most characters one print (a screen, a reply, a note) shows: about 400 lines of a wide
 * terminal, several times the longest of the bot's own (a whole persona is about 6,000).
 */
export const CONSOLE_PRINT_MAX_CHARS = 32_000;

export function printable(text: string, secrets: Redactor | undefined): string {
  // Made safe before it is cut: a cut never leaves half a secret, and removed characters do not count.
  return boundedText(
    safeOutboundText(text, secrets),
    CONSOLE_PRINT_MAX_CHARS,
    (leftOut) =>
      `… about ${leftOut.toLocaleString("en-US")} more characters not shown: one answer here is at most ${CONSOLE_PRINT_MAX_CHARS.toLocaleString("en-US")} characters. Ask for one thing at a time, e.g. /profile show <name>.`,
  );
}
