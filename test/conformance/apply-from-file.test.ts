// The real Hermes judges `blueprint apply --from`: a profile the bot made, edited by a file, reads
// exactly as the file says; a profile Hermes itself made and an operator commented by hand keeps
// every byte outside the keys that changed; a dry run and a second identical apply touch no file.
import { readFile, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.ts";
import { configCheck, hermesOk, mcpList, profileShow, skillsList } from "../helpers/hermes.ts";
import { recordSecret } from "../helpers/leak-ledger.ts";
import { useTempDirs } from "../helpers/temp-dir.ts";
import { expectHermesAgrees, hermesOfficialRow, wizardTarget, wizardTargetBlueprint } from "./judge.ts";

const tempDir = useTempDirs();
const OPENROUTER_KEY = "sk-or-conformance-apply-1";
const GITHUB_KEY = "ghp-conformance-apply-2";
recordSecret(OPENROUTER_KEY);
recordSecret(GITHUB_KEY);

const FIRST = `name: edit-me
description: Before the edit
model: { provider: anthropic, model: claude-sonnet-4-20250514 }
mcp_servers:
  - { name: docs, url: "https://mcp.example.com/mcp", auth: api_key }
`;

/** The wizard's conformance target as a file: what the edit must turn FIRST into. */
const TARGET = wizardTargetBlueprint("edit-me");

const EDITED_FILES = ["config.yaml", "profile.yaml", "SOUL.md", ".env"];

async function mtimes(dir: string): Promise<Record<string, number>> {
  const entries = await Promise.all(
    EDITED_FILES.map(async (file) => [file, (await stat(path.join(dir, file))).mtimeMs] as const),
  );
  return Object.fromEntries(entries);
}

let official: { source: string; trust: string };
beforeAll(async () => {
  official = await hermesOfficialRow(path.join(await tempDir(), "hermes"));
}, 120_000);

describe("GIVEN the real Hermes 0.19 as the judge of blueprint apply --from", () => {
  it("WHEN a file changes a profile the bot made THEN Hermes reads exactly the new state, and a second apply changes nothing", async () => {
    const data = await tempDir();
    const home = path.join(data, "hermes");
    const env = { DATA_DIR: data, HERMES_HOME: home };
    await writeFile(path.join(data, "first.yaml"), FIRST);
    await writeFile(path.join(data, "target.yaml"), TARGET);
    expect((await runCli(["create", "--from", path.join(data, "first.yaml")], { env })).code).toBe(0);
    const dir = path.join(home, "profiles", "edit-me");
    const keys = { OPENROUTER_API_KEY: OPENROUTER_KEY, GITHUB_TOKEN: GITHUB_KEY };

    const before = await mtimes(dir);
    const dry = await runCli(["apply", "--from", path.join(data, "target.yaml"), "--dry-run"], {
      env: { ...env, ...keys },
    });
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain("Dry run: nothing was written.");
    expect(await mtimes(dir)).toEqual(before);

    const applied = await runCli(["apply", "--from", path.join(data, "target.yaml")], {
      env: { ...env, ...keys },
    });
    expect(applied.stderr).not.toContain("Not applied");
    expect(applied.code, applied.stdout + applied.stderr).toBe(0);
    for (const line of [
      "~ model changed: anthropic/claude-sonnet-4-20250514 → openrouter/anthropic/claude-sonnet-4",
      "- MCP server 'docs' removed",
      "+ MCP server 'fetch' added",
      "+ MCP server 'github' added",
      "- built-in skill 'git-workflow' removed: switched off",
      "- built-in skill 'memory-hygiene' removed: switched off",
      "+ skill 'official/security/password-audit' added",
      "+ optional skill 'devops/docker-debug' added: copied from the library",
      "+ persona 'engineering-security-engineer' added",
      "~ description changed: 'Before the edit' → 'Judged by Hermes'",
      "+ key OPENROUTER_API_KEY added: set",
      "+ key GITHUB_TOKEN added: set",
    ])
      expect(applied.stdout).toContain(line);
    expect(applied.stdout).toContain("official/security/password-audit: done");
    expect(applied.stdout).not.toContain(OPENROUTER_KEY);
    await expectHermesAgrees(home, { ...wizardTarget("edit-me") }, official);

    const settled = await mtimes(dir);
    const again = await runCli(["apply", "--from", path.join(data, "target.yaml")], {
      env: { ...env, ...keys },
    });
    expect(again).toMatchObject({ code: 0, stdout: "No changes: the profile already matches.\n" });
    expect(await mtimes(dir)).toEqual(settled);

    // A hub skill the file leaves out is switched off where Hermes looks (its files stay), and back on.
    const without = path.join(data, "without.yaml");
    await writeFile(without, TARGET.replace("hub: [official/security/password-audit]", "hub: []"));
    const off = await runCli(["apply", "--from", without], { env });
    expect(off.stdout).toContain("- skill 'password-audit' removed: switched off");
    expect(
      (await skillsList(home, "edit-me")).find((skill) => skill.name === "password-audit"),
    ).toMatchObject({ enabled: false });
    const on = await runCli(["apply", "--from", path.join(data, "target.yaml")], { env });
    expect(on.stdout).toContain("+ skill 'password-audit' added: switched on again");
    expect(on.stdout).not.toContain("official/security/password-audit: done");
    expect(
      (await skillsList(home, "edit-me")).find((skill) => skill.name === "password-audit"),
    ).toMatchObject({ enabled: true });
  }, 240_000);

  it("WHEN a file edits a profile Hermes made and an operator commented THEN every byte outside the changed keys stays", async () => {
    const data = await tempDir();
    const home = path.join(data, "hermes");
    await hermesOk(home, ["profile", "create", "made-by-hermes", "--no-alias"]);
    await hermesOk(home, ["-p", "made-by-hermes", "config", "set", "model.default", "foo/bar"]);
    await hermesOk(home, ["-p", "made-by-hermes", "tools", "disable", "terminal", "--platform", "telegram"]);
    const dir = path.join(home, "profiles", "made-by-hermes");
    const config = path.join(dir, "config.yaml");
    const hermesText = await readFile(config, "utf8");
    expect(hermesText).toContain("model:\n  default: foo/bar\n");
    const handText = `# Operator notes: keep the telegram toolsets tight.\n${hermesText.replace(
      "platform_toolsets:\n",
      "platform_toolsets:   # set by hermes tools disable\n",
    )}team:\n  owner: ops   # who to ask\n  shifts: [early, late]\n`;
    await writeFile(config, handText);
    const soulBefore = await readFile(path.join(dir, "SOUL.md"), "utf8");
    const untouched = await Promise.all(
      ["SOUL.md", ".env"].map(async (file) => (await stat(path.join(dir, file))).mtimeMs),
    );

    const file = path.join(data, "edit.yaml");
    await writeFile(
      file,
      `name: made-by-hermes\nmodel: { provider: openrouter, model: anthropic/claude-sonnet-4 }\nmcp_servers:\n  - { name: fetch, command: uvx, args: [mcp-server-fetch] }\n`,
    );
    const applied = await runCli(["apply", "--from", file], { env: { DATA_DIR: data, HERMES_HOME: home } });
    expect(applied.code).toBe(0);
    expect(applied.stderr).not.toContain("written again in full");
    expect(await readFile(config, "utf8")).toBe(
      `${handText.replace(
        "model:\n  default: foo/bar\n",
        "model:\n  default: anthropic/claude-sonnet-4\n  provider: openrouter\n",
      )}mcp_servers:\n  fetch:\n    command: uvx\n    args:\n      - mcp-server-fetch\n    enabled: true\n`,
    );
    expect(await readFile(path.join(dir, "SOUL.md"), "utf8")).toBe(soulBefore);
    expect(
      await Promise.all(["SOUL.md", ".env"].map(async (name) => (await stat(path.join(dir, name))).mtimeMs)),
    ).toEqual(untouched);

    expect(await profileShow(home, "made-by-hermes")).toMatchObject({
      model: "anthropic/claude-sonnet-4",
      provider: "openrouter",
    });
    expect(await mcpList(home, "made-by-hermes")).toEqual([
      expect.objectContaining({ name: "fetch", enabled: true }),
    ]);
    expect(await configCheck(home, "made-by-hermes")).toMatchObject({ current: true });
    const telegram = await hermesOk(home, [
      "-p",
      "made-by-hermes",
      "tools",
      "list",
      "--platform",
      "telegram",
    ]);
    expect(telegram).toMatch(/terminal/);
    expect(telegram).toMatch(/✗[^\n]*terminal|terminal[^\n]*(disabled|✗)/);
  }, 180_000);

  it("WHEN the file names a profile that does not exist THEN it says how to create it and writes nothing", async () => {
    const data = await tempDir();
    const file = path.join(data, "edit.yaml");
    await writeFile(file, "name: nowhere\ndescription: x\n");
    const result = await runCli(["apply", "--from", file], {
      env: { DATA_DIR: data, HERMES_HOME: path.join(data, "hermes") },
    });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain(
      "There is no profile 'nowhere' to apply to. Create it with: blueprint create --from",
    );
    await expect(stat(path.join(data, "hermes", "profiles", "nowhere"))).rejects.toThrow();
  });
});
