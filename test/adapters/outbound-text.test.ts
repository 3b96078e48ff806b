// The adapters' last line: every outbound text loses escapes, controls, bidi and zero-width
// characters (our own newlines and tabs stay) and every secret the bot holds.
import { describe, expect, it } from "vitest";
import { safeOutboundPayload, safeOutboundText } from "../../src/adapters/shared/outbound-text.ts";
import { KnownSecrets, REDACTED } from "../../src/app/secrets/known-secrets.ts";
import { unsafeStrings } from "../helpers/echoing-dashboard.ts";

const TOKEN = "outbound-text-token/with+odd=chars";
const secrets = new KnownSecrets([TOKEN]);

describe("GIVEN a text on its way out of an adapter", () => {
  it("WHEN it carries terminal escapes, C0/C1 controls, bidi and zero-width characters THEN they are gone and our layout stays", () => {
    const text =
      "━━ Title ━━\n  1) \u001b[2Jname\u001b]0;title\u0007\u009b31m\u202eexe\u2066x\u2069\u200bz\u0000\r\tend";
    const safe = safeOutboundText(text, secrets);
    // The 8-bit CSI (U+009B) goes as a C1 control; its parameters are left as inert text.
    expect(safe).toBe("━━ Title ━━\n  1) name31mexexz\tend");
    expect(unsafeStrings(safe)).toEqual([]);
  });

  it("WHEN it quotes a known secret as sent, percent-encoded or split by an invisible character THEN each is redacted", () => {
    const split = `${TOKEN.slice(0, 5)}\u200b${TOKEN.slice(5)}`;
    const safe = safeOutboundText(`a ${TOKEN} b ${encodeURIComponent(TOKEN)} c ${split}`, secrets);
    expect(safe).toBe(`a ${REDACTED} b ${REDACTED} c ${REDACTED}`);
  });

  it("WHEN the adapter was given no secrets THEN it still cleans", () => {
    expect(safeOutboundText("a\u001b[2Jb", undefined)).toBe("ab");
  });

  it("WHEN a whole request payload goes out THEN every string in it is made safe, numbers and non-plain objects are kept, and the original is unchanged", () => {
    const file = new Uint8Array([27, 91, 50, 74]);
    const payload = {
      chat_id: 42,
      text: `hi ${TOKEN}\u001b[2J`,
      reply_markup: { inline_keyboard: [[{ text: "Delete \u202eevil", callback_data: "p:1:delete" }]] },
      file,
    };
    const safe = safeOutboundPayload(payload, secrets);
    expect(safe).toEqual({
      chat_id: 42,
      text: `hi ${REDACTED}`,
      reply_markup: { inline_keyboard: [[{ text: "Delete evil", callback_data: "p:1:delete" }]] },
      file,
    });
    expect(safe.file).toBe(file);
    expect(payload.text).toContain(TOKEN);
  });

  it("WHEN a typed key happens to match part of a button token THEN the token (callback_data, custom_id) is left as the bot made it, its label still redacted", () => {
    const typed = { redact: (text: string) => text.split("a1b2c3d4e5").join(REDACTED) };
    const payload = {
      reply_markup: { inline_keyboard: [[{ text: "a1b2c3d4e5", callback_data: "w:a1b2c3d4e5:3:next" }]] },
      components: [{ type: 1, components: [{ type: 2, label: "Next", custom_id: "w:a1b2c3d4e5:3:next" }] }],
    };
    expect(safeOutboundPayload(payload, typed)).toEqual({
      reply_markup: { inline_keyboard: [[{ text: REDACTED, callback_data: "w:a1b2c3d4e5:3:next" }]] },
      components: [{ type: 1, components: [{ type: 2, label: "Next", custom_id: "w:a1b2c3d4e5:3:next" }] }],
    });
  });
});
