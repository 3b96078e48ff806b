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
  readonly path: string;
  readonly steps: readonly CreateStep[];
  readonly hubInstalls: readonly HubInstall[];
  /** Why the create did not happen (every problem, with its path); empty when ok. */
  readonly problems: readonly string[];
}

export function reportLines(report: CreateReport): string[] {
  if (!report.ok) return report.problems.length > 0 ? [...report.problems] : ["Create failed."];
  return [
    // The name, never the host's folder: chats see how to use the profile, not the server's disk.
    `Profile '${report.name}' created.`,
    ...report.steps.map((entry) => `${entry.ok ? "✓" : "✗"} ${entry.step}: ${entry.detail}`),
    ...(report.hubInstalls.length > 0
      ? [
          `Hub skills to install in the background: ${report.hubInstalls.map((hub) => hub.identifier).join(", ")}`,
        ]
      : []),
    `Use it with: hermes -p ${report.name}`,
  ];
}
