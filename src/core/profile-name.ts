// The Hermes profile name rule (Hermes 0.19's profiles.py, checked in HERMES-COMPAT.md): trimmed and
// lower-cased, then ^[a-z0-9][a-z0-9_-]{0,63}$, minus the reserved names.
import {
  HERMES_SUBCOMMAND_NAMES,
  PROFILE_NAME_MAX_CHARS,
  PROFILE_NAME_PATTERN,
  RESERVED_PROFILE_NAMES,
} from "./limits.ts";
import { fail, ok, type Result } from "./result.ts";

export interface CheckedName {
  readonly name: string;
  /** Set when the name is valid but shadows a Hermes subcommand (no shell alias possible). */
  readonly shadowsCommand: boolean;
}

export function normaliseProfileName(raw: string): string {
  return raw.trim().toLowerCase();
}

export function checkProfileName(raw: string): Result<CheckedName> {
  const name = normaliseProfileName(raw);
  if (name === "") return fail("name_empty");
  // Specific messages first, so "../x" hears about paths rather than "invalid characters".
  if (name.includes("/") || name.includes("\\") || name.includes("..")) return fail("name_path");
  if ([...name].length > PROFILE_NAME_MAX_CHARS) {
    return fail("name_too_long", { length: [...name].length, max: PROFILE_NAME_MAX_CHARS });
  }
  if (!/^[a-z0-9]/.test(name) && /^[\x21-\x7e]/.test(name)) return fail("name_hidden");
  if (!PROFILE_NAME_PATTERN.test(name)) return fail("name_invalid", { name: printable(name) });
  if (RESERVED_PROFILE_NAMES.includes(name)) return fail("name_reserved", { name });
  return ok({ name, shadowsCommand: HERMES_SUBCOMMAND_NAMES.includes(name) });
}

/** Shows a refused name back to the user without letting control characters through. */
function printable(name: string): string {
  const shown = name.replace(/[^\x20-\x7e]/g, "?");
  return shown.length > 40 ? `${shown.slice(0, 40)}…` : shown;
}
