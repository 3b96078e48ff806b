// Profile refs where there is one place (this machine, or one Hermes host): the Hermes name itself,
// checked by the name rule; `default` is the root profile.
import { DEFAULT_PROFILE } from "../../core/blueprint.ts";
import { describe } from "../../core/messages.ts";
import { checkProfileName } from "../../core/profile-name.ts";
import type { ProfileBackend, ProfileRef } from "../ports/profile-backend.ts";
import type { Outcome } from "../ports/outcome.ts";

export function resolvePlainRef(raw: string): Outcome<ProfileRef> {
  if (raw.trim().toLowerCase() === DEFAULT_PROFILE) return { ok: true, value: DEFAULT_PROFILE };
  const checked = checkProfileName(raw);
  return checked.ok
    ? { ok: true, value: checked.value.name }
    : { ok: false, reason: describe(checked.error) };
}

/** The chat target of a backend that is one place: itself, refs are plain names. */
export function selfTarget(backend: ProfileBackend) {
  return { backend, refOf: (name: string) => name };
}
