// An upper size for one reply on any surface. A reply quotes what hosts report, and a host can
// report a great deal: forty 100 KB profile names once made a single `/profile list` 4 MB — a
// thousand Telegram messages. Each adapter names its own bound; past it the reply ends with a line
// saying how much was left out and how to ask for less.
import { splitMessage } from "./split-message.ts";

/** The closing line of a cut reply, given about how many characters it leaves out. */
export type LeftOutNote = (leftOutChars: number) => string;

/**
 * The messages of a reply: at most `maxParts` of at most `limit` characters each. A text that needs
 * more is cut, and its last message ends with `note` (how much was left out).
 */
export function boundedParts(text: string, limit: number, maxParts: number, note: LeftOutNote): string[] {
  // Only the head is ever split: a 4 MB text is not cut into a thousand pieces to keep five.
  const head = text.slice(0, limit * maxParts + 1);
  const parts = splitMessage(head, limit);
  if (head.length === text.length && parts.length <= maxParts) return parts;
  const kept = parts.slice(0, maxParts);
  const shown = () => kept.reduce((sum, part) => sum + part.length, 0);
  // Room for the note is taken from the last message; the longest note is the one for the whole text.
  const room = limit - note(text.length).length - 2;
  const last = kept.pop() ?? "";
  kept.push(cutAt(last, room));
  const closing = note(Math.max(0, text.trim().length - shown()));
  kept[kept.length - 1] = `${kept[kept.length - 1] ?? ""}\n\n${closing}`.trimStart();
  return kept;
}

/** `text` whole when it has at most `max` characters; otherwise its head and `note` within `max`. */
export function boundedText(text: string, max: number, note: LeftOutNote): string {
  if (text.length <= max) return text;
  const head = cutAt(text, max - note(text.length).length - 2);
  return `${head}\n\n${note(text.length - head.length)}`;
}

/** The start of `text` in at most `max` characters: at its last line break in reach when there is one. */
function cutAt(text: string, max: number): string {
  if (text.length <= max) return text;
  const window = text.slice(0, Math.max(0, max));
  const lineBreak = window.lastIndexOf("\n");
  const cut = lineBreak >= max / 2 ? lineBreak : window.length;
  // Never half a character: a cut between the two halves of a surrogate pair moves one back.
  const code = text.charCodeAt(cut - 1);
  const safe = code >= 0xd800 && code <= 0xdbff ? cut - 1 : cut;
  return text.slice(0, safe).trimEnd();
}
