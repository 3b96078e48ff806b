// The profile names the wizard checks against (name clashes, clone sources) and Discord suggests,
// listed at most once per TTL instead of on every event: in the load benchmark a readdir of
// thousands of profiles per button press was the bot's biggest cost, and on a Hermes host reached
// over its dashboard every listing is an HTTP call. Our own creates and deletes invalidate it at
// once; a profile made outside the bot shows up within the TTL, and Create refuses an existing name
// anyway. A listing that fails — a failure value or a throw — keeps the last names known (none at
// first) until the TTL ends: it never leaves a rejected promise behind for the next caller.
import type { ProfileBackend } from "../ports/profile-backend.ts";

/** Profiles in this machine's Hermes home: a folder listing is cheap. */
export const PROFILE_NAMES_TTL_MS = 1000;
/** Profiles on a Hermes host: one GET /api/profiles per this long at most. */
export const REMOTE_PROFILE_NAMES_TTL_MS = 15_000;

/**
 * Names known now; `late` when this caller waited the whole time for a listing and gave up. A
 * caller that finds the listing already overdue does not wait and is not marked: the caller that
 * waited in vain is the one that says the host is slow.
 */
export interface NamesWithin {
  readonly names: string[];
  readonly late?: true;
}

export class ProfileNames {
  #names: string[] | undefined;
  #listedAt = Number.NEGATIVE_INFINITY;
  #listing: Promise<string[]> | undefined;
  /** Set once a caller stopped waiting for the running listing: later callers do not wait again. */
  #overdue = false;
  readonly #ttlMs: number;

  constructor(
    private readonly backend: Pick<ProfileBackend, "names" | "host">,
    private readonly now: () => number = Date.now,
  ) {
    this.#ttlMs = backend.host ? REMOTE_PROFILE_NAMES_TTL_MS : PROFILE_NAMES_TTL_MS;
  }

  /** The names, listing them again when the TTL has passed (waiting for that listing). */
  get(): Promise<string[]> {
    if (this.now() - this.#listedAt < this.#ttlMs) return Promise.resolve(this.#names ?? []);
    this.#listing ??= this.#list();
    return this.#listing;
  }

  /**
   * Like `get`, but waits for a listing at most `waitMs`: then the names known so far, marked late
   * (the listing goes on and fills the cache when it ends). While a listing is already overdue,
   * no caller waits for it again.
   */
  async within(waitMs: number): Promise<NamesWithin> {
    if (this.now() - this.#listedAt < this.#ttlMs) return { names: this.#names ?? [] };
    const listing = this.get();
    if (this.#overdue) return { names: this.#names ?? [] };
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<undefined>((resolve) => {
      timer = setTimeout(() => resolve(undefined), waitMs);
    });
    const names = await Promise.race([listing, late]);
    clearTimeout(timer);
    if (names !== undefined) return { names };
    if (this.#listing) this.#overdue = true;
    return { names: this.#names ?? [], late: true };
  }

  /** The next `get` lists again (the names known so far stay the fallback if that listing fails). */
  invalidate(): void {
    this.#listedAt = Number.NEGATIVE_INFINITY;
  }

  async #list(): Promise<string[]> {
    try {
      // Called from a microtask, so even a backend that throws at once leaves `#listing` set first.
      const listed = await Promise.resolve().then(() => this.backend.names());
      if (listed.ok) this.#names = listed.value;
    } catch {
      // A backend should answer with a failure value; a throw is treated as one all the same.
    } finally {
      // A failure is remembered for the TTL too: with the host down, every button press would
      // otherwise wait for the client's retries again.
      this.#listedAt = this.now();
      this.#listing = undefined;
      this.#overdue = false;
    }
    return this.#names ?? [];
  }
}
