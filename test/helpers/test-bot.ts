// A bot started in the test's own process through the start-up code `npm start` runs (startBot):
// the environment every test bot shares (its data and Hermes home in one folder, our library, its
// log kept in memory for assertions and the leak ledger), and the one way a test bot ends.
import path from "node:path";
import type { RunningBot } from "../../src/main/assemble-bot.ts";
import { startBot } from "../../src/main/start-bot.ts";
import { REPO_ROOT } from "./cli.ts";
import { memorySink } from "./silent-logger.ts";

export interface TestBotOptions {
  /** The bot's data folder (DATA_DIR, its working directory, HERMES_HOME beneath it). */
  readonly data: string;
  /** More environment, over the defaults (adapters, tokens, API roots, HERMES_* …). */
  readonly env?: Record<string, string>;
  /** Benchmarks keep no log lines; by default every line is kept in memory at trace level. */
  readonly quiet?: boolean;
  /** The bot's clock (startBot's `now`). */
  readonly now?: () => number;
  /** The console adapter's terminal. */
  readonly stdin?: NodeJS.ReadableStream;
  readonly stdout?: NodeJS.WritableStream;
  readonly isTTY?: boolean;
}

export interface TestBot extends RunningBot {
  readonly data: string;
  /** The bot's log lines so far (JSON, one a line). */
  readonly logLines: readonly string[];
}

/** Starts the bot exactly as `npm start` does, with only the environment a test gives it. */
export async function startTestBot(options: TestBotOptions): Promise<TestBot> {
  const { data } = options;
  const logs = memorySink();
  const bot = await startBot({
    cwd: data,
    env: {
      // Only what the test sets: no platform tokens or config leak in from the developer's shell.
      PATH: process.env["PATH"] ?? "",
      HOME: process.env["HOME"] ?? "/tmp",
      HERMES_HOME: path.join(data, "hermes"),
      DATA_DIR: data,
      BLUEPRINT_LIBRARY: path.join(REPO_ROOT, "library"),
      LOG_LEVEL: options.quiet ? "silent" : "trace",
      ...options.env,
    },
    logDestination: logs.stream,
    ...(options.now ? { now: options.now } : {}),
    ...(options.stdin ? { stdin: options.stdin } : {}),
    ...(options.stdout ? { stdout: options.stdout } : {}),
    ...(options.isTTY !== undefined ? { isTTY: options.isTTY } : {}),
  });
  return { ...bot, data, logLines: logs.lines };
}

/** A platform bot a test talks to through a fake: the fake, the adapter, and the bot's parts. */
export interface RunningPlatformBot<Fake, Adapter> extends Pick<
  RunningBot,
  "runtime" | "runner" | "store" | "stop" | "done"
> {
  readonly fake: Fake;
  readonly adapter: Adapter;
  readonly data: string;
  /** The bot's log so far. */
  readonly logs: () => string;
}

/** What a platform helper hands on of a started bot, with its fake and adapter. */
export function platformBot<Fake, Adapter>(
  bot: TestBot,
  fake: Fake,
  adapter: Adapter,
): RunningPlatformBot<Fake, Adapter> {
  const { runtime, runner, store, data, stop, done } = bot;
  return { fake, adapter, runtime, runner, store, data, logs: () => bot.logLines.join("\n"), stop, done };
}

/** What ending a bot needs of it. */
export type StoppableBot = Pick<RunningBot, "runtime" | "stop" | "done">;

/**
 * Ends a bot the way every test ends one: its installs and status messages settle, it stops as on
 * SIGTERM (adapters stopped, store flushed), and its end is awaited. Stopping twice is harmless.
 */
export async function stopTestBot(bot: StoppableBot): Promise<void> {
  await bot.runtime.settled();
  await bot.stop();
  await bot.done;
}
