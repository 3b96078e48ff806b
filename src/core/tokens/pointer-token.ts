// Tokens for buttons outside the wizard: `<prefix>:<id>:<action>`. Like the wizard's tokens they
// are pointers (the record is looked up in the store) and stay within Telegram's 64 bytes.
import { BUTTON_TOKEN_MAX_BYTES } from "../limits.ts";
import { fail, ok, type Result } from "../result.ts";
import { utf8ByteLength } from "../text-rules.ts";

export interface PointerToken<A extends string> {
  encode(id: string, action: A): string;
  is(raw: string): boolean;
  parse(raw: string): Result<{ id: string; action: A }>;
}

export function pointerToken<A extends string>(prefix: string, actions: readonly A[]): PointerToken<A> {
  const pattern = new RegExp(`^${prefix}:([a-z0-9]{4,16}):(${actions.join("|")})$`);
  return {
    encode(id, action) {
      const token = `${prefix}:${id}:${action}`;
      if (!pattern.test(token)) throw new Error(`bug: ${prefix}: token out of bounds: ${token}`);
      return token;
    },
    is: (raw) => raw.startsWith(`${prefix}:`),
    parse(raw) {
      if (utf8ByteLength(raw) > BUTTON_TOKEN_MAX_BYTES)
        return fail("token_too_long", { max: BUTTON_TOKEN_MAX_BYTES });
      const match = pattern.exec(raw);
      if (!match?.[1] || !match[2]) return fail("token_malformed");
      return ok({ id: match[1], action: match[2] as A });
    },
  };
}
