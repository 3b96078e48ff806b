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
/**
 * From this many forms on, a text is searched by looking its windows up (one pass whatever the
 * count); below it, by asking `includes` of each form, which is cheaper for a few (a bot holding only
 * its own tokens). Measured by `npm run bench:redact`: the two cost the same near 5 forms.
 */
export const WINDOW_LOOKUP_MIN_FORMS = 8;

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
  /**
   * The same forms by their last KNOWN_SECRET_MIN_CHARS characters. Every outbound text (each label
   * of a screen with 80 buttons) is redacted, mostly with no secret in it: looking its windows up
   * here says so in one pass, where asking `includes` of every form took thousands of scans per
   * string with a thousand keys held. Keyed by the end, not the start: keys of one provider share
   * their start ("sk-or-v1-"), so one bucket would hold them all.
   */
  #formsByTail: Map<string, string[]> | undefined;

  /** `tokens`: the configuration's own, redacted for as long as the bot runs. */
  constructor(tokens: Iterable<string | undefined> = []) {
    for (const token of tokens) if (token && token.length >= KNOWN_SECRET_MIN_CHARS) this.#held.add(token);
  }

  /** A key the bot was given during the run (the newest KNOWN_SECRETS_MAX are kept). */
  add(value: string): void {
    if (value.length < KNOWN_SECRET_MIN_CHARS || this.#held.has(value) || this.#written.has(value)) return;
    this.#written.add(value);
    this.#formsLongestFirst = undefined;
    this.#formsByTail = undefined;
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
    const forms = (this.#formsLongestFirst ??= [...this.#held, ...this.#written]
      .sort((a, b) => b.length - a.length)
      .flatMap(encodedForms));
    // Text holding none of the forms is returned as it is, exactly as the loop below would leave it.
    if (forms.length >= WINDOW_LOOKUP_MIN_FORMS && !this.#holdsAny(text, forms)) return text;
    let out = text;
    for (const form of forms) if (out.includes(form)) out = out.split(form).join(REDACTED);
    return out;
  }

  /**
   * Whether any of `forms` occurs in `text`: every window of KNOWN_SECRET_MIN_CHARS characters (no
   * form is shorter) is looked up once among the forms' last characters.
   */
  #holdsAny(text: string, forms: readonly string[]): boolean {
    const tails = (this.#formsByTail ??= byTail(forms));
    if (tails.size === 0) return false;
    for (let end = KNOWN_SECRET_MIN_CHARS; end <= text.length; end++) {
      const candidates = tails.get(text.slice(end - KNOWN_SECRET_MIN_CHARS, end));
      if (candidates?.some((form) => form.length <= end && text.startsWith(form, end - form.length)))
        return true;
    }
    return false;
  }

  /** Text from outside made fit to quote: one clean line of at most `max` characters, no secret in it. */
  quote(raw: string, max: number): string {
    // Cleaned first, so a secret split by invisible characters is whole again when it is looked for;
    // capped last, so a cut cannot leave the head of a secret behind.
    return cleanOutsideText(this.redact(cleanOutsideText(raw, Number.MAX_SAFE_INTEGER)), max);
  }
}

function byTail(forms: readonly string[]): Map<string, string[]> {
  const tails = new Map<string, string[]>();
  for (const form of forms) {
    const tail = form.slice(-KNOWN_SECRET_MIN_CHARS);
    const bucket = tails.get(tail);
    if (bucket) bucket.push(form);
    else tails.set(tail, [form]);
  }
  return tails;
}

function encodedForms(value: string): string[] {
  const forms = new Set([value, encodeURIComponent(value), JSON.stringify(value).slice(1, -1)]);
  return [...forms];
}
