// Everything the replica tests run against, started once per describe: the strict Telegram and
// Discord fakes, a round-robin proxy in front of N replicas (separate `blueprint start` processes,
// replica-set.ts), one Postgres database they share, and one HERMES_HOME they share (replicas on
// one host, or on a shared volume, see the same profiles root). The fakes deliver to the proxy,
// as Telegram and Discord deliver to a load balancer: Telegram's webhook is the proxy's /telegram
// (each replica's setWebhook names it), Discord's Interactions Endpoint URL its
// /discord/interactions (saved once the replicas answer the portal's PING and bad signature).
import { generateKeyPairSync, type KeyObject } from "node:crypto";
import { mkdir } from "node:fs/promises";
import path from "node:path";
import { BOT_TOKEN, FakeDiscord } from "../fakes/discord/fake-discord.ts";
import { FakeTelegram, type FakeMessage, type FakeUser } from "../fakes/fake-telegram.ts";
import type { Update } from "../fakes/fake-telegram-webhook.ts";
import { adminQuery } from "./postgres-database.ts";
import { ReplicaSet } from "./replica-set.ts";
import { RoundRobinProxy, type LoadBalancer } from "./round-robin-proxy.ts";
import { TELEGRAM_TEST_TOKEN } from "./telegram-bot.ts";

export const WEBHOOK_SECRET = "replicas-webhook-secret_0123456789abcdef";

export interface ClusterOptions {
  readonly replicas: number;
  /** A folder of the test's: the shared HERMES_HOME and each replica's DATA_DIR go under it. */
  readonly root: string;
  readonly databaseUrl: string;
  readonly telegramUsers: readonly number[];
  readonly discordUsers: readonly string[];
  /** More environment for every replica (e.g. INSTALL_COMMAND). */
  readonly env?: Record<string, string>;
  /** More environment for one replica (a mutation check: another DATABASE_URL). */
  readonly envFor?: (index: number) => Record<string, string>;
  /** Arguments for node itself in every replica (bench/load.ts preloads its memory probe). */
  readonly nodeArgs?: readonly string[];
}

/** Makes the proxy in front of the replicas; `targets()` gives their origins once they started. */
export type ProxyMaker<P extends LoadBalancer> = (targets: () => readonly string[]) => P;

export class ReplicaCluster<P extends LoadBalancer = RoundRobinProxy> {
  private constructor(
    readonly telegram: FakeTelegram,
    readonly discord: FakeDiscord,
    readonly proxy: P,
    readonly set: ReplicaSet,
    readonly hermesHome: string,
    readonly databaseUrl: string,
    readonly discordKey: KeyObject,
  ) {}

  /** With the tests' in-process proxy, or (the load benchmark) the proxy `makeProxy` makes. */
  static async start(options: ClusterOptions): Promise<ReplicaCluster>;
  static async start<P extends LoadBalancer>(
    options: ClusterOptions,
    makeProxy: ProxyMaker<P>,
  ): Promise<ReplicaCluster<P>>;
  static async start(
    options: ClusterOptions,
    makeProxy: ProxyMaker<LoadBalancer> = (targets) => new RoundRobinProxy(targets),
  ): Promise<ReplicaCluster<LoadBalancer>> {
    const telegram = new FakeTelegram();
    await telegram.start();
    const discord = new FakeDiscord();
    await discord.start();
    let set: ReplicaSet | undefined;
    const proxy = makeProxy(() => set?.origins ?? []);
    const hermesHome = path.join(options.root, "hermes");
    await mkdir(hermesHome, { recursive: true });
    const keys = generateKeyPairSync("ed25519");
    const publicKeyHex = Buffer.from(
      String(keys.publicKey.export({ format: "jwk" }).x),
      "base64url",
    ).toString("hex");
    try {
      await proxy.start();
      set = await ReplicaSet.start({
        count: options.replicas,
        root: options.root,
        env: {
          DATABASE_URL: options.databaseUrl,
          HERMES_HOME: hermesHome,
          TELEGRAM_BOT_TOKEN: TELEGRAM_TEST_TOKEN,
          TELEGRAM_API_ROOT: telegram.url,
          TELEGRAM_ALLOWED_USERS: options.telegramUsers.join(","),
          TELEGRAM_WEBHOOK_URL: `${proxy.origin}/telegram`,
          TELEGRAM_WEBHOOK_SECRET: WEBHOOK_SECRET,
          DISCORD_TOKEN: BOT_TOKEN,
          DISCORD_API_ROOT: discord.apiRoot,
          DISCORD_ALLOWED_USERS: options.discordUsers.join(","),
          DISCORD_PUBLIC_KEY: publicKeyHex,
          MODEL_LIST_TIMEOUT_MS: "500",
          PROGRESS_MIN_INTERVAL_MS: "300",
          // The "telegram update handled" line (trace) tells which replica ran an update.
          LOG_LEVEL: "trace",
          ...options.env,
        },
        ...(options.envFor ? { envFor: options.envFor } : {}),
        ...(options.nodeArgs ? { nodeArgs: options.nodeArgs } : {}),
        readyWhen: ["HTTP server listening", "Telegram webhook set", "discord ready for HTTP interactions"],
      });
      proxy.targetsChanged();
      // The portal's checks go through the proxy too: PING, then a bad signature that must get 401.
      await discord.useInteractionsEndpoint({
        url: `${proxy.origin}/discord/interactions`,
        privateKey: keys.privateKey,
      });
    } catch (error) {
      await set?.stop();
      await Promise.all([proxy.stop(), telegram.stop(), discord.stop()]);
      throw error;
    }
    return new ReplicaCluster(
      telegram,
      discord,
      proxy,
      set,
      hermesHome,
      options.databaseUrl,
      keys.privateKey,
    );
  }

