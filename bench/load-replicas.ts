// Replica mode of the load benchmark (bench/load.ts with LOAD_REPLICAS=N): N bot replicas started
// exactly as the replica e2e tests start them (test/helpers/replica-cluster.ts: separate
// `node bin/blueprint.js start` processes, Telegram webhook and Discord HTTP interactions, both
// delivered by the fakes to a round-robin proxy, one Postgres database and one HERMES_HOME shared),
// plus what the bench reads around them: each replica's RSS and CPU from /proc, the Postgres
// server's CPU (the postmaster and its backends), and Postgres' own counters for the bench's
// database (transactions from pg_stat_database; statements from pg_stat_statements when the server
// has it loaded). Without LOAD_DATABASE_URL a Postgres 15 cluster is started for the run
// (test/helpers/postgres-server.ts), durable (fsync on, as a production server) and with
// pg_stat_statements preloaded, WAL I/O timed.
import { readdir, readFile } from "node:fs/promises";
import pg from "pg";
import { DEFAULT_MODEL_LIST_TIMEOUT_MS, DEFAULT_PROGRESS_MIN_INTERVAL_MS } from "../src/app/system/config.ts";
import { dropDatabase } from "../test/helpers/postgres-database.ts";
import { PostgresServer } from "../test/helpers/postgres-server.ts";
import { ThreadedRoundRobinProxy } from "../test/helpers/proxy-thread.ts";
import { ReplicaCluster } from "../test/helpers/replica-cluster.ts";
import { RoundRobinProxy, type LoadBalancer } from "../test/helpers/round-robin-proxy.ts";
import { freshDatabase } from "./fresh-database.ts";

const CLOCK_TICKS_PER_S = 100; // USER_HZ on Linux
/** A tag on the bench's own statements, so that pg_stat_statements' count can leave them out. */
const OWN = "/* bench-load */";

export interface ReplicaRunOptions {
  readonly replicas: number;
  /** The run's folder: the shared HERMES_HOME and each replica's DATA_DIR go under it. */
  readonly root: string;
  /** An admin URL of a running server; without it a cluster is started for the run. */
  readonly adminUrl: string | undefined;
  readonly telegramUsers: readonly number[];
  readonly discordUsers: readonly string[];
  /** Arguments for node in every replica (LOAD_NODE_FLAGS and the memory probe). */
  readonly nodeArgs: readonly string[];
  /** More environment for replica i (its MEMORY_PROBE_FILE). */
  readonly envFor: (index: number) => Record<string, string>;
  /**
   * Where the round-robin proxy runs: in a worker thread of its own (as a real load balancer runs
   * apart from the platforms' senders), or in the bench's thread with the fakes and the users
   * (the runs before, kept to compare: there it accepts its connections late).
   */
  readonly proxyPlace: ProxyPlace;
}

export type ProxyPlace = "own thread" | "bench thread";

/** Counters of the bench's database, each minus the bench's own queries between two readings. */
export interface PostgresCounters {
  /** xact_commit + xact_rollback of the database (pg_stat_database). */
  readonly transactions: number;
  /** Calls of every statement on the database (pg_stat_statements), when available. */
  readonly statements: number | undefined;
  /** Queries the bench itself ran on the database before this reading (to subtract). */
  readonly own: number;
  /**
   * The whole server's WAL flushes to disk (pg_stat_wal's wal_sync: the fsyncs a commit waits
   * for, several commits sharing one when they come together) and the time spent in them (ms;
   * 0 unless track_wal_io_timing is on, as in the cluster the bench starts).
   */
  readonly walSyncs: number;
  readonly walSyncMs: number;
}

export class ReplicaRun {
  #ownQueries = 0;

  private constructor(
    readonly cluster: ReplicaCluster<LoadBalancer>,
    /** The cluster started for this run, when LOAD_DATABASE_URL was not given. */
    private readonly server: PostgresServer | undefined,
    readonly databaseUrl: string,
    /** The bench's own connection to the run's database (sessions, counters). */
    private readonly client: pg.Client,
    /** Whether pg_stat_statements can be read on this server. */
    readonly statementsAvailable: boolean,
    /** Why pg_stat_statements is not read, when it is not. */
    readonly statementsWhyNot: string,
  ) {}

