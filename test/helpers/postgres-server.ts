// A throwaway PostgreSQL cluster for tests: Debian's real server (never a mock), in a temporary
// folder, reachable over loopback TCP only, with trust authentication (nothing but this machine
// can reach it, and it lives for one test run). initdb and postgres refuse to run as root, so
// under root (CI) every server command runs as the `postgres` system user, in a folder it owns.
import { execFile } from "node:child_process";
import { chown, mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { existsSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";

/** Debian and Ubuntu install each major version's binaries here (package `postgresql`). */
const DEBIAN_POSTGRES_ROOT = "/usr/lib/postgresql";
/** Another place for initdb and pg_ctl (a non-Debian install), when set. */
export const POSTGRES_BIN_ENV = "POSTGRES_BIN_DIR";
/** The system user that owns the cluster when the tests run as root. */
const POSTGRES_SYSTEM_USER = "postgres";
/** The cluster's superuser, whom the tests connect as. */
export const POSTGRES_SUPERUSER = "postgres";
/** initdb, a start or a stop that takes longer than this is a hang: the test fails instead of waiting. */
const SERVER_COMMAND_TIMEOUT_MS = 60_000;
/** How many free ports to try when another process takes the one picked before the server binds it. */
const START_ATTEMPTS = 3;

export const HOW_TO_GET_POSTGRES = [
  "The store tests need a real PostgreSQL server (its initdb and pg_ctl binaries).",
  "On Debian or Ubuntu, as root: apt-get update && apt-get install -y postgresql",
  `(.ci/run does this itself), or point ${POSTGRES_BIN_ENV} at a folder holding initdb and pg_ctl.`,
].join("\n");

/** The folder holding initdb and pg_ctl (the newest Debian major version), or undefined. */
export async function findPostgresBin(env: NodeJS.ProcessEnv = process.env): Promise<string | undefined> {
  const given = env[POSTGRES_BIN_ENV];
  if (given) return existsSync(path.join(given, "initdb")) ? given : undefined;
  const versions = existsSync(DEBIAN_POSTGRES_ROOT) ? await readdir(DEBIAN_POSTGRES_ROOT) : [];
  const usable = versions
    .filter((version) => existsSync(path.join(DEBIAN_POSTGRES_ROOT, version, "bin", "initdb")))
    .sort((a, b) => Number(b) - Number(a));
  return usable[0] === undefined ? undefined : path.join(DEBIAN_POSTGRES_ROOT, usable[0], "bin");
}

export interface PostgresServerOptions {
  /**
   * fsync, synchronous commit and full-page writes on, as a production server runs (benchmarks).
   * Off by default: the tests are not about durability, and fsync costs seconds on a shared disk.
   */
  readonly durable?: boolean;
  /** More server settings (`-c name=value`), e.g. shared_preload_libraries. */
  readonly settings?: Readonly<Record<string, string>>;
}

export class PostgresServer {
  private constructor(
    private readonly bin: string,
    /** The temporary folder: the data directory, the unix socket and the server log. */
    readonly dir: string,
    readonly port: number,
    private readonly options: PostgresServerOptions = {},
  ) {}

  /** A new cluster, started. Throws with how to get Postgres when its binaries are missing. */
  static async create(options: PostgresServerOptions = {}): Promise<PostgresServer> {
    const bin = await findPostgresBin();
    if (!bin) throw new Error(`No PostgreSQL binaries found.\n${HOW_TO_GET_POSTGRES}`);
    const dir = await mkdtemp(path.join(os.tmpdir(), "blueprint-postgres-"));
    try {
      if (runningAsRoot()) {
        const { uid, gid } = await systemUser(POSTGRES_SYSTEM_USER);
        await chown(dir, uid, gid);
      }
      await runAsServerUser(bin, "initdb", [
        "--pgdata",
        dataDir(dir),
        "--username",
        POSTGRES_SUPERUSER,
        "--auth",
        "trust",
        "--encoding",
        "UTF8",
        "--no-locale",
        // A test cluster: a crash loses nothing worth keeping.
        "--no-sync",
      ]);
      for (let attempt = 1; ; attempt++) {
        const server = new PostgresServer(bin, dir, await freePort(), options);
        try {
          await server.start();
          return server;
        } catch (error) {
          if (attempt >= START_ATTEMPTS) throw error;
        }
      }
    } catch (error) {
      await rm(dir, { recursive: true, force: true });
      throw error;
    }
  }

  /** The superuser's URL for one database of this cluster. */
  url(database = "postgres"): string {
    return `postgres://${POSTGRES_SUPERUSER}@127.0.0.1:${this.port}/${database}`;
  }

  /** Starts the server and waits until it accepts connections. */
  async start(): Promise<void> {
    const options = [
      `-c listen_addresses=127.0.0.1`,
      `-p ${this.port}`,
      `-c unix_socket_directories=${this.dir}`,
      // Durability is not what these tests are about; fsync costs seconds on a shared disk.
      ...(this.options.durable
        ? []
        : [`-c fsync=off`, `-c synchronous_commit=off`, `-c full_page_writes=off`]),
      ...Object.entries(this.options.settings ?? {}).map(([name, value]) => `-c ${name}=${value}`),
    ].join(" ");
    try {
      await runAsServerUser(this.bin, "pg_ctl", [
        "start",
        "--wait",
        "--pgdata",
        dataDir(this.dir),
        "--log",
        logFile(this.dir),
        "--options",
        options,
      ]);
    } catch (error) {
      throw new Error(`${(error as Error).message}\nserver log:\n${await this.log()}`);
    }
  }

  /** Stops the server (connections are cut, as in a real restart); the data stays. */
  async stop(): Promise<void> {
    await runAsServerUser(this.bin, "pg_ctl", [
      "stop",
      "--wait",
      "--mode",
      "fast",
      "--pgdata",
      dataDir(this.dir),
    ]);
  }

  async restart(): Promise<void> {
    await this.stop();
    await this.start();
  }

  /** The postmaster's process id (the first line of postmaster.pid), while the server runs. */
  async pid(): Promise<number> {
    return Number((await readFile(path.join(dataDir(this.dir), "postmaster.pid"), "utf8")).split("\n")[0]);
  }

  /** Stops the server at once and removes the cluster. */
  async destroy(): Promise<void> {
    await runAsServerUser(this.bin, "pg_ctl", [
      "stop",
      "--wait",
      "--mode",
      "immediate",
      "--pgdata",
      dataDir(this.dir),
    ]).catch(() => undefined);
    await rm(this.dir, { recursive: true, force: true });
  }

  /** The server's log, for a failure message. */
  async log(): Promise<string> {
    return readFile(logFile(this.dir), "utf8").catch(() => "(no log)");
  }
}

function dataDir(dir: string): string {
  return path.join(dir, "data");
}

function logFile(dir: string): string {
  return path.join(dir, "server.log");
}

function runningAsRoot(): boolean {
  return process.getuid?.() === 0;
}

/** Runs one server binary, as the postgres system user when we are root. */
function runAsServerUser(bin: string, command: string, args: readonly string[]): Promise<string> {
  const file = path.join(bin, command);
  const [program, programArgs] = runningAsRoot()
    ? ["runuser", ["-u", POSTGRES_SYSTEM_USER, "--", file, ...args]]
    : [file, [...args]];
  return new Promise((resolve, reject) => {
    // A folder the postgres user may enter, or it complains about the working directory.
    execFile(
      program,
      programArgs,
      { cwd: os.tmpdir(), timeout: SERVER_COMMAND_TIMEOUT_MS, encoding: "utf8" },
      (error, stdout, stderr) => {
        if (error)
          reject(new Error(`${command} ${args.join(" ")} failed: ${error.message}\n${stdout}\n${stderr}`));
        else resolve(stdout);
      },
    );
  });
}

async function systemUser(name: string): Promise<{ uid: number; gid: number }> {
  const passwd = await readFile("/etc/passwd", "utf8");
  const fields = passwd
    .split("\n")
    .map((line) => line.split(":"))
    .find((entry) => entry[0] === name);
  if (!fields)
    throw new Error(`No '${name}' system user (the postgresql package creates it).\n${HOW_TO_GET_POSTGRES}`);
  return { uid: Number(fields[2]), gid: Number(fields[3]) };
}

/** A port nothing listens on now (the server binds it a moment later; create() retries a taken one). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      probe.close(() =>
        typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port")),
      );
    });
  });
}
