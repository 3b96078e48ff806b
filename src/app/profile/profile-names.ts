// The profile names the wizard checks against (name clashes, clone sources) and Discord suggests,
// listed at most once per TTL instead of on every event: in the load benchmark a readdir of
// thousands of profiles per button press was the bot's biggest cost, and on a Hermes host reached
// over its dashboard every listing is an HTTP call. Our own creates and deletes invalidate it at
// once; a profile made outside the bot shows up within the TTL, and Create refuses an existing name
// anyway. A listing that fails keeps the last names known (none at first) until the TTL ends.
import type { ProfileBackend } from "../backend/profile-backend.ts";

/** Profiles in this machine's Hermes home: a folder listing is cheap. */
export const PROFILE_NAMES_TTL_MS = 1000;
/** Profiles on a Hermes host: one GET /api/profiles per this long at most. */
export const REMOTE_PROFILE_NAMES_TTL_MS = 15_000;

export class ProfileNames {
  #names: string[] | undefined;
  #listedAt = Number.NEGATIVE_INFINITY;
  #listing: Promise<string[]> | undefined;
  readonly #ttlMs: number;

  constructor(
    private readonly backend: Pick<ProfileBackend, "names" | "host">,
    private readonly now: () => number = Date.now,
  ) {
    this.#ttlMs = backend.host ? REMOTE_PROFILE_NAMES_TTL_MS : PROFILE_NAMES_TTL_MS;
  }

  async get(): Promise<string[]> {
    if (this.now() - this.#listedAt < this.#ttlMs) return this.#names ?? [];
    this.#listing ??= this.backend.names().then((listed) => {
      this.#listing = undefined;
      // A failure is remembered for the TTL too: with the host down, every button press would
      // otherwise wait for the client's retries again.
      this.#listedAt = this.now();
      if (listed.ok) this.#names = listed.value;
      return this.#names ?? [];
    });
    return this.#listing;
  }

  /** The next `get` lists again (the names known so far stay the fallback if that listing fails). */
  invalidate(): void {
    this.#listedAt = Number.NEGATIVE_INFINITY;
  }
}
