// Starts the bot through the start-up code `npm start` runs (an unmodified discord.js Client) against
// the fake Discord, and plays a user: slash commands, presses by label, selects by
// option label, modal forms. Each action waits until the bot has answered it.
import { generateKeyPairSync } from "node:crypto";
import { Events } from "discord.js";
import { afterEach, vi } from "vitest";
import { DiscordAdapter } from "../../src/adapters/discord/index.ts";
import type { FakeDiscord } from "../fakes/discord/fake-discord.ts";
import {
  BOT_TOKEN,
  CALLBACK,
  type FakeInteraction,
  type FakeUser,
  type StoredMessage,
} from "../fakes/discord/fake-discord.ts";
import { platformBot, startTestBot, stopTestBot, type RunningPlatformBot } from "./test-bot.ts";

export type RunningDiscordBot = RunningPlatformBot<FakeDiscord, DiscordAdapter>;

export interface DiscordBotOptions {
  readonly data: string;
  readonly fake: FakeDiscord;
  readonly allowedUsers: readonly string[];
  readonly allowedRoles?: readonly string[];
  readonly progressMinIntervalMs?: number;
  /** Benchmarks keep no log lines; by default every line is kept in memory for assertions. */
  readonly quiet?: boolean;
  /** More environment (e.g. INSTALL_COMMAND, HERMES_* for the real Hermes). */
  readonly env?: Record<string, string>;
  /**
   * HTTP interactions mode: the bot starts with DISCORD_PUBLIC_KEY set and its own HTTP server on a
   * free port, and the fake saves its /discord/interactions URL (PING and a bad signature first) and
   * POSTs every interaction there, signed.
   */
  readonly httpInteractions?: boolean;
}

/** The path the HTTP server serves Discord's interactions on. */
export const DISCORD_INTERACTIONS_PATH = "/discord/interactions";

/**
 * Starts the bot exactly as `npm start` does (startTestBot), with Discord's API root pointed at the
 * fake and the data folders in `data`: the adapter, services and store are the production ones.
 * Tests use `useBots().discord` (bot-fixture.ts), which ends it after the test.
 */
export async function startDiscordBot(options: DiscordBotOptions): Promise<RunningDiscordBot> {
  const { data, fake } = options;
  const keys = options.httpInteractions ? generateKeyPairSync("ed25519") : undefined;
  const publicKeyHex = keys
    ? Buffer.from(String(keys.publicKey.export({ format: "jwk" }).x), "base64url").toString("hex")
    : undefined;
  const bot = await startTestBot({
    data,
    env: {
      BLUEPRINT_ADAPTERS: "discord",
      DISCORD_TOKEN: BOT_TOKEN,
      DISCORD_API_ROOT: fake.apiRoot,
      DISCORD_ALLOWED_USERS: options.allowedUsers.join(","),
      DISCORD_ALLOWED_ROLES: (options.allowedRoles ?? []).join(","),
      MODEL_LIST_TIMEOUT_MS: "500",
      PROGRESS_MIN_INTERVAL_MS: String(options.progressMinIntervalMs ?? 300),
      // HTTP interactions: the bot's own HTTP server (as npm start runs it) on a free port.
      ...(publicKeyHex ? { DISCORD_PUBLIC_KEY: publicKeyHex, HTTP_PORT: "0" } : {}),
      ...options.env,
    },
    ...(options.quiet ? { quiet: true } : {}),
    // The fake's clock is the bot's: moving it ages interaction tokens for both sides.
    now: () => fake.now(),
  });
  const adapter = bot.adapters.find((candidate) => candidate instanceof DiscordAdapter);
  if (!adapter) throw new Error("BLUEPRINT_ADAPTERS=discord started no Discord adapter");
  if (keys) {
    if (!bot.http) throw new Error("DISCORD_PUBLIC_KEY set, but the bot started no HTTP server");
    // Ready once start-up learned who the bot is (GET /users/@me): no gateway READY in this mode.
    // (Polled: the fake sees no call after the one whose answer makes it so.)
    await vi.waitFor(
      () => {
        if (adapter.client.user === null)
          throw new Error("the bot has not started in HTTP interactions mode");
      },
      { timeout: 10_000, interval: 20 },
    );
    await fake.useInteractionsEndpoint({
      url: `http://127.0.0.1:${bot.http.port}${DISCORD_INTERACTIONS_PATH}`,
      privateKey: keys.privateKey,
    });
    return platformBot(bot, fake, adapter);
  }
  if (!adapter.client.isReady())
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error("the discord.js client was not ready in 10 s")),
        10_000,
      );
      adapter.client.once(Events.ClientReady, () => {
        clearTimeout(timer);
        resolve();
      });
    });
  return platformBot(bot, fake, adapter);
}

