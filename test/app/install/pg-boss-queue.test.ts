// The replicated mode's install queue on the real Postgres (never a mock): two PgBossInstallJobs on
// one database stand for two replicas; a fake installer (in this process, shared by both) records
// which replica ran what and when. A replica's death is its Postgres sessions ending and its pool
// refusing every call, with nothing failed or completed on the way out.
import { randomBytes } from "node:crypto";
import type pg from "pg";
import PgBoss from "pg-boss";
import { afterEach, describe, expect, it } from "vitest";
import { ProgressReporter } from "../../../src/app/install/progress-reporter.ts";
import { openJobSession } from "../../../src/app/install/pg-boss/install-lease.ts";
import { InstallReaper } from "../../../src/app/install/pg-boss/install-reaper.ts";
import { PgBossInstallJobs } from "../../../src/app/install/pg-boss/pg-boss-install-jobs.ts";
import { createQueuePool, QUEUE_CONNECT_TIMEOUT_MS } from "../../../src/app/install/pg-boss/queue-pool.ts";
import {
  DEATH_RETRIES,
  expiryRecoverySeconds,
  INSTALL_QUEUE,
  JOB_LOCK_WAIT_MS,
  PGBOSS_SCHEMA,
  queueTiming,
  REAP_GRACE_S,
  reapPassSeconds,
  worstRecoveryAfterVanishSeconds,
  worstRecoverySeconds,
  type QueueTiming,
} from "../../../src/app/install/pg-boss/queue-limits.ts";
import type {
  InstallEnd,
  InstallExecutor,
  InstallIo,
  InstallRequest,
} from "../../../src/app/ports/install-executor.ts";
import type { PortResult } from "../../../src/app/ports/wizard-output.ts";
import { PostgresStore } from "../../../src/app/store/postgres/postgres-store.ts";
import type { InstallGroup } from "../../../src/core/install/install-job.ts";
import {
  adminQuery,
  createDatabase,
  dropDatabase,
  postgresClusterUrl,
} from "../../helpers/postgres-database.ts";
import { memoryLogger } from "../../helpers/silent-logger.ts";
import { ALICE } from "../../helpers/wizard-driver.ts";

/** Short enough for a test, and still above pg-boss's minimums. */
const TEST_TIMING: Partial<QueueTiming> = {
  expireInSeconds: 3,
  retryDelayS: 0,
  maintenanceIntervalS: 1,
  reapIntervalS: 0.3,
  reapGraceS: 1,
  pollingIntervalS: 0.5,
  busyRecheckS: 1,
  cancelCheckIntervalMs: 200,
  firstMessageWaitMs: 1_000,
  handoverWaitMs: 1_000,
  stopWaitMs: 1_000,
};
const RUN_MS = 150;

interface Run {
  readonly replica: string;
  readonly profile: string;
  readonly identifier: string;
  readonly start: number;
  end?: number;
  outcome?: "installed" | "canceled";
}

/** The one installer both replicas call: it records every run; `hang` ones run until stopped. */
class RecordingInstaller {
  readonly runs: Run[] = [];
  readonly hang = new Set<string>();
  slow = new Map<string, number>();
  running = 0;
  maxRunning = 0;

  for(replica: string): InstallExecutor {
    return {
      canStopRunning: true,
      exclusiveKeys: (request: InstallRequest) => [`profile:${request.profile}`],
      run: (request, io) => this.#run(replica, request, io),
    };
  }

  async #run(replica: string, request: InstallRequest, io: InstallIo): Promise<InstallEnd> {
    const run: Run = { replica, ...request, start: Date.now() };
    this.runs.push(run);
    this.running += 1;
    this.maxRunning = Math.max(this.maxRunning, this.running);
    try {
      const ms = this.hang.has(`${replica}:${request.identifier}`)
        ? 3_600_000
        : (this.slow.get(request.identifier) ?? RUN_MS);
      const finished = await new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => resolve(true), ms);
        io.signal.addEventListener("abort", () => {
          clearTimeout(timer);
          resolve(false);
        });
      });
      if (!finished) {
        run.outcome = "canceled";
        return { kind: "canceled" };
      }
      const name = request.identifier.split("/").at(-1) ?? "";
      io.onLine(`Installed: ${name}`);
      io.onRecords?.({ before: [], after: [{ name, identifier: request.identifier, version: "1" }] });
      run.outcome = "installed";
      return { kind: "exited", exitCode: 0 };
    } finally {
      run.end = Date.now();
      this.running -= 1;
    }
  }
}

