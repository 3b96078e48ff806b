// The hub installs of the replicated mode (DATABASE_URL): the same InstallJobs as the in-process
// queue, on pg-boss in the store's database so that any replica can run any install and an install
// survives the replica running it. One pg-boss job means "run this group's next install"; its
// handler takes the install's locks (install-lease.ts: its profile, on a Hermes host its identifier
// too, and one of the host's INSTALL_CONCURRENCY slots), runs it (install-run.ts), then queues the
// group's next one. A job whose locks are busy elsewhere is put back for a few seconds instead of
// waiting in a worker. A replica that dies mid-install leaves its job `active` with its heartbeat
// lock gone: any replica's reaper (install-reaper.ts) fails it, pg-boss offers it again (same job id)
// to whichever replica polls first, which finds the install still `running` while its profile's
// lock is free, and runs it again; pg-boss's expiry is the backstop. docs/install-queue.md tells it all.
import { randomBytes } from "node:crypto";
import PgBoss from "pg-boss";
import type pg from "pg";
import { isGroupFinished, newInstallGroup, type InstallGroup } from "../../../core/install/install-job.ts";
import type { Actor, Surface } from "../../../core/wizard/state.ts";
import type { InstallExecutor } from "../../ports/install-executor.ts";
import type { InstallJobs, QueueAnswer } from "../../ports/install-jobs.ts";
import type { Store } from "../../ports/store.ts";
import type { KnownSecrets } from "../../secrets/known-secrets.ts";
import type { Logger } from "../../system/logger.ts";
import {
  cancelGroup,
  claim,
  nextToRun,
  requeueRetryable,
  runningCount,
  type Claim,
} from "./group-changes.ts";
import { updateGroup } from "./group-update.ts";
import { hostSlots, openJobSession, type JobSession } from "./install-lease.ts";
import { InstallReaper } from "./install-reaper.ts";
import { runInstall } from "./install-run.ts";
import { bossDb } from "./queue-pool.ts";
import { WorkerLoop } from "./worker-loop.ts";
import {
  DEATH_RETRIES,
  IDLE_POLL_MS,
  INSTALL_DEAD_LETTER_QUEUE,
  INSTALL_QUEUE,
  JOB_LOCK_WAIT_MS,
  MESSAGE_POLL_MS,
  PGBOSS_SCHEMA,
  queueTiming,
  type QueueTiming,
} from "./queue-limits.ts";

export interface PgBossInstallJobsDeps {
  /** The queue's own connections (queue-pool.ts); ended by `stop`. */
  readonly pool: pg.Pool;
  readonly store: Store;
  readonly executor: InstallExecutor;
  /** Installs running at once on this replica, and on one Hermes host across all replicas. */
  readonly concurrency: number;
  readonly timeoutMs: number;
  /** The Hermes host a profile's installs run on when its name does not say (`<host>:<name>`). */
  readonly host: string;
  readonly logger: Logger;
  readonly secrets?: KnownSecrets | undefined;
  /** Called after every change this replica makes to a group (its progress reporter listens). */
  readonly onChange: (group: InstallGroup) => void;
  /** Resolves once this replica's status edits of the group so far went out (the reporter's). */
  readonly delivered?: (groupId: string) => Promise<void>;
  readonly now?: () => number;
  /** Shorter timings for tests; the real ones are queueTiming(timeoutMs). */
  readonly timing?: Partial<QueueTiming>;
}

interface Ticket {
  readonly groupId: string;
}

export class PgBossInstallJobs implements InstallJobs {
  readonly #now: () => number;
  readonly #timing: QueueTiming;
  /** Runs on this replica, each abandoned (no more writes) when the replica stops. */
  readonly #running = new Set<AbortController>();
  /** Handlers in progress, so `stop` can wait for them to let go of their locks. */
  readonly #handlers = new Set<Promise<void>>();
  /** Message pointers being written, by group: a run hands its group over after them. */
  readonly #refWrites = new Map<string, Promise<void>>();
  readonly #workers: WorkerLoop<Ticket>[] = [];
  readonly #reaper: InstallReaper;
  #stopped = false;

