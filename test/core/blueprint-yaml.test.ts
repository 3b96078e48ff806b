import { describe, expect, it } from "vitest";
import {
  blueprintToYaml,
  parseBlueprintYaml,
  BLUEPRINT_FILE_MAX_BYTES,
} from "../../src/core/blueprint-yaml.ts";

const EXAMPLE = `
name: Research-Bot
display_name: Research Bot
description: Finds and summarises papers
clone_from: null
model: { provider: openrouter, model: anthropic/claude-sonnet-4, base_url: null }
skills:
  builtin: default
  optional: [research/arxiv-digest]
  hub: [official/security/password-audit]
mcp_servers:
  - { name: github, command: npx, args: ["-y", "@modelcontextprotocol/server-github"], env: { GITHUB_PERSONAL_ACCESS_TOKEN: "\${GITHUB_TOKEN}" }, auth: api_key }
  - { name: docs, url: "https://mcp.example.com/mcp", auth: api_key }
persona: { id: engineering-security-engineer, mode: overlay }
soul: |
  You are a careful researcher.
`;

function problems(text: string): string[] {
  const parsed = parseBlueprintYaml(text);
  if (parsed.ok) throw new Error("expected problems");
  return parsed.problems;
}

describe("GIVEN a blueprint with a secret or a control character where none may be", () => {
  const base = "name: x1\nmodel: { provider: openrouter, model: a/b }\n";
  it.each([
    [
      "an MCP URL with user:password@",
      `${base}mcp_servers: [{ name: docs, url: "https://u:p4ss@mcp.example.com/mcp" }]\n`,
      "mcp_servers[0].url: That URL carries a secret (a user name or password before the host)",
    ],
    [
      "an MCP URL with a key in its query",
      `${base}mcp_servers: [{ name: docs, url: "https://mcp.example.com/mcp?apiKey=k" }]\n`,
      "mcp_servers[0].url: That URL carries a secret (the query parameter 'apiKey')",
    ],
    [
      "a base URL with a token in its query",
      "name: x1\nmodel: { provider: custom, model: m, base_url: 'http://10.0.0.5:1234/v1?access_token=t' }\n",
      "model.base_url: That URL carries a secret (the query parameter 'access_token')",
    ],
    ["a soul with NUL", `${base}soul: "You are\\u0000 x"\n`, "soul: That text contains control"],
    [
      "a soul with an escape sequence",
      `${base}soul: "Hi \\u001b[31m red"\n`,
      "soul: That text contains control",
    ],
    [
      "a hub identifier that is not one",
      `${base}skills: { hub: ["../../etc/passwd"] }\n`,
      "skills.hub[0]: '../../etc/passwd' is not a hub skill identifier",
    ],
    [
      "a hub URL with credentials",
      `${base}skills: { hub: ["https://me:pw@skills.example.com/SKILL.md"] }\n`,
      "skills.hub[0]: 'https://…@skills.example.com/SKILL.md' is not a hub skill identifier",
    ],
  ])("WHEN it has %s THEN it is refused naming the field and the reason", (_what, text, expected) => {
    const found = problems(text);
    expect(found.join("\n")).toContain(expected);
    expect(found.join("\n")).not.toMatch(/p4ss|pw@/);
  });

  it("WHEN a soul has Windows line ends THEN they become plain newlines", () => {
    const parsed = parseBlueprintYaml('name: x1\nsoul: "line one\\r\\nline two\\r\\n"\n');
    expect(parsed.ok && parsed.blueprint.soul).toBe("line one\nline two\n");
  });
});

