// The Telegram bot, started as `npm start` starts it (startBot, grammY against the local Bot API
// fake), with HERMES_URL + HERMES_TOKEN pointing at a hostile dashboard: whatever the host answers,
// no call to Telegram and no log line holds the token, no call holds an escape, control, C1, bidi
// or zero-width character, one reply is at most TELEGRAM_MAX_MESSAGES_PER_REPLY messages, and the
// bot answers the next command.
import path from "node:path";
import { SHOW_LIST_MAX } from "../../src/app/profile/profile-service.ts";
import { afterEach, describe, expect, it } from "vitest";
import { TELEGRAM_MAX_MESSAGES_PER_REPLY } from "../../src/adapters/telegram/replies.ts";
import type { FakeUser } from "../fakes/fake-telegram.ts";
import { useBots } from "../helpers/bot-fixture.ts";
import {
  type DashboardMode,
  startEchoingDashboard,
  tokenForms,
  unsafeStrings,
  WIDE_MCP_SERVERS,
  WIDE_PROFILE,
} from "../helpers/echoing-dashboard.ts";
import { recordSecret } from "../helpers/leak-ledger.ts";
import { handled } from "../helpers/telegram-bot.ts";

const TOKEN = "surfaces-telegram-dashboard-token-90ac";
const TELEGRAM_TOKEN = "123456:SURFACEStelegramTOKENsurfacesTOKEN";
recordSecret(TELEGRAM_TOKEN);
const ALICE: FakeUser = { id: 7171, first_name: "Alice", username: "alice" };
const ALICE_DM = { id: ALICE.id, type: "private" as const };

// Registered before useBots(), so each host stops after its bot and the bot's fake.
const hosts: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const stop of hosts.splice(0).reverse()) await stop();
});
const bots = useBots();

/** The bot through startBot (the fixture keeps its log), reaching the hostile dashboard only. */
async function telegramBot(mode: DashboardMode) {
  const host = await startEchoingDashboard(mode, TOKEN);
  hosts.push(host.stop);
  const data = await bots.tempDir();
  const { fake, logs } = await bots.telegram({
    data,
    allowedUsers: [ALICE.id],
    env: {
      HOME: path.join(data, "user-home"),
      TELEGRAM_BOT_TOKEN: TELEGRAM_TOKEN,
      HERMES_URL: host.url,
      HERMES_TOKEN: TOKEN,
    },
  });
  /** Sends a message and waits until the bot has handled it (a flood of replies may take a while). */
  const say = async (text: string): Promise<void> => {
    fake.sendText(ALICE, ALICE_DM, text);
    await handled(fake, fake.lastUpdateId, 60_000);
  };
  return { fake, logs, say };
}

type Bot = Awaited<ReturnType<typeof telegramBot>>;

function sentTexts(bot: Bot): string[] {
  return bot.fake.callsOf("sendMessage").map((call) => String(call.params["text"]));
}

function expectNothingUnsafe(bot: Bot): void {
  const calls = JSON.stringify(bot.fake.calls);
  const log = bot.logs();
  for (const form of tokenForms(TOKEN)) {
    expect(calls).not.toContain(form);
    expect(log).not.toContain(form);
  }
  expect(unsafeStrings(bot.fake.calls.map((call) => call.params))).toEqual([]);
}

/** The bot outlived the host's answer: /help, sent next, is answered with the command list. */
async function expectAlive(bot: Bot): Promise<void> {
  const before = sentTexts(bot).length;
  await bot.say("/help");
  expect(sentTexts(bot).slice(before).join("\n")).toContain("/profile_new");
}

describe("GIVEN a Telegram bot whose Hermes dashboard echoes the token it receives into its errors", () => {
  it("WHEN /profile_list fails THEN no call to Telegram and no log line holds the token or the host's escapes, and the bot answers /help", async () => {
    const bot = await telegramBot("echo");
    await bot.say("/profile_list");
    expect(sentTexts(bot).join("\n")).toContain("✗ Hermes at 127.0.0.1");
    expectNothingUnsafe(bot);
    await expectAlive(bot);
    expectNothingUnsafe(bot);
  }, 60_000);
});

describe("GIVEN a Telegram bot whose Hermes dashboard lists 40 profiles of 100 KB names full of escapes", () => {
  it("WHEN /profile_list is sent THEN the answer is at most the allowed messages, none with an unsafe character, and the bot answers /help", async () => {
    const bot = await telegramBot("flood");
    await bot.say("/profile_list");
    const replies = sentTexts(bot);
    expect(replies.length).toBeGreaterThan(0);
    expect(replies.length).toBeLessThanOrEqual(TELEGRAM_MAX_MESSAGES_PER_REPLY);
    expectNothingUnsafe(bot);
    await expectAlive(bot);
  }, 120_000);
});

describe("GIVEN a Telegram bot whose Hermes dashboard holds a profile with 20,000 MCP servers and 5,000 .env keys named with its token and escapes", () => {
  it("WHEN /profile_show is sent THEN the answer is at most the allowed messages, naming the first of each list and how many more, none with the token or an unsafe character, and the bot answers /help", async () => {
    const bot = await telegramBot("wide");
    await bot.say(`/profile_show ${WIDE_PROFILE}`);
    const replies = sentTexts(bot);
    expect(replies[0]).toContain(`Profile '${WIDE_PROFILE}'`);
    expect(replies.length).toBeLessThanOrEqual(TELEGRAM_MAX_MESSAGES_PER_REPLY);
    expect(replies.join("\n")).toContain(`…and ${WIDE_MCP_SERVERS - SHOW_LIST_MAX} more`);
    expectNothingUnsafe(bot);
    await expectAlive(bot);
  }, 120_000);
});
