import { describe, expect, it } from "vitest";
import { TextMemory } from "../../../src/app/profile/text-memory.ts";

describe("GIVEN a memory of texts bounded by their total length", () => {
  it("WHEN texts past the total are kept THEN the least recently used go first, a read counting as a use", () => {
    const memory = new TextMemory<number>(10, 10, 100);
    memory.set("aaaa", 1);
    memory.set("bbbb", 2);
    expect(memory.get("aaaa")).toBe(1);
    memory.set("cccc", 3);
    expect(memory.get("bbbb")).toBeUndefined();
    expect(memory.get("aaaa")).toBe(1);
    expect(memory.get("cccc")).toBe(3);
    expect(memory.chars).toBe(8);
  });

  it("WHEN a text is kept again or is longer than the limit for one text THEN it is counted once, or not kept", () => {
    const memory = new TextMemory<string>(10, 6, 100);
    memory.set("abc", "first");
    memory.set("abc", "second");
    expect(memory.chars).toBe(3);
    expect(memory.get("abc")).toBe("second");
    memory.set("toolong", "x");
    expect(memory.get("toolong")).toBeUndefined();
    expect(memory.chars).toBe(3);
  });

  it("WHEN one text fills the whole total THEN it is kept alone", () => {
    const memory = new TextMemory<number>(6, 6, 100);
    memory.set("ab", 1);
    memory.set("abcdef", 2);
    expect(memory.get("ab")).toBeUndefined();
    expect(memory.get("abcdef")).toBe(2);
  });

  it("WHEN more entries than the cap are kept THEN the oldest go, however short the texts", () => {
    const memory = new TextMemory<number>(1000, 10, 2);
    memory.set("a", 1);
    memory.set("b", 2);
    memory.set("c", 3);
    expect(memory.get("a")).toBeUndefined();
    expect([memory.get("b"), memory.get("c")]).toEqual([2, 3]);
  });

  it("WHEN one text could be longer than the whole memory THEN the memory is refused at once", () => {
    expect(() => new TextMemory<number>(5, 6, 10)).toThrow(/longer than the memory/);
  });
});
