// The gate for text from outside: every kind of character a hostile host, model server or
// installer has been seen to send, and what is left of it.
import { describe, expect, it } from "vitest";
import {
  capChars,
  cleanOutsideText,
  profileNameFromOutside,
  OUTSIDE_DETAIL_MAX_CHARS,
} from "../../src/core/outside-text.ts";

describe("GIVEN text from outside the bot", () => {
  it.each([
    ["ESC clear-screen and cursor home", "\u001b[2J\u001b[Hadmin", "admin"],
    ["an OSC window title ended by BEL", "\u001b]0;pwned\u0007name", "name"],
    ["an OSC string ended by ESC backslash", "\u001b]8;;http://x\u001b\\link", "link"],
    ["BEL and NUL", "a\u0007b\u0000c", "abc"],
    ["the 8-bit CSI (U+009B) and other C1 controls", "a\u009b2Jb\u0085c", "a2Jbc"],
    ["a right-to-left override", "evil\u202Etxt.exe", "eviltxt.exe"],
    ["zero-width and invisible characters", "to\u200Bk\u2060e\uFEFFn", "token"],
    [
      "a newline that would forge a line of ours",
      "x\n✓ Profile 'admin' created",
      "x ✓ Profile 'admin' created",
    ],
    ["Unicode line and paragraph separators", "a\u2028b\u2029c", "abc"],
    ["carriage returns and tabs", "a\r\n\tb", "a b"],
  ])("WHEN it holds %s THEN one plain line is left", (_what, raw, clean) => {
    expect(cleanOutsideText(raw, 1000)).toBe(clean);
  });

  it("WHEN it is longer than the cap THEN it is cut at a character boundary and marked", () => {
    const cut = cleanOutsideText("x".repeat(100_000), OUTSIDE_DETAIL_MAX_CHARS);
    expect(cut).toHaveLength(OUTSIDE_DETAIL_MAX_CHARS);
    expect(cut.endsWith("…")).toBe(true);
    // A surrogate pair is never split in half.
    expect(capChars("😀".repeat(10), 5)).toBe("😀😀😀😀…");
  });

  it("WHEN a host reports profile names THEN only names Hermes' rule allows are taken, none repaired", () => {
    expect(profileNameFromOutside("research-bot")).toBe("research-bot");
    for (const bad of ["Admin", "a\nb", "x".repeat(65), "-lead", "a b", "ad\u202Emin", "", 7, null])
      expect(profileNameFromOutside(bad)).toBeUndefined();
  });
});
