// A profile as the editor reads it before planning: its files as Hermes reads them (plain data,
// no comments; the texts themselves stay with whoever reads and writes them).
import type { InstallRecord } from "../install/install-record.ts";

export interface CurrentProfile {
  /** config.yaml as data; {} when the profile has none. */
  readonly config: Readonly<Record<string, unknown>>;
  /** profile.yaml (display name, description); {} when absent. */
  readonly meta: Readonly<Record<string, unknown>>;
  /** SOUL.md, undefined when absent. */
  readonly soul: string | undefined;
  /** skills/.hub/lock.json: the hub (and optional) skills installed. */
  readonly hubInstalls: readonly InstallRecord[];
  /** The built-in skills copied into the profile (skills/.bundled_manifest); undefined when unknown. */
  readonly builtinsPresent: readonly string[] | undefined;
}

export function record(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

/** Equal as data: mappings compare regardless of key order (a hand-written file orders as it likes). */
export function sameValue(a: unknown, b: unknown): boolean {
  return canonical(a) === canonical(b);
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1));
    return `{${entries.map(([key, inner]) => `${JSON.stringify(key)}:${canonical(inner)}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "undefined";
}
