// How one install ended, decided from the executor's end, the installer's own lines (folded into
// the job as they came) and the profile's record around the run: the same way for every executor
// and for both queues (install-queue.ts in one process, pg-boss/ across replicas).
import { installerWords } from "../../core/install/installer-output.ts";
import { judgeRecords, type RecordsAround } from "../../core/install/install-record.ts";
import type { InstallJob } from "../../core/install/install-job.ts";
import type { InstallEnd } from "../ports/install-executor.ts";

export type JobEnd = Pick<InstallJob, "status" | "phase" | "detail">;

/** The end of `current` (the job as its lines left it) after the executor answered `end`. */
export function judgeEnd(
  identifier: string,
  current: InstallJob,
  end: InstallEnd,
  records: RecordsAround | undefined,
): JobEnd {
  const lastLine = current.logTail.at(-1) ?? "";
  if (end.kind === "canceled")
    return { status: "canceled", phase: "canceled", detail: "canceled from the chat" };
  if (end.kind === "timed out") return { status: "failed", phase: "timed out", detail: end.detail };
  if (end.kind === "failed") return { status: "failed", phase: "failed", detail: end.detail };
  if (current.phase === "blocked") return { status: "blocked", phase: "blocked", detail: current.detail };
  if (current.sawInstalled) return judgeInstalled(identifier, current, records);
  if (current.phase === "could not fetch")
    return { status: "failed", phase: "could not fetch", detail: current.detail };
  if (recordedByIdentity(identifier, records)) {
    // Its output ended before it said so (cut off, or lost when a descendant held the pipe), but
    // lock.json's entry for exactly this identifier appeared or changed during the run.
    return {
      status: "done",
      phase: "installed",
      detail: "recorded in the profile's lock.json (the installer's output ended before it said so)",
    };
  }
  const how = end.signal ? `killed by ${end.signal}` : `exit code ${String(end.exitCode)}`;
  const detail =
    end.exitCode === 0
      ? current.detail || "the installer ended without reporting Installed"
      : current.detail || lastLine || how;
  return { status: "failed", phase: "failed", detail };
}

/**
 * An installer that says it installed (or that the skill was already there) is believed only as far
 * as the profile's record bears it out: Hermes exits 0 whatever happened, and its lines are text
 * anyone can print. Done when the record of this identifier appeared or changed during the run, or,
 * for "already installed", was there before; anything else fails with the installer's own words.
 */
function judgeInstalled(identifier: string, job: InstallJob, records: RecordsAround | undefined): JobEnd {
  const failed = (why: string): JobEnd => {
    const words = installerWords(job);
    return { status: "failed", phase: "failed", detail: words ? `${why} — it said ${words}` : why };
  };
  if (!records) return failed("the installer said installed, but its record could not be compared");
  if (typeof records.after === "string") return failed(`the installer said installed, but ${records.after}`);
  // A host's listing names skills without identifiers: only a comparison with the listing before
  // the run shows what this run changed.
  if (records.before === undefined && records.after.some((record) => record.identifier === undefined))
    return failed(
      "the installer said installed, but the skill list could not be read before the install, so what it changed cannot be told",
    );
  const verdict = judgeRecords(identifier, job.installedName, {
    before: records.before,
    after: records.after,
  });
  if (verdict.kind === "installed") return { status: "done", phase: job.phase, detail: job.detail };
  if (verdict.kind === "unchanged" && job.phase === "already installed") {
    // A record matched by name alone (a host's listing) is the requested skill only if the
    // identifier names it: "'<any skill there>' is already installed" must not pass for another.
    const named = verdict.record.identifier !== undefined || verdict.record.name === lastSegment(identifier);
    if (named) return { status: "done", phase: job.phase, detail: job.detail };
    return failed(
      `the installer said '${verdict.record.name}' is already installed, but that is not ${identifier}`,
    );
  }
  if (verdict.kind === "unchanged")
    return failed(
      `the installer said installed, but the record of ${identifier} was there before and did not change`,
    );
  const name = job.installedName;
  if (name && records.after.some((record) => record.name === name))
    return failed(`the installer said it installed '${name}', but that record is not from ${identifier}`);
  return failed(
    `the installer said installed, but its lock.json has no record of ${name ? `'${name}'` : "it"}`,
  );
}

/** Whether a record carrying identifiers shows `identifier` installed during the run. */
function recordedByIdentity(identifier: string, records: RecordsAround | undefined): boolean {
  if (!records || records.before === undefined || typeof records.after === "string") return false;
  const after = records.after.filter((record) => record.identifier !== undefined);
  return judgeRecords(identifier, undefined, { before: records.before, after }).kind === "installed";
}

function lastSegment(identifier: string): string {
  return identifier.split(/[/#]/).filter(Boolean).at(-1) ?? identifier;
}