  static async start(options: ReplicaRunOptions): Promise<ReplicaRun> {
    const server = options.adminUrl
      ? undefined
      : await PostgresServer.create({
          durable: true,
          settings: { shared_preload_libraries: "pg_stat_statements", track_wal_io_timing: "on" },
        });
    try {
      const adminUrl = options.adminUrl ?? server?.url() ?? "";
      const databaseUrl = await freshDatabase(adminUrl);
      const client = new pg.Client({ connectionString: databaseUrl });
      await client.connect();
      const preloaded = String(
        (await client.query<{ shared_preload_libraries: string }>("SHOW shared_preload_libraries")).rows[0]
          ?.shared_preload_libraries ?? "",
      );
      let statementsWhyNot = "";
      if (preloaded.split(",").some((name) => name.trim() === "pg_stat_statements"))
        await client
          .query("CREATE EXTENSION IF NOT EXISTS pg_stat_statements")
          .catch((error: Error) => (statementsWhyNot = `CREATE EXTENSION failed: ${error.message}`));
      else
        statementsWhyNot =
          "the server at LOAD_DATABASE_URL does not preload pg_stat_statements (that takes a restart)";
      const cluster = await ReplicaCluster.start(
        {
          replicas: options.replicas,
          root: options.root,
          databaseUrl,
          telegramUsers: options.telegramUsers,
          discordUsers: options.discordUsers,
          env: {
            // The tests' shorter timings and trace log set back to what a deployment runs with (as
            // the embedded bench's bot does); info keeps the lines the cluster waits for at start.
            MODEL_LIST_TIMEOUT_MS: String(DEFAULT_MODEL_LIST_TIMEOUT_MS),
            PROGRESS_MIN_INTERVAL_MS: String(DEFAULT_PROGRESS_MIN_INTERVAL_MS),
            LOG_LEVEL: "info",
          },
          envFor: options.envFor,
          nodeArgs: options.nodeArgs,
        },
        (targets): LoadBalancer =>
          options.proxyPlace === "own thread"
            ? new ThreadedRoundRobinProxy(targets)
            : new RoundRobinProxy(targets),
      );
      return new ReplicaRun(cluster, server, databaseUrl, client, statementsWhyNot === "", statementsWhyNot);
    } catch (error) {
      await server?.destroy();
      throw error;
    }
  }

  get telegram() {
    return this.cluster.telegram;
  }

  get discord() {
    return this.cluster.discord;
  }

  get hermesHome(): string {
    return this.cluster.hermesHome;
  }

  /** The replicas' process ids, in replica order. */
  get pids(): number[] {
    return this.cluster.set.replicas.map((replica) => replica.cli.child.pid ?? 0);
  }

  /** Whether Postgres is one the bench started (its pid known) or found by process name. */
  get postgresOwn(): boolean {
    return this.server !== undefined;
  }

