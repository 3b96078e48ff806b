// What planning one part of a profile yields: the change lines and the edits that make them.
import type { ProfileChange } from "./profile-change.ts";
import type { YamlEdit } from "./yaml-splice.ts";

export interface PartPlan {
  readonly changes: ProfileChange[];
  /** Edits of config.yaml. */
  readonly config: YamlEdit[];
  /** Edits of profile.yaml. */
  readonly meta: YamlEdit[];
  /** Hub identifiers to install once the files are written. */
  readonly installs: string[];
  /** Optional skills (library ids) to copy in once the files are written, as Create copies them. */
  readonly copies: string[];
  /** What the file asked that an edit does not do, said to the user. */
  readonly notes: string[];
}

export function emptyPart(): PartPlan {
  return { changes: [], config: [], meta: [], installs: [], copies: [], notes: [] };
}
