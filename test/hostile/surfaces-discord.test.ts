// The Discord bot, started as `npm start` starts it (startBot, an unmodified discord.js client
// against the fake Discord), with HERMES_URL + HERMES_TOKEN pointing at a hostile dashboard:
// whatever the host answers, no request to Discord (messages, edits, files) and no log line holds
// the token, none holds an escape, control, C1, bidi or zero-width character, a reply's file is
// bounded, and the bot answers the next command.
import path from "node:path";
import { SHOW_LIST_MAX } from "../../src/app/profile/profile-service.ts";
import { afterEach, describe, expect, it } from "vitest";
import { DISCORD_REPLY_FILE_MAX_CHARS } from "../../src/adapters/discord/replies.ts";
import { BOT_TOKEN, GENERAL, type FakeUser } from "../fakes/discord/fake-discord.ts";
import { useBots } from "../helpers/bot-fixture.ts";
import { answered, type RunningDiscordBot } from "../helpers/discord-bot.ts";
import {
  type DashboardMode,
  startEchoingDashboard,
  tokenForms,
  unsafeStrings,
  WIDE_MCP_SERVERS,
  WIDE_PROFILE,
} from "../helpers/echoing-dashboard.ts";
import { recordSecret } from "../helpers/leak-ledger.ts";

const TOKEN = "surfaces-discord-dashboard-token-1e7f";
recordSecret(BOT_TOKEN);
const ALICE: FakeUser = { id: "1500000000000000071", username: "alice" };

// Registered before useBots(), so each host stops after its bot and the bot's fake.
const hosts: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const stop of hosts.splice(0).reverse()) await stop();
});
const bots = useBots();

async function discordBot(mode: DashboardMode): Promise<RunningDiscordBot> {
  const host = await startEchoingDashboard(mode, TOKEN);
  hosts.push(host.stop);
  const data = await bots.tempDir();
  return bots.discord({
    data,
    allowedUsers: [ALICE.id],
    env: { HOME: path.join(data, "user-home"), HERMES_URL: host.url, HERMES_TOKEN: TOKEN },
  });
}

/** Everything the bot sent to the fake: request bodies and the messages they made, files included. */
function sent(bot: RunningDiscordBot): unknown[] {
  return [bot.fake.calls.map((call) => call.body), [...bot.fake.messages.values()]];
}

function expectNothingUnsafe(bot: RunningDiscordBot): void {
  for (const form of tokenForms(TOKEN)) {
    expect(bot.fake.transcript()).not.toContain(form);
    expect(bot.logs()).not.toContain(form);
  }
  expect(unsafeStrings(sent(bot))).toEqual([]);
}

/** The bot outlived the host's answer: /help, sent next, is answered with the command list. */
async function expectAlive(bot: RunningDiscordBot): Promise<void> {
  const help = await answered(bot.fake, bot.fake.command(ALICE, GENERAL, "help"));
  expect(JSON.stringify(help.acks)).toContain("/profile new");
}

describe("GIVEN a Discord bot whose Hermes dashboard echoes the token it receives into its errors", () => {
  it("WHEN /profile list fails THEN no request to Discord and no log line holds the token or the host's escapes, and the bot answers /help", async () => {
    const bot = await discordBot("echo");
    const list = await answered(bot.fake, bot.fake.command(ALICE, GENERAL, "profile list"));
    expect(bot.fake.original(list)?.content).toContain("✗ Hermes at 127.0.0.1");
    expectNothingUnsafe(bot);
    await expectAlive(bot);
  }, 60_000);
});

describe("GIVEN a Discord bot whose Hermes dashboard lists 40 profiles of 100 KB names full of escapes", () => {
  it("WHEN /profile list is asked THEN any file sent is bounded, nothing sent holds an unsafe character, and the bot answers /help", async () => {
    const bot = await discordBot("flood");
    await answered(bot.fake, bot.fake.command(ALICE, GENERAL, "profile list"));
    for (const message of bot.fake.messages.values())
      for (const file of message.attachments)
        expect(file.content.length).toBeLessThanOrEqual(DISCORD_REPLY_FILE_MAX_CHARS);
    expectNothingUnsafe(bot);
    await expectAlive(bot);
  }, 90_000);
});

describe("GIVEN a Discord bot whose Hermes dashboard holds a profile with 20,000 MCP servers and 5,000 .env keys named with its token and escapes", () => {
  it("WHEN /profile show is asked THEN the answer names the first of each list and how many more, any file is bounded, nothing sent holds the token or an unsafe character, and the bot answers /help", async () => {
    const bot = await discordBot("wide");
    const show = await answered(
      bot.fake,
      bot.fake.command(ALICE, GENERAL, "profile show", { name: WIDE_PROFILE }),
    );
    expect(bot.fake.original(show)?.content).toContain(`Profile '${WIDE_PROFILE}'`);
    const sent = [...bot.fake.messages.values()];
    for (const file of sent.flatMap((message) => message.attachments))
      expect(file.content.length).toBeLessThanOrEqual(DISCORD_REPLY_FILE_MAX_CHARS);
    expect(JSON.stringify(sent)).toContain(`…and ${WIDE_MCP_SERVERS - SHOW_LIST_MAX} more`);
    expectNothingUnsafe(bot);
    await expectAlive(bot);
  }, 90_000);
});
