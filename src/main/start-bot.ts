// `npm start`, as one function: loads the setup (load-setup.ts), builds the adapters the
// configuration names, and hands both to assemble-bot.ts; returns a handle to stop them. The CLI calls it with the process's
// environment; end-to-end tests call the very same code with another environment (API roots of the
// local fakes, temporary folders), a log sink and their clock.
import { EXIT, StartupError } from "../app/system/exit.ts";
import { loadSetup } from "./load-setup.ts";
import { assembleBot, type AdapterFactories, type RunningBot } from "./assemble-bot.ts";

export interface StartOptions {
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
  /** The console adapter's terminal. */
  readonly stdin?: NodeJS.ReadableStream;
  readonly stdout?: NodeJS.WritableStream;
  readonly isTTY?: boolean;
  readonly logDestination?: NodeJS.WritableStream;
  /** The clock of wizards, installs and persona records (tests drive time with it). */
  readonly now?: () => number;
}

export async function startBot(options: StartOptions): Promise<RunningBot> {
  const setup = await loadSetup({
    cwd: options.cwd,
    env: options.env,
    findHermes: true,
    ...(options.logDestination ? { logDestination: options.logDestination } : {}),
  });
  const { config, logger } = setup;
  // Only the platforms configured are loaded: discord.js alone is 20-25 MB resident.
  const { TelegramAdapter } = config.adapters.includes("telegram")
    ? await import("../adapters/telegram/index.ts")
    : { TelegramAdapter: undefined };
  const { DiscordAdapter } = config.adapters.includes("discord")
    ? await import("../adapters/discord/index.ts")
    : { DiscordAdapter: undefined };
  const { ConsoleAdapter } = config.adapters.includes("console")
    ? await import("../adapters/console/index.ts")
    : { ConsoleAdapter: undefined };
  const factories: AdapterFactories = {};
  if (TelegramAdapter)
    factories.telegram = (runtime) => {
      if (!config.telegramToken)
        throw new StartupError(
          "BLUEPRINT_ADAPTERS includes telegram, but TELEGRAM_BOT_TOKEN is not set.",
          EXIT.environment,
        );
      if (config.telegramAllowedUsers.length === 0)
        logger.warn("TELEGRAM_ALLOWED_USERS is empty: everyone is refused and told their id to add.");
      return new TelegramAdapter(
        runtime,
        {
          token: config.telegramToken,
          ...(config.telegramApiRoot ? { apiRoot: config.telegramApiRoot } : {}),
          allowedUsers: new Set(config.telegramAllowedUsers),
          secrets: setup.secrets,
          ...(config.telegramWebhook ? { webhook: config.telegramWebhook } : {}),
        },
        logger,
      );
    };
  if (DiscordAdapter)
    factories.discord = (runtime) => {
      if (!config.discordToken)
        throw new StartupError(
          "BLUEPRINT_ADAPTERS includes discord, but DISCORD_TOKEN is not set.",
          EXIT.environment,
        );
      if (config.discordAllowedUsers.length + config.discordAllowedRoles.length === 0)
        logger.warn(
          "DISCORD_ALLOWED_USERS and DISCORD_ALLOWED_ROLES are empty: everyone is refused and told their id to add.",
        );
      return new DiscordAdapter(
        runtime,
        {
          token: config.discordToken,
          ...(config.discordApiRoot ? { apiRoot: config.discordApiRoot } : {}),
          allowedUsers: new Set(config.discordAllowedUsers),
          allowedRoles: new Set(config.discordAllowedRoles),
          ...(options.now ? { now: options.now } : {}),
          secrets: setup.secrets,
          // Set: HTTP interactions mode (no gateway); the HTTP server mounts interactionsEndpoint().
          ...(config.discordPublicKey ? { publicKey: config.discordPublicKey } : {}),
        },
        logger,
      );
    };
  if (ConsoleAdapter)
    factories.console = (runtime) =>
      new ConsoleAdapter(runtime, {
        input: options.stdin ?? process.stdin,
        output: options.stdout ?? process.stdout,
        isTTY: options.isTTY ?? Boolean(process.stdin.isTTY),
        secrets: setup.secrets,
      });
  return assembleBot(setup, factories, options.now ? { now: options.now } : {});
}
