// The Discord wizard on a Hermes host, started as `npm start` starts it (discord.js against the
// strict local fake): its hub installs are run by the real pinned Hermes, and the status message
// ends saying what Hermes did with each.
import path from "node:path";
import { describe, expect, it } from "vitest";
import { GENERAL, type FakeUser } from "../fakes/discord/fake-discord.ts";
import { useBots } from "../helpers/bot-fixture.ts";
import { DiscordTester } from "../helpers/discord-bot.ts";
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

const bots = useBots();
const server = await startSkillServer();
const ALICE: FakeUser = { id: "150000000000000043", username: "alice" };

describe("GIVEN the Discord bot beside the real Hermes 0.19", () => {
  it(
    "WHEN three hub skills are created THEN the status message ends as Hermes decided and `hermes skills list` agrees",
    async () => {
      const data = await bots.tempDir();
      const { fake } = await bots.discord({
        data,
        allowedUsers: [ALICE.id],
        progressMinIntervalMs: 200,
        env: hermesHostEnv(data),
      });
      const ids = threeInstalls(server);
      const alice = new DiscordTester(fake, ALICE, GENERAL);
      await alice.command("profile new");
      await alice.fill({ name: "hosted-discord" });
      await alice.press("Next");
      await alice.choose("OpenAI");
      await alice.choose("gpt-4.1");
      await alice.press("Skip");
      // The built-in list is Hermes' bundled tree, not our library.
      const builtins = (alice.menu()["options"] as { label: string }[]).map((option) => option.label);
      expect(builtins).toEqual([...HERMES_BUILTIN_IDS]);
      await alice.press("Optional skills");
      await alice.press("Hub skills");
      await alice.press("🔎 Search the hub");
      await alice.fill({ value: SEARCH_QUERY });
      await fake.until(
        () => alice.message.content.includes(`found for “${SEARCH_QUERY}”`),
        HERMES_SEARCH_WAIT_MS,
        "Hermes' search",
      );
      await alice.choose(SEARCH_HIT_LABEL);
      expect(alice.message.content).toContain(`Hub skills: ${ids.installed}`);
      await alice.press("◀ Back");
      await alice.fill({ value: `${ids.blocked} ${ids.missing}` });
      await alice.press("Done");
      await alice.press("MCP servers");
      await alice.press("Next");
      await alice.press("No persona");
      await alice.press("✓ Create");
      const status = () =>
        [...fake.messages.values()].find((message) =>
          message.content.includes("Hub skills for 'hosted-discord'"),
        );
      await fake.until(
        () => status()?.content.includes("Finished:") ?? false,
        HERMES_INSTALLS_TIMEOUT_MS - 30_000,
        "Hermes' installs to end",
      );
      for (const line of expectedFinalLines(server)) expect(status()?.content).toContain(line);
      expect(fake.violations).toEqual([]);
      expect(await hubSkillsHermesLists(path.join(data, "hermes"), "hosted-discord")).toEqual([
        { name: "arxiv-digest", category: "research", source: "official", trust: "official", enabled: true },
      ]);
    },
    HERMES_INSTALLS_TIMEOUT_MS,
  );
});
