// The scan before Create on Discord beside the real Hermes 0.19: Review shows Hermes' verdict for
// each hub skill before Create, and dropping the one the install would refuse leaves a Create whose
// install (Hermes' own) has nothing to block.
import { describe, expect, it } from "vitest";
import { GENERAL, type FakeUser } from "../fakes/discord/fake-discord.ts";
import { useBots } from "../helpers/bot-fixture.ts";
import { DiscordTester } from "../helpers/discord-bot.ts";
import { HERMES_INSTALLS_TIMEOUT_MS, hermesHostEnv } from "../helpers/hermes-host.ts";
import { startScanSkillServer } from "../helpers/scan-skill-server.ts";

const bots = useBots();
const skills = await startScanSkillServer();
const ALICE: FakeUser = { id: "150000000000000045", username: "alice" };
/** Offline, Hermes' fetch waits for its network sources (about 45 s here) before it reaches loopback. */
const HERMES_SCAN_WAIT_MS = 120_000;

describe("GIVEN the Discord bot beside the real Hermes 0.19 and hub skills picked in the wizard", () => {
  it(
    "WHEN Review shows Hermes' verdicts and the refused skill is dropped THEN Create installs only the safe one",
    async () => {
      const data = await bots.tempDir();
      const { fake } = await bots.discord({
        data,
        allowedUsers: [ALICE.id],
        progressMinIntervalMs: 200,
        env: hermesHostEnv(data),
      });
      const alice = new DiscordTester(fake, ALICE, GENERAL);
      await alice.command("profile new");
      await alice.fill({ name: "scanned-discord" });
      await alice.press("Next");
      await alice.choose("OpenAI");
      await alice.choose("gpt-4.1");
      await alice.press("Skip");
      await alice.press("Optional skills");
      await alice.press("Hub skills");
      await alice.fill({ value: `${skills.safe} ${skills.caution}` });
      await alice.press("Done");
      await alice.press("MCP servers");
      await alice.press("Next");
      await alice.press("No persona");
      await fake.until(
        () => !alice.message.content.includes("scanning…") && alice.message.content.includes("Review"),
        HERMES_SCAN_WAIT_MS,
        "Hermes' scans",
      );
      expect(alice.message.content).toContain(`${skills.safe}: ✓ safe · community`);
      expect(alice.message.content).toContain(
        `${skills.caution}: ⚠ caution · community — will not be installed: installed with --force only`,
      );
      await alice.press("Drop the skills the scan refuses");
      expect(alice.message.content).not.toContain(skills.caution);
      await alice.press("✓ Create");
      const status = () =>
        [...fake.messages.values()].find((message) =>
          message.content.includes("Hub skills for 'scanned-discord'"),
        );
      await fake.until(
        () => status()?.content.includes("Finished:") ?? false,
        HERMES_INSTALLS_TIMEOUT_MS - 150_000,
        "Hermes' install to end",
      );
      expect(status()?.content).toContain(`✓ ${skills.safe}: installed`);
      expect(status()?.content).toContain("Finished: 1 installed");
      expect(fake.violations).toEqual([]);
    },
    HERMES_INSTALLS_TIMEOUT_MS,
  );
});
