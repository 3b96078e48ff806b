// What a replica holds while it handles a pg-boss job, all on one connection kept from the fetch to
// the job's completion (or failure): a Postgres session advisory lock on the job's id — the job's
// heartbeat, which the reaper (install-reaper.ts) looks for — and, while the install runs, locks on
// the executor's exclusive keys (its profile; on a Hermes host also the identifier) and on one of
// the host's INSTALL_CONCURRENCY slots, so that no other replica runs a conflicting install. The
// server lets them all go when that connection ends — by release, or because the replica died — so
// a dead replica's profile is free at once, its job is seen to be orphaned, and no lock outlives it.
import type pg from "pg";
import { LOCK_KEEPALIVE } from "./queue-limits.ts";

/** Locks of this app, apart from anyone else's advisory locks in the same database. */
const LOCK_NAMESPACE = "agent-blueprint/install/";

/** The lock key of a name: a 64-bit hash Postgres computes (the same on every replica). */
export const LOCK_KEY_SQL = "hashtextextended($1, 0)";

/** A job's heartbeat lock is named this prefix and the pg-boss job id (the reaper builds it in SQL). */
export const JOB_LOCK_PREFIX = `${LOCK_NAMESPACE}job:`;

/** The connection that handles one pg-boss job, holding the job's heartbeat lock. */
export interface JobSession {
  /** Fires once if the connection is lost: the install must stop, and write nothing. */
  readonly lost: AbortSignal;
  /**
   * Takes every key in `exclusive` and one of `slots`, or nothing: undefined when any is held
   * elsewhere (the job is put back and looks again later; it never waits holding a worker).
   */
  takeLease(exclusive: readonly string[], slots: readonly string[]): Promise<InstallLease | undefined>;
  /** Lets go of every lock (the heartbeat last of all) and of the connection. */
  close(): Promise<void>;
}

export interface InstallLease {
  /** Lets go of the install's keys; the job's heartbeat lock stays until the session closes. */
  release(): Promise<void>;
}

/**
 * Opens the session of job `jobId`: a connection with TCP keepalive and the job's heartbeat lock.
 * It waits up to `lockWaitMs` for that lock, which the previous run of the same job id may still
 * hold for an instant after failing it; a run still alive past that (its job expired under it)
 * keeps the job: this one fails, and pg-boss offers the job again later.
 */
export async function openJobSession(pool: pg.Pool, jobId: string, lockWaitMs: number): Promise<JobSession> {
  const client = await pool.connect();
  const lost = new AbortController();
  const onError = () => lost.abort(new Error("the connection holding the install's locks was lost"));
  client.on("error", onError);
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    client.off("error", onError);
    if (lost.signal.aborted) client.release(true);
    else {
      try {
        await client.query("SELECT pg_advisory_unlock_all()");
        client.release();
      } catch {
        client.release(true);
      }
    }
  };
  try {
    // A vanished replica's connection is noticed by the server within seconds, not hours.
    await client.query(
      `SET tcp_keepalives_idle = ${LOCK_KEEPALIVE.idleS}; SET tcp_keepalives_interval = ${LOCK_KEEPALIVE.intervalS}; SET tcp_keepalives_count = ${LOCK_KEEPALIVE.count}`,
    );
    await client.query(`SET lock_timeout = ${Math.max(1, Math.round(lockWaitMs))}`);
    await client.query(`SELECT pg_advisory_lock(${LOCK_KEY_SQL})`, [JOB_LOCK_PREFIX + jobId]);
    await client.query("SET lock_timeout = 0");
  } catch (error) {
    lost.abort(error);
    await close();
    throw error;
  }
  return {
    lost: lost.signal,
    takeLease: (exclusive, slots) => takeLease(client, lost, exclusive, slots),
    close,
  };
}

async function takeLease(
  client: pg.PoolClient,
  lost: AbortController,
  exclusive: readonly string[],
  slots: readonly string[],
): Promise<InstallLease | undefined> {
  const held: string[] = [];
  const release = async () => {
    try {
      for (const key of held.splice(0)) await unlock(client, key);
    } catch (error) {
      // The connection is broken: closing the session ends it, and the server lets every lock go.
      lost.abort(error);
    }
  };
  for (const key of exclusive) {
    if (!(await tryLock(client, key))) {
      await release();
      return undefined;
    }
    held.push(key);
  }
  let slotTaken = slots.length === 0;
  for (const slot of slots) {
    if (await tryLock(client, slot)) {
      held.push(slot);
      slotTaken = true;
      break;
    }
  }
  if (!slotTaken) {
    await release();
    return undefined;
  }
  return { release };
}

async function tryLock(client: pg.PoolClient, key: string): Promise<boolean> {
  const { rows } = await client.query<{ taken: boolean }>(
    `SELECT pg_try_advisory_lock(${LOCK_KEY_SQL}) AS taken`,
    [LOCK_NAMESPACE + key],
  );
  return rows[0]?.taken === true;
}

async function unlock(client: pg.PoolClient, key: string): Promise<void> {
  await client.query(`SELECT pg_advisory_unlock(${LOCK_KEY_SQL})`, [LOCK_NAMESPACE + key]);
}

/** The lock names of a host's install slots: INSTALL_CONCURRENCY of them, across every replica. */
export function hostSlots(host: string, concurrency: number): string[] {
  return Array.from({ length: concurrency }, (_unused, index) => `host:${host}:slot:${index}`);
}
