// The handoffs port (ports/handoffs.ts) over Postgres LISTEN/NOTIFY: an offer is one pg_notify on
// the store's pool; every replica keeps one connection of its own LISTENing on the channel and
// opens it again when the server drops it (a restart, a failover), waiting longer after each
// failure. Written here rather than taken from pg-listen, whose last release is from 2020: what we
// need is one channel and a reconnect, on the pg client the store already uses.
import pg from "pg";
import type { Handoff, Handoffs } from "../../ports/handoffs.ts";
import type { Logger } from "../../system/logger.ts";
import { CONNECT_TIMEOUT_MS, postgresTarget } from "./connection.ts";

/** The channel every replica listens on. Payloads are at most a session id and a time (< 100 bytes; Postgres allows 8,000). */
export const HANDOFF_CHANNEL = "blueprint_handoff";
/** First wait before listening again after the connection was lost; doubled after each failure. */
export const LISTEN_RETRY_MS = 500;
/** The longest wait between two tries to listen again. */
export const LISTEN_RETRY_MAX_MS = 15_000;
/**
 * TCP keep-alive probes on the listening connection start after this much silence: a connection a
 * failover left half-open (no reset) would otherwise be noticed after the system's default, ~2 h,
 * and the replica would miss every offer meanwhile.
 */
export const LISTEN_KEEPALIVE_MS = 10_000;
/** close() waits this long for the listening connection to end, then lets it go (a connect to a server that is away). */
const CLOSE_WAIT_MS = 500;
/** How the listening connection shows in pg_stat_activity. */
const APPLICATION_NAME = "agent-blueprint handoffs";

export class PostgresHandoffs implements Handoffs {
  readonly #takers: ((handoff: Handoff) => void)[] = [];
  #client: pg.Client | undefined;
  #retry: NodeJS.Timeout | undefined;
  #retryMs = LISTEN_RETRY_MS;
  #closed = false;
  #listening: Promise<void> | undefined;

  constructor(
    private readonly url: string,
    private readonly pool: pg.Pool,
    private readonly logger: Logger,
  ) {}

  async offer(handoff: Handoff): Promise<void> {
    await this.pool.query("SELECT pg_notify($1, $2)", [HANDOFF_CHANNEL, encodeHandoff(handoff)]);
  }

  listen(taker: (handoff: Handoff) => void): void {
    this.#takers.push(taker);
    if (!this.#client && !this.#retry) this.#listening = this.#connect();
  }

  /** Resolves once the first try to listen has ended (listening, or a retry scheduled). */
  whenListening(): Promise<void> {
    return this.#listening ?? Promise.resolve();
  }

  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#retry);
    this.#retry = undefined;
    const client = this.#client;
    this.#client = undefined;
    if (!client) return;
    // A client still connecting ends only when its connect times out (5 s): not waited for.
    await Promise.race([
      client.end().catch(() => undefined),
      new Promise((resolve) => setTimeout(resolve, CLOSE_WAIT_MS).unref()),
    ]);
  }

  async #connect(): Promise<void> {
    if (this.#closed) return;
    const client = new pg.Client({
      connectionString: this.url,
      connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
      keepAlive: true,
      keepAliveInitialDelayMillis: LISTEN_KEEPALIVE_MS,
      application_name: APPLICATION_NAME,
    });
    this.#client = client;
    client.on("notification", (message) => {
      if (message.channel !== HANDOFF_CHANNEL || message.payload === undefined) return;
      const handoff = decodeHandoff(message.payload);
      if (handoff) for (const taker of this.#takers) taker(handoff);
    });
    // Kept attached after the client is dropped: an 'error' without a listener ends the process.
    client.on("error", (error) => this.#lost(client, error.message));
    client.on("end", () => this.#lost(client, "the connection ended"));
    try {
      await client.connect();
      await client.query(`LISTEN ${HANDOFF_CHANNEL}`);
      if (this.#client === client) this.#retryMs = LISTEN_RETRY_MS;
    } catch (error) {
      this.#lost(client, (error as Error).message);
    }
  }

  #lost(client: pg.Client, reason: string): void {
    if (this.#client !== client) return;
    this.#client = undefined;
    void client.end().catch(() => undefined);
    if (this.#closed) return;
    this.logger.warn(
      { postgres: postgresTarget(this.url), reason, retryInMs: this.#retryMs },
      "stopped listening for handoffs; listening again shortly",
    );
    this.#retry = setTimeout(() => {
      this.#retry = undefined;
      this.#listening = this.#connect();
    }, this.#retryMs);
    this.#retry.unref();
    this.#retryMs = Math.min(this.#retryMs * 2, LISTEN_RETRY_MAX_MS);
  }
}

export function encodeHandoff(handoff: Handoff): string {
  return JSON.stringify({ session: handoff.session, mark: handoff.mark });
}

/** An offer as sent by encodeHandoff; anything else on the channel is ignored. */
export function decodeHandoff(payload: string): Handoff | undefined {
  try {
    const parsed: unknown = JSON.parse(payload);
    if (typeof parsed !== "object" || parsed === null) return undefined;
    const { session, mark } = parsed as Record<string, unknown>;
    return typeof session === "string" && typeof mark === "number" && Number.isFinite(mark)
      ? { session, mark }
      : undefined;
  } catch {
    return undefined;
  }
}
