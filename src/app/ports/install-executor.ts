// How one hub install is carried out, apart from the queue that orders, persists and reports them:
// by a process on this machine (local-install-executor.ts) or by the Hermes dashboard of another
// machine (dashboard-install-executor.ts). The queue feeds every output line to the installer-output
// parser and decides the outcome the same way for both.
import type { RecordsAround } from "../../core/install/install-record.ts";

export interface InstallRequest {
  readonly profile: string;
  readonly identifier: string;
}

export interface InstallIo {
  /** One line of the installer's output, in order. */
  readonly onLine: (line: string) => void;
  /** Fires when the person cancels (only executors that can stop a running install listen). */
  readonly signal: AbortSignal;
  /** The job's deadline: the executor stops it (or stops following it) after this long. */
  readonly timeoutMs: number;
  /**
   * Before an "exited" end, the executor reports the profile's record of hub installs as it was
   * read just before the install started and again after it ended: the queue judges the outcome by
   * what changed there (core/install/install-record.ts). Optional only for callers that follow an
   * install without judging it.
   */
  readonly onRecords?: (records: RecordsAround) => void;
}

export type InstallEnd =
  /** The installer ended by itself (Hermes exits 0 whatever the outcome: the lines decide). */
  | { readonly kind: "exited"; readonly exitCode: number | null; readonly signal?: string }
  | { readonly kind: "timed out"; readonly detail: string }
  | { readonly kind: "canceled" }
  /** It could not be run or followed at all; `detail` says why, for the status line. */
  | { readonly kind: "failed"; readonly detail: string };

export interface InstallExecutor {
  /**
   * Jobs sharing any of these keys never run at once: Hermes rewrites a profile's lock.json without
   * a lock of its own (so one install per profile), and the dashboard names an install's log after
   * its identifier alone (so one install of an identifier per host).
   */
  exclusiveKeys(request: InstallRequest): readonly string[];
  /** Whether Cancel can stop an install already running (a remote one cannot be stopped). */
  readonly canStopRunning: boolean;
  run(request: InstallRequest, io: InstallIo): Promise<InstallEnd>;
}
