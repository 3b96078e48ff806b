import { describe, expect, it } from "vitest";
import { utf8ByteLength } from "../../src/core/text-rules.ts";

describe("GIVEN utf8ByteLength", () => {
  it.each([
    ["empty", ""],
    ["ASCII", "w:abcd1234:7:next"],
    ["two-byte", "é".repeat(33)],
    ["three-byte", "日本語のボタン"],
    ["emoji (surrogate pairs)", "🚀👩‍💻✨"],
    ["a lone high surrogate at the end", "abc\ud83d"],
    ["a lone high surrogate before text", "\ud83dabc"],
    ["a lone low surrogate", "x\ude80y"],
    ["mixed", "a\u00e9\u65e5\ud83d\ude80\u0000\u007f\u0080\u07ff\u0800\uffff"],
  ])("WHEN the text is %s THEN it counts what TextEncoder encodes", (_label, text) => {
    expect(utf8ByteLength(text)).toBe(new TextEncoder().encode(text).length);
  });
});
