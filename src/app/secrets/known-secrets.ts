// Every secret the bot holds — its platform tokens, each Hermes host's dashboard token, and the keys
// it is writing into profiles — so that none of them is ever repeated back: a host (or a proxy in
// front of it) that echoes the token it was sent into an error detail, an installer that prints a
// key, a log line that quotes either. Text from outside passes `quote` (clean, then redact, then
// cap: a cut never leaves half a secret visible); log lines pass `redact` on their way out.
import { cleanOutsideText } from "../../core/outside-text.ts";

/** Shorter values are too likely to occur by chance in ordinary text to be redacted. */
export const KNOWN_SECRET_MIN_CHARS = 8;
/** Keys written during this run are remembered up to this many (the oldest is let go first). */
export const KNOWN_SECRETS_MAX = 1000;
export const REDACTED = "[redacted]";

export class KnownSecrets {
  /** The configuration's tokens: held for the whole run, never let go to make room. */
  readonly #held = new Set<string>();
  /** Keys typed or read during the run; insertion-ordered, so the oldest is the first let go. */
  readonly #written = new Set<string>();
  /**
   * Every form of every secret (as sent, percent- and JSON-encoded), longest first so a key that
   * contains another is redacted whole; rebuilt after a change, not per call (a log line is
   * redacted against up to KNOWN_SECRETS_MAX keys).
   */
  #formsLongestFirst: string[] | undefined;

  /** `tokens`: the configuration's own, redacted for as long as the bot runs. */
  constructor(tokens: Iterable<string | undefined> = []) {
    for (const token of tokens) if (token && token.length >= KNOWN_SECRET_MIN_CHARS) this.#held.add(token);
  }

  /** A key the bot was given during the run (the newest KNOWN_SECRETS_MAX are kept). */
  add(value: string): void {
    if (value.length < KNOWN_SECRET_MIN_CHARS || this.#held.has(value) || this.#written.has(value)) return;
    this.#written.add(value);
    this.#formsLongestFirst = undefined;
    if (this.#written.size > KNOWN_SECRETS_MAX) {
      const oldest = this.#written.values().next().value;
      if (oldest !== undefined) this.#written.delete(oldest);
    }
  }

  get size(): number {
    return this.#held.size + this.#written.size;
  }

  /** `text` with every known secret — as sent, and as it reads percent- or JSON-encoded — replaced. */
  redact(text: string): string {
    let out = text;
    this.#formsLongestFirst ??= [...this.#held, ...this.#written]
      .sort((a, b) => b.length - a.length)
      .flatMap(encodedForms);
    for (const form of this.#formsLongestFirst) if (out.includes(form)) out = out.split(form).join(REDACTED);
    return out;
  }

  /** Text from outside made fit to quote: one clean line of at most `max` characters, no secret in it. */
  quote(raw: string, max: number): string {
    // Cleaned first, so a secret split by invisible characters is whole again when it is looked for;
    // capped last, so a cut cannot leave the head of a secret behind.
    return cleanOutsideText(this.redact(cleanOutsideText(raw, Number.MAX_SAFE_INTEGER)), max);
  }
}

function encodedForms(value: string): string[] {
  const forms = new Set([value, encodeURIComponent(value), JSON.stringify(value).slice(1, -1)]);
  return [...forms];
}