/** Status calls of every replica's reporter, in order. */
interface StatusCall {
  readonly replica: string;
  readonly kind: "send" | "edit";
  readonly ref: string;
  readonly text: string;
}

interface Replica {
  readonly name: string;
  readonly jobs: PgBossInstallJobs;
  readonly store: PostgresStore;
  readonly applicationName: string;
  readonly pool: pg.Pool;
}

const databases: string[] = [];
const replicas: Replica[] = [];
afterEach(async () => {
  for (const replica of replicas.splice(0)) {
    await replica.jobs.stop();
    await replica.store.close().catch(() => undefined);
  }
  for (const url of databases.splice(0)) await dropDatabase(url);
});

async function world() {
  const url = await createDatabase(postgresClusterUrl());
  databases.push(url);
  const installer = new RecordingInstaller();
  const calls: StatusCall[] = [];
  let messages = 0;
  const open = async (
    name: string,
    concurrency = 2,
    timing: Partial<QueueTiming> = TEST_TIMING,
  ): Promise<Replica> => {
    const { logger } = memoryLogger();
    const store = await PostgresStore.open(url, logger);
    const applicationName = `pgboss-test-${name}-${randomBytes(3).toString("hex")}`;
    const pool = createQueuePool(url, concurrency, logger, applicationName);
    const holder: { jobs?: PgBossInstallJobs } = {};
    const reporter = new ProgressReporter({
      portFor: () => ({
        sendStatus: (_chat, view): Promise<PortResult> => {
          messages += 1;
          const ref = `message-${messages}`;
          calls.push({ replica: name, kind: "send", ref, text: view.body.join("\n") });
          return Promise.resolve({ ok: true, ref });
        },
        editStatus: (_chat, ref, view): Promise<PortResult> => {
          calls.push({ replica: name, kind: "edit", ref, text: view.body.join("\n") });
          return Promise.resolve({ ok: true });
        },
      }),
      minIntervalMs: 20,
      logger,
      onMessage: (groupId, ref) => holder.jobs?.keepMessageRef(groupId, ref),
    });
    const jobs = await PgBossInstallJobs.open({
      pool,
      store,
      executor: installer.for(name),
      concurrency,
      timeoutMs: 60_000,
      host: "hermes-box",
      logger,
      onChange: (group) => reporter.update(group),
      delivered: (groupId) => reporter.delivered(groupId),
      timing,
    });
    holder.jobs = jobs;
    const replica: Replica = { name, jobs, store, applicationName, pool };
    replicas.push(replica);
    return replica;
  };
  /** Dies: its sessions end at the server, and nothing of it reaches Postgres again. */
  const kill = async (replica: Replica) => {
    // No new connection from now on; the ones it holds (its locks among them) end at the server.
    const ending = replica.pool.end();
    await replica.store.close();
    await adminQuery(
      url,
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = '${replica.applicationName}'`,
    );
    await ending;
  };
  const group = async (replica: Replica, id: string) => {
    const found = await replica.store.getInstallGroup(id);
    if (!found) throw new Error(`no group ${id}`);
    return found;
  };
  const bossJobs = async (groupId: string) =>
    (
      await adminQuery(
        url,
        `SELECT id, state, retry_count FROM pgboss.job WHERE name = '${INSTALL_QUEUE}' AND data->>'groupId' = '${groupId}'`,
      )
    )[0]?.rows as { id: string; state: string; retry_count: number }[];
  return { url, installer, calls, open, kill, group, bossJobs };
}

const until = async (what: () => boolean | Promise<boolean>, ms = 15_000) => {
  const deadline = Date.now() + ms;
  while (!(await what())) {
    if (Date.now() > deadline) throw new Error("waited too long");
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
};

const statuses = (group: InstallGroup) => group.jobs.map((job) => job.status);

describe("GIVEN the install queue on pg-boss (replicas sharing Postgres)", () => {
  it("WHEN four replicas open the queue at once on a fresh database THEN all start (pg-boss's schema and queues made once)", async () => {
    const { open } = await world();
    const opened = await Promise.allSettled(["a", "b", "c", "d"].map((name) => open(name)));
    expect(opened.map((result) => result.status)).toEqual([
      "fulfilled",
      "fulfilled",
      "fulfilled",
      "fulfilled",
    ]);
  });

  it("WHEN a group is started THEN its installs run and their statuses land in the store", async () => {
    const { open, group, installer } = await world();
    const replica = await open("a");
    const started = await replica.jobs.start(ALICE, "telegram", "c1", "p1", ["hub/x", "hub/y"]);
    await replica.jobs.idle();
    const stored = await group(replica, started.id);
    expect(statuses(stored)).toEqual(["done", "done"]);
    expect(stored.jobs.map((job) => job.attempts)).toEqual([1, 1]);
    expect(installer.runs.map((run) => run.identifier)).toEqual(["hub/x", "hub/y"]);
  });

  it("WHEN two replicas share the queue THEN every install runs exactly once, one profile's never overlap, and a host never runs more than INSTALL_CONCURRENCY at once", async () => {
    const { open, group, installer } = await world();
    const a = await open("a");
    const b = await open("b");
    const profiles = ["p1", "p2", "p3", "p4"];
    const groups = await Promise.all(
      profiles.map((profile, at) =>
        (at % 2 === 0 ? a : b).jobs.start(ALICE, "telegram", `c-${profile}`, profile, [
          "hub/x",
          "hub/y",
          "hub/z",
        ]),
      ),
    );
    // Two groups of one profile at once (a Create's installs, then an edit's).
    groups.push(await b.jobs.start(ALICE, "telegram", "c-p1", "p1", ["hub/w"]));
    await a.jobs.idle();
    await b.jobs.idle();
    for (const started of groups)
      expect(statuses(await group(a, started.id))).toEqual(started.jobs.map(() => "done"));
    const keys = installer.runs.map((run) => `${run.profile}:${run.identifier}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys).toHaveLength(13);
    for (const profile of profiles) {
      const runs = installer.runs
        .filter((run) => run.profile === profile)
        .sort((one, other) => one.start - other.start);
      for (let at = 1; at < runs.length; at++)
        expect(runs[at]?.start).toBeGreaterThanOrEqual(runs[at - 1]?.end ?? Infinity);
    }
    // Both replicas ran installs, and never more than 2 (the host's bound) at once between them.
    expect(new Set(installer.runs.map((run) => run.replica))).toEqual(new Set(["a", "b"]));
    expect(installer.maxRunning).toBeLessThanOrEqual(2);
  });

  it("WHEN the replica running an install dies THEN the reaper sees its heartbeat lock gone and another replica runs it again under the same pg-boss job id, long before the expiry, once, keeping the one status message", async () => {
    const { open, kill, group, installer, calls, bossJobs } = await world();
    // An expiry far beyond the test: only the reaper can bring the job back in time.
    const timing = { ...TEST_TIMING, expireInSeconds: 120 };
    const a = await open("a", 2, timing);
    installer.hang.add("a:hub/x");
    const started = await a.jobs.start(ALICE, "telegram", "c1", "p1", ["hub/x"]);
    await until(() => installer.runs.some((run) => run.replica === "a"));
    const [ticket] = await bossJobs(started.id);
    expect(ticket?.state).toBe("active");
    const b = await open("b", 2, timing);
    const diedAt = Date.now();
    await kill(a);
    await until(async () => statuses(await group(b, started.id))[0] === "done", 20_000);
    const recoveredInMs = Date.now() - diedAt;
    await b.jobs.idle();

    const stored = await group(b, started.id);
    expect(stored.jobs[0]).toMatchObject({ status: "done", attempts: 2 });
    const finished = installer.runs.filter((run) => run.outcome === "installed");
    expect(finished.map((run) => run.replica)).toEqual(["b"]);
    // The same pg-boss job, retried once (the reaper's fail), and completed.
    expect(await bossJobs(started.id)).toEqual([{ id: ticket?.id, state: "completed", retry_count: 1 }]);
    // One status message: sent by the replica that started the group, edited by the one that ended it.
    expect(calls.filter((call) => call.kind === "send")).toHaveLength(1);
    expect(stored.messageRef).toBe("message-1");
    const edits = calls.filter((call) => call.kind === "edit" && call.replica === "b");
    expect(edits.length).toBeGreaterThan(0);
    expect(edits.every((call) => call.ref === "message-1")).toBe(true);
    // Within the reaper's bound (grace + a jittered pass + retry delay + a poll, and slack for the
    // run itself), far below the expiry.
    const bound = worstRecoverySeconds({ ...queueTiming(60_000), ...timing }) + 2;
    expect(bound).toBeLessThan(timing.expireInSeconds / 10);
    expect(recoveredInMs).toBeLessThan(bound * 1000);
  });

  it("WHEN no reaper reaches a dead replica's job THEN pg-boss's expiry still brings it back under the same job id", async () => {
    const { open, kill, group, installer, bossJobs } = await world();
    // A grace longer than the expiry: the reaper never acts first; the expiry is the backstop.
    const timing = { ...TEST_TIMING, reapGraceS: 60 };
    const a = await open("a", 2, timing);
    installer.hang.add("a:hub/x");
    const started = await a.jobs.start(ALICE, "telegram", "c1", "p1", ["hub/x"]);
    await until(() => installer.runs.some((run) => run.replica === "a"));
    const [ticket] = await bossJobs(started.id);
    const b = await open("b", 2, timing);
    const diedAt = Date.now();
    await kill(a);
    await until(async () => statuses(await group(b, started.id))[0] === "done", 20_000);
    const recoveredInMs = Date.now() - diedAt;
    await b.jobs.idle();
    expect((await group(b, started.id)).jobs[0]).toMatchObject({ status: "done", attempts: 2 });
    expect(await bossJobs(started.id)).toEqual([{ id: ticket?.id, state: "completed", retry_count: 1 }]);
    expect(recoveredInMs).toBeLessThan(
      (expiryRecoverySeconds({ ...queueTiming(60_000), ...timing }) + 2) * 1000,
    );
  });

  it("WHEN an install runs through many reaper passes of two replicas THEN it is never reaped: it runs once, attempts 1, its job never retried", async () => {
    const { open, group, installer, bossJobs } = await world();
    const a = await open("a");
    const b = await open("b");
    // 3 s: about ten passes of each replica's reaper, three times the grace.
    installer.slow.set("hub/x", 3_000);
    const started = await a.jobs.start(ALICE, "telegram", "c1", "p1", ["hub/x"]);
    await a.jobs.idle();
    await b.jobs.idle();
    expect((await group(a, started.id)).jobs[0]).toMatchObject({ status: "done", attempts: 1 });
    expect(installer.runs.map((run) => [run.identifier, run.outcome])).toEqual([["hub/x", "installed"]]);
    expect(await bossJobs(started.id)).toEqual([
      expect.objectContaining({ state: "completed", retry_count: 0 }),
    ]);
  });

  it("WHEN an active job has no session THEN the reaper leaves it for the grace, never while its heartbeat lock is held, and then fails it for a retry under the same id", async () => {
    const { url, open } = await world();
    // pg-boss's schema and queues, as a replica makes them.
    await open("a");
    const { logger } = memoryLogger();
    const pool = createQueuePool(url, 1, logger, "pgboss-test-reaper");
    const boss = new PgBoss({
      connectionString: url,
      schema: PGBOSS_SCHEMA,
      supervise: false,
      schedule: false,
    });
    boss.on("error", () => undefined);
    await boss.start();
    const queue = `reaper-probe-${randomBytes(3).toString("hex")}`;
    await boss.createQueue(queue, { name: queue, retryLimit: 1, retryDelay: 60 });
    const graceS = 1;
    const reaper = new InstallReaper({ pool, boss, queues: [queue], intervalS: 60, graceS, logger });
    try {
      const id = await boss.send(queue, {});
      const [fetched] = await boss.fetch(queue);
      expect(fetched?.id).toBe(id);
      const fetchedAt = Date.now();
      // Fetched, its session not yet open: within the grace it is left alone.
      expect(await reaper.reapOnce()).toEqual([]);
      expect(Date.now() - fetchedAt).toBeLessThan(graceS * 1000);
      // Past the grace, but its session holds the heartbeat lock: left alone.
      const session = await openJobSession(pool, id ?? "", JOB_LOCK_WAIT_MS);
      await new Promise((resolve) => setTimeout(resolve, graceS * 1000 + 200));
      expect(await reaper.reapOnce()).toEqual([]);
      // The session gone (its replica died): failed, and pg-boss will offer it again, same id.
      await session.close();
      expect(await reaper.reapOnce()).toEqual([id]);
      const job = await boss.getJobById(queue, id ?? "");
      // pg-boss 10 counts the retry when the job is fetched again.
      expect(job).toMatchObject({ id, state: "retry", retryCount: 0 });
      expect(await reaper.reapOnce()).toEqual([]);
    } finally {
      await reaper.stop();
      await boss.stop({ graceful: false, close: true });
      await pool.end();
    }
  });

  it("WHEN the replica running an install stops THEN after STOP_WAIT_MS it lets go and another replica runs it again under the same job id", async () => {
    const { open, group, installer, bossJobs } = await world();
    const a = await open("a");
    installer.hang.add("a:hub/x");
    const started = await a.jobs.start(ALICE, "telegram", "c1", "p1", ["hub/x"]);
    await until(() => installer.runs.some((run) => run.replica === "a"));
    const [ticket] = await bossJobs(started.id);
    const b = await open("b");
    await a.jobs.stop();
    await b.jobs.idle();
    expect((await group(b, started.id)).jobs[0]).toMatchObject({ status: "done", attempts: 2 });
    expect(installer.runs.map((run) => [run.replica, run.outcome])).toEqual([
      ["a", "canceled"],
      ["b", "installed"],
    ]);
    expect(await bossJobs(started.id)).toEqual([{ id: ticket?.id, state: "completed", retry_count: 1 }]);
  });

  it("WHEN Cancel and then Retry are pressed on another replica than the one running THEN the running install stops, the queued one never runs, and Retry runs both", async () => {
    const { open, group, installer, calls } = await world();
    const a = await open("a");
    installer.slow.set("hub/x", 10_000);
    const started = await a.jobs.start(ALICE, "telegram", "c1", "p1", ["hub/x", "hub/y"]);
    await until(() => installer.runs.some((run) => run.identifier === "hub/x"));
    const b = await open("b");
    const editsBefore = calls.filter((call) => call.replica === "b").length;
    expect(await b.jobs.cancel(started.id, ALICE)).toMatchObject({ ok: true });
    await until(
      async () => statuses(await group(b, started.id)).every((status) => status === "canceled"),
      5_000,
    );
    expect(installer.runs.map((run) => [run.identifier, run.outcome])).toEqual([["hub/x", "canceled"]]);
    // The replica that ran it edited the message; the one where Cancel was pressed did not.
    expect(calls.filter((call) => call.replica === "b").length).toBe(editsBefore);

    installer.slow.delete("hub/x");
    expect(await b.jobs.retry(started.id, ALICE)).toMatchObject({ ok: true, text: "Retrying 2 install(s)." });
    await a.jobs.idle();
    const stored = await group(a, started.id);
    expect(statuses(stored)).toEqual(["done", "done"]);
    expect(stored.jobs.map((job) => job.attempts)).toEqual([2, 1]);
  });

  it("THEN the real timings follow INSTALL_TIMEOUT_S and give a bounded recovery", () => {
    const timing = queueTiming(300_000);
    expect(timing.expireInSeconds).toBe(360);
    // A killed replica: grace + a jittered pass (5 s + 20 %) + retry delay + a poll.
    expect(reapPassSeconds(timing)).toBe(6);
    expect(worstRecoverySeconds(timing)).toBe(19);
    // A vanished one: the keepalive (10 + 5 × 3) instead of the grace.
    expect(worstRecoveryAfterVanishSeconds(timing)).toBe(34);
    // The backstop, should no reaper act.
    expect(expiryRecoverySeconds(timing)).toBe(393);
    expect(DEATH_RETRIES).toBe(2);
  });

  it("THEN the reaper's grace outlasts the longest a live job goes without its heartbeat (a pooled connection, then the lock)", () => {
    expect(REAP_GRACE_S * 1000).toBeGreaterThan(QUEUE_CONNECT_TIMEOUT_MS + JOB_LOCK_WAIT_MS);
    expect(REAP_GRACE_S).toBeLessThan(queueTiming(300_000).expireInSeconds);
  });
});
