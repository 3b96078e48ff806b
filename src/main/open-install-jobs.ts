// The install queue the store calls for: with the Postgres store (replicas), pg-boss in the same
// database, so any replica runs any install and an install outlives the replica running it
// (docs/install-queue.md); else the in-process queue of the embedded default.
import { InstallQueue, type InstallQueueDeps } from "../app/install/install-queue.ts";
import type { InstallJobs } from "../app/ports/install-jobs.ts";
import { EXIT, StartupError } from "../app/system/exit.ts";

export interface InstallJobsOptions extends InstallQueueDeps {
  /** DATABASE_URL, when the store is Postgres. */
  readonly databaseUrl?: string | undefined;
  /** The Hermes host installs run on (for its concurrency bound across replicas). */
  readonly host: string;
  /** Resolves once this replica's status edits of a group went out. */
  readonly delivered: (groupId: string) => Promise<void>;
}

export async function openInstallJobs(options: InstallJobsOptions): Promise<InstallJobs> {
  const { databaseUrl, host, delivered, ...deps } = options;
  if (!deps.store.shared || !databaseUrl) return new InstallQueue(deps);
  // Loaded only here: the embedded default never pays for pg-boss and pg in memory or start-up.
  const { PgBossInstallJobs } = await import("../app/install/pg-boss/pg-boss-install-jobs.ts");
  const { createQueuePool } = await import("../app/install/pg-boss/queue-pool.ts");
  const pool = createQueuePool(databaseUrl, deps.concurrency, deps.logger);
  try {
    return await PgBossInstallJobs.open({ ...deps, pool, host, delivered });
  } catch (error) {
    await pool.end();
    throw new StartupError(
      `The install queue (pg-boss) could not start: ${(error as Error).message}`,
      EXIT.environment,
    );
  }
}
