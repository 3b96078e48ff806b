// Buttons on profile replies: `r:<actionId>:<delete|keep>` confirms or calls off a deletion;
// `r:<actionId>:undo` puts back what the editor's last Apply changed. The
// action (which profile, who asked) is looked up in the store; the token only points at it.
import { pointerToken } from "./pointer-token.ts";
import type { Result } from "../result.ts";

export type ProfileButton = "delete" | "keep" | "undo";

const token = pointerToken<ProfileButton>("r", ["delete", "keep", "undo"]);

export function encodeProfileToken(actionId: string, button: ProfileButton): string {
  return token.encode(actionId, button);
}

export function isProfileToken(raw: string): boolean {
  return token.is(raw);
}

export function parseProfileToken(raw: string): Result<{ actionId: string; button: ProfileButton }> {
  const parsed = token.parse(raw);
  return parsed.ok ? { ok: true, value: { actionId: parsed.value.id, button: parsed.value.action } } : parsed;
}
