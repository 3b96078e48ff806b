import { spawn } from "node:child_process";
import { readdir, readFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { REPO_ROOT, runCli } from "../helpers/cli.ts";
import { useTempDirs } from "../helpers/temp-dir.ts";
import { storedCollections } from "../helpers/store-files.ts";
import { consoleWizard } from "../helpers/console-wizard.ts";

const tempDir = useTempDirs();

const WIZARD = (hub: string) => consoleWizard({ name: "hubby", hub });

describe("GIVEN a console Create with two hub skills", () => {
  it("WHEN the bundled installer runs THEN progress is shown live and one skill is installed, one blocked, both recorded", async () => {
    const data = await tempDir();
    const input = [...WIZARD("official/security/password-audit shady/skills/env-exfil"), ""].join("\n");
    const result = await runCli(["start"], {
      input,
      env: { DATA_DIR: data, PROGRESS_MIN_INTERVAL_MS: "200" },
    });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("━━ Hub skills for 'hubby' ━━");
    expect(result.stdout).toMatch(/▱▱▱▱▱▱▱▱▱▱ 0\/2/);
    expect(result.stdout).toContain(
      "✓ official/security/password-audit: installed — security/password-audit",
    );
    expect(result.stdout).toContain("⛔ shady/skills/env-exfil: blocked — the scan found dangerous content");
    expect(result.stdout).toContain("Finished: 1 installed, 1 not.");

    const skills = path.join(data, "hermes/profiles/hubby/skills");
    expect(await readdir(path.join(skills, "security"))).toEqual(["password-audit"]);
    expect(await readdir(skills)).not.toContain("env-exfil");
    const lock = JSON.parse(await readFile(path.join(skills, ".hub/lock.json"), "utf8")) as {
      installed: Record<string, unknown>;
    };
    expect(Object.keys(lock.installed)).toEqual(["password-audit"]);
    expect(await readFile(path.join(skills, ".hub/audit.log"), "utf8")).toMatch(
      /INSTALL password-audit official:builtin safe sha256:\w{16}\n.*BLOCKED env-exfil github:community dangerous shady\/skills\/env-exfil|BLOCKED env-exfil github:community dangerous shady\/skills\/env-exfil\n.*INSTALL password-audit official:builtin safe sha256:\w{16}/,
    );
    const installs = (storedCollections(data)?.["installs"] ?? {}) as Record<
      string,
      { jobs: { status: string }[] }
    >;
    expect(Object.values(installs)[0]?.jobs.map((job) => job.status)).toEqual(["done", "blocked"]);
  });

  it("WHEN the bot is SIGKILLed mid-install and started again THEN the install shows as interrupted with Retry, and Retry installs it", async () => {
    const data = await tempDir();
    const env = {
      PATH: process.env["PATH"] ?? "",
      HOME: process.env["HOME"] ?? "/tmp",
      DATA_DIR: data,
      PROGRESS_MIN_INTERVAL_MS: "100",
      INSTALL_COMMAND: `sh ${path.join(REPO_ROOT, "test/fixtures/installers/sleepy.sh")} {profile} {identifier}`,
    };
    const bot = spawn(process.execPath, [path.join(REPO_ROOT, "bin/blueprint.js"), "start"], {
      cwd: os.tmpdir(),
      env,
      stdio: ["pipe", "pipe", "pipe"],
    });
    let seen = "";
    bot.stdout.on("data", (chunk: Buffer) => (seen += chunk.toString()));
    bot.stdin.write([...WIZARD("acme/agent-skills/changelog"), ""].join("\n"));
    await waitFor(() => seen.includes("acme/agent-skills/changelog: fetching"), 20_000);
    // Give the coalesced store write time to land, as it would in a running bot.
    await new Promise((resolve) => setTimeout(resolve, 300));
    bot.kill("SIGKILL");
    await new Promise((resolve) => bot.once("close", resolve));

    const restarted = await runCli(["start"], { input: "/installs retry\n", env: { ...env } });
    expect(restarted.code).toBe(0);
    expect(restarted.stdout).toContain(
      "↯ acme/agent-skills/changelog: interrupted — the bot restarted during the install",
    );
    expect(restarted.stdout).toContain("Retry failed");
    expect(restarted.stdout).toContain("Retrying 1 install(s).");
    expect(restarted.stdout).toContain("✓ acme/agent-skills/changelog: installed");
  }, 60_000);
});

async function waitFor(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("timed out waiting");
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
