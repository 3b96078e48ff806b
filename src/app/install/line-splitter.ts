// Splits a subprocess's byte stream into text lines. Invalid UTF-8 becomes U+FFFD instead of an
// error, and a line without an end is cut at a cap, so a flood or a binary dump costs bounded memory.
import { StringDecoder } from "node:string_decoder";

/** A partial line longer than this is cut; the rest until the next newline is dropped. */
export const MAX_PENDING_LINE_CHARS = 4096;

export class LineSplitter {
  readonly #decoder = new StringDecoder("utf8");
  #pending = "";
  #dropping = false;

  constructor(private readonly onLine: (line: string) => void) {}

  push(chunk: Buffer): void {
    const text = this.#decoder.write(chunk);
    const parts = text.split("\n");
    const last = parts.pop() ?? "";
    for (const part of parts) {
      if (!this.#dropping) this.onLine(this.#pending + part);
      this.#pending = "";
      this.#dropping = false;
    }
    if (this.#dropping) return;
    this.#pending += last;
    if (this.#pending.length > MAX_PENDING_LINE_CHARS) {
      this.onLine(this.#pending.slice(0, MAX_PENDING_LINE_CHARS));
      this.#pending = "";
      this.#dropping = true;
    }
  }

  end(): void {
    const rest = this.#pending + this.#decoder.end();
    if (rest !== "" && !this.#dropping) this.onLine(rest);
    this.#pending = "";
  }
}
