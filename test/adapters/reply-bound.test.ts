// One reply's upper size: at most so many messages of so many characters, the last saying how much
// was left out; and one text's upper size.
import { describe, expect, it } from "vitest";
import { boundedParts, boundedText } from "../../src/adapters/shared/reply-bound.ts";

const note = (leftOut: number) => `… ${leftOut} more characters not shown.`;

describe("GIVEN a reply split into messages with an upper count", () => {
  it("WHEN it fits THEN it is split as always and nothing is added", () => {
    const text = `${"a".repeat(90)}\n${"b".repeat(90)}`;
    expect(boundedParts(text, 100, 3, note)).toEqual(["a".repeat(90), "b".repeat(90)]);
  });

  it("WHEN it is 4 MB THEN it is exactly that many messages, each within the limit, the last ending with how much was left out", () => {
    const text = Array.from({ length: 40 }, (_, index) => `• ${index} ${"x".repeat(100_000)}`).join("\n");
    const parts = boundedParts(text, 4096, 5, note);
    expect(parts).toHaveLength(5);
    for (const part of parts) expect(part.length).toBeLessThanOrEqual(4096);
    const leftOut = Number(/… (\d+) more characters not shown\.$/.exec(parts[4] ?? "")?.[1]);
    const shown = parts.join("").length - note(leftOut).length - 2;
    expect(leftOut).toBeGreaterThan(text.length - 5 * 4096);
    expect(leftOut + shown).toBeLessThanOrEqual(text.length);
  });

  it("WHEN it needs one message more than allowed THEN the note still fits the last message", () => {
    const text = Array.from({ length: 4 }, () => "y".repeat(100)).join("\n");
    const parts = boundedParts(text, 100, 3, note);
    expect(parts).toHaveLength(3);
    for (const part of parts) expect(part.length).toBeLessThanOrEqual(100);
    expect(parts[2]).toMatch(/more characters not shown\.$/);
  });

  it("WHEN a cut falls inside a surrogate pair THEN no half character is sent", () => {
    const parts = boundedParts("😀".repeat(400), 100, 2, note);
    for (const part of parts) expect(part).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])/);
  });
});

describe("GIVEN one text with an upper size", () => {
  it("WHEN it fits THEN it is unchanged; WHEN it does not THEN head and note stay within the size", () => {
    expect(boundedText("short", 100, note)).toBe("short");
    const cut = boundedText("z".repeat(1000), 100, note);
    expect(cut.length).toBeLessThanOrEqual(100);
    expect(cut).toMatch(/^z+\n\n… \d+ more characters not shown\.$/);
  });
});
