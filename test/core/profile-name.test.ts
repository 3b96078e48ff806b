import { describe, expect, it } from "vitest";
import { checkProfileName } from "../../src/core/profile-name.ts";

describe("profile names (Hermes rule)", () => {
  it.each([
    ["research-bot", "research-bot"],
    ["  Research_Bot  ", "research_bot"],
    ["a", "a"],
    ["0day", "0day"],
    ["a".repeat(64), "a".repeat(64)],
  ])("GIVEN %j THEN it is accepted as %j", (raw, name) => {
    expect(checkProfileName(raw)).toEqual({ ok: true, value: { name, shadowsCommand: false } });
  });

  it.each([
    ["../x", "name_path"],
    ["a/b", "name_path"],
    ["a\\b", "name_path"],
    [".hidden", "name_hidden"],
    ["-dash", "name_hidden"],
    ["_under", "name_hidden"],
    ["Default", "name_reserved"],
    ["root", "name_reserved"],
    ["HERMES", "name_reserved"],
    ["a".repeat(65), "name_too_long"],
    ["", "name_empty"],
    ["🤖", "name_invalid"],
    ["naïve", "name_invalid"],
    ["has space", "name_invalid"],
    ["semi;colon", "name_invalid"],
    ["nul\u0000byte", "name_invalid"],
  ])("GIVEN %j THEN it is refused with %s", (raw, code) => {
    expect(checkProfileName(raw)).toMatchObject({ ok: false, error: { code } });
  });

  it("GIVEN a Hermes subcommand name THEN it is valid but flagged", () => {
    expect(checkProfileName("Skills")).toEqual({ ok: true, value: { name: "skills", shadowsCommand: true } });
  });
});
