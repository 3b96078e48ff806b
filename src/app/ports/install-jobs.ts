// The hub-skill installs after Create, as the app uses them: start a group, Cancel and Retry from
// its buttons, settle what a restart cut off, wait until nothing runs, stop. Two implementations:
// install/install-queue.ts (the embedded default: one process, in memory) and install/pg-boss/
// (DATABASE_URL: a Postgres job queue several replicas share; see docs/install-queue.md).
import type { InstallGroup } from "../../core/install/install-job.ts";
import type { Reply } from "../../core/reply.ts";
import type { Actor, Surface } from "../../core/wizard/state.ts";

/** What Cancel or Retry answers the presser: a reply to show as it is. */
export type QueueAnswer = Reply;

export interface InstallJobs {
  /** Stores the group (before any job runs, so status and a restart see it) and queues its jobs. */
  start(
    owner: Actor,
    surface: Surface,
    chat: string,
    profile: string,
    identifiers: readonly string[],
  ): Promise<InstallGroup>;
  cancel(groupId: string, actor: Actor): Promise<QueueAnswer>;
  retry(groupId: string, actor: Actor): Promise<QueueAnswer>;
  /** After a restart of the one process: settles what was cut off; the groups it changed. */
  recover(): Promise<InstallGroup[]>;
  /** Resolves once no install is queued or running (and every change is stored). */
  idle(): Promise<void>;
  /** Keeps the status message's pointer on the group, so whoever edits it next finds it. */
  keepMessageRef(groupId: string, ref: string): Promise<void>;
  /** Takes no new job; what a running job becomes is each implementation's to say. */
  stop(): Promise<void>;
}
