// Every limit of the replicated install queue, named, and how long a dead replica's install takes
// to come back (docs/install-queue.md explains each). pg-boss 10 has no heartbeat: a job whose
// replica died would stay `active` until its expiry. The job's session lock (install-lease.ts) is
// the heartbeat instead: the reaper (install-reaper.ts) fails an active job whose lock no live
// session holds, and pg-boss offers it again (same id) within seconds. The expiry stays the backstop.

/** pg-boss's own schema, created by pg-boss at start (its creation is locked: replicas may race). */
export const PGBOSS_SCHEMA = "pgboss";
/** One pg-boss job per install to run ("run the group's next install"). */
export const INSTALL_QUEUE = "hub-install";
/** Where a job goes once its retries are spent: its install is marked interrupted there. */
export const INSTALL_DEAD_LETTER_QUEUE = "hub-install-dead";

/**
 * Seconds a job may stay active beyond the install's own deadline (INSTALL_TIMEOUT_S, after which
 * the executor stops it) before pg-boss counts its replica dead: room for the lock, the reads and
 * the last write. Shorter would retry installs that are still running.
 */
export const EXPIRY_GRACE_S = 60;
/** Times a job whose replica died (or failed to reach Postgres) is run again: pg-boss's retryLimit. */
export const DEATH_RETRIES = 2;
/** How long after its expiry (or a replica's stop) a job is offered again: pg-boss's retryDelay. */
export const RETRY_DELAY_S = 1;
/**
 * How often each replica looks for orphaned jobs: `active`, but their heartbeat lock held by no
 * session (the replica handling them died). One replica's pass at a time acts (a lock guards it).
 */
export const REAP_INTERVAL_S = 5;
/** Each replica's wait between passes is stretched by up to this share, so they do not beat together. */
export const REAP_JITTER_RATIO = 0.2;
/**
 * A job is reaped only once it has been active this long: a handler opens its session (a pooled
 * connection, QUEUE_CONNECT_TIMEOUT_MS at most, then the heartbeat lock, JOB_LOCK_WAIT_MS at most)
 * just after the fetch, and until then a live job has no heartbeat yet.
 */
export const REAP_GRACE_S = 10;
/**
 * A new session waits this long for its job's heartbeat lock: the previous run of the same job id
 * fails the job an instant before its session lets go of the lock.
 */
export const JOB_LOCK_WAIT_MS = 2_000;
/** How often one replica runs pg-boss's maintenance, which is what finds expired jobs. */
export const MAINTENANCE_INTERVAL_S = 30;
/** How often an idle worker asks for a job. */
export const POLLING_INTERVAL_S = 2;
/** A job whose profile (or host) is busy elsewhere is put back for this long before it looks again. */
export const BUSY_RECHECK_S = 5;
/** How often a running install reads its group for a Cancel pressed on another replica. */
export const CANCEL_CHECK_INTERVAL_MS = 2_000;
/** The first install waits this long at most for the status message the start replica sends. */
export const FIRST_MESSAGE_WAIT_MS = 5_000;
/** How often it looks for that message's pointer meanwhile. */
export const MESSAGE_POLL_MS = 250;
/** A finished install waits this long at most for its last edit before the next one may edit. */
export const HANDOVER_WAIT_MS = 5_000;
/** On stop, running installs get this long to finish; the rest go back to the queue (same id). */
export const STOP_WAIT_MS = 10_000;
/** How often `idle` looks at the queue. */
export const IDLE_POLL_MS = 250;
/** Connections beyond one per running install: pg-boss's fetches and maintenance, group writes. */
export const POOL_SPARE_CONNECTIONS = 4;
/**
 * The server closes a lock-holding connection whose replica vanished (no FIN: power loss, a
 * partition) after about idle + interval × count seconds, and so frees its profile.
 */
export const LOCK_KEEPALIVE = { idleS: 10, intervalS: 5, count: 3 } as const;

/** The timings the tests shorten (pg-boss's minimums: 1 s expiry and maintenance, 0.5 s polling). */
export interface QueueTiming {
  readonly expireInSeconds: number;
  readonly retryDelayS: number;
  readonly maintenanceIntervalS: number;
  readonly reapIntervalS: number;
  readonly reapGraceS: number;
  readonly pollingIntervalS: number;
  readonly busyRecheckS: number;
  readonly cancelCheckIntervalMs: number;
  readonly firstMessageWaitMs: number;
  readonly handoverWaitMs: number;
  readonly stopWaitMs: number;
}

/** The real timings for installs that may take `installTimeoutMs`. */
export function queueTiming(installTimeoutMs: number): QueueTiming {
  return {
    expireInSeconds: Math.ceil(installTimeoutMs / 1000) + EXPIRY_GRACE_S,
    retryDelayS: RETRY_DELAY_S,
    maintenanceIntervalS: MAINTENANCE_INTERVAL_S,
    reapIntervalS: REAP_INTERVAL_S,
    reapGraceS: REAP_GRACE_S,
    pollingIntervalS: POLLING_INTERVAL_S,
    busyRecheckS: BUSY_RECHECK_S,
    cancelCheckIntervalMs: CANCEL_CHECK_INTERVAL_MS,
    firstMessageWaitMs: FIRST_MESSAGE_WAIT_MS,
    handoverWaitMs: HANDOVER_WAIT_MS,
    stopWaitMs: STOP_WAIT_MS,
  };
}

/** Seconds after which the server ends the connection of a replica that vanished (no FIN). */
export function keepaliveSeconds(): number {
  return LOCK_KEEPALIVE.idleS + LOCK_KEEPALIVE.intervalS * LOCK_KEEPALIVE.count;
}

/**
 * The longest a killed replica's install waits (counted from the kill) before another replica
 * starts it again: the server frees its locks at once; the job becomes reapable once its grace
 * has passed (only a kill right after the fetch waits for it), the next reaper pass comes within a
 * jittered interval, then the retry delay and one poll. Real timings: 10 + 6 + 1 + 2 = 19 s; a kill
 * later than the grace into the job: 6 + 1 + 2 = 9 s.
 */
export function worstRecoverySeconds(timing: QueueTiming): number {
  return timing.reapGraceS + reapSteps(timing);
}

/**
 * The same for a replica that vanished (power lost, cut off): its locks are freed only once the
 * server's keepalive gives up on its connection. Real timings: 25 + 6 + 1 + 2 = 34 s.
 */
export function worstRecoveryAfterVanishSeconds(timing: QueueTiming): number {
  return Math.max(timing.reapGraceS, keepaliveSeconds()) + reapSteps(timing);
}

/**
 * The backstop, should no reaper act (every replica's pass failing): pg-boss's expiry, counted
 * from when the job started, at most one maintenance interval, the retry delay and one poll. With
 * INSTALL_TIMEOUT_S = 300: 360 + 30 + 1 + 2 = 393 s.
 */
export function expiryRecoverySeconds(timing: QueueTiming): number {
  return timing.expireInSeconds + timing.maintenanceIntervalS + timing.retryDelayS + timing.pollingIntervalS;
}

/** The longest wait between two reaper passes on one replica. */
export function reapPassSeconds(timing: QueueTiming): number {
  return timing.reapIntervalS + timing.reapIntervalS * REAP_JITTER_RATIO;
}

function reapSteps(timing: QueueTiming): number {
  return reapPassSeconds(timing) + timing.retryDelayS + timing.pollingIntervalS;
}
