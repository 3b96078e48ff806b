import { describe, expect, it } from "vitest";
import { encodeButtonToken, parseButtonToken } from "../../src/core/tokens/button-token.ts";
import { BUTTON_TOKEN_MAX_BYTES } from "../../src/core/limits.ts";

describe("button tokens", () => {
  it("GIVEN a session, rev, action and arg WHEN encoded and parsed THEN they round-trip", () => {
    const token = encodeButtonToken("ab12cd34ef56", 17, "toggle", "3");
    expect(token).toBe("w:ab12cd34ef56:17:toggle:3");
    expect(parseButtonToken(token)).toEqual({
      ok: true,
      value: { sessionId: "ab12cd34ef56", rev: 17, action: "toggle", arg: "3" },
    });
    expect(parseButtonToken("w:ab12cd34ef56:2:next")).toEqual({
      ok: true,
      value: { sessionId: "ab12cd34ef56", rev: 2, action: "next" },
    });
  });

  it("GIVEN the largest token our sessions can produce THEN it fits 64 bytes", () => {
    const token = encodeButtonToken("a".repeat(16), 999_999_999, "abcdefgh", "x".repeat(24));
    expect(Buffer.byteLength(token)).toBeLessThanOrEqual(BUTTON_TOKEN_MAX_BYTES);
  });

  it.each([
    ["", "token_malformed"],
    ["x:ab12cd34:1:next", "token_malformed"],
    ["w:ab12cd34:one:next", "token_malformed"],
    ["w:AB12CD34:1:next", "token_malformed"],
    ["w:ab12cd34:1:next:../../etc", "token_malformed"],
    ["w:ab12cd34:1:next:a b", "token_malformed"],
    ["w:ab12cd34:1:NEXT", "token_malformed"],
    [`w:ab12cd34:1:next:${"x".repeat(60)}`, "token_too_long"],
    [`w:ab12cd34:1:next:${"é".repeat(30)}`, "token_too_long"],
  ])("GIVEN the forged token %j THEN it is refused as %s", (raw, code) => {
    const parsed = parseButtonToken(raw);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error.code).toBe(code);
  });

  it("GIVEN multi-byte characters THEN the limit counts bytes, not characters", () => {
    const raw = `w:ab12cd34:1:pick:${"é".repeat(25)}`; // 43 characters, 68 bytes
    expect(raw.length).toBeLessThan(BUTTON_TOKEN_MAX_BYTES);
    expect(Buffer.byteLength(raw)).toBeGreaterThan(BUTTON_TOKEN_MAX_BYTES);
    expect(parseButtonToken(raw)).toMatchObject({ ok: false, error: { code: "token_too_long" } });
  });

  it("GIVEN an action our code would never build THEN encoding throws, because that is a bug", () => {
    expect(() => encodeButtonToken("ab12cd34", 1, "x".repeat(9))).toThrow(/bug/);
  });
});
