// `blueprint store copy-to-postgres [--dry-run]`: the one store command, moving a deployment from
// the embedded store (DATA_DIR) to the Postgres one several replicas share (DATABASE_URL). Both are
// read from the configuration the bot reads, never from arguments (the URL may hold a password).
import type { Command } from "commander";
import { safeOutboundText, type Redactor } from "../adapters/shared/outbound-text.ts";
import { loadSetup } from "./load-setup.ts";

/** A line for the terminal, made safe as cli.ts makes its prints (no escapes, no known secret). */
function writeLine(stream: NodeJS.WritableStream, secrets: Redactor | undefined): (line: string) => void {
  return (line) => void stream.write(`${safeOutboundText(line, secrets)}\n`);
}

export function registerStoreCommand(program: Command): void {
  const store = program
    .command("store")
    .description("The bot's store: copy the embedded one (DATA_DIR) into Postgres (DATABASE_URL)");

  store
    .command("copy-to-postgres")
    .description(
      "Copy every record of the embedded store in DATA_DIR (open wizards, create ledger, install groups, persona records, chat bindings, persona buttons) into the Postgres store at DATABASE_URL; records already there are left as they are, so it is safe to run again. Stop the bot first",
    )
    .option("--dry-run", "count what would be copied and write nothing (not even Postgres' tables)")
    .action(async (options: { dryRun?: boolean }) => {
      const setup = await loadSetup();
      // Loaded when asked for: `blueprint start` and the other commands never load pg for it.
      const { copyToPostgres } = await import("./copy-to-postgres.ts");
      process.exitCode = await copyToPostgres(
        setup,
        { dryRun: options.dryRun ?? false },
        writeLine(process.stdout, setup.secrets),
        writeLine(process.stderr, setup.secrets),
      );
    });
}
