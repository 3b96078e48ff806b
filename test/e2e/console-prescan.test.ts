// The scan before Create on the console without Hermes: hub skills typed on the Hub step are
// scanned by the bundled scanner while the user goes on; Review shows each one's verdict and trust
// before Create, and the bundled installer after Create decides what Review said.
import { spawn } from "node:child_process";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { REPO_ROOT, runCli } from "../helpers/cli.ts";
import { consoleWizard, piped } from "../helpers/console-wizard.ts";
import { waitFor } from "../helpers/telegram-bot.ts";
import { useTempDirs } from "../helpers/temp-dir.ts";

const tempDir = useTempDirs();
/** The bundled scan of a small local skill, with the bot starting up, ends well within this. */
const BUNDLED_SCAN_WAIT_MS = 20_000;
const SAFE = "official/security/password-audit";
const DANGEROUS = "shady/skills/env-exfil";

describe("GIVEN a console wizard without Hermes and two hub skills", () => {
  it(
    "WHEN Review is reached THEN the safe one shows safe and the dangerous one blocked before Create; Create installs the one and blocks the other",
    async () => {
      const data = await tempDir();
      const bot = spawn(process.execPath, [path.join(REPO_ROOT, "bin/blueprint.js"), "start"], {
        cwd: os.tmpdir(),
        env: { PATH: process.env["PATH"] ?? "", HOME: data, DATA_DIR: data, PROGRESS_MIN_INTERVAL_MS: "100" },
        stdio: ["pipe", "pipe", "pipe"],
      });
      let seen = "";
      bot.stdout.on("data", (chunk: Buffer) => (seen += chunk.toString()));
      const closed = new Promise((resolve) => bot.once("close", resolve));
      try {
        const walk = consoleWizard({ name: "scanned", hub: `${SAFE} ${DANGEROUS}` });
        // Everything up to Review; Create waits until Review has shown both verdicts.
        bot.stdin.write(`${walk.slice(0, -1).join("\n")}\n`);
        const blocked = `${DANGEROUS}: ✗ dangerous · community — will not be installed: the scan found dangerous content; it is never installed`;
        await waitFor(() => seen.includes(blocked), BUNDLED_SCAN_WAIT_MS);
        const review = seen.slice(seen.lastIndexOf("━━ Step 7/7 · Review ━━"));
        expect(review).toContain(`${SAFE}: ✓ safe · builtin`);
        expect(review).toContain(blocked);
        bot.stdin.write("Create\n");
        await waitFor(() => seen.includes("Finished:"), BUNDLED_SCAN_WAIT_MS);
        expect(seen).toContain(`⛔ ${DANGEROUS}: blocked — the scan found dangerous content`);
        expect(seen).toContain(`✓ ${SAFE}: installed`);
      } finally {
        bot.stdin.end();
        await closed;
      }
    },
    BUNDLED_SCAN_WAIT_MS * 3,
  );

  it("WHEN INSTALL_COMMAND installs THEN nothing is scanned before Create (the bot cannot know what that command refuses) and Review lists the skills", async () => {
    const data = await tempDir();
    const result = await runCli(["start"], {
      input: piped(consoleWizard({ name: "unscanned", hub: DANGEROUS }).slice(0, -1)),
      env: {
        DATA_DIR: data,
        INSTALL_COMMAND: `sh ${path.join(REPO_ROOT, "test/fixtures/installers/fast.sh")} {profile} {identifier}`,
      },
    });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`Hub skills (installed after Create): ${DANGEROUS}`);
    expect(result.stdout).not.toContain("scanning…");
  });
});
