// The interactions the bot still holds, shared by the inbound handlers, the wizard message and the
// status messages. An interaction's token is the only way to edit an ephemeral wizard message or to
// tell one user something privately, and it dies 15 minutes after Discord sent it; so this object
// keeps which interaction shows which wizard, each user's newest one per channel, what each channel
// let the bot do, and when each arrived, by the bot's own clock (tests pass the fake Discord's), and
// drops the ones whose tokens are dead. One object, passed to each piece, so no piece reaches into
// another's maps.
import {
  PermissionFlagsBits,
  type BaseInteraction,
  type PermissionsBitField,
  type RepliableInteraction,
} from "discord.js";
import { INTERACTION_TOKEN_USABLE_MS } from "./limits.ts";

/** How often interactions of wizards nobody finished are dropped (their tokens are dead anyway). */
export const LIVE_PRUNE_INTERVAL_MS = 60_000;

export class LiveInteractions {
  readonly #now: () => number;
  /** The newest interaction of each wizard: its token edits the ephemeral wizard message. */
  readonly #wizards = new Map<string, RepliableInteraction>();
  /** Each user's newest interaction per channel: a way to tell them privately while its token lives. */
  readonly #recent = new Map<string, RepliableInteraction>();
  /** What each channel's newest interaction said the bot may do there (app_permissions). */
  readonly #appPermissions = new Map<string, Readonly<PermissionsBitField>>();
  /** Interactions answered with deferReply: a failure afterwards edits that reply (WeakSet: no leak). */
  readonly #deferredReplies = new WeakSet<RepliableInteraction>();
  /** When each interaction reached the bot, by its clock: a token's age counts from here. */
  readonly #receivedAt = new WeakMap<BaseInteraction, number>();
  #prunedAt: number;

  constructor(now: () => number) {
    this.#now = now;
    this.#prunedAt = now();
  }

  /** Notes that an interaction reached the bot now: its token's age counts from here. */
  received(interaction: BaseInteraction): void {
    this.#receivedAt.set(interaction, this.#now());
  }

  /** How long ago the user acted: the click time is in the interaction's id. */
  sinceCreated(interaction: BaseInteraction): number {
    return this.#now() - interaction.createdTimestamp;
  }

  /** How long ago the bot received this interaction (its token lives 15 minutes from about then). */
  age(interaction: BaseInteraction): number {
    return this.#now() - (this.#receivedAt.get(interaction) ?? interaction.createdTimestamp);
  }

  /** Keeps what the interaction says of its channel: the bot's permissions there, and who is in it. */
  noteChannel(interaction: BaseInteraction): void {
    if (interaction.channelId && interaction.appPermissions)
      this.#appPermissions.set(interaction.channelId, interaction.appPermissions);
    if (interaction.isRepliable() && interaction.channelId)
      this.#recent.set(`${interaction.user.id}:${interaction.channelId}`, interaction);
  }

  /** False when the channel's last interaction said the bot lacks Send Messages there. */
  mayPost(chat: string): boolean {
    const permissions = this.#appPermissions.get(chat);
    return permissions === undefined || permissions.has(PermissionFlagsBits.SendMessages);
  }

  /** The user's newest interaction in that channel, if it has not been pruned. */
  heldBy(userId: string, chat: string): RepliableInteraction | undefined {
    return this.#recent.get(`${userId}:${chat}`);
  }

  /** Marks an interaction answered with deferReply: the user is looking at "thinking…". */
  deferred(interaction: RepliableInteraction): void {
    this.#deferredReplies.add(interaction);
  }

  wasDeferred(interaction: RepliableInteraction): boolean {
    return this.#deferredReplies.has(interaction);
  }

  /** The interaction whose token now shows this wizard; abandoned wizards' ones are pruned. */
  remember(sessionId: string, interaction: RepliableInteraction): void {
    this.#wizards.set(sessionId, interaction);
    const now = this.#now();
    if (now - this.#prunedAt < LIVE_PRUNE_INTERVAL_MS) return;
    this.#prunedAt = now;
    for (const [id, held] of this.#wizards)
      if (this.age(held) > INTERACTION_TOKEN_USABLE_MS) this.#wizards.delete(id);
    for (const [key, held] of this.#recent)
      if (this.age(held) > INTERACTION_TOKEN_USABLE_MS) this.#recent.delete(key);
  }

  /** The interaction last shown this wizard, however old (a follow-up to a dead token just fails). */
  showing(sessionId: string): RepliableInteraction | undefined {
    return this.#wizards.get(sessionId);
  }

  /** The interaction showing this wizard while its token can still edit the message. */
  usable(sessionId: string): RepliableInteraction | undefined {
    const held = this.#wizards.get(sessionId);
    return held && this.age(held) <= INTERACTION_TOKEN_USABLE_MS ? held : undefined;
  }

  /** The wizard ended: nothing edits its message any more. */
  forget(sessionId: string): void {
    this.#wizards.delete(sessionId);
  }
}
