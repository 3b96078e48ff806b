// Buttons on the install status message: `i:<groupId>:<cancel|retry>`.
import { pointerToken } from "./pointer-token.ts";
import type { Result } from "../result.ts";

export type InstallAction = "cancel" | "retry";

const token = pointerToken<InstallAction>("i", ["cancel", "retry"]);

export function encodeInstallToken(groupId: string, action: InstallAction): string {
  return token.encode(groupId, action);
}

export function isInstallToken(raw: string): boolean {
  return token.is(raw);
}

export function parseInstallToken(raw: string): Result<{ groupId: string; action: InstallAction }> {
  const parsed = token.parse(raw);
  return parsed.ok ? { ok: true, value: { groupId: parsed.value.id, action: parsed.value.action } } : parsed;
}
