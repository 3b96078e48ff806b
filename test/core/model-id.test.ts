import { describe, expect, it } from "vitest";
import { MODEL_ID_MAX_CHARS } from "../../src/core/limits.ts";
import { isUsableModelId } from "../../src/core/model-id.ts";

describe("GIVEN isUsableModelId", () => {
  it.each([
    ["a plain id", "llama3.1:8b"],
    ["an id with a vendor path", "anthropic/claude-sonnet-4"],
    ["an id of exactly the cap", "m".repeat(MODEL_ID_MAX_CHARS)],
  ])("WHEN the id is %s THEN it is usable", (_label, id) => {
    expect(isUsableModelId(id)).toBe(true);
  });

  it.each([
    ["empty", ""],
    ["one character over the cap", "m".repeat(MODEL_ID_MAX_CHARS + 1)],
    ["with a space", "gpt 4"],
    ["with a line break", "gpt\n4"],
    ["with an escape", "\u001b[2Jgpt-4"],
    ["with a C1 control", "gpt\u009b4"],
    ["with a bidi override", "gpt\u202e4"],
    ["with a zero-width space", "gpt\u200b4"],
    ["not a string", 42],
    ["null", null],
  ])("WHEN the id is %s THEN it is not usable", (_label, id) => {
    expect(isUsableModelId(id)).toBe(false);
  });
});
