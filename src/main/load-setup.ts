// The setup every CLI command starts from: .env, checked configuration, logger, the library, and
// the Hermes beside the bot when asked for.
import path from "node:path";
import { config as loadDotenv } from "dotenv";
import { loadConfig, type AppConfig } from "../app/system/config.ts";
import { discoverHermes, type HermesInstall } from "../app/hermes/discover.ts";
import { allowPrivateHubUrls } from "../core/hub-identifier.ts";
import { loadLibrary, type LoadedLibrary } from "../app/library/library-loader.ts";
import { KnownSecrets } from "../app/secrets/known-secrets.ts";
import { createLogger, type Logger } from "../app/system/logger.ts";
import { EXIT, StartupError } from "../app/system/exit.ts";
import { PACKAGE_ROOT } from "../app/system/package-root.ts";

export interface Setup {
  readonly config: AppConfig;
  readonly logger: Logger;
  readonly library: LoadedLibrary;
  /** The environment the configuration was read from (with .env filled in): subprocesses inherit it. */
  readonly env: NodeJS.ProcessEnv;
  /** The Hermes beside the bot, when `findHermes` asked for it and one was found. */
  readonly hermes?: HermesInstall;
  /** Every secret the bot holds (tokens now, keys as they are typed): redacted from all it quotes or logs. */
  readonly secrets: KnownSecrets;
}

export interface SetupOptions {
  readonly cwd?: string;
  /** The environment to read (and fill from .env); the process's own unless a test passes one. */
  readonly env?: NodeJS.ProcessEnv;
  /** Where log lines go (default stderr). */
  readonly logDestination?: NodeJS.WritableStream;
  /**
   * Look for Hermes (HERMES_BIN, else `hermes` on PATH) and read its catalogs: the commands that
   * create profiles do; the ones that only register commands or lint files skip the probe.
   */
  readonly findHermes?: boolean;
}

export async function loadSetup(options: SetupOptions = {}): Promise<Setup> {
  const cwd = options.cwd ?? process.cwd();
  const env = options.env ?? process.env;
  // A .env in the working directory fills variables the environment does not already set.
  loadDotenv({ path: path.join(cwd, ".env"), quiet: true, processEnv: env });
  const loaded = loadConfig(env, cwd, PACKAGE_ROOT);
  if (!loaded.ok) {
    throw new StartupError(
      [
        "Configuration error (fix these variables in the environment or .env):",
        ...loaded.problems.map((p) => `  ${p}`),
      ].join("\n"),
      EXIT.environment,
    );
  }
  const secrets = configSecrets(loaded.config);
  const logger = createLogger(loaded.config.logLevel, options.logDestination, secrets);
  allowPrivateHubUrls(loaded.config.allowPrivateHubUrls);
  // With HERMES_URL the profiles are made by the Hermes there: a Hermes beside the bot is not used.
  const hermes =
    options.findHermes && !loaded.config.remoteHermes && !loaded.config.hermesHosts
      ? await hermesBeside(loaded.config, env, logger)
      : undefined;
  let library: LoadedLibrary;
  try {
    library = await loadLibrary(loaded.config.libraryDir, hermes);
  } catch (error) {
    throw new StartupError(
      `The library at ${loaded.config.libraryDir} cannot be loaded: ${(error as Error).message}`,
      EXIT.environment,
    );
  }
  for (const warning of library.warnings) logger.warn({ warning }, "library file skipped");
  return { config: loaded.config, env, logger, library, secrets, ...(hermes ? { hermes } : {}) };
}

/** The password in DATABASE_URL, if it has one: redacted like a token. */
function urlPassword(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    const password = decodeURIComponent(new URL(url).password);
    return password === "" ? undefined : password;
  } catch {
    return undefined;
  }
}

/** The tokens the configuration holds: the platforms' (and Telegram's webhook secret) every Hermes host's, and the database password. */
export function configSecrets(config: AppConfig): KnownSecrets {
  return new KnownSecrets([
    config.telegramToken,
    config.telegramWebhook?.secret,
    config.discordToken,
    config.remoteHermes?.token,
    ...(config.hermesHosts ?? []).map((host) => host.token),
    urlPassword(config.databaseUrl),
  ]);
}

/**
 * The Hermes to use. One named by HERMES_BIN must work (the operator asked for it: exit 3 with the
 * reason); a `hermes` on PATH that does not answer like Hermes is warned about and left out, so an
 * unrelated program of that name never stops the bot.
 */
async function hermesBeside(
  config: AppConfig,
  env: NodeJS.ProcessEnv,
  logger: Logger,
): Promise<HermesInstall | undefined> {
  const found = await discoverHermes(config.hermesBin, env);
  if (found.status === "found") {
    logger.info(
      { hermes: found.install.bin, version: found.install.version },
      "Hermes found: its catalogs and installer are used",
    );
    return found.install;
  }
  if (found.status === "broken" && config.hermesBin)
    throw new StartupError(
      `HERMES_BIN: ${found.reason}. Fix or unset it (blueprint doctor shows what it finds).`,
      EXIT.environment,
    );
  if (found.status === "broken") logger.warn({ reason: found.reason }, "the hermes on PATH is not used");
  return undefined;
}
