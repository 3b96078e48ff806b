// Reads an installer's output lines, Hermes' wording (`hermes skills install`'s own lines), into the
// job's phase. Our own installer prints the same lines, so one parser serves both.
import { cleanOutsideText, OUTSIDE_LINE_MAX_CHARS } from "../outside-text.ts";
import type { InstallJob } from "./install-job.ts";

/** Lines kept per job for the report; an installer that floods output costs no more than this. */
export const LOG_TAIL_LINES = 20;
/** A longer line is cut to this many characters ("…" included) before it is kept or shown. */
export const LOG_LINE_MAX_CHARS = OUTSIDE_LINE_MAX_CHARS;

/** The last segment of an install path (`devops/docker-debug` → `docker-debug`): the lock's key. */
const leafName = (installPath: string) => installPath.split("/").filter(Boolean).at(-1) ?? "";

const PHASE_RULES: readonly {
  readonly pattern: RegExp;
  readonly apply: (job: InstallJob, match: RegExpExecArray) => InstallJob;
}[] = [
  { pattern: /^Fetching:\s*(.*)$/, apply: (job) => ({ ...job, phase: "fetching" }) },
  { pattern: /^Quarantined to /, apply: (job) => ({ ...job, phase: "quarantined" }) },
  { pattern: /^Running security scan/, apply: (job) => ({ ...job, phase: "scanning" }) },
  {
    pattern: /^Scan: .*Verdict:\s*(\w+)/,
    apply: (job, m) => ({ ...job, phase: "scanning", detail: `verdict ${m[1] ?? ""}` }),
  },
  {
    pattern: /^Decision: ALLOWED/,
    apply: (job) => ({
      ...job,
      phase: "installing",
      detail: `${job.detail ? `${job.detail}, ` : ""}allowed`,
    }),
  },
  {
    pattern: /^Decision: BLOCKED\s*[—-]?\s*(.*)$/,
    apply: (job, m) => ({ ...job, phase: "blocked", detail: m[1] || "blocked" }),
  },
  {
    pattern: /^Installed:\s*(.*)$/,
    apply: (job, m) => ({
      ...job,
      phase: "installed",
      sawInstalled: true,
      installedName: leafName(m[1] ?? ""),
      detail: m[1] ?? "",
    }),
  },
  {
    pattern: /^Warning: '(.+)' is already installed/,
    apply: (job, m) => ({
      ...job,
      phase: "already installed",
      sawInstalled: true,
      installedName: m[1] ?? "",
      detail: `the profile already has ${m[1] ?? "it"}`,
    }),
  },
  {
    pattern: /^Installation blocked:\s*(.*)$/,
    apply: (job, m) => ({ ...job, phase: "blocked", detail: m[1] ?? "blocked" }),
  },
  {
    pattern: /^Error: Could not fetch '.*' from any source/,
    apply: (job) => ({
      ...job,
      phase: "could not fetch",
      detail: "no hub source has it: check the identifier (or the network), then Retry",
    }),
  },
  { pattern: /^Error:\s*(.*)$/, apply: (job, m) => ({ ...job, detail: m[1] ?? "error" }) },
];

export function applyInstallerLine(job: InstallJob, rawLine: string): InstallJob {
  const line = cleanLine(rawLine);
  if (line === "") return job;
  const withTail = { ...job, logTail: [...job.logTail, line].slice(-LOG_TAIL_LINES) };
  for (const rule of PHASE_RULES) {
    const match = rule.pattern.exec(line);
    if (match) return rule.apply(withTail, match);
  }
  return withTail;
}

/**
 * An installer's line through the one gate for outside text: terminal escapes, control, C1, bidi
 * and zero-width characters removed, one trimmed line, capped.
 */
export function cleanLine(raw: string): string {
  return cleanOutsideText(raw, LOG_LINE_MAX_CHARS);
}

/** Lines that say why an install did not happen, in the installer's own words. */
const TELLING_LINE = /^(Error:|Installation blocked:|Decision: BLOCKED|Warning:)/;

/** The installer's own words for a report: its first telling line, else its last line; "" if it said nothing. */
export function installerWords(job: InstallJob): string {
  const telling = job.logTail.find((line) => TELLING_LINE.test(line)) ?? job.logTail.at(-1);
  return telling ? `"${telling}"` : "";
}
