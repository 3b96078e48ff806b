// The install status message: a normal channel message posted and edited with the bot token
// (interaction tokens die after 15 minutes, installs can take longer), through the second REST
// client that keeps Discord's global rate limit. Where the channel will not take it, it goes to
// the owner's DMs; where those are closed too, the owner is told through an interaction of theirs.
import { DiscordAPIError, MessageFlags, RateLimitError, Routes, type REST } from "discord.js";
import type { Logger } from "../../app/system/logger.ts";
import type { PortResult } from "../../app/ports/wizard-output.ts";
import type { View } from "../../core/view.ts";
import type { Actor } from "../../core/wizard/index.ts";
import type { LiveInteractions } from "./live-interactions.ts";
import { renderDiscordView } from "./outbound.ts";

/** A status post that waits longer than this for a rate limit (slow mode) goes elsewhere instead. */
export const STATUS_MAX_RATE_LIMIT_WAIT_MS = 60_000;

/** Status messages quote installer output: `allowed_mentions` that parse nothing, so no one is pinged. */
export const NO_MENTIONS = { parse: [] as string[] };

export class StatusMessages {
  constructor(
    /** The bot-token REST client (not the interactions' one): it keeps the 50/s global limit. */
    private readonly botRest: REST,
    private readonly live: LiveInteractions,
    private readonly logger: Logger,
  ) {}

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
    if (this.live.mayPost(chat)) {
      try {
        const sent = (await this.botRest.post(Routes.channelMessages(chat), { body })) as { id: string };
        return { ok: true, ref: sent.id };
      } catch (error) {
        const refusal = channelRefusal(error);
        if (!refusal) return portError(error);
        why = refusal;
      }
    }
    if (!userId) return { ok: false, kind: "refused", message: why };
    try {
      const dm = (await this.botRest.post(Routes.userChannels(), { body: { recipient_id: userId } })) as {
        id: string;
      };
      const sent = (await this.botRest.post(Routes.channelMessages(dm.id), { body })) as { id: string };
      return { ok: true, ref: `${dm.id}/${sent.id}` };
    } catch (dmError) {
      const dmRefusal = dmRefusalOf(dmError);
      if (!dmRefusal) return portError(dmError);
      await this.#tellOwner(userId, chat, `${why}, and ${dmRefusal}`);
      return { ok: false, kind: "refused", message: `${why}; ${dmRefusal}` };
    }
  }

  /** Edits a status message; a ref of "channel/message" is one that went to the owner's DMs. */
  async editStatus(chat: string, ref: string, view: View): Promise<PortResult> {
    const [channel, message] = ref.includes("/") ? ref.split("/") : [chat, ref];
    try {
      await this.botRest.patch(Routes.channelMessage(channel ?? chat, message ?? ref), {
        body: { ...renderDiscordView(view), allowed_mentions: NO_MENTIONS },
      });
      return { ok: true };
    } catch (error) {
      return portError(error);
    }
  }

  /** A private word to the owner through an interaction of theirs in that channel, while it lives. */
  async #tellOwner(userId: string, chat: string, why: string): Promise<void> {
    const held = this.live.heldBy(userId, chat);
    const text = `I cannot show the install progress: ${why}. The installs go on; /installs status shows how they stand.`;
    if (held) await held.followUp({ content: text, flags: MessageFlags.Ephemeral }).catch(() => undefined);
    this.logger.warn({ chat, user: userId, reason: why }, "install status has nowhere to go");
  }
}

/** Why Discord will not take a message in a channel, in words; undefined for a passing failure. */
export function channelRefusal(error: unknown): string | undefined {
  if (error instanceof RateLimitError)
    return `the channel only lets the bot post again in ${Math.ceil(error.retryAfter / 60_000)} minutes (slow mode)`;
  if (!(error instanceof DiscordAPIError)) return undefined;
  const code = Number(error.code);
  if (code === 50001 || code === 50013) return "the bot may not send messages in this channel";
  if (code === 50083) return "this thread is archived";
  if (code === 20016) return "the channel is in slow mode";
  return undefined;
}

/** Why a DM cannot be sent (50007: DMs closed or blocked; 50278: no server in common). */
export function dmRefusalOf(error: unknown): string | undefined {
  if (!(error instanceof DiscordAPIError)) return undefined;
  const code = Number(error.code);
  if (code === 50007) return "your DMs do not accept messages from the bot";
  if (code === 50278) return "the bot shares no server with you to DM you";
  return undefined;
}

function portError(error: unknown): PortResult {
  return { ok: false, kind: "error", message: (error as Error).message };
}
