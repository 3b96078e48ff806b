// What the bot does with each interaction Discord sends: slash commands, autocomplete, buttons,
// selects and modals. One permanent interactionCreate handler routes them by kind and custom_id,
// so every button keeps working after a restart. Every interaction is acknowledged once, before
// slow work (Discord allows 3 s), and a failure after that still tells the user. inbound.ts parses;
// this file decides and answers.
import {
  MessageFlags,
  type AutocompleteInteraction,
  type BaseInteraction,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  type ModalSubmitInteraction,
  type StringSelectMenuInteraction,
} from "discord.js";
import type { ChatRuntime, PressAnswer } from "../../app/ports/chat-runtime.ts";
import type { Logger } from "../../app/system/logger.ts";
import { describe } from "../../core/messages.ts";
import { parseButtonToken, type ButtonPress } from "../../core/tokens/button-token.ts";
import type { View } from "../../core/view.ts";
import type { WizardState } from "../../core/wizard/index.ts";
import { isAllowed, isServerAdmin, refusalFor, type DiscordAccess } from "./access.ts";
import { discordActor, helpText, parseInteractionCommand, suggestionsFor } from "./inbound.ts";
import { DISCORD_ACK_BUDGET_MS } from "./limits.ts";
import type { LiveInteractions } from "./live-interactions.ts";
import { INPUT_ACTION, renderModal, SINGLE_FIELD } from "./outbound.ts";
import { sendReply } from "./replies.ts";

/** Commands whose answer the whole channel should see; everything else answers only the caller. */
const PUBLIC_INTENTS = new Set(["persona.apply", "persona.sync", "persona.clear", "profile.use"]);

/** What a user sees when handling their interaction failed after it was acknowledged. */
const SOMETHING_WENT_WRONG =
  "Something went wrong on my side and this was not done. Please try again; /show brings an open wizard back.";

type WizardInteraction = ButtonInteraction | StringSelectMenuInteraction | ModalSubmitInteraction;

export class InteractionHandlers {
  constructor(
    private readonly runtime: ChatRuntime,
    private readonly access: DiscordAccess,
    private readonly live: LiveInteractions,
    private readonly logger: Logger,
  ) {}

  /** The interactionCreate handler: never throws, every failure is logged and told. */
  async handle(interaction: BaseInteraction): Promise<void> {
    this.live.received(interaction);
    // The click time is in the interaction's id; past the budget an answer cannot arrive in time.
    const age = this.live.sinceCreated(interaction);
    if (age > DISCORD_ACK_BUDGET_MS) {
      this.logger.info({ age, type: interaction.type }, "interaction too old to answer in time; left alone");
      return;
    }
    this.live.noteChannel(interaction);
    try {
      if (interaction.isAutocomplete()) return await this.#onAutocomplete(interaction);
      if (!interaction.isRepliable()) return;
      if (!isAllowed(this.access, interaction) && !(await this.#ownsTarget(interaction))) {
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
      } else if (this.live.wasDeferred(interaction)) {
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
  async #ownsTarget(interaction: BaseInteraction): Promise<boolean> {
    if (!interaction.isMessageComponent() && !interaction.isModalSubmit()) return false;
    return (await this.runtime.ownerOf(interaction.customId)) === discordActor(interaction.user).id;
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
    this.live.deferred(interaction);
    const outcome = await this.runtime.command(
      command,
      { actor, surface: "discord", chat },
      {
        spell: (path) => `/${path}`,
        // The wizard a command starts or shows is drawn in that command's own (deferred) reply.
        beforeWizardShown: (sessionId) => this.live.remember(sessionId, interaction),
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
    const choices = isAllowed(this.access, interaction)
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
      this.live.deferred(interaction);
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
    this.live.remember(session.id, interaction);
    await this.#tellFailure(interaction, await this.runtime.press(token, actor));
  }

  async #onSelect(interaction: StringSelectMenuInteraction): Promise<void> {
    const claimed = await this.#claim(interaction);
    if (!claimed) return;
    await interaction.deferUpdate();
    this.live.remember(claimed.session.id, interaction);
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
    this.live.remember(session.id, interaction);
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

  /**
   * A press the runner refused (e.g. an unknown token) is explained to the presser only; one on a
   * wizard that ended since #ownedSession looked (a double click's first press finished it) needs
   * nothing more: the message shows how it ended.
   */
  async #tellFailure(
    interaction: ButtonInteraction | StringSelectMenuInteraction,
    result: PressAnswer,
  ): Promise<void> {
    if (!result.ok && !result.ended && result.message)
      await interaction.followUp({ content: result.message, flags: MessageFlags.Ephemeral });
  }

  /** The session a wizard interaction names, if it is the presser's; otherwise they are told why. */
  async #ownedSession(interaction: WizardInteraction, sessionId: string): Promise<WizardState | undefined> {
    const session = await this.runtime.peek(sessionId);
    if (!session) {
      // The wizard ended or expired: the presser alone is told, and the message stays as it is.
      // It may hold the wizard's result ("Profile created"), which a press made before that
      // result was drawn — a double click, or one another replica answered — must not wipe out.
      await interaction.reply({
        content: describe({ code: "session_missing" }),
        flags: MessageFlags.Ephemeral,
      });
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

/** A view with no input, for a wizard the runner has no view of: it draws no modal, so the press goes on. */
function emptyView(session: WizardState): View {
  return { sessionId: session.id, rev: session.rev, title: "", body: [], buttons: [], final: false };
}
