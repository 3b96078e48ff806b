// The one executable: `blueprint start | create --from <file> | apply --from <file> | register | doctor | install | personas lint | key … | store copy-to-postgres`.
import path from "node:path";
import { Command } from "commander";
import { EXIT, StartupError } from "../app/system/exit.ts";
import { loadSetup } from "./load-setup.ts";
import { SNOWFLAKE_PATTERN } from "../app/system/config.ts";
import { applyFromFile } from "./apply-from-file.ts";
import { createFromFile, createTarget, installHubSkills } from "./create-from-file.ts";
import { runInstallCommand } from "../app/install/install-command.ts";
import { lintPersonas } from "../app/persona/persona-lint.ts";
import { startBot } from "./start-bot.ts";
import { checkFormat, exportProfile, importProfile } from "./commonground-files.ts";
import { registerKeyCommand } from "./key-command.ts";
import { registerStoreCommand } from "./store-command.ts";
import { safeOutboundText, type Redactor } from "../adapters/shared/outbound-text.ts";

/**
 * A line for the terminal, made safe as the console adapter makes its prints: a report quotes what
 * hosts and installers said, so no escape sequence, invisible character or secret of the bot's gets
 * through.
 */
function writeLine(stream: NodeJS.WritableStream, secrets: Redactor | undefined): (line: string) => void {
  return (line) => void stream.write(`${safeOutboundText(line, secrets)}\n`);
}

const program = new Command()
  .name("blueprint")
  .description("Build Hermes agent profiles from a chat wizard or a blueprint file.")
  .showHelpAfterError()
  .exitOverride();

program
  .command("start")
  .description(
    "Start the bot: the adapters from BLUEPRINT_ADAPTERS, or the console when no platform token is set",
  )
  .action(async () => {
    const bot = await startBot({ env: process.env, cwd: process.cwd() });
    const stop = () => void bot.stop().finally(() => process.exit(EXIT.ok));
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
    process.exitCode = await bot.done;
  });

program
  .command("create")
  .description("Create a profile from a blueprint YAML file and print the JSON report")
  .requiredOption("--from <file>", "the blueprint file (see README: The blueprint as YAML)")
  .option("--host <name>", "with HERMES_HOSTS: the Hermes host to create on (default: the first)")
  .action(async (options: { from: string; host?: string }) => {
    const setup = await loadSetup({ findHermes: true });
    const out = writeLine(process.stdout, setup.secrets);
    const err = writeLine(process.stderr, setup.secrets);
    const target = createTarget(setup, options.host);
    if (!target.ok) {
      err(`--host: ${target.reason}`);
      process.exitCode = EXIT.badInput;
      return;
    }
    const backend = target.value;
    const result = await createFromFile(options.from, setup, process.env, backend);
    if (result.kind === "invalid") {
      err(
        `${options.from}: ${result.problems.length} problem(s):\n${result.problems.map((p) => `  ${p}`).join("\n")}`,
      );
      process.exitCode = EXIT.badInput;
      return;
    }
    for (const warning of result.warnings) err(warning);
    const report =
      result.kind === "created" ? await installHubSkills(setup, result.report, err, backend) : result.report;
    out(JSON.stringify(report, null, 2));
    process.exitCode = result.kind === "created" ? EXIT.ok : EXIT.failed;
  });

program
  .command("apply")
  .description(
    "Make an existing profile match a blueprint file (the keys it gives); prints the change list first",
  )
  .requiredOption("--from <file>", "the blueprint file; its name picks the profile")
  .option("--dry-run", "print the change list and write nothing")
  .option("--host <name>", "with HERMES_HOSTS: the Hermes host whose profile is edited")
  .action(async (options: { from: string; dryRun?: boolean; host?: string }) => {
    const setup = await loadSetup({ findHermes: true });
    process.exitCode = await applyFromFile(
      options.from,
      setup,
      process.env,
      { dryRun: options.dryRun ?? false, ...(options.host ? { host: options.host } : {}) },
      writeLine(process.stdout, setup.secrets),
      writeLine(process.stderr, setup.secrets),
    );
  });

program
  .command("export")
  .description("Print a profile (or a blueprint file) in another agent system's format")
  .requiredOption("--format <format>", "commonground")
  .argument("<source>", "a profile on this machine, or a blueprint .yaml file")
  .action(async (source: string, options: { format: string }) => {
    const setup = await loadSetup();
    const err = writeLine(process.stderr, setup.secrets);
    if (!checkFormat(options.format, err)) {
      process.exitCode = EXIT.badInput;
      return;
    }
    process.exitCode = await exportProfile(
      source,
      setup,
      process.env,
      writeLine(process.stdout, setup.secrets),
      err,
    );
  });