  async stop(): Promise<void> {
    await this.set.stop();
    await Promise.all([this.proxy.stop(), this.telegram.stop(), this.discord.stop()]);
  }

  /** Replica i's own POST /telegram, bypassing the proxy. */
  telegramUrlOf(index: number): string {
    return `${this.set.at(index).origin}/telegram`;
  }

  /** Rows of one table of the shared database. */
  async rows(sql: string): Promise<Record<string, unknown>[]> {
    const [result] = await adminQuery(this.databaseUrl, sql);
    return (result?.rows ?? []) as Record<string, unknown>[];
  }

  /** The replicas that logged "telegram update handled" for this update. */
  handledBy(updateId: number): number[] {
    return this.set
      .logLines("telegram update handled")
      .filter(({ line }) => line["update_id"] === updateId)
      .map(({ replica }) => replica);
  }

  // ---- a Telegram user, through the proxy ----------------------------------------------------

  /**
   * Waits until the fake's webhook delivery of this update was answered 2xx and a replica finished
   * handling it: a replica answers as soon as it has taken the update, before its effects.
   */
  async acknowledged(updateId: number, timeoutMs = 15_000): Promise<void> {
    await waitUntil(
      () =>
        this.telegram.webhook.deliveries.some(
          (delivery) => delivery.updateId === updateId && delivery.status >= 200 && delivery.status < 300,
        ) && this.handledBy(updateId).length > 0,
      timeoutMs,
      `the webhook delivery of update ${updateId} answered 2xx and handled`,
    );
  }

  async say(user: FakeUser, text: string): Promise<number> {
    this.telegram.sendText(user, { id: user.id, type: "private" }, text);
    const id = this.telegram.lastUpdateId;
    await this.acknowledged(id);
    return id;
  }

  /** Presses the button with this label on the newest keyboard message of the user's private chat. */
  async press(user: FakeUser, label: string): Promise<number> {
    return this.pressIn(user, user.id, label);
  }

  /** Presses the button with this label on the newest keyboard message of any chat (a group). */
  async pressIn(user: FakeUser, chatId: number, label: string): Promise<number> {
    const message = this.wizardMessage(chatId);
    this.telegram.press(user, message, this.telegram.button(message, label));
    const id = this.telegram.lastUpdateId;
    await this.acknowledged(id);
    return id;
  }

  wizardMessage(chatId: number): FakeMessage {
    const message = this.telegram.lastBotMessage(chatId, true);
    if (!message) throw new Error(`no keyboard message in chat ${chatId}`);
    return message;
  }

  /** Whether any of the bot's messages in this chat shows `text` now (a final screen has no keyboard). */
  shows(chatId: number, text: string): boolean {
    return this.telegram.botMessages(chatId).some((message) => message.text.includes(text));
  }

  wizardText(chatId: number): string {
    return this.telegram.lastBotMessage(chatId, true)?.text ?? "";
  }

  /** A press as an update of its own, not queued: the test delivers it (to two replicas at once). */
  pressUpdate(user: FakeUser, label: string): Update {
    const message = this.wizardMessage(user.id);
    return this.telegram.pressUpdate(user, message, this.telegram.button(message, label));
  }
}

/** Polls `condition`; the failure names what was awaited and, when given, what was seen instead. */
export async function waitUntil(
  condition: () => boolean,
  timeoutMs: number,
  what: string,
  seen?: () => string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}${seen ? `; seen instead:\n${seen()}` : ""}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
