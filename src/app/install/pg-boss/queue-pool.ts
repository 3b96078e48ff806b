// The replicated install queue's own connections to the store's database (DATABASE_URL): pg-boss
// talks through them (its `db` option), and so do the locks a running install holds. Apart from
// the store's pool, so a long install never holds a connection a wizard press is waiting for.
import pg from "pg";
import type { Logger } from "../../system/logger.ts";
import { postgresTarget } from "../../store/postgres/connection.ts";
import { POOL_SPARE_CONNECTIONS } from "./queue-limits.ts";

/** Waiting longer than this for a connection rejects the call (the job is then retried). */
export const QUEUE_CONNECT_TIMEOUT_MS = 5_000;
/** An idle connection is closed after this. */
export const QUEUE_IDLE_TIMEOUT_MS = 30_000;
/** How the queue's connections show in pg_stat_activity. */
export const QUEUE_APPLICATION_NAME = "agent-blueprint-installs";

export function createQueuePool(
  url: string,
  concurrency: number,
  logger: Logger,
  applicationName = QUEUE_APPLICATION_NAME,
): pg.Pool {
  const pool = new pg.Pool({
    connectionString: url,
    // One per running install (its locks), the rest for pg-boss and group writes.
    max: concurrency + POOL_SPARE_CONNECTIONS,
    connectionTimeoutMillis: QUEUE_CONNECT_TIMEOUT_MS,
    idleTimeoutMillis: QUEUE_IDLE_TIMEOUT_MS,
    application_name: applicationName,
    keepAlive: true,
  });
  pool.on("error", (error) => {
    logger.warn(
      { postgres: postgresTarget(url), error: error.message },
      "postgres closed an idle install-queue connection; the next call opens a new one",
    );
  });
  return pool;
}

/** pg-boss's `db` option over that pool: one query per call, as pg-boss's own Db does. */
export function bossDb(pool: pg.Pool): {
  executeSql(text: string, values?: unknown[]): Promise<{ rows: unknown[] }>;
} {
  return {
    executeSql: async (text, values) => {
      const result = await pool.query(text, values);
      // A multi-statement text (pg-boss's locked maintenance) answers one result per statement.
      return Array.isArray(result) ? (result.at(-1) as pg.QueryResult) : result;
    },
  };
}
