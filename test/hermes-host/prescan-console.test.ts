// The scan before Create on the console beside the real Hermes 0.19: Review shows Hermes' verdict
// for each hub skill before Create (the dangerous loopback one blocked, with Hermes' reason), and
// Hermes' install after Create decides the same.
import { describe, expect, it } from "vitest";
import { startCli } from "../helpers/cli.ts";
import { consoleWizard } from "../helpers/console-wizard.ts";
import { HERMES_INSTALLS_TIMEOUT_MS, hermesHostEnv } from "../helpers/hermes-host.ts";
import { startScanSkillServer } from "../helpers/scan-skill-server.ts";
import { waitFor } from "../helpers/telegram-bot.ts";
import { useTempDirs } from "../helpers/temp-dir.ts";

const tempDir = useTempDirs();
const skills = await startScanSkillServer();
/** Offline, Hermes' fetch waits for its network sources (about 45 s here) before it reaches loopback. */
const HERMES_SCAN_WAIT_MS = 120_000;
const BLOCKED_REASON =
  "Blocked (community source + dangerous verdict, 2 findings). --force does not override a dangerous verdict.";

describe("GIVEN the console bot beside the real Hermes 0.19 and two hub skills", () => {
  it(
    "WHEN Review is reached THEN Hermes' verdicts show before Create, the dangerous one blocked, and Hermes' install then blocks exactly it",
    async () => {
      const data = await tempDir();
      const bot = startCli(["start"], { ...hermesHostEnv(data), PROGRESS_MIN_INTERVAL_MS: "200" });
      const walk = consoleWizard({ name: "scanned-console", hub: `${skills.safe} ${skills.dangerous}` });
      bot.child.stdin.write(`${walk.slice(0, -1).join("\n")}\n`);
      const blocked = `${skills.dangerous}: ✗ dangerous · community — will not be installed: ${BLOCKED_REASON}`;
      const safe = `${skills.safe}: ✓ safe · community`;
      // The two scans run side by side: Review is redrawn as each verdict arrives.
      await waitFor(() => bot.output().includes(blocked) && bot.output().includes(safe), HERMES_SCAN_WAIT_MS);
      const review = bot.output().slice(bot.output().lastIndexOf("━━ Step 7/7 · Review ━━"));
      expect(review).toContain(safe);
      expect(review).toContain(blocked);
      expect(review).not.toContain("Creating");
      bot.child.stdin.write("Create\n");
      await waitFor(() => bot.output().includes("Finished:"), HERMES_INSTALLS_TIMEOUT_MS - 150_000);
      expect(bot.output()).toContain(`⛔ ${skills.dangerous}: blocked — ${BLOCKED_REASON}`);
      expect(bot.output()).toContain(`✓ ${skills.safe}: installed`);
      bot.child.stdin.end();
      await bot.closed;
    },
    HERMES_INSTALLS_TIMEOUT_MS,
  );
});