/** Waits until the bot acknowledged the interaction and, if it deferred, showed its answer. */
export async function answered(fake: FakeDiscord, interaction: FakeInteraction): Promise<FakeInteraction> {
  await fake.until(() => interaction.acks.length > 0, 5000, `ack of interaction ${interaction.id}`);
  const first = interaction.acks[0]?.type;
  if (first === CALLBACK.deferUpdate || first === CALLBACK.deferReply) {
    await fake.until(
      () => interaction.firstEditAt !== undefined || interaction.followUps.length > 0,
      15_000,
      `the answer to interaction ${interaction.id}`,
    );
  }
  return interaction;
}

/** One user of the fake Discord, working one ephemeral wizard message. */
export class DiscordTester {
  wizard: string | undefined;

  constructor(
    readonly fake: FakeDiscord,
    readonly user: FakeUser,
    readonly channel: string,
  ) {}

  get message(): StoredMessage {
    const message = this.wizard ? this.fake.messages.get(this.wizard) : undefined;
    if (!message) throw new Error("no wizard message yet");
    return message;
  }

  async command(commandPath: string, options: Record<string, string> = {}): Promise<FakeInteraction> {
    const interaction = await answered(
      this.fake,
      this.fake.command(this.user, this.channel, commandPath, options),
    );
    if (commandPath === "profile new" || commandPath === "show") this.wizard = interaction.messageId;
    return interaction;
  }

  buttonId(label: string, message: StoredMessage = this.message): string {
    for (const row of message.components)
      for (const item of (row["components"] as Record<string, unknown>[] | undefined) ?? [])
        if (item["type"] === 2 && String(item["label"]).startsWith(label)) return String(item["custom_id"]);
    throw new Error(`no button '${label}' in: ${message.content}\n${JSON.stringify(message.components)}`);
  }

  async press(label: string, message: StoredMessage = this.message): Promise<FakeInteraction> {
    return answered(this.fake, this.fake.press(this.user, message.id, this.buttonId(label, message)));
  }

  /** Chooses options by label on the message's select menu (a multi menu gets exactly these). */
  async choose(...labels: string[]): Promise<FakeInteraction> {
    const menu = this.menu();
    const options = menu["options"] as { label: string; value: string }[];
    const values = labels.map((label) => {
      const option = options.find((candidate) => candidate.label.startsWith(label));
      if (!option) throw new Error(`no option '${label}' in ${options.map((o) => o.label).join(" | ")}`);
      return option.value;
    });
    return answered(
      this.fake,
      this.fake.select(this.user, this.message.id, String(menu["custom_id"]), values),
    );
  }

  menu(): Record<string, unknown> {
    for (const row of this.message.components)
      for (const item of (row["components"] as Record<string, unknown>[] | undefined) ?? [])
        if (item["type"] === 3) return item;
    throw new Error(`no select menu in: ${this.message.content}`);
  }

  /** Presses the ✎ button, checks a modal opened, and submits it with these values. */
  async fill(values: Record<string, string>): Promise<FakeInteraction> {
    const opened = await this.press("✎");
    const modal = this.fake.modalOf(opened);
    if (!modal) throw new Error(`the ✎ button did not open a modal (ack ${opened.acks[0]?.type})`);
    return answered(this.fake, this.fake.submitModal(this.user, opened, values));
  }
}

/**
 * Bots a test file starts, each with its fake: after every test the bot ends (stopTestBot) and the
 * fake stops. New tests use `useBots()` (bot-fixture.ts), which also starts the fakes.
 */
export function useDiscordBots(): (bot: RunningDiscordBot, fake: FakeDiscord) => void {
  const running: { bot: RunningDiscordBot; fake: FakeDiscord }[] = [];
  afterEach(async () => {
    for (const { bot, fake } of running.splice(0)) {
      await stopTestBot(bot);
      await fake.stop();
    }
  });
  return (bot, fake) => void running.push({ bot, fake });
}
