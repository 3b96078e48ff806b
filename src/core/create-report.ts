// What Create reports: the JSON `blueprint create --from` prints, and the lines a chat shows.
import type { JobStatus } from "./install/install-job.ts";

export interface CreateStep {
  readonly step: string;
  readonly ok: boolean;
  readonly detail: string;
}

export interface HubInstall {
  readonly identifier: string;
  /** "pending" when Create returns; `blueprint create --from` fills in how each install ended. */
  readonly status: "pending" | JobStatus;
  readonly detail?: string;
}

export interface CreateReport {
  readonly ok: boolean;
  readonly name: string;
  /** The folder on this machine; "" for a profile made on a Hermes host (its folders are not ours to show). */
  readonly path: string;
  /** The Hermes host the profile was made on, when it was not this machine. */
  readonly host?: string;
  readonly steps: readonly CreateStep[];
  readonly hubInstalls: readonly HubInstall[];
  /** Why the create did not happen (every problem, with its path); empty when ok. */
  readonly problems: readonly string[];
  /** How to use the profile, when it is not a Hermes profile (`hermes -p <name>`). */
  readonly useHint?: string;
}

export function reportLines(report: CreateReport): string[] {
  if (!report.ok) {
    const problems = report.problems.length > 0 ? [...report.problems] : ["Create failed."];
    return report.host ? [`Nothing was created on ${report.host}:`, ...problems] : problems;
  }
  return [
    // The name, never the host's folder: chats see how to use the profile, not the server's disk.
    `Profile '${report.name}' created${report.host ? ` on ${report.host}` : ""}.`,
    ...report.steps.map((entry) => `${entry.ok ? "✓" : "✗"} ${entry.step}: ${entry.detail}`),
    ...(report.hubInstalls.length > 0
      ? [
          `Hub skills to install in the background: ${report.hubInstalls.map((hub) => hub.identifier).join(", ")}`,
        ]
      : []),
    report.useHint ?? `Use it with: hermes -p ${report.name}${report.host ? ` (on ${report.host})` : ""}`,
  ];
}
