// One worker of this replica: asks pg-boss for a job, runs it, and completes or fails it, awaiting
// each step. Not pg-boss's own `work()`: in pg-boss 10 it completes and fails jobs without awaiting
// (a Postgres error at that moment is an unhandled rejection, which ends a Node process), and it
// races the handler against the job's expiry (which would leave an install running unowned).
// Each job is handled inside its session (install-lease.ts), opened right after the fetch and closed
// only once the job is completed or failed: while the session lives, the reaper leaves the job be.
import type PgBoss from "pg-boss";
import type { Logger } from "../../system/logger.ts";
import type { JobSession } from "./install-lease.ts";

export class WorkerLoop<T extends object> {
  #taking = true;
  #wake: (() => void) | undefined;
  readonly done: Promise<void>;

  constructor(
    private readonly boss: PgBoss,
    private readonly queue: string,
    private readonly pollingMs: number,
    private readonly openSession: (jobId: string) => Promise<JobSession>,
    private readonly handle: (job: PgBoss.Job<T>, session: JobSession) => Promise<void>,
    private readonly logger: Logger,
  ) {
    this.done = this.#loop();
  }

  /** Takes no further job; `done` resolves once the one in hand is completed or failed. */
  stopTaking(): void {
    this.#taking = false;
    this.#wake?.();
  }

  async #loop(): Promise<void> {
    while (this.#taking) {
      let job: PgBoss.Job<T> | undefined;
      try {
        [job] = await this.boss.fetch<T>(this.queue);
      } catch (error) {
        this.logger.warn({ queue: this.queue, reason: String(error) }, "install queue: no job fetched");
      }
      if (job) await this.#run(job);
      else await this.#pause();
    }
  }

  async #run(job: PgBoss.Job<T>): Promise<void> {
    let session: JobSession | undefined;
    try {
      session = await this.openSession(job.id);
      await this.handle(job, session);
      await this.boss.complete(this.queue, job.id);
    } catch (error) {
      // Failed (or could not be completed): pg-boss offers it again after its retry delay, or, its
      // completion lost, once it expires. Either way the next handler reads the group as stored.
      this.logger.warn({ queue: this.queue, job: job.id, reason: String(error) }, "install job failed");
      await this.boss.fail(this.queue, job.id, { message: String(error) }).catch(() => undefined);
    } finally {
      // Only now: a job completed or failed is no longer `active`, so the reaper never sees it
      // without its heartbeat.
      await session?.close();
    }
  }

  #pause(): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, this.pollingMs);
      timer.unref();
      this.#wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }
}
