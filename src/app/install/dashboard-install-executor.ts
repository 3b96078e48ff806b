// A hub install run by a Hermes on another machine: started through its dashboard (POST
// /api/skills/hub/install → `hermes -p <profile> skills install <id> --yes` there) and followed by
// polling the action's status, whose log tail is that command's own output — the same lines our
// parser reads from a local install. The log of an action is named after the identifier alone and
// appended to on every run, so this run's lines are the ones after its last "=== <name> started"
// header, and one identifier is installed at a time per host.
// The outcome is judged by the host's own record: Hermes 0.19's skill list (GET /api/skills) marks
// the skills of the profile's lock.json as provenance "hub" but carries no identifier, time or hash,
// so remotely an install counts when the skill it reported became a hub skill during the run.
import type { InstallRecords } from "../../core/install/install-record.ts";
import type { DashboardClient } from "../hermes/dashboard-client.ts";
import type { InstallEnd, InstallExecutor, InstallIo, InstallRequest } from "../ports/install-executor.ts";

/** How often a running remote install is asked about. */
export const REMOTE_INSTALL_POLL_MS = 1000;
/** The status asks for this many log lines (Hermes caps it at 2000). */
export const REMOTE_INSTALL_TAIL_LINES = 2000;
/** Polls may fail (after the client's own retries) for this long before the install counts as lost. */
export const REMOTE_INSTALL_LOST_AFTER_MS = 30_000;

export interface DashboardInstallOptions {
  readonly pollMs?: number;
  readonly lostAfterMs?: number;
  readonly now?: () => number;
}

export class DashboardInstallExecutor implements InstallExecutor {
  /** Hermes 0.19's dashboard has no endpoint that stops an action. */
  readonly canStopRunning = false;
  readonly #pollMs: number;
  readonly #lostAfterMs: number;
  readonly #now: () => number;

  constructor(
    private readonly client: DashboardClient,
    options: DashboardInstallOptions = {},
  ) {
    this.#pollMs = options.pollMs ?? REMOTE_INSTALL_POLL_MS;
    this.#lostAfterMs = options.lostAfterMs ?? REMOTE_INSTALL_LOST_AFTER_MS;
    this.#now = options.now ?? Date.now;
  }

  exclusiveKeys(request: InstallRequest): readonly string[] {
    return [`profile:${request.profile}`, `identifier:${request.identifier}`];
  }

  async run(request: InstallRequest, io: InstallIo): Promise<InstallEnd> {
    const before = await this.#hubSkills(request.profile);
    const started = await this.client.installHubSkill(request.profile, request.identifier);
    if (!started.ok) return { kind: "failed", detail: started.failure.message };
    const action = started.value;
    const header = `=== ${action} started`;
    const startedAt = this.#now();
    let fed = 0;
    let failingSince: number | undefined;
    for (;;) {
      const status = await this.client.actionStatus(action, REMOTE_INSTALL_TAIL_LINES);
      if (!status.ok) {
        failingSince ??= this.#now();
        if (this.#now() - failingSince >= this.#lostAfterMs)
          return {
            kind: "failed",
            detail: `lost contact with Hermes at ${this.client.host} during the install (${status.failure.message}) — it may still finish there: /profile show tells`,
          };
      } else {
        failingSince = undefined;
        const lines = status.value.lines;
        const headerAt = lines.findLastIndex((line) => line.startsWith(header));
        const ours = headerAt >= 0 ? lines.slice(headerAt + 1) : lines;
        for (const line of ours.slice(fed)) io.onLine(line);
        fed = Math.max(fed, ours.length);
        if (!status.value.running) {
          const after = await this.#hubSkills(request.profile);
          io.onRecords?.({ before: typeof before === "string" ? undefined : before, after });
          return { kind: "exited", exitCode: status.value.exit_code };
        }
      }
      if (this.#now() - startedAt >= io.timeoutMs)
        return {
          kind: "timed out",
          detail: `no end after ${Math.round(io.timeoutMs / 1000)} s on ${this.client.host}; it may still finish there`,
        };
      await new Promise((resolve) => setTimeout(resolve, this.#pollMs));
    }
  }

  /** The profile's hub skills as the host lists them (names only), or why they cannot be listed. */
  async #hubSkills(profile: string): Promise<InstallRecords | string> {
    const skills = await this.client.skills(profile);
    if (!skills.ok) return `its skills cannot be listed on ${this.client.host} (${skills.failure.message})`;
    return skills.value.filter((skill) => skill.provenance === "hub").map((skill) => ({ name: skill.name }));
  }
}
