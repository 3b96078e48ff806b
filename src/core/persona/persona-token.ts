// Buttons on persona replies: `p:<actionId>:<undo|confirm>`. The action (previous values, or the
// personas a confirmation covers) is looked up in the store; the token only points at it.
import { BUTTON_TOKEN_MAX_BYTES } from "../limits.ts";
import { fail, ok, type Result } from "../result.ts";
import { utf8ByteLength } from "../text-rules.ts";

export type PersonaButton = "undo" | "confirm";
const PERSONA_TOKEN_PATTERN = /^p:([a-z0-9]{4,16}):(undo|confirm)$/;

export function encodePersonaToken(actionId: string, button: PersonaButton): string {
  const token = `p:${actionId}:${button}`;
  if (!PERSONA_TOKEN_PATTERN.test(token)) throw new Error(`bug: persona token out of bounds: ${token}`);
  return token;
}

export function isPersonaToken(raw: string): boolean {
  return raw.startsWith("p:");
}

export function parsePersonaToken(raw: string): Result<{ actionId: string; button: PersonaButton }> {
  if (utf8ByteLength(raw) > BUTTON_TOKEN_MAX_BYTES)
    return fail("token_too_long", { max: BUTTON_TOKEN_MAX_BYTES });
  const match = PERSONA_TOKEN_PATTERN.exec(raw);
  if (!match?.[1] || !match[2]) return fail("token_malformed");
  return ok({ actionId: match[1], button: match[2] as PersonaButton });
}
