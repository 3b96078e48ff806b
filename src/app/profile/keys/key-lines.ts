// How a profile's keys read, in the terminal (`blueprint key list`) and in chat (`/profile keys`):
// one line per key, set or not set, and why the profile needs it. Names only, never a value.
import type { KeyReason, ProfileKey, ProfileKeys } from "../../ports/profile-backend.ts";

export function reasonText(reason: KeyReason): string {
  switch (reason.kind) {
    case "provider":
      return `provider ${reason.name}`;
    case "mcp":
      return `MCP server ${reason.name}`;
    case "skill":
      return `skill ${reason.name}${reason.optional ? " (optional)" : ""}`;
  }
}

function keyLine(entry: ProfileKey): string {
  const why = entry.why.map(reasonText).join(", ");
  return `• ${entry.key}: ${entry.set ? "set" : "not set"}${why ? ` — ${why}` : ""}`;
}

function section(entries: readonly ProfileKey[], max: number): string[] {
  const shown = entries.slice(0, max).map(keyLine);
  return entries.length > max ? [...shown, `…and ${entries.length - max} more`] : shown;
}

/** `max`: entries shown per section (a chat answer stays short); the rest are counted. */
export function keyLines(keys: ProfileKeys, max = Number.POSITIVE_INFINITY): string[] {
  const missing = keys.needed.filter((entry) => !entry.set).length;
  return [
    keys.needed.length === 0
      ? "Needed keys: none (nothing in the profile asks for one)."
      : `Needed keys (${keys.needed.length}, ${missing} not set):`,
    ...section(keys.needed, max),
    ...(keys.other.length > 0
      ? [`Other keys in .env (nothing in the profile asks for them):`, ...section(keys.other, max)]
      : []),
  ];
}
