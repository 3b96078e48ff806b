// The bot's life in HTTP interactions mode (DISCORD_PUBLIC_KEY set): no gateway connection at all.
// Discord POSTs each interaction to the Interactions Endpoint URL, served by the HTTP server through
// interactions-endpoint.ts; start-up only checks the token over REST (bounded, logged retries, as
// the gateway mode's start does) and learns who the bot is, for the discord.js code paths that read
// `client.user` or `client.application`.
import { ClientApplication, ClientUser, DiscordAPIError, Routes, type Client, type REST } from "discord.js";
import type { Agent } from "undici";
import { withStartupRetries } from "../../app/net/startup-retry.ts";
import { EXIT, StartupError } from "../../app/system/exit.ts";
import type { Logger } from "../../app/system/logger.ts";
import { fatalLoginError, type GatewayOptions } from "./gateway.ts";

/** ClientUser and ClientApplication have private constructors; the login would call them so. */
type Construct<T> = new (client: Client, data: unknown) => T;

export class DiscordHttpMode {
  #stopped: (() => void) | undefined;

  constructor(
    private readonly client: Client,
    private readonly botRest: REST,
    private readonly agent: Agent,
    private readonly options: GatewayOptions,
    private readonly logger: Logger,
  ) {}

  /** Checks the token, learns the bot's user and application, then serves until stopped. */
  async run(): Promise<void> {
    const stopped = new Promise<void>((resolve) => (this.#stopped = resolve));
    const address = this.options.apiRoot ?? "https://discord.com/api";
    let user: unknown;
    let application: unknown;
    try {
      user = await withStartupRetries(
        { platform: "Discord", address, variable: "DISCORD_API_ROOT" },
        () => this.botRest.get(Routes.user()),
        this.logger,
      );
      application = await this.botRest.get(Routes.currentApplication());
    } catch (error) {
      throw refusedToken(error);
    }
    // No login: the interactions' client sends with the bot token only where a route needs it.
    this.client.rest.setToken(this.options.token);
    this.client.user = new (ClientUser as unknown as Construct<ClientUser>)(this.client, user);
    this.client.application = new (ClientApplication as unknown as Construct<ClientApplication>)(
      this.client,
      application,
    );
    this.logger.info(
      { user: this.client.user.tag, application: this.client.application.id },
      "discord ready for HTTP interactions (no gateway connection)",
    );
    await stopped;
  }

  async stop(): Promise<void> {
    await this.client.destroy();
    await this.agent.close();
    this.#stopped?.();
  }
}

function refusedToken(error: unknown): Error {
  if (error instanceof DiscordAPIError && error.status === 401)
    return new StartupError(
      "Discord refused DISCORD_TOKEN (401 on GET /users/@me). Reset the token on the Developer Portal's Bot page and set DISCORD_TOKEN again.",
      EXIT.environment,
    );
  return fatalLoginError(error);
}
