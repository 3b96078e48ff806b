// The keys a profile needs, from what it holds: its provider, its MCP servers' `${VAR}`s and its
// skills' SKILL.md declarations (the shapes Hermes 0.19 accepts), each set or not set as .env says.
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { Catalog } from "../../../src/core/catalog.ts";
import { keyLines } from "../../../src/app/profile/keys/key-lines.ts";
import { neededKeys, readProfileKeys } from "../../../src/app/profile/keys/needed-keys.ts";
import { skillEnvVars } from "../../../src/app/profile/keys/skill-env-vars.ts";
import { shippedLibrary } from "../../helpers/catalog.ts";
import { useTempDirs } from "../../helpers/temp-dir.ts";

const tempDir = useTempDirs();
let catalog: Catalog;
beforeAll(async () => {
  catalog = (await shippedLibrary()).catalog;
});

describe("GIVEN SKILL.md frontmatter in the shapes Hermes 0.19 reads", () => {
  it("THEN names, mappings with name or env_var, a lone mapping, setup.collect_secrets and prerequisites.env_vars all count, once each", () => {
    expect(
      skillEnvVars({
        required_environment_variables: [
          "PLAIN_KEY",
          { name: "MAPPED_KEY", prompt: "p" },
          { env_var: "ALIAS_KEY" },
          { name: "OPT_KEY", optional: true },
          "PLAIN_KEY",
          "not a name",
          { prompt: "no name" },
          42,
        ],
        setup: { collect_secrets: [{ env_var: "SETUP_KEY" }, "ignored"] },
        prerequisites: { env_vars: ["LEGACY_KEY"] },
      }),
    ).toEqual([
      { name: "PLAIN_KEY", optional: false },
      { name: "MAPPED_KEY", optional: false },
      { name: "ALIAS_KEY", optional: false },
      { name: "OPT_KEY", optional: true },
      { name: "SETUP_KEY", optional: false },
      { name: "LEGACY_KEY", optional: false },
    ]);
    expect(skillEnvVars({ required_environment_variables: { name: "LONE_KEY" } })).toEqual([
      { name: "LONE_KEY", optional: false },
    ]);
    expect(skillEnvVars({ prerequisites: { env_vars: "ONE_KEY" } })).toEqual([
      { name: "ONE_KEY", optional: false },
    ]);
    expect(skillEnvVars({ required_environment_variables: "NOT_A_LIST" })).toEqual([]);
    expect(skillEnvVars(undefined)).toEqual([]);
  });
});

describe("GIVEN a profile's config, skills and .env", () => {
  it("THEN the provider's key, every MCP ${VAR} and every skill's key are needed, each with why, and .env's extra keys are other", () => {
    const keys = neededKeys({
      catalog,
      config: {
        model: { provider: "openrouter", default: "anthropic/claude-sonnet-4" },
        mcp_servers: {
          docs: { url: "https://docs.example/mcp", headers: { Authorization: "Bearer ${MCP_DOCS_API_KEY}" } },
          github: { command: "npx", env: { GITHUB_PERSONAL_ACCESS_TOKEN: "${env:GITHUB_TOKEN}" } },
          both: { command: "x", env: { A: "${GITHUB_TOKEN}" } },
        },
      },
      skills: [{ skill: "weather", vars: [{ name: "WEATHER_KEY", optional: true }] }],
      envText: "# header\nOPENROUTER_API_KEY=sk-x\n# GITHUB_TOKEN=\nSTRAY_TOKEN=y\nEMPTY_ONE=\n",
    });
    expect(keys.needed).toEqual([
      { key: "OPENROUTER_API_KEY", set: true, why: [{ kind: "provider", name: "openrouter" }] },
      { key: "MCP_DOCS_API_KEY", set: false, why: [{ kind: "mcp", name: "docs" }] },
      {
        key: "GITHUB_TOKEN",
        set: false,
        why: [
          { kind: "mcp", name: "github" },
          { kind: "mcp", name: "both" },
        ],
      },
      { key: "WEATHER_KEY", set: false, why: [{ kind: "skill", name: "weather", optional: true }] },
    ]);
    expect(keys.other).toEqual([
      { key: "STRAY_TOKEN", set: true, why: [] },
      { key: "EMPTY_ONE", set: false, why: [] },
    ]);
    expect(keyLines(keys)).toEqual([
      "Needed keys (4, 3 not set):",
      "• OPENROUTER_API_KEY: set — provider openrouter",
      "• MCP_DOCS_API_KEY: not set — MCP server docs",
      "• GITHUB_TOKEN: not set — MCP server github, MCP server both",
      "• WEATHER_KEY: not set — skill weather (optional)",
      "Other keys in .env (nothing in the profile asks for them):",
      "• STRAY_TOKEN: set",
      "• EMPTY_ONE: not set",
    ]);
  });

  it("THEN Hermes' `custom` provider (Ollama, a custom server) and a profile without a model need no provider key", () => {
    const custom = neededKeys({
      catalog,
      config: { model: { provider: "custom" } },
      skills: [],
      envText: "",
    });
    expect(custom).toEqual({ needed: [], other: [] });
    expect(keyLines(custom)).toEqual(["Needed keys: none (nothing in the profile asks for one)."]);
    expect(neededKeys({ catalog, config: {}, skills: [], envText: "" }).needed).toEqual([]);
    // An alias (`google`) names the same key as Hermes' id (`gemini`).
    expect(
      neededKeys({ catalog, config: { model: { provider: "google" } }, skills: [], envText: "" }).needed,
    ).toEqual([{ key: "GOOGLE_API_KEY", set: false, why: [{ kind: "provider", name: "google" }] }]);
  });

  it("THEN a long list is cut in chat with how many more", () => {
    const other = Array.from({ length: 5 }, (_, i) => ({ key: `K${i}`, set: true, why: [] }));
    expect(keyLines({ needed: [], other }, 2).slice(-3)).toEqual(["• K0: set", "• K1: set", "…and 3 more"]);
  });
});

