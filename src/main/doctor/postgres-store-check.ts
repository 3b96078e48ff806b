// The doctor's look at the shared store when DATABASE_URL is set: can this machine reach it, and
// which schema version does it hold. Read only (the bot migrates at start); never prints the URL's
// user or password, only host:port/database.
import pg from "pg";
import { CONNECT_TIMEOUT_MS, postgresTarget } from "../../app/store/postgres/connection.ts";
import { SCHEMA_VERSION } from "../../app/store/postgres/migrations.ts";
import type { CheckResult } from "./doctor.ts";

export async function postgresStoreResult(url: string): Promise<CheckResult> {
  const target = postgresTarget(url);
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: CONNECT_TIMEOUT_MS });
  try {
    await client.connect();
  } catch (error) {
    return {
      status: "failed",
      found: `Postgres at ${target} cannot be reached (${(error as Error).message})`,
      action: "check DATABASE_URL (host, port, database, user) and that the server accepts this machine",
    };
  }
  try {
    const table = await client.query<{ present: string | null }>(
      "SELECT to_regclass('schema_migrations')::text AS present",
    );
    if (!table.rows[0]?.present)
      return {
        status: "ok",
        found: `Postgres at ${target} answers; no schema yet (the bot creates it at start)`,
      };
    const applied = await client.query<{ version: string | null }>(
      "SELECT max(version)::text AS version FROM schema_migrations",
    );
    const version = Number(applied.rows[0]?.version ?? 0);
    if (version > SCHEMA_VERSION)
      return {
        status: "failed",
        found: `Postgres at ${target} has schema ${version}, newer than this bot's ${SCHEMA_VERSION}`,
        action: "upgrade agent-blueprint on this machine (another replica runs a newer one)",
      };
    const note = version < SCHEMA_VERSION ? `; it migrates to ${SCHEMA_VERSION} at the next start` : "";
    return { status: "ok", found: `Postgres at ${target} answers, schema ${version}${note}` };
  } catch (error) {
    return {
      status: "failed",
      found: `Postgres at ${target} answered with an error (${(error as Error).message})`,
      action: "check that DATABASE_URL's user may read the bot's tables",
    };
  } finally {
    await client.end().catch(() => undefined);
  }
}
