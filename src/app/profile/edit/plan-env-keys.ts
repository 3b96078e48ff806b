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
  const current = envValues(envText ?? "");
  const set: [string, string][] = [];
  const changes: ProfileChange[] = [];
  const missing: string[] = [];
  for (const key of needed) {
    const value = given.get(key);
    const now = current.get(key);
    if (value === undefined || value === "") {
      if (!now) missing.push(key);
      continue;
    }
    if (value === now) continue;
    set.push([key, value]);
    changes.push({ kind: now ? "changed" : "added", what: `key ${key}`, detail: now ? "replaced" : "set" });
  }
  return { set, changes, missing };
}

/** KEY=VALUE lines of a .env (the last one wins, as Hermes' loader reads them). */
function envValues(text: string): Map<string, string> {
  const values = new Map<string, string>();
  for (const line of text.split("\n")) {
    const match = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=(.*)$/.exec(line);
    if (match?.[1]) values.set(match[1], (match[2] ?? "").trim());
  }
  return values;
}
