// The bot's life on Discord's gateway: log in, serve until stopped, close the sockets. Start-up
// first reaches Discord's API with bounded, logged retries, so an unreachable API ends in a clear
// message and exit code 3 rather than a raw ECONNREFUSED stack; a refused login, or a gateway close
// that Discord means for good, becomes a StartupError that says what to fix instead of a bot that
// stays up and deaf.
import { DiscordAPIError, Events, Routes, type Client, type REST } from "discord.js";
import type { Agent } from "undici";
import { withStartupRetries } from "../../app/net/startup-retry.ts";
import { EXIT, StartupError } from "../../app/system/exit.ts";
import type { Logger } from "../../app/system/logger.ts";

export interface GatewayOptions {
  readonly token: string;
  /** discord.js's REST base URL (`DISCORD_API_ROOT`); unset: Discord's own. */
  readonly apiRoot?: string;
}

export class DiscordGateway {
  #stopped: (() => void) | undefined;

  constructor(
    private readonly client: Client,
    /** The bot-token REST client: start-up asks it for the gateway before logging in. */
    private readonly botRest: REST,
    /** The socket pool both REST clients share: closed on stop. */
    private readonly agent: Agent,
    private readonly options: GatewayOptions,
    private readonly logger: Logger,
  ) {}

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
        () => this.botRest.get(Routes.gatewayBot()),
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
    await this.agent.close();
    this.#stopped?.();
  }
}

/**
 * Gateway close codes after which discord.js does not reconnect, as @discordjs/ws words them.
 * 4004: the token was refused; 4014: an intent the application may not use (privileged intents
 * are switched on in the portal).
 */
export const FATAL_CLOSES: Record<number, string> = {
  4004: "Authentication failed",
  4014: "Used disallowed intents",
};

/** A login failure as the error the bot stops with: a StartupError for the ones a user can fix. */
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
