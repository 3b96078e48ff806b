// One install run on this replica, while it holds the install's locks: the executor's lines folded
// into its own copy of the job, that copy written behind into the stored group (one write at a
// time, the newest copy, only this job's entry), a Cancel pressed on another replica noticed on
// those writes (and on a read every few seconds), and the end decided as in one process. The run
// is fenced by its attempt number: once the stored job is no longer this run's (another replica
// took it after this one lost its locks), it stops and writes nothing more.
import type pg from "pg";
import type { InstallGroup, InstallJob } from "../../../core/install/install-job.ts";
import { applyInstallerLine } from "../../../core/install/installer-output.ts";
import type { RecordsAround } from "../../../core/install/install-record.ts";
import { OUTSIDE_LINE_MAX_CHARS } from "../../../core/outside-text.ts";
import type { InstallEnd, InstallExecutor } from "../../ports/install-executor.ts";
import type { InstallGroups } from "../../ports/store.ts";
import type { KnownSecrets } from "../../secrets/known-secrets.ts";
import type { Logger } from "../../system/logger.ts";
import { judgeEnd, type JobEnd } from "../install-outcome.ts";
import { endJob, withJob } from "./group-changes.ts";
import { updateGroup } from "./group-update.ts";

export interface InstallRunDeps {
  readonly pool: pg.Pool;
  readonly store: InstallGroups;
  readonly executor: InstallExecutor;
  readonly timeoutMs: number;
  readonly cancelCheckIntervalMs: number;
  readonly secrets?: KnownSecrets | undefined;
  readonly logger: Logger;
  readonly now: () => number;
  readonly onChange: (group: InstallGroup) => void;
}

export interface InstallRunTarget {
  readonly groupId: string;
  readonly index: number;
  readonly profile: string;
  /** The job as claimed: its `attempts` fences this run. */
  readonly job: InstallJob;
  /** Aborts when the locks' connection is lost or the replica stops: end without writing. */
  readonly abandon: AbortSignal;
}

/** Runs the install; the group as its end left it, or undefined when the run was abandoned. */
export async function runInstall(
  deps: InstallRunDeps,
  target: InstallRunTarget,
): Promise<InstallGroup | undefined> {
  const { groupId, index } = target;
  const fence = target.job.attempts;
  let mine = target.job;
  let abandoned = target.abandon.aborted;
  const stop = new AbortController();
  const onAbandon = () => {
    abandoned = true;
    stop.abort();
  };
  target.abandon.addEventListener("abort", onAbandon, { once: true });

  const merge = (end?: JobEnd) =>
    updateGroup(deps.pool, deps.store, groupId, (group) => {
      const stored = group.jobs[index];
      if (abandoned || !stored || stored.status !== "running" || stored.attempts !== fence) {
        onAbandon();
        return undefined;
      }
      if (stored.cancelRequested) stop.abort();
      const job = end
        ? endJob(mine, end, deps.now())
        : { ...mine, ...(stored.cancelRequested ? { cancelRequested: true } : {}) };
      return withJob(group, index, job, deps.now());
    });

  let writing: Promise<void> | undefined;
  let again = false;
  const writeBehind = () => {
    if (writing) {
      again = true;
      return;
    }
    writing = (async () => {
      do {
        again = false;
        try {
          const group = await merge();
          if (group && !abandoned) deps.onChange(group);
        } catch (error) {
          deps.logger.warn({ group: groupId, reason: String(error) }, "install progress not stored");
        }
      } while (again && !abandoned);
    })().finally(() => (writing = undefined));
  };
  const poll = setInterval(writeBehind, deps.cancelCheckIntervalMs);
  poll.unref();

  const secrets = deps.secrets;
  const shown = (line: string) => (secrets ? secrets.quote(line, OUTSIDE_LINE_MAX_CHARS) : line);
  let records: RecordsAround | undefined;
  let end: InstallEnd;
  try {
    end = await deps.executor.run(
      { profile: target.profile, identifier: target.job.identifier },
      {
        onLine: (line) => {
          mine = applyInstallerLine(mine, shown(line));
          writeBehind();
        },
        signal: stop.signal,
        timeoutMs: deps.timeoutMs,
        onRecords: (around) => (records = around),
      },
    );
  } catch (error) {
    end = { kind: "failed", detail: `the install could not be run (${(error as Error).message})` };
  } finally {
    clearInterval(poll);
  }
  while (writing) await writing;
  target.abandon.removeEventListener("abort", onAbandon);
  if (abandoned) return undefined;
  // A Cancel from another replica stopped it: the executor says "canceled", as for this replica's own.
  const final = await merge(judgeEnd(mine.identifier, mine, end, records));
  if (abandoned || !final) return undefined;
  deps.onChange(final);
  return final;
}
