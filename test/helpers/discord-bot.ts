// Starts the real bot stack (store, personas, runner, DiscordAdapter with an unmodified discord.js
// Client) against the fake Discord, and plays a user: slash commands, presses by label, selects by
// option label, modal forms. Each action waits until the bot has answered it.
import path from "node:path";
import { Events } from "discord.js";
import type { Logger } from "pino";
import { DiscordAdapter } from "../../src/adapters/discord/index.ts";
import { CommandRouter, OPEN_ACCESS } from "../../src/app/command-router.ts";
import { ProfileService } from "../../src/app/profile/profile-service.ts";
import { installCommandFor } from "../../src/app/install/install-command-template.ts";
import { PersonaService } from "../../src/app/persona/persona-service.ts";
import { SessionStore } from "../../src/app/session-store.ts";
import { WizardRunner } from "../../src/app/wizard-runner.ts";
import type { FakeDiscord } from "../fakes/discord/fake-discord.ts";
import {
  BOT_TOKEN,
  CALLBACK,
  type FakeInteraction,
  type FakeUser,
  type StoredMessage,
} from "../fakes/discord/fake-discord.ts";
import { shippedLibrary } from "./catalog.ts";
import { REPO_ROOT } from "./cli.ts";
import { memoryLogger } from "./silent-logger.ts";

export interface RunningDiscordBot {
  readonly fake: FakeDiscord;
  readonly adapter: DiscordAdapter;
  readonly runner: WizardRunner;
  readonly store: SessionStore;
  readonly data: string;
  readonly logs: () => string;
  readonly done: Promise<void>;
}

export interface DiscordBotOptions {
  readonly data: string;
  readonly fake: FakeDiscord;
  readonly allowedUsers: readonly string[];
  readonly allowedRoles?: readonly string[];
  readonly installs?: boolean;
  readonly progressMinIntervalMs?: number;
  /** A logger of the caller's (benchmarks pass a silent one); default: kept in memory for assertions. */
  readonly logger?: Logger;
}

export async function startDiscordBot(options: DiscordBotOptions): Promise<RunningDiscordBot> {
  const { data, fake } = options;
  const memory = memoryLogger();
  const logger = options.logger ?? memory.logger;
  const store = await SessionStore.open(path.join(data, "store.json"), logger, { flushDelayMs: 5 });
  const hermesHome = path.join(data, "hermes");
  const profilesRoot = path.join(hermesHome, "profiles");
  const personas = await PersonaService.open({
    store,
    hermesHome,
    profilesRoot,
    personasDir: path.join(REPO_ROOT, "library/personas"),
    logger,
  });
  const profiles = new ProfileService({ store, profilesRoot, logger });
  const runner = new WizardRunner({
    profiles,
    store,
    library: await shippedLibrary(),
    logger,
    hermesHome,
    profilesRoot,
    modelListTimeoutMs: 500,
    personas,
    ...(options.installs
      ? {
          installs: {
            command: installCommandFor({}),
            concurrency: 2,
            timeoutMs: 60_000,
            progressMinIntervalMs: options.progressMinIntervalMs ?? 300,
          },
        }
      : {}),
  });
  const adapter = new DiscordAdapter(
    runner,
    new CommandRouter(personas, OPEN_ACCESS, profiles),
    {
      token: BOT_TOKEN,
      apiRoot: fake.apiRoot,
      allowedUsers: new Set(options.allowedUsers),
      allowedRoles: new Set(options.allowedRoles ?? []),
    },
    logger,
  );
  const ready = new Promise((resolve) => adapter.client.once(Events.ClientReady, resolve));
  const done = adapter.run();
  await ready;
  await runner.restoreAll();
  return { fake, adapter, runner, store, data, logs: () => memory.lines.join("\n"), done };
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
