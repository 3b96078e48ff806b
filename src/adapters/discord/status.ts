// The install status message: a normal channel message posted and edited with the bot token
// (interaction tokens die after 15 minutes, installs can take longer), and the Discord error codes
// that say the channel or the owner's DMs will not take it.
import { DiscordAPIError, RateLimitError } from "discord.js";
import type { PortResult } from "../../app/ports/wizard-output.ts";

/** A status post that waits longer than this for a rate limit (slow mode) goes elsewhere instead. */
export const STATUS_MAX_RATE_LIMIT_WAIT_MS = 60_000;

/** Status messages quote installer output: `allowed_mentions` that parse nothing, so no one is pinged. */
export const NO_MENTIONS = { parse: [] as string[] };

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

export function portError(error: unknown): PortResult {
  return { ok: false, kind: "error", message: (error as Error).message };
}
