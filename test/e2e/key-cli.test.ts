// `blueprint key list | set | delete` through the real executable: a key set from stdin, listed,
// rotated and deleted in a profile made by `blueprint create`; its value in no output.
import { readFile, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { EXIT } from "../../src/app/system/exit.ts";
import { runCli } from "../helpers/cli.ts";
import { recordSecret } from "../helpers/leak-ledger.ts";
import { useTempDirs } from "../helpers/temp-dir.ts";

const tempDir = useTempDirs();

const FIRST = "sk-or-e2e-key-first-0123456789";
const ROTATED = "sk-or-e2e-key-rotated-9876543210";
recordSecret(FIRST);
recordSecret(ROTATED);

async function profileWithKeys() {
  const data = await tempDir();
  const home = path.join(data, "hermes");
  const file = path.join(data, "bp.yaml");
  await writeFile(
    file,
    `name: keys
model: { provider: openrouter, model: anthropic/claude-sonnet-4 }
mcp_servers:
  - { name: github, command: npx, args: ["-y", "@modelcontextprotocol/server-github"], env: { GITHUB_PERSONAL_ACCESS_TOKEN: "\${GITHUB_TOKEN}" } }
`,
  );
  const env = { DATA_DIR: data, HERMES_HOME: home };
  const created = await runCli(["create", "--from", file], { env });
  expect(created.code).toBe(EXIT.ok);
  return { env, envFile: path.join(home, "profiles/keys/.env") };
}

describe("GIVEN a profile made by blueprint create, its keys left unset", () => {
  it("WHEN a key is set from stdin, listed, rotated and deleted THEN .env follows each step, keeps its other lines and mode 0600, and no output holds a value", async () => {
    const { env, envFile } = await profileWithKeys();
    const created = await readFile(envFile, "utf8");

    const before = await runCli(["key", "list", "keys"], { env });
    expect(before.code).toBe(EXIT.ok);
    expect(before.stdout).toContain("Needed keys (2, 2 not set):");
    expect(before.stdout).toContain("• OPENROUTER_API_KEY: not set — provider openrouter");
    expect(before.stdout).toContain("• GITHUB_TOKEN: not set — MCP server github");

    const set = await runCli(["key", "set", "keys", "OPENROUTER_API_KEY"], { env, input: `${FIRST}\n` });
    expect(set.stderr).toBe("");
    expect(set.code).toBe(EXIT.ok);
    expect(set.stdout).toMatch(/^Replaced OPENROUTER_API_KEY in .*\/profiles\/keys\/\.env\.\n$/);
    expect(await readFile(envFile, "utf8")).toBe(
      created.replace("# OPENROUTER_API_KEY=", `OPENROUTER_API_KEY=${FIRST}`),
    );
    expect((await stat(envFile)).mode & 0o777).toBe(0o600);

    const listed = await runCli(["key", "list", "keys"], { env });
    expect(listed.stdout).toContain("• OPENROUTER_API_KEY: set — provider openrouter");
    expect(listed.stdout).toContain("Needed keys (2, 1 not set):");

    const rotated = await runCli(["key", "set", "keys", "OPENROUTER_API_KEY"], { env, input: ROTATED });
    expect(rotated.code).toBe(EXIT.ok);
    expect(await readFile(envFile, "utf8")).toBe(
      created.replace("# OPENROUTER_API_KEY=", `OPENROUTER_API_KEY=${ROTATED}`),
    );

    const deleted = await runCli(["key", "delete", "keys", "OPENROUTER_API_KEY"], { env });
    expect(deleted.code).toBe(EXIT.ok);
    expect(deleted.stdout).toMatch(/^Deleted OPENROUTER_API_KEY from /);
    expect(await readFile(envFile, "utf8")).toBe(created.replace("# OPENROUTER_API_KEY=\n", ""));
    expect((await stat(envFile)).mode & 0o777).toBe(0o600);
    const again = await runCli(["key", "delete", "keys", "OPENROUTER_API_KEY"], { env });
    expect(again.code).toBe(EXIT.ok);
    expect(again.stdout).toMatch(/is not set in .*; nothing was changed\./);

    const after = await runCli(["key", "list", "keys"], { env });
    expect(after.stdout).toContain("• OPENROUTER_API_KEY: not set — provider openrouter");
    for (const output of [before, set, listed, rotated, deleted, again, after])
      for (const value of [FIRST, ROTATED]) expect(`${output.stdout}${output.stderr}`).not.toContain(value);
  });

  it("WHEN the value is empty, two lines or the key name is bad THEN it exits 2 saying what to do, never echoing the value, and .env is unchanged", async () => {
    const { env, envFile } = await profileWithKeys();
    const created = await readFile(envFile, "utf8");
    const empty = await runCli(["key", "set", "keys", "OPENROUTER_API_KEY"], { env, input: "\n" });
    expect(empty.code).toBe(EXIT.badInput);
    expect(empty.stderr).toMatch(/The value is empty\. Pipe the key in/);
    const twoLines = await runCli(["key", "set", "keys", "OPENROUTER_API_KEY"], {
      env,
      input: `${FIRST}\n${FIRST}\n`,
    });
    expect(twoLines.code).toBe(EXIT.badInput);
    expect(twoLines.stderr).toMatch(/one line of visible ASCII/);
    expect(twoLines.stderr).not.toContain(FIRST);
    const badName = await runCli(["key", "set", "keys", "openrouter-key"], { env, input: FIRST });
    expect(badName.code).toBe(EXIT.badInput);
    expect(badName.stderr).toMatch(/UPPER_SNAKE_CASE/);
    expect(await readFile(envFile, "utf8")).toBe(created);
  });

  it("WHEN the profile does not exist THEN it exits 2; with a Hermes host that does not answer THEN it exits 1 naming the host, the local .env untouched", async () => {
    const { env, envFile } = await profileWithKeys();
    const created = await readFile(envFile, "utf8");
    const ghost = await runCli(["key", "set", "ghost", "OPENROUTER_API_KEY"], { env, input: FIRST });
    expect(ghost.code).toBe(EXIT.badInput);
    expect(ghost.stderr).toMatch(/There is no profile 'ghost'/);
    const remote = await runCli(["key", "list", "keys"], {
      env: { ...env, HERMES_URL: "http://127.0.0.1:9", HERMES_TOKEN: "e2e-dashboard-token-123456" },
    });
    expect(remote.code).toBe(EXIT.failed);
    expect(remote.stderr).toMatch(/Hermes at 127\.0\.0\.1:9 /);
    expect(await readFile(envFile, "utf8")).toBe(created);
  });
});
