// Brings the database to SCHEMA_VERSION at start. Several replicas may start at once: the
// migrations run inside one transaction holding a transaction-scoped advisory lock, so one replica
// applies them and the others wait, then find them applied. Idempotent: a version recorded in
// schema_migrations is never run again; a failing migration rolls back whole.
import type pg from "pg";
import { MIGRATIONS, SCHEMA_VERSION } from "./migrations.ts";
import { inTransaction } from "./transaction.ts";

/** The advisory lock the migrations hold ("ab-store" in ASCII): any constant no other code uses. */
export const MIGRATION_LOCK_KEY = 0x61622d73746f7265n;

/** Applies what is missing; returns the versions applied now (none when already current). */
export async function migrate(pool: pg.Pool): Promise<number[]> {
  return inTransaction(pool, async (client) => {
    await client.query("SELECT pg_advisory_xact_lock($1)", [MIGRATION_LOCK_KEY.toString()]);
    await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version integer PRIMARY KEY,
      description text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now()
    )`);
    const { rows } = await client.query<{ version: number }>("SELECT version FROM schema_migrations");
    const applied = new Set(rows.map((row) => row.version));
    const newest = Math.max(0, ...applied);
    if (newest > SCHEMA_VERSION)
      throw new Error(
        `The database's store schema is version ${newest}, newer than this agent-blueprint knows (${SCHEMA_VERSION}); upgrade the bot.`,
      );
    const missing = MIGRATIONS.filter((migration) => !applied.has(migration.version));
    for (const migration of missing) {
      for (const statement of migration.statements) await client.query(statement);
      await client.query("INSERT INTO schema_migrations (version, description) VALUES ($1, $2)", [
        migration.version,
        migration.description,
      ]);
    }
    return missing.map((migration) => migration.version);
  });
}

/**
 * The newest migration recorded, without changing anything (0: the bot never used this database).
 * For a dry run, which must not make the tables a real run would.
 */
export async function storedSchemaVersion(pool: pg.Pool): Promise<number> {
  const { rows } = await pool.query<{ found: string | null }>(
    "SELECT to_regclass('schema_migrations')::text AS found",
  );
  if (!rows[0]?.found) return 0;
  const newest = await pool.query<{ version: number | null }>(
    "SELECT max(version) AS version FROM schema_migrations",
  );
  return newest.rows[0]?.version ?? 0;
}
