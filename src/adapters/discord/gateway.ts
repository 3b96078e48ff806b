// The bot's connection to Discord's gateway: how a failed login or a gateway close that Discord
// means for good becomes a StartupError that says what to fix, instead of a raw discord.js error
// or a bot that stays up and deaf.
import { DiscordAPIError } from "discord.js";
import { EXIT, StartupError } from "../../app/system/exit.ts";

/**
 * Gateway closes Discord means for good (discord.js stops reconnecting after them): the bot must
 * stop with a message that says what to fix, not stay up and deaf. 4004: the token was refused;
 * 4014: an intent the application may not use (privileged intents are switched on in the portal).
 */
/** Gateway close codes after which discord.js does not reconnect, as @discordjs/ws words them. */
export const FATAL_CLOSES: Record<number, string> = {
  4004: "Authentication failed",
  4014: "Used disallowed intents",
};

export function fatalLoginError(error: unknown): Error {
  // discord.js reports a REST 401 as code TokenInvalid; @discordjs/ws reports the gateway's
  // 4004 and 4014 only by message ("Authentication failed", "Used disallowed intents").
  const code = (error as { code?: string }).code;
  const message = (error as Error).message;
  const refused = error instanceof DiscordAPIError && error.status === 401;
  if (code === "TokenInvalid" || message === "Authentication failed" || refused)
    return new StartupError(
      "Discord refused DISCORD_TOKEN (gateway close 4004, authentication failed). Reset the token on the Developer Portal's Bot page and set DISCORD_TOKEN again.",
      EXIT.environment,
    );
  if (message === "Used disallowed intents")
    return new StartupError(
      "Discord refused the bot's gateway intents (gateway close 4014, disallowed intents). This bot asks only for Guilds; check the application on the Developer Portal (Bot page, Privileged Gateway Intents) and that DISCORD_TOKEN belongs to it.",
      EXIT.environment,
    );
  return error instanceof Error ? error : new Error(String(error));
}
