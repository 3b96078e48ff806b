// The heartbeat pg-boss 10 lacks. A replica handling a job holds the job's session lock
// (install-lease.ts) from just after the fetch until the job is completed or failed; when that
// replica dies, the server ends its connection and the lock is gone (a killed process's at once, a
// vanished host's after the keepalive). Every replica runs this reaper: every REAP_INTERVAL_S
// (jittered) it fails, through pg-boss, the jobs of the install queues that are `active` but whose
// lock no session holds, so pg-boss offers them again — the same job id — after RETRY_DELAY_S,
// instead of after their expiry (which stays the backstop).
import type pg from "pg";
import type PgBoss from "pg-boss";
import type { Logger } from "../../system/logger.ts";
import { JOB_LOCK_PREFIX, LOCK_KEY_SQL } from "./install-lease.ts";
import { PGBOSS_SCHEMA, REAP_JITTER_RATIO } from "./queue-limits.ts";

/** One reaper pass at a time across replicas: two failing one job would spend two of its retries. */
const REAP_PASS_LOCK = "agent-blueprint/install-reaper";

/**
 * Active jobs of the queues ($2) started more than $3 seconds ago whose heartbeat lock (named
 * $1 || id) is granted to no session of this database. pg_locks shows a bigint advisory key as its
 * high half in classid and its low half in objid, with objsubid 1.
 */
const ORPHANED_JOBS_SQL = `
  SELECT job.name, job.id::text AS id
  FROM ${PGBOSS_SCHEMA}.job AS job
  CROSS JOIN LATERAL (SELECT hashtextextended($1 || job.id::text, 0) AS key) AS heartbeat
  WHERE job.name = ANY($2::text[])
    AND job.state = 'active'
    AND job.started_on < now() - make_interval(secs => $3)
    AND NOT EXISTS (
      SELECT 1 FROM pg_locks AS held
      WHERE held.locktype = 'advisory'
        AND held.granted
        AND held.objsubid = 1
        AND held.database = (SELECT oid FROM pg_database WHERE datname = current_database())
        AND held.classid::bigint = ((heartbeat.key >> 32) & 4294967295)
        AND held.objid::bigint = (heartbeat.key & 4294967295)
    )`;

export interface InstallReaperDeps {
  readonly pool: pg.Pool;
  readonly boss: PgBoss;
  readonly queues: readonly string[];
  readonly intervalS: number;
  readonly graceS: number;
  readonly logger: Logger;
  readonly random?: () => number;
}

export class InstallReaper {
  #timer: NodeJS.Timeout | undefined;
  #pass: Promise<unknown> | undefined;
  #stopped = false;

  constructor(private readonly deps: InstallReaperDeps) {}

  start(): void {
    this.#schedule();
  }

  /** No further pass; resolves once the one under way has ended. */
  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    await this.#pass;
  }

  /**
   * One pass: fails every orphaned job (pg-boss retries it under the same id), and answers their
   * ids. Answers none when another replica's pass holds the pass lock (it is doing the same now).
   */
  async reapOnce(): Promise<string[]> {
    const client = await this.deps.pool.connect();
    let broken = false;
    try {
      await client.query("BEGIN");
      const { rows: taken } = await client.query<{ taken: boolean }>(
        `SELECT pg_try_advisory_xact_lock(${LOCK_KEY_SQL}) AS taken`,
        [REAP_PASS_LOCK],
      );
      if (taken[0]?.taken !== true) {
        await client.query("COMMIT");
        return [];
      }
      const { rows } = await client.query<{ name: string; id: string }>(ORPHANED_JOBS_SQL, [
        JOB_LOCK_PREFIX,
        this.deps.queues,
        this.deps.graceS,
      ]);
      // Failed while the pass lock is held, so the next pass (any replica's) sees them `retry`. A
      // job seen here cannot come back to life before its fail: it would need pg-boss to expire it,
      // wait its retry delay and have it fetched again, all within this pass.
      for (const { name, id } of rows) {
        await this.deps.boss.fail(name, id, {
          message: "the replica handling this job is gone (its heartbeat lock is free)",
        });
        this.deps.logger.warn({ queue: name, job: id }, "install queue: orphaned job failed for a retry");
      }
      await client.query("COMMIT");
      return rows.map((row) => row.id);
    } catch (error) {
      broken = true;
      await client.query("ROLLBACK").catch(() => undefined);
      throw error;
    } finally {
      client.release(broken);
    }
  }

  #schedule(): void {
    if (this.#stopped) return;
    const random = this.deps.random ?? Math.random;
    const waitMs = this.deps.intervalS * 1000 * (1 + REAP_JITTER_RATIO * random());
    this.#timer = setTimeout(() => {
      this.#pass = this.reapOnce()
        .catch((error: unknown) =>
          this.deps.logger.warn({ reason: String(error) }, "install queue: reaper pass failed"),
        )
        .finally(() => this.#schedule());
    }, waitMs);
    this.#timer.unref();
  }
}
