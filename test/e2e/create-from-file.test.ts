import { readdir, readFile, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.ts";
import { useTempDirs } from "../helpers/temp-dir.ts";

const tempDir = useTempDirs();

const GOOD = `name: Filed-Bot
display_name: Filed Bot
description: Created from YAML
model: { provider: anthropic, model: claude-sonnet-4-20250514 }
skills: { builtin: default, optional: [writing/release-notes], hub: [official/security/password-audit] }
mcp_servers:
  - { name: docs, url: "https://mcp.example.com/mcp", auth: api_key }
`;

async function withFile(text: string) {
  const dir = await tempDir();
  const file = path.join(dir, "blueprint.yaml");
  await writeFile(file, text);
  return { dir, file, env: { DATA_DIR: dir } };
}

describe("GIVEN blueprint create --from", () => {
  it("WHEN the file is good THEN it creates the profile, reads secrets from the environment and prints the JSON report", async () => {
    const { dir, file, env } = await withFile(GOOD);
    const result = await runCli(["create", "--from", file], {
      env: { ...env, ANTHROPIC_API_KEY: "sk-ant-from-env" },
    });
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as {
      ok: boolean;
      name: string;
      path: string;
      steps: { step: string; detail: string }[];
      hubInstalls: unknown[];
    };
    expect(report).toMatchObject({
      ok: true,
      name: "filed-bot",
      path: path.join(dir, "hermes/profiles/filed-bot"),
    });
    expect(report.hubInstalls).toEqual([
      { identifier: "official/security/password-audit", status: "done", detail: "security/password-audit" },
    ]);
    expect(result.stderr).toContain("official/security/password-audit: installed");
    expect(
      await readFile(path.join(report.path, "skills/security/password-audit/SKILL.md"), "utf8"),
    ).toContain("name: password-audit");
    expect(report.steps.find((entry) => entry.step === ".env")?.detail).toBe(
      "mode 0600; 1 secret(s) set; not set yet (commented out, so a value from the shell still applies): MCP_DOCS_API_KEY",
    );
    expect(result.stdout).not.toContain("sk-ant-from-env");
    const envFile = path.join(report.path, ".env");
    expect(await readFile(envFile, "utf8")).toContain(
      "ANTHROPIC_API_KEY=sk-ant-from-env\n# MCP_DOCS_API_KEY=\n",
    );
    expect((await stat(envFile)).mode & 0o777).toBe(0o600);
  });

  it("WHEN the name is also a Hermes command THEN it is created with a warning on stderr", async () => {
    const { file, env } = await withFile("name: gateway\nmodel: { provider: openai, model: gpt-4.1 }\n");
    const result = await runCli(["create", "--from", file], { env });
    expect(result.code).toBe(0);
    expect(result.stderr).toContain("'gateway' is also a Hermes command");
  });

  it("WHEN the same file is created twice THEN the second run refuses the existing name and changes nothing", async () => {
    const { file, env, dir } = await withFile(GOOD);
    expect((await runCli(["create", "--from", file], { env })).code).toBe(0);
    const again = await runCli(["create", "--from", file], { env });
    expect(again.code).toBe(2);
    expect(again.stderr).toContain("name: A profile named 'filed-bot' already exists");
    expect(await readdir(path.join(dir, "hermes/profiles"))).toEqual(["filed-bot"]);
  });

  it.each([
    ["not YAML", "name: [oops\n", "not valid YAML"],
    ["a list", "- name: x\n", "not a list"],
    [
      "unknown keys",
      "name: x1\nmodel: { provider: openai, model: gpt-4.1 }\ncolour: blue\n",
      "colour: 'colour' is not a blueprint key",
    ],
    [
      "url and command",
      "name: x1\nmodel: { provider: openai, model: gpt-4.1 }\nmcp_servers: [{ name: a, url: 'https://x.example', command: npx }]\n",
      "mcp_servers[0]: give exactly one of url",
    ],
    [
      "a missing clone source",
      "name: x1\nclone_from: ghost\nmodel: { provider: openai, model: gpt-4.1 }\n",
      "clone_from: There is no profile named 'ghost'",
    ],
    [
      "an unknown provider",
      "name: x1\nmodel: { provider: acme, model: m }\n",
      "model.provider: 'acme' is not a provider",
    ],
    [
      "an unknown skill",
      "name: x1\nmodel: { provider: openai, model: gpt-4.1 }\nskills: { optional: [nope] }\n",
      "skills.optional[0]",
    ],
  ])(
    "WHEN the file has %s THEN it exits 2 listing the problem and writes nothing",
    async (_what, text, message) => {
      const { file, env, dir } = await withFile(text);
      const result = await runCli(["create", "--from", file], { env });
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(message);
      expect(result.stdout).toBe("");
      expect(await readdir(dir)).toEqual(["blueprint.yaml"]);
    },
  );

  it("WHEN the file is 10 MB THEN it is refused by its size without being read", async () => {
    const { file, env } = await withFile(`name: big\ndescription: "${"x".repeat(10 * 1024 * 1024)}"\n`);
    const result = await runCli(["create", "--from", file], { env });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("a blueprint is at most 1048576 bytes");
  });

  it("WHEN the file does not exist THEN it says so", async () => {
    const result = await runCli(["create", "--from", "/nonexistent/blueprint.yaml"], {
      env: { DATA_DIR: await tempDir() },
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("Could not read /nonexistent/blueprint.yaml: ENOENT");
  });

  it("WHEN --from is missing THEN commander's usage error exits 2", async () => {
    const result = await runCli(["create"], { env: { DATA_DIR: await tempDir() } });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("--from <file>");
  });
});