program
  .command("import")
  .description("Print a blueprint made from another agent system's profile file")
  .requiredOption("--format <format>", "commonground")
  .argument("<file>", "the profile file, e.g. a CommonGround profile YAML")
  .action(async (file: string, options: { format: string }) => {
    const setup = await loadSetup();
    const err = writeLine(process.stderr, setup.secrets);
    if (!checkFormat(options.format, err)) {
      process.exitCode = EXIT.badInput;
      return;
    }
    process.exitCode = await importProfile(file, writeLine(process.stdout, setup.secrets), err);
  });

program
  .command("install")
  .description("Install a hub skill into a profile (the bundled installer the job queue runs)")
  .requiredOption("--profile <name>", "the profile to install into")
  .argument("<identifier>", "hub identifier, e.g. official/security/password-audit")
  .action(async (identifier: string, options: { profile: string }) => {
    const setup = await loadSetup();
    process.exitCode = await runInstallCommand(
      setup.config,
      options.profile,
      identifier,
      writeLine(process.stdout, setup.secrets),
    );
  });

/** `--guild` of register and doctor: a server id, or a usage error that says where to find one. */
function checkGuildOption(guild: string | undefined): void {
  if (guild !== undefined && !SNOWFLAKE_PATTERN.test(guild))
    throw new StartupError(
      `--guild '${guild}' is not a server id (17-20 digits; Developer Mode → right-click the server → Copy Server ID).`,
      EXIT.badInput,
    );
}

program
  .command("register")
  .description(
    "Register the slash commands on Discord (one bulk overwrite; prints what changed). Needs DISCORD_TOKEN and DISCORD_APPLICATION_ID",
  )
  .option("--guild <id>", "register in one server only: updates at once (use it while developing)")
  .action(async (options: { guild?: string }) => {
    const setup = await loadSetup();
    const { discordToken, discordApplicationId, discordApiRoot } = setup.config;
    if (!discordToken || !discordApplicationId)
      throw new StartupError(
        "Set DISCORD_TOKEN and DISCORD_APPLICATION_ID (Developer Portal → your application) to register commands.",
        EXIT.environment,
      );
    checkGuildOption(options.guild);
    // Loaded only here: discord.js is large, and most commands never need it.
    const { registerCommands } = await import("../adapters/discord/register.ts");
    const result = await registerCommands(
      {
        token: discordToken,
        applicationId: discordApplicationId,
        ...(discordApiRoot ? { apiRoot: discordApiRoot } : {}),
        ...(options.guild ? { guildId: options.guild } : {}),
      },
      (line) => process.stdout.write(`${line}\n`),
    );
    if (!result.ok) process.stderr.write(`${result.message}\n`);
    process.exitCode = result.ok ? EXIT.ok : EXIT.failed;
  });

program
  .command("doctor")
  .description(
    "Check configuration, Hermes home, store, libraries, install command and platforms; changes nothing without --fix. Exit 0 healthy, 3 needs you, 4 --fix repairs it",
  )
  .option(
    "--fix",
    "repair what can be repaired (create folders, move a broken store aside, register commands)",
  )
  .option("--guild <id>", "compare the Discord commands of this server instead of the global ones")
  .action(async (options: { fix?: boolean; guild?: string }) => {
    checkGuildOption(options.guild);
    const { runDoctor } = await import("./doctor/run-doctor.ts");
    process.exitCode = await runDoctor(
      process.cwd(),
      { fix: options.fix ?? false, ...(options.guild ? { guildId: options.guild } : {}) },
      // Its lines quote what Hermes, a host and Discord answered: made safe as every print is (its
      // checks redact the configuration's tokens themselves).
      writeLine(process.stdout, undefined),
    );
  });

program
  .command("personas")
  .description("Persona library tools")
  .command("lint")
  .description("Check every persona file; exits 1 on any problem (skipped file or warning)")
  .option("--dir <folder>", "the persona folder (default: the library's personas/)")
  .action(async (options: { dir?: string }) => {
    const setup = await loadSetup();
    process.exitCode = await lintPersonas(
      options.dir ?? path.join(setup.config.libraryDir, "personas"),
      (line) => process.stdout.write(`${line}\n`),
    );
  });

registerKeyCommand(program);
registerStoreCommand(program);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof StartupError) {
    process.stderr.write(`${error.message}\n`);
    process.exitCode = error.exitCode;
  } else if (error instanceof Error && "exitCode" in error && typeof error.exitCode === "number") {
    // commander's own usage errors and --help, already printed.
    process.exitCode = error.exitCode === 0 ? EXIT.ok : EXIT.badInput;
  } else {
    throw error;
  }
}