  private constructor(
    private readonly deps: PgBossInstallJobsDeps,
    private readonly boss: PgBoss,
  ) {
    this.#now = deps.now ?? Date.now;
    this.#timing = { ...queueTiming(deps.timeoutMs), ...deps.timing };
    this.#reaper = new InstallReaper({
      pool: deps.pool,
      boss,
      queues: [INSTALL_QUEUE, INSTALL_DEAD_LETTER_QUEUE],
      intervalS: this.#timing.reapIntervalS,
      graceS: this.#timing.reapGraceS,
      logger: deps.logger,
    });
  }

  /**
   * Starts pg-boss on the pool (its schema made or migrated at start, under its own lock, so
   * replicas starting together are safe), makes the two queues and starts this replica's workers.
   */
  static async open(deps: PgBossInstallJobsDeps): Promise<PgBossInstallJobs> {
    const timing = { ...queueTiming(deps.timeoutMs), ...deps.timing };
    const boss = new PgBoss({
      db: bossDb(deps.pool),
      schema: PGBOSS_SCHEMA,
      maintenanceIntervalSeconds: timing.maintenanceIntervalS,
      // No cron schedules here: pg-boss's clock checks would be queries for nothing.
      schedule: false,
    });
    // pg-boss reports failed fetches and maintenance as events; unheard, an "error" event would end
    // the process. A Postgres away for a while is a warning: the workers poll again.
    boss.on("error", (error) => deps.logger.warn({ reason: error.message }, "install queue: pg-boss error"));
    await boss.start();
    const queueOptions = {
      expireInSeconds: timing.expireInSeconds,
      retryLimit: DEATH_RETRIES,
      retryDelay: timing.retryDelayS,
    };
    // Made once: a queue that exists is left as it is. pg-boss makes a queue's table partition,
    // and replicas starting together deadlocked doing so (seen once in the replica tests), so the
    // creation is one replica at a time.
    await oneReplicaAtATime(deps.pool, QUEUE_CREATION_LOCK, async () => {
      await boss.createQueue(INSTALL_DEAD_LETTER_QUEUE, { name: INSTALL_DEAD_LETTER_QUEUE, ...queueOptions });
      await boss.createQueue(INSTALL_QUEUE, {
        name: INSTALL_QUEUE,
        ...queueOptions,
        deadLetter: INSTALL_DEAD_LETTER_QUEUE,
      });
    });
    const jobs = new PgBossInstallJobs(deps, boss);
    jobs.#startWorkers();
    jobs.#reaper.start();
    return jobs;
  }

  async start(
    owner: Actor,
    surface: Surface,
    chat: string,
    profile: string,
    identifiers: readonly string[],
  ): Promise<InstallGroup> {
    const group = newInstallGroup(
      randomBytes(6).toString("hex"),
      { owner, surface, chat, profile },
      identifiers,
      this.#now(),
    );
    await this.deps.store.putInstallGroup(group);
    // This replica sends the status message; the replicas that run the installs edit it.
    this.deps.onChange(group);
    await this.#send(group.id);
    return group;
  }

  async cancel(groupId: string, actor: Actor): Promise<QueueAnswer> {
    const group = await this.deps.store.getInstallGroup(groupId);
    if (!group) return { ok: false, text: "Those installs are no longer known." };
    if (group.owner.id !== actor.id)
      return { ok: false, text: `Only ${group.owner.name} can cancel these installs.` };
    if (isGroupFinished(group)) return { ok: false, text: "Nothing to cancel: every install has ended." };
    const { canStopRunning } = this.deps.executor;
    const updated = await updateGroup(this.deps.pool, this.deps.store, groupId, (current) =>
      cancelGroup(current, canStopRunning, this.#now()),
    );
    const running = updated ? runningCount(updated) : 0;
    // Nothing runs: no other replica will edit the message, so this one does. Otherwise the
    // replica running the install stops it (or follows it) and edits.
    if (updated && running === 0) this.deps.onChange(updated);
    if (!canStopRunning && running > 0)
      return {
        ok: true,
        text: `Canceled the installs that had not started. ${running} already running on the Hermes host cannot be stopped from here; they are followed to their end.`,
      };
    return { ok: true, text: "Canceling the installs that have not ended." };
  }

  async retry(groupId: string, actor: Actor): Promise<QueueAnswer> {
    const group = await this.deps.store.getInstallGroup(groupId);
    if (!group) return { ok: false, text: "Those installs are no longer known." };
    if (group.owner.id !== actor.id)
      return { ok: false, text: `Only ${group.owner.name} can retry these installs.` };
    let count = 0;
    await updateGroup(this.deps.pool, this.deps.store, groupId, (current) => {
      const requeued = requeueRetryable(current, this.#now());
      count = requeued.count;
      return count > 0 ? requeued.group : undefined;
    });
    if (count === 0)
      return { ok: false, text: "Nothing to retry: installed and blocked skills are not run again." };
    // The replica that runs them edits the message as they start.
    await this.#send(groupId);
    return { ok: true, text: `Retrying ${count} install(s).` };
  }

  /**
   * Nothing to settle at a start: the stored groups belong to the replicas still running, and a
   * dead replica's install comes back through the reaper (or pg-boss's expiry; docs/install-queue.md).
   */
  recover(): Promise<InstallGroup[]> {
    return Promise.resolve([]);
  }

  /** Resolves once no job of the queue waits or runs, on any replica (tests and benchmarks). */
  async idle(): Promise<void> {
    for (;;) {
      const waiting =
        (await this.boss.getQueueSize(INSTALL_QUEUE, { before: "completed" })) +
        (await this.boss.getQueueSize(INSTALL_DEAD_LETTER_QUEUE, { before: "completed" }));
      if (waiting === 0 && this.#handlers.size === 0) return;
      await sleep(IDLE_POLL_MS);
    }
  }

  async keepMessageRef(groupId: string, ref: string): Promise<void> {
    const write = updateGroup(this.deps.pool, this.deps.store, groupId, (group) => ({
      ...group,
      messageRef: ref,
    })).then(() => undefined);
    this.#refWrites.set(groupId, write);
    try {
      await write;
    } finally {
      if (this.#refWrites.get(groupId) === write) this.#refWrites.delete(groupId);
    }
  }

  /**
   * Workers stop taking jobs; running installs get STOP_WAIT_MS to finish. Those still running then
   * are stopped here, write nothing more, let go of their locks, and their pg-boss jobs are failed:
   * offered again at once (same id, after RETRY_DELAY_S) to another replica, which runs them again.
   */
  async stop(): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    await this.#reaper.stop();
    for (const worker of this.#workers) worker.stopTaking();
    const finished = Promise.all(this.#workers.map((worker) => worker.done));
    await Promise.race([finished, sleep(this.#timing.stopWaitMs)]);
    for (const run of this.#running) run.abort();
    await finished;
    try {
      await this.boss.stop({ graceful: false, close: false });
    } catch (error) {
      this.deps.logger.warn({ reason: String(error) }, "install queue: pg-boss did not stop cleanly");
    }
    // Already ended when the connection was taken from under it (a replica dying, in the tests).
    await this.deps.pool.end().catch(() => undefined);
  }

  #startWorkers(): void {
    const pollingMs = this.#timing.pollingIntervalS * 1000;
    const handle = (lastChance: boolean) => async (job: PgBoss.Job<Ticket>, session: JobSession) => {
      const handled = this.#runNext(job.data.groupId, lastChance, session);
      this.#handlers.add(handled);
      try {
        await handled;
      } finally {
        this.#handlers.delete(handled);
      }
    };
    const { logger, pool } = this.deps;
    const session = (jobId: string) => openJobSession(pool, jobId, JOB_LOCK_WAIT_MS);
    const worker = (queue: string, lastChance: boolean) =>
      new WorkerLoop(this.boss, queue, pollingMs, session, handle(lastChance), logger);
    // One worker per install this replica may run at once, and one for the dead letters.
    for (let count = 0; count < this.deps.concurrency; count++)
      this.#workers.push(worker(INSTALL_QUEUE, false));
    this.#workers.push(worker(INSTALL_DEAD_LETTER_QUEUE, true));
  }

  /** Runs the group's next install if its locks are free; queues the group's next job after. */
  async #runNext(groupId: string, lastChance: boolean, session: JobSession): Promise<void> {
    const group = await this.deps.store.getInstallGroup(groupId);
    const index = group ? nextToRun(group) : undefined;
    const job = index === undefined ? undefined : group?.jobs[index];
    if (!group || index === undefined || !job) return;
    await this.#awaitFirstMessage(group);
    const lease = await session.takeLease(
      this.deps.executor.exclusiveKeys({ profile: group.profile, identifier: job.identifier }),
      hostSlots(hostOf(group.profile, this.deps.host), this.deps.concurrency),
    );
    if (!lease) {
      await this.#send(groupId, this.#timing.busyRecheckS);
      return;
    }
    const abandon = new AbortController();
    if (session.lost.aborted) abandon.abort();
    session.lost.addEventListener("abort", () => abandon.abort(), { once: true });
    this.#running.add(abandon);
    let after: InstallGroup | undefined;
    try {
      after = await this.#claimAndRun(group, index, lastChance, abandon.signal);
    } finally {
      this.#running.delete(abandon);
      await lease.release();
    }
    // Abandoned (stopping, or the locks' connection lost): the install stays `running` in the
    // store, and failing this job puts it back for a replica that can run it.
    if (abandon.signal.aborted) throw new Error("the install was abandoned before its end");
    const latest = after ?? (await this.deps.store.getInstallGroup(groupId));
    if (latest && nextToRun(latest) !== undefined) await this.#send(groupId);
  }

  async #claimAndRun(
    group: InstallGroup,
    index: number,
    lastChance: boolean,
    abandon: AbortSignal,
  ): Promise<InstallGroup | undefined> {
    let claimed: Claim | undefined;
    const after = await updateGroup(this.deps.pool, this.deps.store, group.id, (current) => {
      const result = claim(current, index, this.#now(), lastChance);
      claimed = result?.claim;
      return result?.group;
    });
    if (!claimed || !after) return undefined;
    this.deps.onChange(after);
    const ended =
      claimed.kind === "run"
        ? await runInstall(
            { ...this.deps, cancelCheckIntervalMs: this.#timing.cancelCheckIntervalMs, now: this.#now },
            { groupId: group.id, index, profile: group.profile, job: claimed.job, abandon },
          )
        : after;
    if (!ended) return undefined;
    if (isGroupFinished(ended))
      this.deps.logger.info(
        { group: ended.id, profile: ended.profile, statuses: ended.jobs.map((job) => job.status) },
        "installs ended",
      );
    await this.#handOver(group.id);
    return ended;
  }

  /**
   * The first install waits a moment for the status message the start replica is sending, so it
   * edits that message instead of sending a second one.
   */
  async #awaitFirstMessage(group: InstallGroup): Promise<void> {
    if (group.messageRef !== undefined) return;
    const deadline =
      Date.now() +
      Math.min(
        this.#timing.firstMessageWaitMs,
        group.createdAt + this.#timing.firstMessageWaitMs - this.#now(),
      );
    while (Date.now() < deadline) {
      await sleep(MESSAGE_POLL_MS);
      if ((await this.deps.store.getInstallGroup(group.id))?.messageRef !== undefined) return;
    }
  }

  /** This replica's last edit (and the message pointer) goes out before another replica may edit. */
  async #handOver(groupId: string): Promise<void> {
    const handedOver = (async () => {
      await this.deps.delivered?.(groupId);
      await this.#refWrites.get(groupId);
    })();
    await Promise.race([handedOver, sleep(this.#timing.handoverWaitMs)]);
  }

  /** Queues a job for the group's next install, after `delaySeconds` when its locks were busy. */
  async #send(groupId: string, delaySeconds = 0): Promise<void> {
    const ticket: Ticket = { groupId };
    await this.boss.send(INSTALL_QUEUE, ticket, {
      expireInSeconds: this.#timing.expireInSeconds,
      retryLimit: DEATH_RETRIES,
      retryDelay: this.#timing.retryDelayS,
      deadLetter: INSTALL_DEAD_LETTER_QUEUE,
      ...(delaySeconds > 0 ? { startAfter: delaySeconds } : {}),
    });
  }
}

/** The host a profile's installs run on: the one its ref names (`<host>:<name>`), else `fallback`. */
export function hostOf(profile: string, fallback: string): string {
  const colon = profile.indexOf(":");
  return colon > 0 ? profile.slice(0, colon) : fallback;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

/** The advisory lock key replicas take to create the install queues ("ab-queue" in ASCII). */
export const QUEUE_CREATION_LOCK = 0x61622d7175657565n;

/** Runs `work` while this connection holds a session advisory lock no other replica can take. */
async function oneReplicaAtATime(pool: pg.Pool, key: bigint, work: () => Promise<void>): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query("SELECT pg_advisory_lock($1)", [key.toString()]);
    try {
      await work();
    } finally {
      await client.query("SELECT pg_advisory_unlock($1)", [key.toString()]);
    }
  } finally {
    client.release();
  }
}
