// What a running install holds so that no other replica runs a conflicting one: Postgres session
// advisory locks on the executor's exclusive keys (its profile; on a Hermes host also the
// identifier) and on one of the host's INSTALL_CONCURRENCY slots, all on one connection kept for
// the whole install. The server lets them go when that connection ends — by release, or because
// the replica died — so a dead replica's profile is free at once, and no lock can outlive it.
import type pg from "pg";
import { LOCK_KEEPALIVE } from "./queue-limits.ts";

/** Locks of this app, apart from anyone else's advisory locks in the same database. */
const LOCK_NAMESPACE = "agent-blueprint/install/";

/** The lock key of a name: a 64-bit hash Postgres computes (the same on every replica). */
export const LOCK_KEY_SQL = "hashtextextended($1, 0)";

export interface InstallLease {
  /** Fires once if the connection holding the locks is lost: the install must stop, and write nothing. */
  readonly lost: AbortSignal;
  release(): Promise<void>;
}

/**
 * Takes every key in `exclusive` and one of `slots`, or nothing: undefined when any is held
 * elsewhere (the job is put back and looks again later; it never waits holding a worker).
 */
export async function takeLease(
  pool: pg.Pool,
  exclusive: readonly string[],
  slots: readonly string[],
): Promise<InstallLease | undefined> {
  const client = await pool.connect();
  const lost = new AbortController();
  const onError = () => lost.abort(new Error("the connection holding the install's locks was lost"));
  client.on("error", onError);
  const done = async (broken: boolean) => {
    client.off("error", onError);
    if (broken) client.release(true);
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
    for (const key of exclusive) {
      if (!(await tryLock(client, key))) {
        await done(false);
        return undefined;
      }
    }
    let slotTaken = slots.length === 0;
    for (const slot of slots) {
      if (await tryLock(client, slot)) {
        slotTaken = true;
        break;
      }
    }
    if (!slotTaken) {
      await done(false);
      return undefined;
    }
  } catch (error) {
    await done(true);
    throw error;
  }
  return {
    lost: lost.signal,
    release: () => done(lost.signal.aborted),
  };
}

async function tryLock(client: pg.PoolClient, key: string): Promise<boolean> {
  const { rows } = await client.query<{ taken: boolean }>(
    `SELECT pg_try_advisory_lock(${LOCK_KEY_SQL}) AS taken`,
    [LOCK_NAMESPACE + key],
  );
  return rows[0]?.taken === true;
}

/** The lock names of a host's install slots: INSTALL_CONCURRENCY of them, across every replica. */
export function hostSlots(host: string, concurrency: number): string[] {
  return Array.from({ length: concurrency }, (_unused, index) => `host:${host}:slot:${index}`);
}
