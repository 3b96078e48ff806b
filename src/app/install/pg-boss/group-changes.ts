// The changes the replicated queue makes to a stored install group, as pure functions of it: which
// install a job runs next, claiming it, Cancel and Retry. group-update.ts applies them in one step.
import {
  queuedJob,
  RETRYABLE_STATUSES,
  type InstallGroup,
  type InstallJob,
} from "../../../core/install/install-job.ts";

/**
 * The install a job of this group runs: one left `running` first (found while holding its
 * profile's lock, so whoever ran it is gone), else the first queued; undefined when none is left.
 */
export function nextToRun(group: InstallGroup): number | undefined {
  const running = group.jobs.findIndex((job) => job.status === "running");
  if (running >= 0) return running;
  const queued = group.jobs.findIndex((job) => job.status === "queued");
  return queued >= 0 ? queued : undefined;
}

export function withJob(group: InstallGroup, index: number, job: InstallJob, now: number): InstallGroup {
  return { ...group, jobs: group.jobs.map((current, at) => (at === index ? job : current)), updatedAt: now };
}

export type Claim =
  /** Run it: the job as it now stands (`attempts` is this run's fence). */
  | { readonly kind: "run"; readonly job: InstallJob }
  /** It ended without running: a Cancel reached it, or its replicas died too often. */
  | { readonly kind: "ended"; readonly job: InstallJob }
  /** Not this job's any more (it ran elsewhere, or the group changed). */
  | { readonly kind: "gone" };

/**
 * Claims install `index` for a run on this replica, which holds its locks. A queued one starts; one
 * left running by a dead replica starts again, unless Cancel reached it or `lastChance` says its
 * retries are spent (then it is interrupted: Retry offers it again).
 */
export function claim(
  group: InstallGroup,
  index: number,
  now: number,
  lastChance: boolean,
): { group: InstallGroup; claim: Claim } | undefined {
  const job = group.jobs[index];
  if (!job || (job.status !== "queued" && job.status !== "running")) return undefined;
  if (job.status === "running" && job.cancelRequested) {
    const ended = endJob(
      job,
      { status: "canceled", phase: "canceled", detail: "canceled from the chat" },
      now,
    );
    return { group: withJob(group, index, ended, now), claim: { kind: "ended", job: ended } };
  }
  if (job.status === "running" && lastChance) {
    const ended = endJob(
      job,
      {
        status: "interrupted",
        phase: "interrupted",
        detail: "the bot replicas running it stopped before it ended",
      },
      now,
    );
    return { group: withJob(group, index, ended, now), claim: { kind: "ended", job: ended } };
  }
  const started: InstallJob = {
    ...queuedJob(job.identifier),
    status: "running",
    phase: "fetching",
    attempts: job.attempts + 1,
    startedAt: now,
  };
  return { group: withJob(group, index, started, now), claim: { kind: "run", job: started } };
}

export function endJob(
  job: InstallJob,
  end: Pick<InstallJob, "status" | "phase" | "detail">,
  now: number,
): InstallJob {
  const { cancelRequested: _dropped, ...rest } = job;
  return { ...rest, ...end, endedAt: now };
}

/**
 * Cancel: queued installs end canceled; running ones are marked for their runner to stop (only
 * when the executor can stop one: a Hermes host's install is followed to its end).
 */
export function cancelGroup(group: InstallGroup, canStopRunning: boolean, now: number): InstallGroup {
  const jobs = group.jobs.map((job) => {
    if (job.status === "queued")
      return endJob(job, { status: "canceled", phase: "canceled", detail: job.detail }, now);
    if (job.status === "running" && canStopRunning) return { ...job, cancelRequested: true };
    return job;
  });
  return { ...group, jobs, updatedAt: now };
}

/** Retry: what ended without installing (but a scan's block) is queued again. */
export function requeueRetryable(group: InstallGroup, now: number): { group: InstallGroup; count: number } {
  let count = 0;
  const jobs = group.jobs.map((job) => {
    if (!RETRYABLE_STATUSES.includes(job.status)) return job;
    count += 1;
    return { ...queuedJob(job.identifier), attempts: job.attempts };
  });
  return { group: { ...group, jobs, updatedAt: now }, count };
}

export function runningCount(group: InstallGroup): number {
  return group.jobs.filter((job) => job.status === "running").length;
}
