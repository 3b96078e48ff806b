// A skill's key asked in chat the way an MCP server's key is: on Telegram the message holding it is
// deleted once read, on Discord it goes through a modal; neither platform's transcript holds it, and
// Hermes' own readiness check (tools/skills_tool.py skill_view) reports the skill ready afterwards.
import path from "node:path";
import { describe, expect, it } from "vitest";
import { FakeDiscord, GENERAL, type FakeUser as DiscordUser } from "../fakes/discord/fake-discord.ts";
import type { FakeUser as TelegramUser } from "../fakes/fake-telegram.ts";
import { answered, DiscordTester, startDiscordBot, useDiscordBots } from "../helpers/discord-bot.ts";
import {
  hubWithKeyedSkill,
  KEYED_HUB_ENV,
  KEYED_HUB_IDENTIFIER,
  KEYED_HUB_SKILL,
  KEYED_SKILL,
  KEYED_SKILL_ENV,
  KEYED_SKILL_ID,
  libraryWithKeyedSkill,
  skillReadiness,
} from "../helpers/keyed-skill.ts";
import { recordSecret } from "../helpers/leak-ledger.ts";
import { press, say, startTelegramBot, waitFor, wizardText } from "../helpers/telegram-bot.ts";
import { useTempDirs } from "../helpers/temp-dir.ts";

const tempDir = useTempDirs();
const track = useDiscordBots();
const OPENROUTER_KEY = "sk-or-conformance-skillchat-1";
const TELEGRAM_WEATHER_KEY = "wx-conformance-telegram-3";
const DISCORD_WEATHER_KEY = "wx-conformance-discord-4";
for (const secret of [TELEGRAM_WEATHER_KEY, DISCORD_WEATHER_KEY]) recordSecret(secret);
const ALICE_TG: TelegramUser = { id: 4343, first_name: "Alice", username: "alice" };
const ALICE_DC: DiscordUser = { id: "150000000000000043", username: "alice" };

describe("GIVEN a skill that declares a key, and the real Hermes 0.19 as the judge", () => {
  it("WHEN the Telegram wizard asks for the skill's key THEN the message holding it is deleted, no bot message holds it, and Hermes reports the skill ready; a hub skill's key, known after its install, is named on the install status as Hermes names it", async () => {
    const data = await tempDir();
    const library = await libraryWithKeyedSkill(data);
    const hub = await hubWithKeyedSkill(data);
    const bot = await startTelegramBot({
      data,
      allowedUsers: [ALICE_TG.id],
      env: { BLUEPRINT_LIBRARY: library, BLUEPRINT_HUB: hub },
      progressMinIntervalMs: 200,
    });
    try {
      const { fake } = bot;
      const dm = { id: ALICE_TG.id, type: "private" as const };
      const tap = (label: string) => press(fake, ALICE_TG, ALICE_TG.id, label);
      await say(fake, ALICE_TG, dm, "/profile_new");
      await say(fake, ALICE_TG, dm, "skill-tg");
      for (const label of ["Next", "OpenRouter", "anthropic/claude-sonnet-4"]) await tap(label);
      await say(fake, ALICE_TG, dm, OPENROUTER_KEY);
      for (const label of ["Optional skills", `☐ ${KEYED_SKILL_ID}`, "Hub skills"]) await tap(label);
      await say(fake, ALICE_TG, dm, KEYED_HUB_IDENTIFIER);
      await tap("Done");
      expect(wizardText(fake, ALICE_TG.id)).toContain(
        `Send the ${KEYED_SKILL_ENV} for skill ${KEYED_SKILL}.`,
      );
      const key = await say(fake, ALICE_TG, dm, TELEGRAM_WEATHER_KEY);
      expect(fake.messages.get(`${ALICE_TG.id}:${key.message_id}`)?.deleted).toBe(true);
      for (const label of ["Skip (leave empty)", "MCP servers", "Next", "No persona", "✓ Create"])
        await tap(label);
      await waitFor(() =>
        fake.botMessages(ALICE_TG.id).some((message) => message.text.includes("Profile created")),
      );
      await waitFor(
        () =>
          fake
            .botMessages(ALICE_TG.id)
            .some((message) =>
              message.text.includes(
                `Skill keys not set yet (the skills need setup until they are): ${KEYED_HUB_ENV}.`,
              ),
            ),
        30_000,
      );
      expect(JSON.stringify(fake.calls.filter((call) => call.method !== "getUpdates"))).not.toContain(
        TELEGRAM_WEATHER_KEY,
      );
    } finally {
      await bot.close();
    }
    const home = path.join(data, "hermes");
    expect(await skillReadiness(home, path.join(home, "profiles/skill-tg"), KEYED_SKILL)).toEqual({
      readiness_status: "available",
      missing: [],
    });
    expect(await skillReadiness(home, path.join(home, "profiles/skill-tg"), KEYED_HUB_SKILL)).toEqual({
      readiness_status: "setup_needed",
      missing: [KEYED_HUB_ENV],
    });
  }, 120_000);

  it("WHEN the Discord wizard asks for the skill's key THEN it goes through a modal, no message holds it, and Hermes reports the skill ready", async () => {
    const data = await tempDir();
    const library = await libraryWithKeyedSkill(data);
    const fake = new FakeDiscord();
    await fake.start();
    const bot = await startDiscordBot({
      data,
      fake,
      allowedUsers: [ALICE_DC.id],
      env: { BLUEPRINT_LIBRARY: library },
    });
    track(bot, fake);
    const alice = new DiscordTester(fake, ALICE_DC, GENERAL);
    await alice.command("profile new");
    await alice.fill({ name: "skill-dc" });
    await alice.press("Next");
    await alice.choose("OpenRouter");
    await alice.choose("anthropic/claude-sonnet-4");
    await answered(fake, fake.submitModal(alice.user, await alice.press("✎"), { value: OPENROUTER_KEY }));
    await alice.press("Optional skills");
    await alice.choose(KEYED_SKILL_ID);
    await alice.press("Hub skills");
    await alice.press("Done");
    expect(alice.message.content).toContain(`Send the ${KEYED_SKILL_ENV} for skill ${KEYED_SKILL}.`);
    const opened = await alice.press("✎");
    expect(fake.modalOf(opened)).toBeDefined();
    await answered(fake, fake.submitModal(alice.user, opened, { value: DISCORD_WEATHER_KEY }));
    for (const label of ["Skip (leave empty)", "MCP servers", "Next", "No persona", "✓ Create"])
      await alice.press(label);
    await fake.until(() => alice.message.content.includes("Profile created"), 15_000, "the create");
    expect(fake.violations).toEqual([]);
    expect(fake.transcript()).not.toContain(DISCORD_WEATHER_KEY);
    const home = path.join(data, "hermes");
    expect(await skillReadiness(home, path.join(home, "profiles/skill-dc"), KEYED_SKILL)).toEqual({
      readiness_status: "available",
      missing: [],
    });
  }, 120_000);
});
