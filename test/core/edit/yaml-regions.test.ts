import { parseDocument } from "yaml";
import { describe, expect, it } from "vitest";
import { topRegions } from "../../../src/core/edit/yaml-regions.ts";
import { editYamlText, spliceByRegions, type YamlEdit } from "../../../src/core/edit/yaml-splice.ts";

// A config.yaml as the bot writes it (shortened: Hermes' lists run for 22 platforms).
const BOT_MADE = `# Hermes profile config written by agent-blueprint. Hermes deep-merges it over its defaults.

model:
  provider: openrouter
  default: anthropic/claude-sonnet-4
mcp_servers:
  docs:
    url: https://mcp.example.com/mcp
    enabled: true
known_plugin_toolsets:
  cli:
    - spotify
platform_toolsets:
  cli:
    - web
    - skills
  telegram:
    - web
_config_version: 33
`;

const meaningOf = (text: string) => parseDocument(text).toJSON() as Record<string, unknown>;

describe("GIVEN a YAML text split into its top-level keys", () => {
  it("WHEN it is a block mapping of plain keys THEN each key's region runs from its line to the next key's", () => {
    const regions = topRegions(BOT_MADE) ?? [];
    expect(regions.map((region) => region.key)).toEqual([
      "model",
      "mcp_servers",
      "known_plugin_toolsets",
      "platform_toolsets",
      "_config_version",
    ]);
    // The regions cover the text after the header, each parsing alone to its key's value.
    expect(regions.map((region) => BOT_MADE.slice(region.start, region.end)).join("")).toBe(
      BOT_MADE.slice(BOT_MADE.indexOf("model:")),
    );
    for (const region of regions)
      expect(meaningOf(BOT_MADE.slice(region.start, region.end))).toEqual({
        [region.key]: meaningOf(BOT_MADE)[region.key],
      });
  });

  it.each([
    ["an anchor and its alias in two keys", "a: &x [1]\nb: *x\n"],
    ["a document marker", "---\na: 1\n"],
    ["a directive", "%YAML 1.2\n---\na: 1\n"],
    ["a quoted key", '"a": 1\nb: 2\n'],
    ["an explicit key", "? a\n: 1\n"],
    ["a key twice", "a: 1\na: 2\n"],
    ["a plain scalar going on at column 0", "a: one\ntwo\nb: 2\n"],
    ["a quoted scalar going on at column 0", 'a: "one\ntwo"\nb: 2\n'],
    ["indented text before the first key", "  a: 1\nb: 2\n"],
    ["a root sequence", "- a\n- b\n"],
    ["carriage returns", "a: 1\r\nb: 2\r\n"],
    ["a tab at column 0", "a:\n\tb: 1\n"],
  ])("WHEN it holds %s THEN it is not split (the whole text is parsed)", (_what, text) => {
    expect(topRegions(text)).toBeUndefined();
  });

  it("WHEN sequence items of a key sit at column 0 THEN they belong to that key's region", () => {
    expect(topRegions("list:\n- a\n- b\nnext: 1\n")).toEqual([
      { key: "list", start: 0, end: 14 },
      { key: "next", start: 14, end: 22 },
    ]);
  });
});

describe("GIVEN an edit spliced key by key", () => {
  const cases: [string, YamlEdit[]][] = [
    ["a scalar replaced", [{ path: ["model", "default"], value: "openai/gpt-5" }]],
    ["a built-in switched off (a new top-level key)", [{ path: ["skills", "disabled"], value: ["arxiv"] }]],
    ["a server removed (its mapping goes too)", [{ path: ["mcp_servers", "docs"], value: undefined }]],
    ["a top-level key removed", [{ path: ["known_plugin_toolsets"], value: undefined }]],
    ["a list replaced", [{ path: ["platform_toolsets", "cli"], value: ["web"] }]],
    [
      "several keys at once",
      [
        { path: ["model", "provider"], value: "custom" },
        { path: ["model", "base_url"], value: "http://127.0.0.1:11434/v1" },
        { path: ["mcp_servers", "fetch"], value: { command: "uvx", args: ["mcp-server-fetch"] } },
        { path: ["skills", "disabled"], value: ["arxiv", "git"] },
        { path: ["absent", "key"], value: undefined },
      ],
    ],
  ];

  it.each(cases)("WHEN %s THEN the text and its meaning are the whole-text splice's", (_what, edits) => {
    const byRegions = spliceByRegions(BOT_MADE, edits, meaningOf(BOT_MADE));
    expect(byRegions).toBeDefined();
    const whole = editYamlText(BOT_MADE, edits);
    expect(whole.exact).toBe(true);
    expect(byRegions?.text).toBe(whole.text);
    expect(byRegions?.value).toEqual(meaningOf(whole.text));
    expect(JSON.stringify(byRegions?.value)).toBe(JSON.stringify(meaningOf(whole.text)));
  });

  it("WHEN the meaning it is handed is not the text's THEN it refuses, and the whole text is spliced instead", () => {
    const wrong = { ...meaningOf(BOT_MADE), model: { provider: "openrouter", default: "something else" } };
    const edits: YamlEdit[] = [{ path: ["model", "provider"], value: "custom" }];
    expect(spliceByRegions(BOT_MADE, edits, structuredClone(wrong))).toBeUndefined();
    const result = editYamlText(BOT_MADE, edits, { value: structuredClone(wrong) });
    expect(result.exact).toBe(true);
    expect(result.value).toEqual(meaningOf(result.text));
    expect(meaningOf(result.text)).toMatchObject({
      model: { provider: "custom", default: "anthropic/claude-sonnet-4" },
    });
    // The same keys in another order than the text's are not its meaning either.
    const { model, ...rest } = meaningOf(BOT_MADE);
    expect(spliceByRegions(BOT_MADE, edits, { ...rest, model })).toBeUndefined();
  });

  it("WHEN the text ties keys together with an anchor THEN the whole text is spliced and the alias's key changes with it", () => {
    const text = "base: &b [web]\nplatform: *b\n";
    const edits: YamlEdit[] = [{ path: ["base"], value: ["file"] }];
    expect(spliceByRegions(text, edits, meaningOf(text))).toBeUndefined();
    const result = editYamlText(text, edits, { value: meaningOf(text) });
    expect(meaningOf(result.text)).toEqual(result.value);
    expect(result.value).toEqual({ base: ["file"], platform: ["web"] });
  });
});
