// The profile names the wizard checks against (name clashes, clone sources), listed at most once
// per PROFILE_NAMES_TTL_MS instead of on every event: in the load benchmark a readdir of thousands
// of profiles per button press was the bot's biggest cost. Our own creates and deletes invalidate
// it at once; a profile made outside the bot shows up within the TTL, and the writer refuses an
// existing name at Create anyway.
import { listProfiles } from "./profiles-root.ts";

export const PROFILE_NAMES_TTL_MS = 1000;

export class ProfileNames {
  #names: string[] | undefined;
  #listedAt = 0;
  #listing: Promise<string[]> | undefined;

  constructor(
    private readonly profilesRoot: string,
    private readonly now: () => number = Date.now,
  ) {}

  async get(): Promise<string[]> {
    if (this.#names && this.now() - this.#listedAt < PROFILE_NAMES_TTL_MS) return this.#names;
    this.#listing ??= listProfiles(this.profilesRoot).then((names) => {
      this.#names = names;
      this.#listedAt = this.now();
      this.#listing = undefined;
      return names;
    });
    return this.#listing;
  }

  invalidate(): void {
    this.#names = undefined;
  }
}
