// What editing an existing profile asks of a backend: the editor's reading (what the planner
// compares, a fingerprint of the files, the keys set), and an apply that writes only when the files
// still have that fingerprint. The local backend and a Hermes host (through its dashboard) do both.
import type { Blueprint } from "../../core/blueprint.ts";
import type { CurrentProfile } from "../../core/edit/current-profile.ts";
import type { ProfileChange } from "../../core/edit/profile-change.ts";
import type { PersonaLookup } from "./persona-lookup.ts";

export interface EditRead {
  readonly current: CurrentProfile;
  readonly fingerprint: string;
  /** Keys with a value in .env (names only). */
  readonly keysSet: string[];
  /** What this backend's edit cannot do as an edit on this machine does: shown before Apply. */
  readonly notes?: readonly string[];
}

export interface EditRequest {
  readonly blueprint: Blueprint;
  /** The blueprint keys to match (the file's keys, or the parts changed in the chat editor). */
  readonly keys: ReadonlySet<string>;
  /** Refuse unless the files still have this fingerprint (the chat editor's reading). */
  readonly fingerprint?: string;
  /** Keys to set in .env, by variable name. */
  readonly secrets: ReadonlyMap<string, string>;
  /** Keys to delete from .env (their lines go). */
  readonly deleteKeys?: readonly string[];
  readonly personas?: PersonaLookup;
  readonly keptServers?: readonly string[];
  /** Plan only: nothing is written. */
  readonly dryRun?: boolean;
}

export interface EditApplied {
  readonly changes: ProfileChange[];
  readonly notes: string[];
  /** Keys the blueprint needs that are neither given nor set. */
  readonly missingKeys: string[];
  readonly written: string[];
  readonly reformatted: string[];
  /** Hub identifiers to install now. */
  readonly installs: string[];
  readonly copied: string[];
  readonly copyFailures: string[];
  /** Set when the Apply can be undone: the files' fingerprint right after it. */
  readonly undoFingerprint?: string;
}
