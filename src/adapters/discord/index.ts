// The Discord surface through discord.js: slash commands from the command table, the wizard in an
// ephemeral reply edited in place (select menus, buttons, modals for text and secrets), and the
// install status as a normal channel message edited with the bot token (interaction tokens die
// after 15 minutes). One permanent interactionCreate handler routes by custom_id prefix, so every
// button keeps working after a restart. Every interaction is acknowledged once, before slow work.
import {
  Client,
  Events,
  GatewayIntentBits,
  MessageFlags,
  PermissionFlagsBits,
  REST,
  Routes,
  type AutocompleteInteraction,
  type PermissionsBitField,
  type BaseInteraction,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  type ModalSubmitInteraction,
  type RepliableInteraction,
  type StringSelectMenuInteraction,
} from "discord.js";
import type { PortResult } from "../../app/ports/wizard-output.ts";
import { Agent } from "undici";
import { withStartupRetries } from "../../app/net/startup-retry.ts";
import type { Logger } from "../../app/system/logger.ts";
import type { ChatRuntime } from "../../app/ports/chat-runtime.ts";
import type { WizardOutput } from "../../app/ports/wizard-output.ts";
import { parseButtonToken, type ButtonPress } from "../../core/tokens/button-token.ts";
import { describe } from "../../core/messages.ts";
import type { View } from "../../core/view.ts";
import type { Actor, WizardState } from "../../core/wizard/index.ts";
import { isAllowed, isServerAdmin, refusalFor, type DiscordAccess } from "./access.ts";
import { discordActor, helpText, parseInteractionCommand, suggestionsFor } from "./inbound.ts";
import { FATAL_CLOSES, fatalLoginError } from "./gateway.ts";
import {
  channelRefusal,
  dmRefusalOf,
  NO_MENTIONS,
  portError,
  STATUS_MAX_RATE_LIMIT_WAIT_MS,
} from "./status.ts";
import {
  DISCORD_GLOBAL_REQUESTS_PER_SECOND,
  INTERACTION_REQUESTS_PER_SECOND,
  DISCORD_ACK_BUDGET_MS,
  INTERACTION_TOKEN_USABLE_MS,
  REST_HANDLER_SWEEP_MS,
  DISCORD_REST_KEEP_ALIVE_MS,
  DISCORD_REST_MAX_CONNECTIONS,
  REST_HASH_LIFETIME_MS,
} from "./limits.ts";
import type { Redactor } from "../shared/outbound-text.ts";
import { guardedMakeRequest } from "./outbound-guard.ts";
import { INPUT_ACTION, renderDiscordView, renderModal, SINGLE_FIELD } from "./outbound.ts";
import { sendReply } from "./replies.ts";

export interface DiscordOptions extends DiscordAccess {
  readonly token: string;
  /** discord.js's REST base URL (`DISCORD_API_ROOT`); unset: Discord's own. */
  readonly apiRoot?: string;
  /** The clock interaction tokens are aged by (tests pass the fake Discord's). */
  readonly now?: () => number;
  /** The bot's secrets: redacted from everything sent to Discord. */
  readonly secrets?: Redactor;
}

/** Commands whose answer the whole channel should see; everything else answers only the caller. */
const PUBLIC_INTENTS = new Set(["persona.apply", "persona.sync", "persona.clear", "profile.use"]);

// Names tests and main import from the adapter's entry point.
export { discordActor } from "./inbound.ts";
export { STATUS_MAX_RATE_LIMIT_WAIT_MS } from "./status.ts";
/** What a user sees when handling their interaction failed after it was acknowledged. */
const SOMETHING_WENT_WRONG =
  "Something went wrong on my side and this was not done. Please try again; /show brings an open wizard back.";

export class DiscordAdapter implements WizardOutput {
  readonly client: Client;
  readonly #botRest: REST;
  /** One bounded socket pool for both REST clients. */
  readonly #agent: Agent;
  /** The newest interaction of each wizard: its token edits the ephemeral wizard message. */
  readonly #live = new Map<string, RepliableInteraction>();
  /** Each user's newest interaction per channel: a way to tell them privately while its token lives. */
  readonly #recent = new Map<string, RepliableInteraction>();
  /** What each channel's newest interaction said the bot may do there (app_permissions). */
  readonly #appPermissions = new Map<string, Readonly<PermissionsBitField>>();
  /** Interactions answered with deferReply: a failure afterwards edits that reply (WeakSet: no leak). */
  readonly #deferredReplies = new WeakSet<RepliableInteraction>();
  readonly #now: () => number;
  /** When each interaction reached the bot, by its clock: a token's age counts from here. */
  readonly #receivedAt = new WeakMap<BaseInteraction, number>();
  #prunedAt: number;
  #stopped: (() => void) | undefined;

