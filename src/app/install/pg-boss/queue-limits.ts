// Every limit of the replicated install queue, named, and how long a dead replica's install takes
// to come back (docs/install-queue.md explains each). pg-boss 10 has no heartbeat: a job whose
// replica died stays `active` until its expiry, then pg-boss's maintenance puts it back (same id).

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
    pollingIntervalS: POLLING_INTERVAL_S,
    busyRecheckS: BUSY_RECHECK_S,
    cancelCheckIntervalMs: CANCEL_CHECK_INTERVAL_MS,
    firstMessageWaitMs: FIRST_MESSAGE_WAIT_MS,
    handoverWaitMs: HANDOVER_WAIT_MS,
    stopWaitMs: STOP_WAIT_MS,
  };
}

/**
 * The longest a dead replica's install waits before another replica starts it again: its expiry
 * (counted from when it started), then at most one maintenance interval to be noticed, the retry
 * delay, and one poll. With INSTALL_TIMEOUT_S = 300: 360 + 30 + 1 + 2 = 393 s.
 */
export function worstRecoverySeconds(timing: QueueTiming): number {
  return timing.expireInSeconds + timing.maintenanceIntervalS + timing.retryDelayS + timing.pollingIntervalS;
}
