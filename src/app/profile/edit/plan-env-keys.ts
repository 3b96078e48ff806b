// The keys an apply from a file sets in .env: as `create --from`, the values come from the
// environment variables the catalog names for the blueprint (provider, MCP servers). A key given
// is set (or replaced when its value differs); a key not given is left as it is and named, with
// the command that sets it. Values never leave this module but into the .env text.
import type { ProfileChange } from "../../../core/edit/profile-change.ts";

export interface EnvKeysPlan {
  readonly set: ReadonlyArray<readonly [string, string]>;
  readonly changes: ProfileChange[];
  /** Needed, not given, and not set in .env either. */
  readonly missing: string[];
}

export function planEnvKeys(
  envText: string | undefined,
  needed: readonly string[],
  given: ReadonlyMap<string, string>,
): EnvKeysPlan {
  return planEnvKeysAgainst(envValues(envText ?? ""), needed, given);
}

/**
 * The same against what is known of .env: a key's value, or `null` for a key that is set whose
 * value is not known here (a Hermes host names the keys it has set, never their values): giving
 * such a key a value always replaces it.
 */
export function planEnvKeysAgainst(
  current: ReadonlyMap<string, string | null>,
  needed: readonly string[],
  given: ReadonlyMap<string, string>,
): EnvKeysPlan {
  const set: [string, string][] = [];
  const changes: ProfileChange[] = [];
  const missing: string[] = [];
  for (const key of needed) {
    const value = given.get(key);
    const now = current.get(key);
    const isSet = hasValue(now);
    if (value === undefined || value === "") {
      if (!isSet) missing.push(key);
      continue;
    }
    if (value === now) continue;
    set.push([key, value]);
    changes.push({
      kind: isSet ? "changed" : "added",
      what: `key ${key}`,
      detail: isSet ? "replaced" : "set",
    });
  }
  return { set, changes, missing };
}

/** KEY=VALUE lines of a .env (the last one wins, as Hermes' loader reads them). */
export function envValues(text: string): Map<string, string> {
  const values = new Map<string, string>();
  for (const line of text.split("\n")) {
    const match = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=(.*)$/.exec(line);
    if (match?.[1]) values.set(match[1], (match[2] ?? "").trim());
  }
  return values;
}

/** Whether what is known of a key says it holds a value: `null` (set, value unknown) or a non-empty one. */
export function hasValue(known: string | null | undefined): boolean {
  return known === null || (known !== undefined && known !== "");
}