describe("GIVEN a profile folder on disk", () => {
  it("WHEN it has config.yaml, skills (nested, named by frontmatter or folder, one broken) and .env THEN their keys are read", async () => {
    const dir = await tempDir();
    await writeFile(
      path.join(dir, "config.yaml"),
      'model:\n  provider: anthropic\n  default: claude\nmcp_servers:\n  gh:\n    command: npx\n    env:\n      T: "${GITHUB_TOKEN}"\n',
    );
    const skill = async (rel: string, text: string) => {
      await mkdir(path.join(dir, "skills", rel), { recursive: true });
      await writeFile(path.join(dir, "skills", rel, "SKILL.md"), text);
    };
    await skill(
      "research/arxiv",
      "---\nname: arxiv-search\nrequired_environment_variables:\n  - name: ARXIV_KEY\n---\nbody\n",
    );
    await skill("plain", "---\ndescription: d\nrequired_environment_variables: [PLAIN_KEY]\n---\n");
    await skill("broken", "---\nrequired_environment_variables: [unclosed\n---\n");
    await skill(".hub/quarantine/x", "---\nrequired_environment_variables: [HIDDEN_KEY]\n---\n");
    await writeFile(path.join(dir, ".env"), "# ANTHROPIC_API_KEY=\nPLAIN_KEY=value-here\n");
    const keys = await readProfileKeys(dir, catalog);
    expect(keys.needed.map(({ key, set, why }) => [key, set, why.map((reason) => reason.name)])).toEqual([
      ["ANTHROPIC_API_KEY", false, ["anthropic"]],
      ["GITHUB_TOKEN", false, ["gh"]],
      ["PLAIN_KEY", true, ["plain"]],
      ["ARXIV_KEY", false, ["arxiv-search"]],
    ]);
    expect(keys.other).toEqual([]);
    expect(keys.notes).toEqual([]);
  });

  it("WHEN a SKILL.md's frontmatter runs past the first read, or its body past the 256 KiB cap THEN its keys are read all the same", async () => {
    const dir = await tempDir();
    const skill = async (name: string, text: string) => {
      await mkdir(path.join(dir, "skills", name), { recursive: true });
      await writeFile(path.join(dir, "skills", name, "SKILL.md"), text);
    };
    // A 40 KiB description: the key comes after it, past a 16 KiB first read.
    await skill(
      "long-front",
      `---\ndescription: "${"d".repeat(40_000)}"\nrequired_environment_variables: [LATE_KEY]\n---\n`,
    );
    await skill(
      "long-body",
      `---\nrequired_environment_variables: [EARLY_KEY]\n---\n${"b".repeat(300_000)}\n`,
    );
    // Still open at the cap (256 KiB): not a frontmatter Hermes' keys can come from here.
    await skill(
      "never-closed",
      `---\nrequired_environment_variables: [LOST_KEY]\ndescription: "${"x".repeat(300_000)}"\n`,
    );
    // The first 16 KiB end right after "\n---", which the file goes on as the key "----x": not a close.
    const beforeCut = `---\nnote: ${"a".repeat(16_370)}\n---`;
    expect(Buffer.byteLength(beforeCut)).toBe(16 * 1024);
    await skill("cut-at-dashes", `${beforeCut}-x: 1\nrequired_environment_variables: [CUT_KEY]\n---\n`);
    const keys = await readProfileKeys(dir, catalog);
    expect(keys.needed.map(({ key }) => key).sort()).toEqual(["CUT_KEY", "EARLY_KEY", "LATE_KEY"]);
  });

  it("WHEN the folder holds nothing THEN no key is needed", async () => {
    expect(await readProfileKeys(await tempDir(), catalog)).toEqual({ needed: [], other: [], notes: [] });
  });
});
