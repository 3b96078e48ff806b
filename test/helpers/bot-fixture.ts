// The one fixture of the tests that run the bot in their own process. `useBots()` in a test file
// gives it bots started through the real start-up path (startBot, as `npm start`; never a mock of
// our code) against local fakes of Telegram and Discord, each ready (polling, or its gateway
// connected) when it is returned. After each test, whatever the test started ends in order: every
// bot (newest first) settles its installs and status messages, stops as on SIGTERM and is awaited;
// then the fakes stop; then the temporary folders go to the leak ledger and are removed.
//
//   const bots = useBots();
//   const { fake } = await bots.telegram({ allowedUsers: [ALICE.id] });
//   const bot = await bots.discord({ allowedUsers: [ALICE.id], env: { HERMES_URL: url } });
//   await bots.stop(bot); await bots.discord({ fake: bot.fake, data: bot.data, … }); // a restart
import { afterEach } from "vitest";
import type { FakeDiscord } from "../fakes/discord/fake-discord.ts";
import type { FakeTelegram } from "../fakes/fake-telegram.ts";
import type { DiscordBotOptions, RunningDiscordBot } from "./discord-bot.ts";
import type { RunningTelegramBot, TelegramBotOptions } from "./telegram-bot.ts";
import {
  startTestBot,
  stopTestBot,
  type StoppableBot,
  type TestBot,
  type TestBotOptions,
} from "./test-bot.ts";
import { useTempDirs } from "./temp-dir.ts";

/** A bot's options in the fixture: its data folder and fake default to fresh ones. */
export type UseTelegramOptions = Omit<TelegramBotOptions, "data"> & { readonly data?: string };
export type UseDiscordOptions = Omit<DiscordBotOptions, "data" | "fake"> & {
  readonly data?: string;
  readonly fake?: FakeDiscord;
};
export type UseConsoleOptions = Omit<TestBotOptions, "data"> & { readonly data?: string };
export type FakeDiscordOptions = ConstructorParameters<typeof FakeDiscord>[0];

export interface BotFixture {
  /** A fresh temporary folder, removed after the test (after its bots have ended). */
  readonly tempDir: () => Promise<string>;
  /** A started fake Telegram Bot API, stopped after the test's bots. */
  readonly fakeTelegram: () => Promise<FakeTelegram>;
  /** A started fake Discord, stopped after the test's bots. */
  readonly fakeDiscord: (options?: FakeDiscordOptions) => Promise<FakeDiscord>;
  /** The Telegram bot, polling its fake (a new one unless `fake` is given). */
  readonly telegram: (options: UseTelegramOptions) => Promise<RunningTelegramBot>;
  /** The Discord bot, its discord.js client ready against its fake (a new one unless `fake` is given). */
  readonly discord: (options: UseDiscordOptions) => Promise<RunningDiscordBot>;
  /** The console bot on the given terminal streams. */
  readonly console: (options: UseConsoleOptions) => Promise<TestBot>;
  /** Ends one bot now (before a restart on its data): settled, stopped, awaited. */
  readonly stop: (bot: StoppableBot) => Promise<void>;
}

export function useBots(): BotFixture {
  // Registered first, so that (vitest runs after-hooks last-registered first) the folders are
  // recorded and removed only once the bots using them have ended.
  const tempDir = useTempDirs();
  const bots: StoppableBot[] = [];
  const fakes: { stop: () => Promise<void> }[] = [];
  afterEach(async () => {
    for (const bot of bots.splice(0).reverse()) await stopTestBot(bot);
    for (const fake of fakes.splice(0).reverse()) await fake.stop();
  });
  const started = <T extends StoppableBot>(bot: T): T => {
    bots.push(bot);
    return bot;
  };
  const fakeTelegram = async (): Promise<FakeTelegram> => {
    const { FakeTelegram } = await import("../fakes/fake-telegram.ts");
    const fake = new FakeTelegram();
    await fake.start();
    fakes.push(fake);
    return fake;
  };
  const fakeDiscord = async (options?: FakeDiscordOptions): Promise<FakeDiscord> => {
    const { FakeDiscord } = await import("../fakes/discord/fake-discord.ts");
    const fake = new FakeDiscord(options);
    await fake.start();
    fakes.push(fake);
    return fake;
  };
  return {
    tempDir,
    fakeTelegram,
    fakeDiscord,
    // The platform helpers are loaded when first used: a Telegram test need not load discord.js.
    telegram: async (options) => {
      const { startTelegramBot } = await import("./telegram-bot.ts");
      return started(
        await startTelegramBot({
          ...options,
          data: options.data ?? (await tempDir()),
          fake: options.fake ?? (await fakeTelegram()),
        }),
      );
    },
    discord: async (options) => {
      const { startDiscordBot } = await import("./discord-bot.ts");
      return started(
        await startDiscordBot({
          ...options,
          data: options.data ?? (await tempDir()),
          fake: options.fake ?? (await fakeDiscord()),
        }),
      );
    },
    console: async (options) =>
      started(await startTestBot({ ...options, data: options.data ?? (await tempDir()) })),
    stop: stopTestBot,
  };
}
