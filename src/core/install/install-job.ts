// Hub-skill installs after Create: one group per create (one status message), one job per skill.
// Plain JSON, persisted in the store, so a restart can report jobs that were cut off.
import type { Actor, Surface } from "../wizard/state.ts";

export type JobStatus = "queued" | "running" | "done" | "failed" | "blocked" | "canceled" | "interrupted";

/** What the status line shows; finer than the status while a job runs. */
export type JobPhase =
  | "queued"
  | "fetching"
  | "quarantined"
  | "scanning"
  | "installing"
  | "installed"
  | "already installed"
  | "blocked"
  | "could not fetch"
  | "failed"
  | "timed out"
  | "canceled"
  | "interrupted";

export interface InstallJob {
  readonly identifier: string;
  readonly status: JobStatus;
  readonly phase: JobPhase;
  /** The reason or the last meaningful line: a block reason, an error line, the installed name. */
  readonly detail: string;
  /** The last lines the installer printed, kept for the report. */
  readonly logTail: readonly string[];
  readonly attempts: number;
  /** Set once the installer printed `Installed:` (or said it was already installed). */
  readonly sawInstalled: boolean;
  /** The skill's name as the installer reported it: its key in the profile's lock.json. */
  readonly installedName?: string;
  readonly startedAt?: number;
  readonly endedAt?: number;
  /**
   * Cancel was pressed on a replica other than the one running it (the replicated mode): its
   * runner sees this on the stored group and stops the install. Never set in one process.
   */
  readonly cancelRequested?: boolean;
}

export interface InstallGroup {
  readonly id: string;
  readonly owner: Actor;
  readonly surface: Surface;
  readonly chat: string;
  readonly profile: string;
  readonly jobs: readonly InstallJob[];
  /** The platform's reference to the status message, once it was sent. */
  readonly messageRef?: string;
  /**
   * Keys a skill of the profile declares (not optional) that its .env does not set, read once the
   * installs ended with one installed: a hub skill's SKILL.md is known only then. Absent: not read.
   */
  readonly skillKeysMissing?: readonly string[];
  readonly createdAt: number;
  readonly updatedAt: number;
}

export const FINISHED_STATUSES: readonly JobStatus[] = [
  "done",
  "failed",
  "blocked",
  "canceled",
  "interrupted",
];
/** Jobs a Retry button restarts: anything that ended without installing, except a scan's block. */
export const RETRYABLE_STATUSES: readonly JobStatus[] = ["failed", "canceled", "interrupted"];

export function isJobFinished(job: InstallJob): boolean {
  return FINISHED_STATUSES.includes(job.status);
}

export function isGroupFinished(group: InstallGroup): boolean {
  return group.jobs.every(isJobFinished);
}

/** A group whose installs are all still to run, as both install queues start one. */
export function newInstallGroup(
  id: string,
  place: Pick<InstallGroup, "owner" | "surface" | "chat" | "profile">,
  identifiers: readonly string[],
  at: number,
): InstallGroup {
  return { id, ...place, jobs: identifiers.map(queuedJob), createdAt: at, updatedAt: at };
}

export function queuedJob(identifier: string): InstallJob {
  return {
    identifier,
    status: "queued",
    phase: "queued",
    detail: "",
    logTail: [],
    attempts: 0,
    sawInstalled: false,
  };
}
