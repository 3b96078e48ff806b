// The Telegram wizard on a Hermes host, started as `npm start` starts it: its hub installs are run
// by the real pinned Hermes, and the one status message ends saying what Hermes did with each.
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { FakeUser } from "../fakes/fake-telegram.ts";
import {
  expectedFinalLines,
  HERMES_BUILTIN_IDS,
  HERMES_SEARCH_WAIT_MS,
  SEARCH_HIT_LABEL,
  SEARCH_QUERY,
  HERMES_INSTALLS_TIMEOUT_MS,
  hermesHostEnv,
  hubSkillsHermesLists,
  startSkillServer,
  threeInstalls,
} from "../helpers/hermes-host.ts";
import { useBots } from "../helpers/bot-fixture.ts";
import { press, say, waitFor, wizardText } from "../helpers/telegram-bot.ts";

const bots = useBots();
const server = await startSkillServer();
const ALICE: FakeUser = { id: 4343, first_name: "Alice", username: "alice" };
const ALICE_DM = { id: ALICE.id, type: "private" as const };

describe("GIVEN the Telegram bot beside the real Hermes 0.19", () => {
  it(
    "WHEN three hub skills are created THEN the status message ends as Hermes decided and `hermes skills list` agrees",
    async () => {
      const data = await bots.tempDir();
      const { fake } = await bots.telegram({
        data,
        allowedUsers: [ALICE.id],
        progressMinIntervalMs: 200,
        env: hermesHostEnv(data),
      });
      const tap = (label: string) => press(fake, ALICE, ALICE.id, label);
      const ids = threeInstalls(server);
      await say(fake, ALICE, ALICE_DM, "/profile_new");
      await say(fake, ALICE, ALICE_DM, "hosted-telegram");
      await tap("Next");
      await tap("OpenAI");
      await tap("gpt-4.1");
      await tap("Skip");
      // The built-in list is Hermes' bundled tree, not our library.
      const keyboard = fake.lastBotMessage(ALICE.id, true)?.reply_markup?.inline_keyboard?.flat() ?? [];
      expect(keyboard.map((button) => button.text).filter((text) => text.startsWith("✓ "))).toEqual(
        HERMES_BUILTIN_IDS.map((id) => `✓ ${id}`),
      );
      await tap("Optional skills");
      await tap("Hub skills");
      await tap("🔎 Search the hub");
      await say(fake, ALICE, ALICE_DM, SEARCH_QUERY);
      await waitFor(
        () => wizardText(fake, ALICE.id).includes(`found for “${SEARCH_QUERY}”`),
        HERMES_SEARCH_WAIT_MS,
      );
      await tap(`☐ ${SEARCH_HIT_LABEL}`);
      expect(wizardText(fake, ALICE.id)).toContain(`Hub skills: ${ids.installed}`);
      await tap("◀ Back");
      await say(fake, ALICE, ALICE_DM, `${ids.blocked} ${ids.missing}`);
      await tap("Done");
      await tap("MCP servers");
      await tap("Next");
      await tap("No persona");
      await tap("✓ Create");
      const status = () =>
        fake
          .botMessages(ALICE.id)
          .find((message) => message.text.includes("Hub skills for 'hosted-telegram'"));
      await waitFor(() => status()?.text.includes("Finished:") ?? false, HERMES_INSTALLS_TIMEOUT_MS - 30_000);
      for (const line of expectedFinalLines(server)) expect(status()?.text).toContain(line);
      expect(await hubSkillsHermesLists(path.join(data, "hermes"), "hosted-telegram")).toEqual([
        { name: "arxiv-digest", category: "research", source: "official", trust: "official", enabled: true },
      ]);
    },
    HERMES_INSTALLS_TIMEOUT_MS,
  );
});
