// Start-up shared by every CLI command: .env, checked configuration, logger, and the library.
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { config as loadDotenv } from "dotenv";
import { loadConfig, type AppConfig } from "./config.ts";
import { loadLibrary, type LoadedLibrary } from "./library-loader.ts";
import { createLogger, type Logger } from "./logger.ts";

/**
 * The checkout or installed package: the nearest folder above this module with a package.json
 * (src/app/ from the sources, dist/src/app/ from a build).
 */
export const PACKAGE_ROOT = packageRootFrom(path.dirname(fileURLToPath(import.meta.url)));

function packageRootFrom(start: string): string {
  for (let dir = start; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, "package.json"))) return dir;
    if (path.dirname(dir) === dir) return path.resolve(start, "../..");
  }
}

/** Exit codes of the `blueprint` command. */
export const EXIT = { ok: 0, failed: 1, badInput: 2, environment: 3 } as const;

export class StartupError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
  }
}

export interface Runtime {
  readonly config: AppConfig;
  readonly logger: Logger;
  readonly library: LoadedLibrary;
}

export interface BootstrapOptions {
  readonly cwd?: string;
  /** The environment to read (and fill from .env); the process's own unless a test passes one. */
  readonly env?: NodeJS.ProcessEnv;
  /** Where log lines go (default stderr). */
  readonly logDestination?: NodeJS.WritableStream;
}

export async function bootstrap(options: BootstrapOptions = {}): Promise<Runtime> {
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
  const logger = createLogger(loaded.config.logLevel, options.logDestination);
  let library: LoadedLibrary;
  try {
    library = await loadLibrary(loaded.config.libraryDir);
  } catch (error) {
    throw new StartupError(
      `The library at ${loaded.config.libraryDir} cannot be loaded: ${(error as Error).message}`,
      EXIT.environment,
    );
  }
  for (const warning of library.warnings) logger.warn({ warning }, "library file skipped");
  return { config: loaded.config, logger, library };
}
