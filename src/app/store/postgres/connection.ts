// The connection pool the Postgres store talks through, with every limit named, and how the
// server is named in a log line: host, port and database only, never the URL (it may carry a password).
import pg from "pg";
import type { Logger } from "../../system/logger.ts";

/** Connections one replica holds at most: a wizard press makes one or two short statements. */
export const POOL_MAX_CONNECTIONS = 10;
/** Waiting longer than this for a connection (server down, pool exhausted) rejects the call. */
export const CONNECT_TIMEOUT_MS = 5_000;
/** The server cancels a statement running longer than this (every statement here is a key lookup). */
export const STATEMENT_TIMEOUT_MS = 10_000;
/**
 * The client gives up on an answer after this, for a server that stopped answering without
 * closing the connection; later than the server's own timeout so that one usually reports first.
 */
export const QUERY_TIMEOUT_MS = STATEMENT_TIMEOUT_MS + 5_000;
/** An idle connection is closed after this, so a quiet replica holds none. */
export const IDLE_TIMEOUT_MS = 30_000;
/** How the bot's connections show in pg_stat_activity. */
const APPLICATION_NAME = "agent-blueprint";

/**
 * A pool that reconnects by itself: a connection the server closed (a restart, a failover) is
 * dropped from the pool when it fails, and the next call opens a new one. The call that was using
 * it rejects; the caller decides.
 */
export function createPool(url: string, logger: Logger): pg.Pool {
  const pool = new pg.Pool({
    connectionString: url,
    max: POOL_MAX_CONNECTIONS,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    idleTimeoutMillis: IDLE_TIMEOUT_MS,
    statement_timeout: STATEMENT_TIMEOUT_MS,
    query_timeout: QUERY_TIMEOUT_MS,
    application_name: APPLICATION_NAME,
    keepAlive: true,
  });
  // An idle connection's error (the server restarted) is emitted on the pool; without a listener
  // it would end the process.
  pool.on("error", (error) => {
    logger.warn(
      { postgres: postgresTarget(url), error: error.message },
      "postgres closed an idle connection; the next call opens a new one",
    );
  });
  return pool;
}

/** "host:port/database" of a postgres:// URL, for logs: never its user or password. */
export function postgresTarget(url: string): string {
  try {
    const parsed = new URL(url);
    const host = parsed.searchParams.get("host") ?? (parsed.hostname || "localhost");
    const port = parsed.searchParams.get("port") ?? (parsed.port || "5432");
    return `${host}:${port}/${decodeURIComponent(parsed.pathname.slice(1))}`;
  } catch {
    return "(an unparseable DATABASE_URL)";
  }
}
