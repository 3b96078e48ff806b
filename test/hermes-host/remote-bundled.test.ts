// A Hermes host whose bundled skill tree holds a skill the bot's own catalog does not (a newer
// Hermes, a host's own additions), and whose MCP catalog is not the bot's: the wizard offers the
// host's lists (the optional skills, which its dashboard does not list, say they are the bot's), and
// the profile keeps exactly the skills the user chose; a `create --from` that keeps only some
// built-ins switches off exactly the ones left out. Judged by that Hermes' `skills list` and config.
import { cp, mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REPO_ROOT, runCli } from "../helpers/cli.ts";
import { skillsList } from "../helpers/hermes.ts";
import { startHermesServe, type HermesServe } from "../helpers/hermes-serve.ts";
import { recordSecret } from "../helpers/leak-ledger.ts";
import { remoteBotEnv } from "../helpers/remote-hermes.ts";
import { useFileTempDir, useTempDirs } from "../helpers/temp-dir.ts";
import { parse as parseYaml } from "yaml";

const TOKEN = "remote-bundled-session-token-3f90";
recordSecret(TOKEN);
const fileDir = useFileTempDir();
const tempDir = useTempDirs();
let serve: HermesServe | undefined;
let home = "";

beforeAll(async () => {
  const root = await fileDir();
  const bundled = path.join(root, "bundled");
  await cp(path.join(REPO_ROOT, "library/skills"), bundled, { recursive: true });
  await mkdir(path.join(bundled, "productivity", "host-only"), { recursive: true });
  await writeFile(
    path.join(bundled, "productivity", "host-only", "SKILL.md"),
    "---\nname: host-only\ndescription: A skill only this host's Hermes ships.\nversion: 1.0.0\n---\n\nOnly here.\n",
  );
  // The host's MCP catalog: one entry the bot also ships, one only this host has.
  const mcps = path.join(root, "mcps");
  await cp(path.join(REPO_ROOT, "library/mcps/github"), path.join(mcps, "github"), { recursive: true });
  await mkdir(path.join(mcps, "host-tracker"), { recursive: true });
  await writeFile(
    path.join(mcps, "host-tracker", "manifest.yaml"),
    "manifest_version: 1\nname: host-tracker\ndescription: A tracker only this host's catalog offers.\ntransport:\n  type: http\n  url: https://tracker.example.invalid/mcp\n",
  );
  home = path.join(root, "hermes");
  serve = await startHermesServe(home, TOKEN, {
    HERMES_BUNDLED_SKILLS: bundled,
    HERMES_OPTIONAL_MCPS: mcps,
  });
}, 90_000);
afterAll(() => serve?.stop());

describe("GIVEN a Hermes host with a bundled skill the bot does not know", () => {
  it("WHEN a profile keeping two built-ins is created there from a file THEN exactly those two stay on, the host's own skill included in what is switched off", async () => {
    const data = await tempDir();
    if (!serve) throw new Error("hermes serve is started in beforeAll");
    const env = remoteBotEnv(data, { home, url: serve.url, token: TOKEN, stop: serve.stop });
    const file = path.join(data, "kept.yaml");
    await writeFile(file, "name: kept\nskills:\n  builtin: [productivity/meeting-notes, code-review]\n");
    const created = await runCli(["create", "--from", file], { env });
    expect(created.code, created.stderr).toBe(0);
    expect(created.stdout).toMatch(/built-in skill\(s\) switched off/);
    const skills = await skillsList(home, "kept");
    const enabled = (name: string) => skills.find((skill) => skill.name === name)?.enabled;
    expect(enabled("meeting-notes")).toBe(true);
    expect(enabled("code-review")).toBe(true);
    expect(enabled("task-planning")).toBe(false);
    // The host's tree is read from its dashboard: a keep list keeps exactly what it names there too.
    expect(enabled("host-only")).toBe(false);
  }, 120_000);
});

describe("GIVEN a console bot whose Hermes host ships other built-in skills and another MCP catalog", () => {
  it("WHEN the wizard creates there THEN it offers the host's lists and the profile keeps exactly the skills chosen", async () => {
    const data = await tempDir();
    if (!serve) throw new Error("hermes serve is started in beforeAll");
    const { host } = new URL(serve.url);
    const env = remoteBotEnv(data, { home, url: serve.url, token: TOKEN, stop: serve.stop });
    const result = await runCli(["start"], {
      input: [
        "/profile new",
        "chosen",
        "Next",
        "OpenAI",
        "gpt-4.1",
        "skip",
        // The host's built-ins, by id: host-only is its own (2), task-planning the bot's too (4).
        "2",
        "4",
        "Optional skills",
        "Hub skills",
        "done",
        "MCP servers",
        "2", // host-tracker: only this host's catalog has it
        "Next",
        "No persona",
        "Create",
        "",
      ].join("\n"),
      env,
    });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain(`Built-in skills: the list of Hermes on ${host}.`);
    expect(result.stdout).toContain("productivity/host-only");
    expect(result.stdout).toContain(`Optional skills: this bot's list; Hermes on ${host} may have others.`);
    expect(result.stdout).toContain(`MCP catalog: the list of Hermes on ${host}.`);
    expect(result.stdout).toContain("host-tracker");
    // The bot's own catalog entries the host does not have are not offered.
    expect(result.stdout).not.toContain("brave-search");
    expect(result.stdout).toContain(`Profile 'chosen' created on ${host}.`);

    const skills = await skillsList(home, "chosen");
    const enabled = (name: string) => skills.find((skill) => skill.name === name)?.enabled;
    expect(enabled("host-only")).toBe(false);
    expect(enabled("task-planning")).toBe(false);
    for (const kept of [
      "memory-hygiene",
      "meeting-notes",
      "summarize-sources",
      "web-research",
      "code-review",
      "git-workflow",
    ])
      expect(enabled(kept), kept).toBe(true);
    const config = parseYaml(await readFile(path.join(home, "profiles/chosen/config.yaml"), "utf8")) as {
      mcp_servers?: Record<string, { url?: string }>;
    };
    expect(Object.keys(config.mcp_servers ?? {})).toEqual(["host-tracker"]);
    expect(config.mcp_servers?.["host-tracker"]?.url).toBe("https://tracker.example.invalid/mcp");
  }, 180_000);
});
