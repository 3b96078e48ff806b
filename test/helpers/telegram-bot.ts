// Starts the bot through the start-up code `npm start` runs (startBot) with Telegram's Bot API root
// pointed at the local fake, and plays a user: text, button presses by label. Each action waits
// until grammY has handled it (its next getUpdates call). With `webhook`, the bot runs in webhook
// mode instead: its HTTP server on a free loopback port, registered with the fake as the webhook.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { TelegramAdapter } from "../../src/adapters/telegram/index.ts";
import { FakeTelegram, type FakeMessage, type FakeUser } from "../fakes/fake-telegram.ts";
import { platformBot, startTestBot, type RunningPlatformBot } from "./test-bot.ts";

export const TELEGRAM_TEST_TOKEN = "123456:TESTtokenTESTtokenTESTtokenTESTtoken";

export interface RunningTelegramBot extends RunningPlatformBot<FakeTelegram, TelegramAdapter> {
  /** Stops the bot, waits for its end, and stops the fake it started. */
  readonly close: () => Promise<void>;
  /** In webhook mode: the bot's HTTP server (http://127.0.0.1:<port>), its /telegram the webhook. */
  readonly httpUrl?: string;
}

export interface TelegramBotOptions {
  readonly data: string;
  /** A running fake to reuse (a restart); by default a new one is started and stopped by close(). */
  readonly fake?: FakeTelegram;
  readonly allowedUsers: readonly number[];
  readonly progressMinIntervalMs?: number;
  /** More environment (e.g. HERMES_* for the real Hermes, another TELEGRAM_BOT_TOKEN). */
  readonly env?: Record<string, string>;
  /**
   * Webhook mode with this secret: TELEGRAM_WEBHOOK_URL is the bot's own POST /telegram on `port`
   * (a free loopback port by default; a restart passes the one it had).
   */
  readonly webhook?: { readonly secret: string; readonly port?: number };
}

/** The log lines of each running bot, by its fake: `say` and `press` wait for "telegram update handled". */
const logsByFake = new WeakMap<FakeTelegram, readonly string[]>();

/**
 * Starts the bot through the start-up code `npm start` runs (startTestBot) with Telegram's Bot API
 * root pointed at the fake, and waits until it polls. Tests use `useBots().telegram` (bot-fixture.ts),
 * which ends it after the test.
 */
export async function startTelegramBot(options: TelegramBotOptions): Promise<RunningTelegramBot> {
  const { data } = options;
  const fake = options.fake ?? new FakeTelegram();
  if (!options.fake) await fake.start();
  const pollsBefore = fake.callsOf("getUpdates").length;
  const webhooksBefore = fake.callsOf("setWebhook").length;
  const port = options.webhook ? (options.webhook.port ?? (await freeLoopbackPort())) : undefined;
  const httpUrl = port !== undefined ? `http://127.0.0.1:${port}` : undefined;
  const webhookEnv: Record<string, string> =
    options.webhook && httpUrl
      ? {
          HTTP_PORT: String(port),
          TELEGRAM_WEBHOOK_URL: `${httpUrl}/telegram`,
          TELEGRAM_WEBHOOK_SECRET: options.webhook.secret,
        }
      : {};
  const bot = await startTestBot({
    data,
    env: {
      BLUEPRINT_ADAPTERS: "telegram",
      TELEGRAM_BOT_TOKEN: TELEGRAM_TEST_TOKEN,
      TELEGRAM_API_ROOT: fake.url,
      TELEGRAM_ALLOWED_USERS: options.allowedUsers.join(","),
      MODEL_LIST_TIMEOUT_MS: "500",
      PROGRESS_MIN_INTERVAL_MS: String(options.progressMinIntervalMs ?? 300),
      ...webhookEnv,
      ...options.env,
    },
  });
  logsByFake.set(fake, bot.logLines);
  const adapter = bot.adapters.find((candidate) => candidate instanceof TelegramAdapter);
  if (!adapter) throw new Error("BLUEPRINT_ADAPTERS=telegram started no Telegram adapter");
  if (options.webhook) await waitFor(() => fake.callsOf("setWebhook").length > webhooksBefore);
  else await waitFor(() => fake.callsOf("getUpdates").length > pollsBefore);
  const close = async () => {
    await bot.stop();
    await bot.done;
    if (!options.fake) await fake.stop();
  };
  return { ...platformBot(bot, fake, adapter), close, ...(httpUrl ? { httpUrl } : {}) };
}

/** A loopback port free right now (the system's pick), for a bot whose webhook URL must name it. */
async function freeLoopbackPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

export async function waitFor(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("timed out waiting");
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Sends text, then waits until the bot has handled it. */
export async function say(
  fake: FakeTelegram,
  user: FakeUser,
  chat: FakeMessage["chat"],
  text: string,
  replyTo?: FakeMessage,
): Promise<FakeMessage> {
  const sent = fake.sendText(user, chat, text, replyTo);
  await handled(fake, fake.lastUpdateId);
  return sent;
}

/** Presses the button with this label on the chat's newest keyboard, then waits until it is handled. */
export async function press(
  fake: FakeTelegram,
  user: FakeUser,
  chatId: number,
  label: string,
): Promise<string> {
  const message = fake.lastBotMessage(chatId, true);
  if (!message) throw new Error("no keyboard message");
  const id = fake.press(user, message, fake.button(message, label));
  await handled(fake, fake.lastUpdateId);
  return id;
}

/**
 * Waits for the bot's "telegram update handled" log line of this update. Updates are handled
 * concurrently, so "it polled again" no longer means "it is done".
 */
export async function handled(fake: FakeTelegram, updateId: number, timeoutMs = 10_000): Promise<void> {
  const lines = logsByFake.get(fake);
  if (!lines) throw new Error("no bot started by startTelegramBot serves this fake");
  const marker = `"update_id":${updateId},`;
  let scanned = 0;
  await waitFor(() => {
    for (; scanned < lines.length; scanned += 1)
      if (lines[scanned]?.includes(marker) && lines[scanned]?.includes("telegram update handled"))
        return true;
    return false;
  }, timeoutMs);
}

export const wizardText = (fake: FakeTelegram, chatId: number): string =>
  fake.lastBotMessage(chatId, true)?.text ?? "";
