// What texts mean, remembered by the exact text (least recently used go first), bounded by the
// texts' total length and by a count: sized for the profiles being edited at once (hundreds under
// the load benchmark), it stays small in bytes, and a few huge texts cannot take more than small
// ones would.
export class TextMemory<T> {
  readonly #entries = new Map<string, T>();
  #chars = 0;

  /**
   * `maxTotalChars`: the remembered texts' total length; `maxTextChars`: longer texts are not kept;
   * `maxEntries`: a cap on the count too, since what a text means costs some memory however short.
   */
  constructor(
    private readonly maxTotalChars: number,
    private readonly maxTextChars: number,
    private readonly maxEntries: number,
  ) {
    if (maxTextChars > maxTotalChars) throw new Error("a text may not be longer than the memory");
  }

  get(text: string): T | undefined {
    const value = this.#entries.get(text);
    if (value === undefined) return undefined;
    this.#entries.delete(text);
    this.#entries.set(text, value);
    return value;
  }

  set(text: string, value: T): void {
    if (text.length > this.maxTextChars) return;
    if (this.#entries.delete(text)) this.#chars -= text.length;
    this.#entries.set(text, value);
    this.#chars += text.length;
    for (const oldest of this.#entries.keys()) {
      if (this.#chars <= this.maxTotalChars && this.#entries.size <= this.maxEntries) break;
      this.#entries.delete(oldest);
      this.#chars -= oldest.length;
    }
  }

  /** The remembered texts' total length (what the bound counts). */
  get chars(): number {
    return this.#chars;
  }
}