  async #query<Row extends pg.QueryResultRow>(sql: string): Promise<Row[]> {
    this.#ownQueries += 1;
    return (await this.client.query<Row>(`${OWN} ${sql}`)).rows;
  }

  /** Open wizards and their stored state's size, as the shared database holds them. */
  async sessions(): Promise<{ open: number; bytes: number }> {
    const [row] = await this.#query<{ open: string; bytes: string }>(
      "SELECT count(*) AS open, coalesce(sum(octet_length(state::text)), 0) AS bytes FROM wizard_sessions",
    );
    return { open: Number(row?.open ?? 0), bytes: Number(row?.bytes ?? 0) };
  }

  /**
   * What the replicas' connections to the database are doing now (pg_stat_activity): how many
   * are in each state and wait event ("active", "idle in transaction", "active Lock:tuple", …).
   */
  async activity(): Promise<Map<string, number>> {
    const rows = await this.#query<{ what: string; count: string }>(
      `SELECT concat_ws(' ', state, wait_event_type || ':' || wait_event) AS what, count(*) AS count
       FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() GROUP BY 1`,
    );
    return new Map(rows.map((row) => [row.what, Number(row.count)]));
  }

  /** The statements that took the most time on the database (pg_stat_statements), when available. */
  async topStatements(count: number): Promise<string[]> {
    if (!this.statementsAvailable) return [];
    const rows = await this.#query<{ query: string; calls: string; total: number; mean: number }>(
      `SELECT query, calls, total_exec_time AS total, mean_exec_time AS mean FROM pg_stat_statements
       WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
         AND query NOT LIKE '%bench-load%'
       ORDER BY total_exec_time DESC LIMIT ${count}`,
    );
    return rows.map(
      (row) =>
        `\`${row.query.replace(/\s+/g, " ").slice(0, 90)}\` ${row.calls} calls, ${(row.total / 1000).toFixed(1)} s, ${row.mean.toFixed(2)} ms each`,
    );
  }

  /** The database's size on disk (pg_database_size), bytes. */
  async databaseBytes(): Promise<number> {
    const [row] = await this.#query<{ bytes: string }>(
      "SELECT pg_database_size(current_database()) AS bytes",
    );
    return Number(row?.bytes ?? 0);
  }

  /**
   * The database's transaction and statement counts now. Backends send their counts to the
   * statistics at most once a second (and when idle), so take a reading after a quiet moment.
   */
  async counters(): Promise<PostgresCounters> {
    const own = this.#ownQueries;
    const [row] = await this.#query<{ transactions: string }>(
      "SELECT xact_commit + xact_rollback AS transactions FROM pg_stat_database WHERE datname = current_database()",
    );
    let statements: number | undefined;
    if (this.statementsAvailable) {
      const [calls] = await this.#query<{ calls: string }>(
        `SELECT coalesce(sum(calls), 0) AS calls FROM pg_stat_statements
         WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
           AND query NOT LIKE '%bench-load%'`,
      );
      statements = Number(calls?.calls ?? 0);
    }
    const [wal] = await this.#query<{ wal_sync: string; wal_sync_time: number }>(
      "SELECT wal_sync, wal_sync_time FROM pg_stat_wal",
    );
    return {
      transactions: Number(row?.transactions ?? 0),
      statements,
      own,
      walSyncs: Number(wal?.wal_sync ?? 0),
      walSyncMs: Number(wal?.wal_sync_time ?? 0),
    };
  }

  /**
   * CPU seconds of the Postgres server: the postmaster's own and its reaped children's (exited
   * backends), plus its live children's. The bench's own cluster is known by its pid; a server at
   * LOAD_DATABASE_URL is found by process name (every `postgres` postmaster on the machine).
   */
  async postgresCpuSeconds(): Promise<number> {
    const processes = await allProcesses();
    const postmasters = this.server
      ? [await this.server.pid()]
      : processes
          .filter(
            (p) => p.comm === "postgres" && processes.find((q) => q.pid === p.ppid)?.comm !== "postgres",
          )
          .map((p) => p.pid);
    let ticks = 0;
    for (const p of processes) {
      if (postmasters.includes(p.pid)) ticks += p.utime + p.stime + p.cutime + p.cstime;
      else if (postmasters.includes(p.ppid)) ticks += p.utime + p.stime;
    }
    return ticks / CLOCK_TICKS_PER_S;
  }

  /** Warning and error lines (pino level ≥ 40) each replica logged, with the first few texts. */
  logProblems(): { perReplica: number[]; first: string[] } {
    const first: string[] = [];
    const perReplica = this.cluster.set.replicas.map((replica) => {
      let count = 0;
      for (const line of replica.output().split("\n")) {
        let level = 0;
        let msg = line;
        try {
          const parsed = JSON.parse(line) as Record<string, unknown> & { level?: number; msg?: string };
          level = parsed.level ?? 0;
          const { level: _level, time: _time, pid: _pid, hostname: _host, msg: text, ...fields } = parsed;
          msg = `${text ?? ""} ${JSON.stringify(fields)}`;
        } catch {
          // Not a log line (a stack trace or a warning of node's): counted as a problem.
          level = line.trim() === "" ? 0 : 50;
        }
        if (level < 40) continue;
        count += 1;
        if (first.length < 10) first.push(`replica ${replica.index}: ${msg.slice(0, 300)}`);
      }
      return count;
    });
    return { perReplica, first };
  }

  /** Stops the replicas, the fakes and the proxy; drops the run's database; stops our cluster. */
  async stop(): Promise<void> {
    await this.cluster.stop();
    await this.client.end();
    if (this.server) {
      await this.server.destroy();
      return;
    }
    await dropDatabase(this.databaseUrl);
  }
}

interface ProcessTimes {
  pid: number;
  ppid: number;
  comm: string;
  utime: number;
  stime: number;
  cutime: number;
  cstime: number;
}

/** Every process's parent, name and CPU ticks (/proc/<pid>/stat). */
async function allProcesses(): Promise<ProcessTimes[]> {
  const pids = (await readdir("/proc")).filter((name) => /^\d+$/.test(name));
  const found = await Promise.all(
    pids.map(async (pid) => {
      const stat = await readFile(`/proc/${pid}/stat`, "utf8").catch(() => "");
      if (!stat) return undefined;
      const comm = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
      // After the ") ": state is field 3; ppid 4; utime, stime, cutime, cstime 14–17.
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      return {
        pid: Number(pid),
        ppid: Number(fields[1]),
        comm,
        utime: Number(fields[11]),
        stime: Number(fields[12]),
        cutime: Number(fields[13]),
        cstime: Number(fields[14]),
      };
    }),
  );
  return found.filter((entry): entry is ProcessTimes => entry !== undefined);
}

/** CPU seconds (user + system) of one process. */
export async function processCpuSeconds(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, "utf8").catch(() => "");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11] ?? 0) + Number(fields[12] ?? 0)) / CLOCK_TICKS_PER_S;
}

/** Resident memory of one process, KiB (0 once it has gone). */
export async function processRssKb(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, "utf8").catch(() => "");
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
}
