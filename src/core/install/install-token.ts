// Buttons on the install status message: `i:<groupId>:<action>`. Like the wizard's tokens they
// are pointers (the group is looked up in the store) and stay under 64 bytes.
import { BUTTON_TOKEN_MAX_BYTES } from "../limits.ts";
import { fail, ok, type Result } from "../result.ts";
import { utf8ByteLength } from "../text-rules.ts";

export type InstallAction = "cancel" | "retry";

const INSTALL_TOKEN_PATTERN = /^i:([a-z0-9]{4,16}):(cancel|retry)$/;

export function encodeInstallToken(groupId: string, action: InstallAction): string {
  const token = `i:${groupId}:${action}`;
  if (!INSTALL_TOKEN_PATTERN.test(token)) throw new Error(`bug: install token out of bounds: ${token}`);
  return token;
}

export function isInstallToken(raw: string): boolean {
  return raw.startsWith("i:");
}

export function parseInstallToken(raw: string): Result<{ groupId: string; action: InstallAction }> {
  if (utf8ByteLength(raw) > BUTTON_TOKEN_MAX_BYTES)
    return fail("token_too_long", { max: BUTTON_TOKEN_MAX_BYTES });
  const match = INSTALL_TOKEN_PATTERN.exec(raw);
  if (!match?.[1] || !match[2]) return fail("token_malformed");
  return ok({ groupId: match[1], action: match[2] as InstallAction });
}
