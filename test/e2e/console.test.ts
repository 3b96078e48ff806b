import { spawn } from "node:child_process";
import { readdir, readFile, stat } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { REPO_ROOT, runCli } from "../helpers/cli.ts";
import { useTempDirs } from "../helpers/temp-dir.ts";
import { storeFilesText, storedCollections } from "../helpers/store-files.ts";

const tempDir = useTempDirs();
const SECRET = "sk-or-v1-e2e-console-secret";

const FIRST_HALF = [
  "/profile new",
  "console-bot",
  "Description",
  "Made from a piped script",
  "Next",
  "OpenRouter",
  "2",
];
const SECOND_HALF = [
  SECRET,
  "Optional skills",
  "1",
  "Hub skills",
  "official/security/password-audit",
  "done",
  "MCP servers",
  "Next",
  "No persona",
  "Create",
];

describe("GIVEN the console adapter driven by a piped script", () => {
  it("WHEN the whole wizard is answered THEN the profile is on disk in the Hermes layout and the secret only in .env", async () => {
    const data = await tempDir();
    const result = await runCli(["start"], {
      input: [...FIRST_HALF, ...SECOND_HALF, ""].join("\n"),
      env: { DATA_DIR: data },
    });
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("Profile 'console-bot' created.");
    // The report names the profile and how to use it, never the host's folders.
    expect(result.stdout).toContain("Use it with: hermes -p console-bot");
    expect(result.stdout).not.toContain(data);
    expect(result.stdout).not.toContain(SECRET);

    const dir = path.join(data, "hermes/profiles/console-bot");
    expect((await readdir(dir)).sort()).toEqual(
      [
        ".env",
        "SOUL.md",
        "config.yaml",
        "cron",
        "home",
        "logs",
        "memories",
        "plans",
        "profile.yaml",
        "sessions",
        "skills",
        "skins",
        "workspace",
      ].sort(),
    );
    expect((await stat(path.join(dir, ".env"))).mode & 0o777).toBe(0o600);
    expect(await readFile(path.join(dir, ".env"), "utf8")).toContain(`OPENROUTER_API_KEY=${SECRET}\n`);
    expect(parseYaml(await readFile(path.join(dir, "config.yaml"), "utf8"))).toMatchObject({
      model: { provider: "openrouter", default: "anthropic/claude-opus-4" },
    });
    // As Hermes' write_profile_meta writes it; no display_name was given, so none is written.
    expect(parseYaml(await readFile(path.join(dir, "profile.yaml"), "utf8"))).toEqual({
      description: "Made from a piped script",
      description_auto: false,
    });
    expect(await readdir(path.join(dir, "skills/devops"))).toEqual(["docker-debug"]);
    expect(storeFilesText(data)).not.toContain(SECRET);
  });

  it("WHEN the input ends mid-wizard and the bot starts again THEN it resumes at the same step", async () => {
    const data = await tempDir();
    const first = await runCli(["start"], { input: `${FIRST_HALF.join("\n")}\n`, env: { DATA_DIR: data } });
    expect(first.code).toBe(0);
    expect(first.stdout).toContain("OPENROUTER_API_KEY (typing is hidden");
    await expect(readdir(path.join(data, "hermes/profiles"))).rejects.toThrow();

    const second = await runCli(["start"], { input: `${SECOND_HALF.join("\n")}\n`, env: { DATA_DIR: data } });
    expect(second.code).toBe(0);
    expect(second.stdout).toContain("Resuming your open wizard for 'console-bot'");
    expect(second.stdout).toContain("Profile 'console-bot' created");
    expect(await readdir(path.join(data, "hermes/profiles"))).toEqual(["console-bot"]);
  });

  it("WHEN bad answers are typed THEN each gets a clear message and nothing is written", async () => {
    const data = await tempDir();
    const lines = [
      "hello",
      "/profile new",
      "../x",
      "a/b",
      ".hidden",
      "Default",
      "root",
      "a".repeat(65),
      "",
      "🤖",
      "42x",
      "/frobnicate",
      "99",
      "/cancel",
    ];
    const result = await runCli(["start"], { input: `${lines.join("\n")}\n`, env: { DATA_DIR: data } });
    expect(result.code).toBe(0);
    for (const message of [
      "No wizard is open. Type /profile new",
      "cannot contain '/', '\\' or '..'",
      "cannot start with '.'",
      "'default' is reserved by Hermes",
      "'root' is reserved by Hermes",
      "65 characters; the limit is 64",
      "A profile name is needed",
      "is not a valid profile name",
      "Unknown command /frobnicate",
      "Cancelled",
    ]) {
      expect(result.stdout).toContain(message);
    }
    await expect(readdir(path.join(data, "hermes/profiles"))).rejects.toThrow();
  });

  it("WHEN a configuration value is bad THEN the bot stops and names the variable", async () => {
    const result = await runCli(["start"], { env: { LOG_LEVEL: "loud" } });
    expect(result.code).toBe(3);
    expect(result.stderr).toContain("LOG_LEVEL");
  });

  it("WHEN a platform token has the wrong shape THEN the bot stops before connecting and says what a token looks like", async () => {
    const data = await tempDir();
    const result = await runCli(["start"], { env: { DATA_DIR: data, DISCORD_TOKEN: "discord-token" } });
    expect(result.code).toBe(3);
    expect(result.stderr).toContain("DISCORD_TOKEN: looks wrong");
  });
});

describe("GIVEN the terminal goes away while the bot runs", () => {
  it("WHEN its output pipe closes (EPIPE) THEN the bot keeps serving and ends cleanly at end of input", async () => {
    const data = await tempDir();
    const child = spawn(process.execPath, [path.join(REPO_ROOT, "bin/blueprint.js"), "start"], {
      cwd: os.tmpdir(),
      env: { PATH: process.env["PATH"] ?? "", HOME: process.env["HOME"] ?? "/tmp", DATA_DIR: data },
    });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout.destroy();
    child.stdin.write("/profile new\nclosed-bot\nNext\n");
    await new Promise((resolve) => setTimeout(resolve, 1500));
    child.stdin.end();
    const code = await new Promise<number | null>((resolve) => child.once("close", resolve));
    expect(stderr).not.toContain("EPIPE");
    expect(code).toBe(0);
    const sessions = storedCollections(data)?.["sessions"] ?? {};
    expect(Object.values(sessions)[0]).toMatchObject({
      step: "model.provider",
      draft: { name: "closed-bot" },
    });
  });
});
