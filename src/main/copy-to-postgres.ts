// `blueprint store copy-to-postgres [--dry-run]`: the embedded store in DATA_DIR (store.json and its
// journal, read without writing) copied into the Postgres store at DATABASE_URL through the store
// port, for a deployment moving from one process to several replicas. Both locations come from the
// configuration the bot reads (environment or .env), so no URL (it may hold a password) is ever on
// the command line. Prints counts per kind of record, never a record's content, and names the
// server as host:port/database only.
import path from "node:path";
import type { Store } from "../app/ports/store.ts";
import type { Outcome } from "../app/ports/outcome.ts";
import { copyStoreData, RECORD_KINDS, type CopyCounts } from "../app/store/copy-store.ts";
import { readStoreFiles } from "../app/store/read-store-files.ts";
import { createPool, postgresTarget } from "../app/store/postgres/connection.ts";
import { storedSchemaVersion } from "../app/store/postgres/migrate.ts";
import { SCHEMA_VERSION } from "../app/store/postgres/migrations.ts";
import { PostgresStore } from "../app/store/postgres/postgres-store.ts";
import { EXIT } from "../app/system/exit.ts";
import type { Logger } from "../app/system/logger.ts";
import type { Setup } from "./load-setup.ts";

type Print = (line: string) => void;

/**
 * The bot keeps no lock or pid file in DATA_DIR, so a running bot cannot be detected: said on every
 * run, since a wizard the bot changes after the copy would stay behind in the file.
 */
export const STOP_THE_BOT_FIRST =
  "The bot keeps no lock on DATA_DIR, so this cannot tell whether it still runs there: stop it first (what it changes after the copy stays behind in the file).";

export async function copyToPostgres(
  setup: Setup,
  options: { readonly dryRun: boolean },
  out: Print,
  err: Print,
): Promise<number> {
  const { config, logger } = setup;
  if (!config.databaseUrl) {
    err(
      "Set DATABASE_URL (in the environment or .env) to the Postgres the replicas will share, e.g. postgres://blueprint:<password>@127.0.0.1:5432/blueprint. Nothing was copied.",
    );
    return EXIT.environment;
  }
  const file = path.join(config.dataDir, "store.json");
  const read = await readStoreFiles(file, logger);
  if (!read.ok) {
    err(`${read.reason} Nothing was copied.`);
    return EXIT.environment;
  }
  const where = postgresTarget(config.databaseUrl);
  out(
    `${options.dryRun ? "Dry run: counting what would be copied from" : "Copying"} the embedded store ${file} into Postgres at ${where}.`,
  );
  out(STOP_THE_BOT_FIRST);
  for (const note of read.value.notes) out(note);

  const target = await openTarget(config.databaseUrl, logger, options.dryRun);
  if (!target.ok) {
    err(`${target.reason} Nothing was copied.`);
    return EXIT.environment;
  }
  try {
    const result = await copyStoreData(read.value.data, target.value, options);
    for (const line of countLines(result.counts, options.dryRun)) out(line);
    const { copied, present } = totals(result.counts);
    if (result.failure !== undefined) {
      err(
        `Postgres at ${where} failed part-way (${result.failure}): ${copied} record(s) were copied before it. Run this again once it answers: what is already there is left as it is, the rest is copied.`,
      );
      return EXIT.failed;
    }
    out(
      options.dryRun
        ? `Dry run: nothing was written. Without --dry-run, ${copied} record(s) would be copied and ${present} already in Postgres left as they are.`
        : `Copied ${copied} record(s); ${present} already in Postgres were left as they are. ${file} is unchanged: start the bot (every replica) with DATABASE_URL set to use Postgres.`,
    );
    return EXIT.ok;
  } finally {
    await target.value?.close();
  }
}

/**
 * The Postgres store, its schema brought up to date as a replica's start does. A dry run makes no
 * tables: on a database the bot never used it counts against nothing (undefined), and it refuses a
 * schema it would have to upgrade.
 */
async function openTarget(url: string, logger: Logger, dryRun: boolean): Promise<Outcome<Store | undefined>> {
  const where = postgresTarget(url);
  const cannot = (error: unknown): Outcome<never> => ({
    ok: false,
    reason: `Postgres at ${where} cannot be used: ${errorText(error)}. Check DATABASE_URL and that the server runs and lets that user in.`,
  });
  if (dryRun) {
    const pool = createPool(url, logger);
    let version: number;
    try {
      version = await storedSchemaVersion(pool);
    } catch (error) {
      return cannot(error);
    } finally {
      await pool.end();
    }
    if (version === 0) return { ok: true, value: undefined };
    if (version !== SCHEMA_VERSION)
      return {
        ok: false,
        reason:
          version > SCHEMA_VERSION
            ? `The database's store schema is version ${version}, newer than this agent-blueprint knows (${SCHEMA_VERSION}); upgrade the bot.`
            : `The database's store schema is version ${version}, older than this bot's (${SCHEMA_VERSION}), and a dry run does not upgrade it: run without --dry-run (it upgrades the schema as a replica's start does).`,
      };
  }
  try {
    return { ok: true, value: await PostgresStore.open(url, logger) };
  } catch (error) {
    return cannot(error);
  }
}

/** Node's connection errors may carry only a code (an AggregateError of every address tried). */
function errorText(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = (error as NodeJS.ErrnoException).code;
  return error.message || code || error.name;
}

function countLines(counts: CopyCounts, dryRun: boolean): string[] {
  return RECORD_KINDS.map(([kind, label]) => {
    const count = counts[kind];
    return `  ${label}: ${count.inFile} in the file, ${count.copied} ${dryRun ? "to copy" : "copied"}, ${count.present} already in Postgres`;
  });
}

function totals(counts: CopyCounts): { copied: number; present: number } {
  const all = Object.values(counts);
  return {
    copied: all.reduce((sum, count) => sum + count.copied, 0),
    present: all.reduce((sum, count) => sum + count.present, 0),
  };
}
