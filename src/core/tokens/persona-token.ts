// Buttons on persona replies: `p:<actionId>:<undo|confirm>`. The action (previous values, or the
// personas a confirmation covers) is looked up in the store; the token only points at it.
import { pointerToken } from "./pointer-token.ts";
import type { Result } from "../result.ts";

export type PersonaButton = "undo" | "confirm";

const token = pointerToken<PersonaButton>("p", ["undo", "confirm"]);

export function encodePersonaToken(actionId: string, button: PersonaButton): string {
  return token.encode(actionId, button);
}

export function isPersonaToken(raw: string): boolean {
  return token.is(raw);
}

export function parsePersonaToken(raw: string): Result<{ actionId: string; button: PersonaButton }> {
  const parsed = token.parse(raw);
  return parsed.ok ? { ok: true, value: { actionId: parsed.value.id, button: parsed.value.action } } : parsed;
}
