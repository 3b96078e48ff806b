// The scan before Create on Telegram beside the real Hermes 0.19: hub skills typed on the Hub step
// are scanned by Hermes while the user goes on; Review shows each one's verdict and trust before
// Create, and the install after Create then decides exactly what Review said.
import { describe, expect, it } from "vitest";
import type { FakeUser } from "../fakes/fake-telegram.ts";
import { HERMES_INSTALLS_TIMEOUT_MS, hermesHostEnv } from "../helpers/hermes-host.ts";
import { startScanSkillServer } from "../helpers/scan-skill-server.ts";
import { useBots } from "../helpers/bot-fixture.ts";
import { press, say, waitFor, wizardText } from "../helpers/telegram-bot.ts";

const bots = useBots();
const skills = await startScanSkillServer();
const ALICE: FakeUser = { id: 4545, first_name: "Alice", username: "alice" };
const ALICE_DM = { id: ALICE.id, type: "private" as const };
/** Offline, Hermes' fetch waits for its network sources (about 45 s here) before it reaches loopback. */
const HERMES_SCAN_WAIT_MS = 120_000;
const BLOCKED_REASON =
  "Blocked (community source + dangerous verdict, 2 findings). --force does not override a dangerous verdict.";

describe("GIVEN the Telegram bot beside the real Hermes 0.19 and hub skills picked in the wizard", () => {
  it(
    "WHEN Review is reached THEN it shows each skill's verdict from Hermes' scan (scanning… until done), the dangerous one blocked before Create, and the install then decides the same",
    async () => {
      const data = await bots.tempDir();
      const { fake } = await bots.telegram({
        data,
        allowedUsers: [ALICE.id],
        progressMinIntervalMs: 200,
        env: hermesHostEnv(data),
      });
      const tap = (label: string) => press(fake, ALICE, ALICE.id, label);
      await say(fake, ALICE, ALICE_DM, "/profile_new");
      await say(fake, ALICE, ALICE_DM, "scanned-telegram");
      await tap("Next");
      await tap("OpenAI");
      await tap("gpt-4.1");
      await tap("Skip");
      await tap("Optional skills");
      await tap("Hub skills");
      await say(fake, ALICE, ALICE_DM, `${skills.safe} ${skills.dangerous}`);
      await tap("Done");
      await tap("MCP servers");
      await tap("Next");
      await tap("No persona");
      // Hermes is still fetching: the user is not kept waiting.
      expect(wizardText(fake, ALICE.id)).toContain(`${skills.dangerous}: scanning…`);
      await waitFor(() => !wizardText(fake, ALICE.id).includes("scanning…"), HERMES_SCAN_WAIT_MS);
      const review = wizardText(fake, ALICE.id);
      expect(review).toContain(`${skills.safe}: ✓ safe · community`);
      expect(review).toContain(
        `${skills.dangerous}: ✗ dangerous · community — will not be installed: ${BLOCKED_REASON}`,
      );
      const keyboard = fake.lastBotMessage(ALICE.id, true)?.reply_markup?.inline_keyboard?.flat() ?? [];
      expect(keyboard.map((button) => button.text)).toContain("Drop the skills the scan refuses");
      // Created anyway: Hermes' install refuses exactly the one Review marked, for the same reason.
      await tap("✓ Create");
      const status = () =>
        fake
          .botMessages(ALICE.id)
          .find((message) => message.text.includes("Hub skills for 'scanned-telegram'"));
      await waitFor(
        () => status()?.text.includes("Finished:") ?? false,
        HERMES_INSTALLS_TIMEOUT_MS - 150_000,
      );
      expect(status()?.text).toContain(`⛔ ${skills.dangerous}: blocked — ${BLOCKED_REASON}`);
      expect(status()?.text).toContain(`✓ ${skills.safe}: installed`);
    },
    HERMES_INSTALLS_TIMEOUT_MS,
  );
});
