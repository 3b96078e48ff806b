// Once a create's hub installs end with a skill installed, the keys the profile's skills declare
// that .env does not set are read (a hub skill's SKILL.md is known only after its install) and put
// on the install group, so its status message names them. Names only, never a value.
import { isGroupFinished, type InstallGroup } from "../../core/install/install-job.ts";
import type { Outcome } from "../ports/outcome.ts";
import type { ProfileKeys, ProfileRef } from "../ports/profile-backend.ts";
import type { Store } from "../ports/store.ts";

/** Keys a skill needs (not declared optional) that are not set. */
export function missingSkillKeys(keys: ProfileKeys): string[] {
  return keys.needed
    .filter((entry) => !entry.set && entry.why.some((reason) => reason.kind === "skill" && !reason.optional))
    .map((entry) => entry.key);
}

export interface SkillKeysNoteDeps {
  readonly keys: (profile: ProfileRef) => Promise<Outcome<ProfileKeys>>;
  readonly store: Pick<Store, "getInstallGroup" | "putInstallGroup">;
  /** Called with the group once its missing keys are on it. */
  readonly onNoted: (group: InstallGroup) => void;
}

export class SkillKeysNote {
  /** Groups read already, by how many jobs were done then: a Retry that installs more reads again. */
  readonly #read = new Map<string, number>();

  constructor(private readonly deps: SkillKeysNoteDeps) {}

  /** Reads the keys when the group has just finished with more installed than when last read. */
  async check(group: InstallGroup): Promise<void> {
    const done = group.jobs.filter((job) => job.status === "done").length;
    if (!isGroupFinished(group) || done === 0 || this.#read.get(group.id) === done) return;
    this.#read.set(group.id, done);
    try {
      const keys = await this.deps.keys(group.profile);
      // Unreadable: the status keeps its general pointer to /profile keys.
      if (!keys.ok) return;
      const current = await this.deps.store.getInstallGroup(group.id);
      if (!current) return;
      const noted = { ...current, skillKeysMissing: missingSkillKeys(keys.value) };
      await this.deps.store.putInstallGroup(noted);
      this.deps.onNoted(noted);
    } catch {
      // Called without waiting (the bot may be stopping): a failure only leaves the general pointer.
    }
  }
}
