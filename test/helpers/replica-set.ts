// N bot replicas as separate processes, each started as `npm start` starts the bot
// (`node bin/blueprint.js start`), with only the environment different per replica: its own
// HTTP_PORT and DATA_DIR; the rest (the Postgres DATABASE_URL, the Telegram webhook URL and secret,
// the Discord public key, the API roots, the shared HERMES_HOME) as the test gives it. A replica can
// be killed (SIGKILL, as a crash or an OOM kill does) and its log read.
import { createServer } from "node:http";
import { mkdir } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { REPO_ROOT, startCli, waitForOutput, type StartedCli } from "./cli.ts";
import { ancestorsOf } from "./process-tree.ts";

export interface Replica {
  readonly index: number;
  /** `http://127.0.0.1:<HTTP_PORT>` */
  readonly origin: string;
  readonly dataDir: string;
  readonly cli: StartedCli;
  /** Everything it printed (its JSON log lines). */
  readonly output: () => string;
  /** Whether the process is still running. */
  readonly alive: () => boolean;
}

export interface ReplicaSetOptions {
  readonly count: number;
  /** Under it, each replica's DATA_DIR (replica-<i>). */
  readonly root: string;
  /** The environment every replica gets (HTTP_PORT and DATA_DIR are added per replica). */
  readonly env: Record<string, string>;
  /** More environment for one replica (e.g. another DATABASE_URL, to show a test can fail). */
  readonly envFor?: (index: number) => Record<string, string>;
  /** Log lines each replica must print before it counts as started. */
  readonly readyWhen: readonly string[];
  /** Arguments for node itself, before bin/blueprint.js (bench/load.ts: its memory probe). */
  readonly nodeArgs?: readonly string[];
}

export class ReplicaSet {
  private constructor(readonly replicas: Replica[]) {}

  static async start(options: ReplicaSetOptions): Promise<ReplicaSet> {
    const replicas = await Promise.all(
      Array.from({ length: options.count }, async (_unused, index) => {
        const port = await freeLoopbackPort();
        const dataDir = path.join(options.root, `replica-${index}`);
        await mkdir(dataDir, { recursive: true });
        const cli = startCli(
          ["start"],
          {
            BLUEPRINT_LIBRARY: path.join(REPO_ROOT, "library"),
            ...options.env,
            ...options.envFor?.(index),
            DATA_DIR: dataDir,
            HTTP_PORT: String(port),
          },
          options.nodeArgs,
        );
        let exited = false;
        void cli.closed.then(() => (exited = true));
        const replica: Replica = {
          index,
          origin: `http://127.0.0.1:${port}`,
          dataDir,
          cli,
          output: cli.output,
          alive: () => !exited,
        };
        return replica;
      }),
    );
    const set = new ReplicaSet(replicas);
    try {
      for (const replica of replicas)
        for (const line of options.readyWhen) await waitForOutput(replica.cli, line, 60_000);
    } catch (error) {
      await set.stop();
      throw error;
    }
    return set;
  }

  get origins(): string[] {
    return this.replicas.map((replica) => replica.origin);
  }

  at(index: number): Replica {
    const replica = this.replicas[index];
    if (!replica) throw new Error(`no replica ${index}`);
    return replica;
  }

  /** The replica that `pid` (an installer, say) runs under, if any: its parents are walked up. */
  async ancestorOf(pid: number): Promise<number | undefined> {
    const parents = await ancestorsOf(pid);
    return this.replicas.find((replica) => parents.includes(replica.cli.child.pid ?? -1))?.index;
  }

  /** SIGKILL: no stop handler runs, nothing is flushed, connections are cut. */
  async kill(index: number): Promise<void> {
    const replica = this.at(index);
    if (!replica.alive()) return;
    replica.cli.child.kill("SIGKILL");
    await replica.cli.closed;
  }

  /** SIGTERM to every replica still running, and their ends awaited (SIGKILL after 10 s). */
  async stop(): Promise<void> {
    await Promise.all(
      this.replicas.map(async (replica) => {
        if (!replica.alive()) return;
        replica.cli.child.kill("SIGTERM");
        const timer = setTimeout(() => replica.cli.child.kill("SIGKILL"), 10_000);
        await replica.cli.closed;
        clearTimeout(timer);
      }),
    );
  }

  /** Every replica's log lines that say `message`, parsed. */
  logLines(message: string): { replica: number; line: Record<string, unknown> }[] {
    return this.replicas.flatMap((replica) =>
      replica
        .output()
        .split("\n")
        .filter((line) => line.includes(message))
        .flatMap((line) => {
          try {
            return [{ replica: replica.index, line: JSON.parse(line) as Record<string, unknown> }];
          } catch {
            return [];
          }
        }),
    );
  }
}

/** A loopback port free right now, for a replica whose address must be known before it starts. */
export async function freeLoopbackPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}