describe("blueprint YAML", () => {
  it("GIVEN the documented example THEN it parses with the name normalised", () => {
    const parsed = parseBlueprintYaml(EXAMPLE);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.blueprint.name).toBe("research-bot");
    expect(parsed.blueprint.mcp_servers[1]).toEqual({
      name: "docs",
      url: "https://mcp.example.com/mcp",
      auth: "api_key",
    });
    expect(parsed.blueprint.persona).toEqual({ id: "engineering-security-engineer", mode: "overlay" });
  });

  it("GIVEN a parsed blueprint WHEN written and read back THEN it is the same blueprint", () => {
    const first = parseBlueprintYaml(EXAMPLE);
    if (!first.ok) throw new Error(first.problems.join("\n"));
    const written = blueprintToYaml(first.blueprint);
    const second = parseBlueprintYaml(written);
    expect(second).toEqual(first);
    expect(written.indexOf("name:")).toBeLessThan(written.indexOf("model:"));
  });

  it("GIVEN defaults are omitted THEN skills and MCP servers default sensibly", () => {
    const parsed = parseBlueprintYaml("name: x1\nmodel: { provider: openai, model: gpt-4.1 }\n");
    expect(parsed).toMatchObject({
      ok: true,
      blueprint: { skills: { builtin: "default", optional: [], hub: [] }, mcp_servers: [] },
    });
  });

  it("GIVEN text that is not YAML THEN it says so", () => {
    expect(problems("name: [unclosed\nmodel: {")[0]).toMatch(/not valid YAML/);
  });

  it.each([
    ["- a\n- b\n", "not a list"],
    ["just a string\n", "not a scalar"],
    ["", "not a empty document"],
  ])("GIVEN %j THEN it asks for a mapping", (text, kind) => {
    expect(problems(text)[0]).toContain(`one YAML mapping (name:, model:, ...), ${kind}`);
  });

  it("GIVEN unknown keys at two levels THEN each is listed with its path", () => {
    const found = problems(
      "name: x1\nmodle: 1\nmodel: { provider: openai, model: gpt-4.1, temprature: 2 }\n",
    );
    expect(found).toEqual([
      expect.stringMatching(/^model\.temprature: 'temprature' is not a blueprint key/),
      expect.stringMatching(/^modle: 'modle' is not a blueprint key/),
    ]);
  });

  it("GIVEN an MCP server with both url and command THEN the problem names the server's path", () => {
    const found = problems(
      "name: x1\nmodel: { provider: openai, model: gpt-4.1 }\nmcp_servers:\n  - { name: ok, url: 'https://a.example/mcp' }\n  - { name: both, url: 'https://a.example/mcp', command: npx }\n",
    );
    expect(found).toEqual([
      "mcp_servers[1]: give exactly one of url (HTTP server) or command (stdio server)",
    ]);
  });

  it("GIVEN several problems THEN every one is listed", () => {
    const found = problems(
      "name: ../etc\nmodel: { provider: 'Open AI', model: 'has space' }\nskills: { hub: ['-rf'] }\n",
    );
    expect(found.map((line) => line.split(":")[0])).toEqual([
      "name",
      "model.provider",
      "model.model",
      "skills.hub[0]",
    ]);
  });

  it("GIVEN a secret literal in an MCP env THEN it asks for a reference instead", () => {
    const found = problems(
      "name: x1\nmodel: { provider: openai, model: gpt-4.1 }\nmcp_servers: [{ name: gh, command: npx, env: { GITHUB_TOKEN: ghp_live_value } }]\n",
    );
    expect(found[0]).toMatch(
      /^mcp_servers\[0\]\.env\.GITHUB_TOKEN: secret values are written by reference only/,
    );
    expect(found.join("\n")).not.toContain("ghp_live_value");
  });

  it("GIVEN a clone with no built-in skills THEN the two are refused together", () => {
    expect(
      problems(
        "name: x1\nclone_from: base\nmodel: { provider: openai, model: gpt-4.1 }\nskills: { builtin: none }\n",
      )[0],
    ).toMatch(/^skills\.builtin: A clone copies the source's skills/);
  });

  it("GIVEN a 10 MB file THEN it is refused by size before parsing", () => {
    const big = `name: x1\ndescription: "${"x".repeat(10 * 1024 * 1024)}"\n`;
    expect(problems(big)[0]).toContain(`a blueprint is at most ${BLUEPRINT_FILE_MAX_BYTES} bytes`);
  });

  it("GIVEN a YAML alias bomb THEN it is refused rather than expanded", () => {
    const levels = ["a: &a [x, x, x, x, x, x, x, x, x, x]"];
    for (let level = 1; level < 9; level++) {
      const previous = String.fromCharCode(96 + level);
      const name = String.fromCharCode(97 + level);
      levels.push(`${name}: &${name} [${Array(10).fill(`*${previous}`).join(", ")}]`);
    }
    expect(problems(`${levels.join("\n")}\nname: x1\n`)[0]).toMatch(/not valid YAML|alias/i);
  });

  it("GIVEN a 2,000-character description THEN it is refused with the limit", () => {
    const found = problems(
      `name: x1\nmodel: { provider: openai, model: gpt-4.1 }\ndescription: "${"d".repeat(2000)}"\n`,
    );
    expect(found).toEqual([
      "description: The description has 2000 characters; the limit is 1000. Shorten it and send it again.",
    ]);
  });
});

describe("GIVEN the plugins key", () => {
  it("THEN a shipped plugin is taken (any letter case, once) and left out means none", () => {
    const parsed = parseBlueprintYaml("name: x1\nplugins: [personas, Personas]\n");
    expect(parsed.ok && parsed.blueprint.plugins).toEqual(["personas"]);
    const none = parseBlueprintYaml("name: x1\n");
    expect(none.ok && none.blueprint.plugins).toEqual([]);
  });

  it("THEN an unknown plugin is refused with the list of the plugins this bot ships", () => {
    const found = parseBlueprintYaml("name: x1\nplugins: [personas, spotify]\n");
    expect(found.ok).toBe(false);
    expect(found.ok ? [] : found.problems).toEqual([
      "plugins[1]: unknown plugin 'spotify'; this bot ships: personas",
    ]);
  });
});
