// Drift between what a profile carries and what the library holds now (recorded version and content hash against the file's).
import type { Persona } from "./persona.ts";

export type DriftState = "current" | "outdated" | "modified" | "missing";

export interface DriftInput {
  /** What was applied: the library's version and body hash at that time. */
  readonly recorded: { readonly version: string; readonly hash: string; readonly mode: "overlay" | "ref" };
  /** The hash of the prompt the profile's config.yaml holds now (overlay), or undefined when absent. */
  readonly profileHash: string | undefined;
  /** The library's persona now, or undefined when it is gone. */
  readonly library: Persona | undefined;
}

/** Missing beats modified beats outdated: each needs a different, more careful answer. */
export function driftOf(input: DriftInput): DriftState {
  if (!input.library) return "missing";
  if (input.recorded.mode === "overlay" && input.profileHash !== input.recorded.hash) return "modified";
  if (input.library.hash !== input.recorded.hash || input.library.meta.version !== input.recorded.version)
    return "outdated";
  return "current";
}

export const DRIFT_MARK: Readonly<Record<DriftState, string>> = {
  current: "✓",
  outdated: "⬆",
  modified: "✎",
  missing: "✗",
};