  constructor(
    private readonly runtime: ChatRuntime,
    private readonly options: DiscordOptions,
    private readonly logger: Logger,
  ) {
    this.#now = options.now ?? Date.now;
    this.#prunedAt = this.#now();
    const api = options.apiRoot ? { api: options.apiRoot } : {};
    // Both REST clients send through the guard: nothing reaches Discord that was not made safe.
    const makeRequest = guardedMakeRequest(options.secrets);
    this.#agent = new Agent({
      connections: DISCORD_REST_MAX_CONNECTIONS,
      keepAliveTimeout: DISCORD_REST_KEEP_ALIVE_MS,
    });
    // Interactions go through the client's REST; status messages through a second REST that keeps
    // Discord's 50/s global limit (interactions are exempt from it, bot-token routes are not).
    this.client = new Client({
      intents: [GatewayIntentBits.Guilds],
      // Replies quote what users and installers wrote: nothing in them may ping anyone.
      allowedMentions: { parse: [] },
      rest: {
        ...api,
        agent: this.#agent,
        makeRequest,
        globalRequestsPerSecond: INTERACTION_REQUESTS_PER_SECOND,
        handlerSweepInterval: REST_HANDLER_SWEEP_MS,
        hashSweepInterval: REST_HANDLER_SWEEP_MS,
        hashLifetime: REST_HASH_LIFETIME_MS,
      },
    });
    this.#botRest = new REST({
      ...api,
      agent: this.#agent,
      makeRequest,
      globalRequestsPerSecond: DISCORD_GLOBAL_REQUESTS_PER_SECOND,
      // A wait longer than this (slow mode answers 429 with retry_after up to six hours) is not
      // slept through: the call fails and the status message goes elsewhere.
      rejectOnRateLimit: (limit) => limit.retryAfter > STATUS_MAX_RATE_LIMIT_WAIT_MS,
    }).setToken(options.token);
    this.client.on(Events.InteractionCreate, (interaction) => void this.#onInteraction(interaction));
    this.client.on(Events.Error, (error) =>
      this.logger.error({ reason: error.message }, "discord client error"),
    );
  }

  /** Logs in and serves until stopped. */
  async run(): Promise<void> {
    const stopped = new Promise<void>((resolve) => (this.#stopped = resolve));
    const ready = new Promise<void>((resolve) => this.client.once(Events.ClientReady, () => resolve()));
    // First reach Discord at all (bounded, logged retries), so an unreachable API ends in a clear
    // message and exit code 3 rather than a raw ECONNREFUSED stack.
    const address = this.options.apiRoot ?? "https://discord.com/api";
    try {
      await withStartupRetries(
        { platform: "Discord", address, variable: "DISCORD_API_ROOT" },
        () => this.#botRest.get(Routes.gatewayBot()),
        this.logger,
      );
      await this.client.login(this.options.token);
    } catch (error) {
      throw fatalLoginError(error);
    }
    await ready;
    this.logger.info({ user: this.client.user?.tag }, "discord ready");
    // A fatal close later on (the token revoked while running) ends the bot the same way.
    const fatal = new Promise<never>((_resolve, reject) =>
      this.client.on(Events.ShardDisconnect, (event) => {
        const message = FATAL_CLOSES[event.code];
        if (message) reject(fatalLoginError(new Error(message)));
      }),
    );
    await Promise.race([stopped, fatal]);
  }

  async stop(): Promise<void> {
    await this.client.destroy();
    await this.#agent.close();
    this.#stopped?.();
  }

  // ---- WizardOutput ---------------------------------------------------------------------------

  async render(state: WizardState, view: View): Promise<void> {
    const live = this.#live.get(state.id);
    if (!live || this.#age(live) > INTERACTION_TOKEN_USABLE_MS) {
      // No usable token (after a restart, or 14 minutes idle): the next press or /show shows it.
      this.logger.debug({ session: state.id }, "no live interaction to show the wizard on");
      return;
    }
    try {
      await live.editReply(renderDiscordView(view));
    } catch (error) {
      this.logger.warn({ session: state.id, reason: (error as Error).message }, "could not edit the wizard");
    }
    if (view.final) this.#live.delete(state.id);
  }

  async notify(state: WizardState, actorId: string, text: string): Promise<void> {
    const live = this.#live.get(state.id);
    if (live && discordActor(live.user).id === actorId)
      await live.followUp({ content: text, flags: MessageFlags.Ephemeral }).catch(() => undefined);
  }

  /**
   * The install status message: in the channel of the create, or — where the bot may not post
   * there (no permission as the last interaction reported it, an archived thread, slow mode) — in
   * the owner's DMs. Where DMs are refused too, the owner is told through the interaction they
   * still hold, and the reporter stops asking: refusals count toward Discord's invalid-request limit.
   */
  async sendStatus(chat: string, view: View, owner?: Actor): Promise<PortResult> {
    const body = { ...renderDiscordView(view), allowed_mentions: NO_MENTIONS };
    const userId = owner?.id.startsWith("dc:") ? owner.id.slice(3) : undefined;
    let why = "the bot may not send messages in this channel";
    if (this.#mayPost(chat)) {
      try {
        const sent = (await this.#botRest.post(Routes.channelMessages(chat), { body })) as { id: string };
        return { ok: true, ref: sent.id };
      } catch (error) {
        const refusal = channelRefusal(error);
        if (!refusal) return portError(error);
        why = refusal;
      }
    }
    if (!userId) return { ok: false, kind: "refused", message: why };
    try {
      const dm = (await this.#botRest.post(Routes.userChannels(), { body: { recipient_id: userId } })) as {
        id: string;
      };
      const sent = (await this.#botRest.post(Routes.channelMessages(dm.id), { body })) as { id: string };
      return { ok: true, ref: `${dm.id}/${sent.id}` };
    } catch (dmError) {
      const dmRefusal = dmRefusalOf(dmError);
      if (!dmRefusal) return portError(dmError);
      await this.#tellOwner(userId, chat, `${why}, and ${dmRefusal}`);
      return { ok: false, kind: "refused", message: `${why}; ${dmRefusal}` };
    }
  }

  /** False when the channel's last interaction said the bot lacks Send Messages there. */
  #mayPost(chat: string): boolean {
    const permissions = this.#appPermissions.get(chat);
    return permissions === undefined || permissions.has(PermissionFlagsBits.SendMessages);
  }

  /** A private word to the owner through an interaction of theirs in that channel, while it lives. */
  async #tellOwner(userId: string, chat: string, why: string): Promise<void> {
    const held = this.#recent.get(`${userId}:${chat}`);
    const text = `I cannot show the install progress: ${why}. The installs go on; /installs status shows how they stand.`;
    if (held) await held.followUp({ content: text, flags: MessageFlags.Ephemeral }).catch(() => undefined);
    this.logger.warn({ chat, user: userId, reason: why }, "install status has nowhere to go");
  }

  async editStatus(chat: string, ref: string, view: View): Promise<PortResult> {
    const [channel, message] = ref.includes("/") ? ref.split("/") : [chat, ref];
    try {
      await this.#botRest.patch(Routes.channelMessage(channel ?? chat, message ?? ref), {
        body: { ...renderDiscordView(view), allowed_mentions: NO_MENTIONS },
      });
      return { ok: true };
    } catch (error) {
      return portError(error);
    }
  }

  /** The interaction whose token now shows this wizard; abandoned wizards' ones are pruned. */
  #remember(sessionId: string, interaction: RepliableInteraction): void {
    this.#live.set(sessionId, interaction);
    const now = this.#now();
    if (now - this.#prunedAt < LIVE_PRUNE_INTERVAL_MS) return;
    this.#prunedAt = now;
    for (const [id, held] of this.#live)
      if (this.#age(held) > INTERACTION_TOKEN_USABLE_MS) this.#live.delete(id);
    for (const [key, held] of this.#recent)
      if (this.#age(held) > INTERACTION_TOKEN_USABLE_MS) this.#recent.delete(key);
  }

  // ---- inbound --------------------------------------------------------------------------------

  /** How long ago the bot received this interaction (its token lives 15 minutes from about then). */
  #age(interaction: BaseInteraction): number {
    return this.#now() - (this.#receivedAt.get(interaction) ?? interaction.createdTimestamp);
  }

  async #onInteraction(interaction: BaseInteraction): Promise<void> {
    this.#receivedAt.set(interaction, this.#now());
    // The click time is in the interaction's id; past the budget an answer cannot arrive in time.
    const age = this.#now() - interaction.createdTimestamp;
    if (age > DISCORD_ACK_BUDGET_MS) {
      this.logger.info({ age, type: interaction.type }, "interaction too old to answer in time; left alone");
      return;
    }
    if (interaction.channelId && interaction.appPermissions)
      this.#appPermissions.set(interaction.channelId, interaction.appPermissions);
    if (interaction.isRepliable() && interaction.channelId)
      this.#recent.set(`${interaction.user.id}:${interaction.channelId}`, interaction);
    try {
      if (interaction.isAutocomplete()) return await this.#onAutocomplete(interaction);
      if (!interaction.isRepliable()) return;
      if (!isAllowed(this.options, interaction) && !this.#ownsTarget(interaction)) {
        await interaction.reply({ content: refusalFor(interaction), flags: MessageFlags.Ephemeral });
        return;
      }
      if (interaction.isChatInputCommand()) return await this.#onCommand(interaction);
      if (interaction.isButton()) return await this.#onButton(interaction);
      if (interaction.isStringSelectMenu()) return await this.#onSelect(interaction);
      if (interaction.isModalSubmit()) return await this.#onModal(interaction);
    } catch (error) {
      this.logger.error(
        { reason: (error as Error).message, type: interaction.type },
        "discord interaction failed",
      );
      if (!interaction.isRepliable()) return;
      if (!interaction.replied && !interaction.deferred) {
        await interaction
          .reply({ content: SOMETHING_WENT_WRONG, flags: MessageFlags.Ephemeral })
          .catch(() => undefined);
      } else if (this.#deferredReplies.has(interaction)) {
        // The user is looking at "thinking…": the deferred reply itself must say what happened.
        await interaction.editReply({ content: SOMETHING_WENT_WRONG, components: [] }).catch(() => undefined);
      } else {
        // After deferUpdate the message shows no loading state; the presser is told privately.
        await interaction
          .followUp({ content: SOMETHING_WENT_WRONG, flags: MessageFlags.Ephemeral })
          .catch(() => undefined);
      }
    }
  }

  /**
   * A button, select or form of the presser's own wizard or install group. DM interactions carry no
   * member and so no roles: someone allowed by DISCORD_ALLOWED_ROLES must still reach their own
   * install status when it was sent to their DMs.
   */
  #ownsTarget(interaction: BaseInteraction): boolean {
    if (!interaction.isMessageComponent() && !interaction.isModalSubmit()) return false;
    return this.runtime.ownerOf(interaction.customId) === discordActor(interaction.user).id;
  }

  async #onCommand(interaction: ChatInputCommandInteraction): Promise<void> {
    const command = parseInteractionCommand(interaction);
    if (!command) {
      await interaction.reply({
        content: "I do not know that command. Try /help.",
        flags: MessageFlags.Ephemeral,
      });
      return;
    }
    const actor = discordActor(interaction.user);
    const chat = interaction.channelId;
    if (command.entry.admin && !isServerAdmin(interaction)) {
      await interaction.reply({
        content: "Only server admins (Manage Server) can run this.",
        flags: MessageFlags.Ephemeral,
      });
      return;
    }
    const intent = command.entry.intent;
    if (intent === "help") {
      await interaction.reply({ content: helpText(), flags: MessageFlags.Ephemeral });
      return;
    }
    const ephemeral = !PUBLIC_INTENTS.has(intent);
    await interaction.deferReply(ephemeral ? { flags: MessageFlags.Ephemeral } : {});
    this.#deferredReplies.add(interaction);
    const outcome = await this.runtime.command(
      command,
      { actor, surface: "discord", chat },
      {
        spell: (path) => `/${path}`,
        // The wizard a command starts or shows is drawn in that command's own (deferred) reply.
        beforeWizardShown: (sessionId) => this.#remember(sessionId, interaction),
      },
    );
    switch (outcome.kind) {
      case "wizard":
        if (outcome.note) await interaction.editReply(outcome.note);
        return;
      case "reply":
        await sendReply(interaction, outcome.reply, ephemeral);
        return;
      case "help":
        await interaction.editReply(helpText());
        return;
    }
  }

  async #onAutocomplete(interaction: AutocompleteInteraction): Promise<void> {
    // Autocomplete cannot be deferred: answer from memory and one directory listing, at most 25.
    const choices = isAllowed(this.options, interaction)
      ? await suggestionsFor(interaction, this.runtime)
      : [];
    await interaction.respond(choices);
  }

  async #onButton(interaction: ButtonInteraction): Promise<void> {
    const token = interaction.customId;
    const actor = discordActor(interaction.user);
    const parsed = parseButtonToken(token);
    if (!parsed.ok) {
      // Install, persona and profile buttons: their answer goes to the presser only.
      await interaction.deferReply({ flags: MessageFlags.Ephemeral });
      this.#deferredReplies.add(interaction);
      const result = await this.runtime.press(token, actor);
      await sendReply(interaction, result.reply ?? { ok: result.ok, text: result.message ?? "Done." }, true);
      return;
    }
    const session = await this.#ownedSession(interaction, parsed.value.sessionId);
    if (!session) return;
    if (parsed.value.action === INPUT_ACTION && parsed.value.rev === session.rev) {
      // A modal must be the first response: it is shown before anything else is awaited.
      const modal = renderModal((await this.runtime.currentView(session.id)) ?? emptyView(session));
      if (modal) return void (await interaction.showModal(modal));
    }
    await interaction.deferUpdate();
    this.#remember(session.id, interaction);
    await this.#tellFailure(interaction, await this.runtime.press(token, actor));
  }

  async #onSelect(interaction: StringSelectMenuInteraction): Promise<void> {
    const claimed = await this.#claim(interaction);
    if (!claimed) return;
    await interaction.deferUpdate();
    this.#remember(claimed.session.id, interaction);
    const actor = discordActor(interaction.user);
    await this.#tellFailure(
      interaction,
      await this.runtime.select(interaction.customId, interaction.values, actor),
    );
  }

  async #onModal(interaction: ModalSubmitInteraction): Promise<void> {
    const claimed = await this.#claim(interaction);
    if (!claimed) return;
    const { press: parsed, session } = claimed;
    const actor = discordActor(interaction.user);
    await interaction.deferUpdate();
    this.#remember(session.id, interaction);
    if (parsed.rev !== session.rev) {
      // The step moved on while the form was open: the core re-renders with "this step changed".
      await this.runtime.press(interaction.customId, actor);
      return;
    }
    const input = (await this.runtime.currentView(session.id))?.input;
    if (!input) return;
    if (input.kind === "secret") {
      // The value goes to the runner's vault only: never into a reply, a log line or the store.
      const result = await this.runtime.submitSecret(
        session.id,
        actor,
        interaction.fields.getTextInputValue(SINGLE_FIELD),
      );
      if (!result.ok)
        await interaction.followUp({ content: `✗ ${result.message ?? ""}`, flags: MessageFlags.Ephemeral });
      return;
    }
    if (input.form) {
      const values = Object.fromEntries(
        input.form.map((field) => [field.key, interaction.fields.getTextInputValue(field.key)]),
      );
      await this.runtime.form(session.id, actor, values);
      return;
    }
    await this.runtime.text(session.id, actor, interaction.fields.getTextInputValue(SINGLE_FIELD));
  }

  /** The wizard a select or modal names, if its custom_id parses and it is the presser's. */
  async #claim(
    interaction: StringSelectMenuInteraction | ModalSubmitInteraction,
  ): Promise<{ press: ButtonPress; session: WizardState } | undefined> {
    const parsed = parseButtonToken(interaction.customId);
    if (!parsed.ok) {
      await interaction.reply({ content: describe(parsed.error), flags: MessageFlags.Ephemeral });
      return undefined;
    }
    const session = await this.#ownedSession(interaction, parsed.value.sessionId);
    return session ? { press: parsed.value, session } : undefined;
  }

  /** A press the runner refused (e.g. an unknown token) is explained to the presser only. */
  async #tellFailure(
    interaction: ButtonInteraction | StringSelectMenuInteraction,
    result: { ok: boolean; message?: string },
  ): Promise<void> {
    if (!result.ok && result.message)
      await interaction.followUp({ content: result.message, flags: MessageFlags.Ephemeral });
  }

  /** The session a wizard interaction names, if it is the presser's; otherwise they are told why. */
  async #ownedSession(
    interaction: ButtonInteraction | StringSelectMenuInteraction | ModalSubmitInteraction,
    sessionId: string,
  ): Promise<WizardState | undefined> {
    const session = this.runtime.peek(sessionId);
    if (!session) {
      // The wizard ended or expired: the old message loses its buttons and says so.
      const content = describe({ code: "session_missing" });
      if (interaction.isMessageComponent()) await interaction.update({ content, components: [] });
      else await interaction.reply({ content, flags: MessageFlags.Ephemeral });
      return undefined;
    }
    if (session.owner.id !== discordActor(interaction.user).id) {
      await interaction.reply({
        content: describe({ code: "not_owner", params: { owner: session.owner.name } }),
        flags: MessageFlags.Ephemeral,
      });
      return undefined;
    }
    return session;
  }
}

/** How often interactions of wizards nobody finished are dropped (their tokens are dead anyway). */
const LIVE_PRUNE_INTERVAL_MS = 60_000;

function emptyView(session: WizardState): View {
  return { sessionId: session.id, rev: session.rev, title: "", body: [], buttons: [], final: false };
}
