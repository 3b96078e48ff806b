// The install jobs: one subprocess per hub skill, run through execa as an argument array with
// HERMES_HOME set to the target profile; bounded concurrency, a timeout and Cancel that kill the
// whole process group, and every state change persisted, so a restart can say what was cut off.
import path from "node:path";
import { randomBytes } from "node:crypto";
import { applyInstallerLine } from "../../core/install/installer-output.ts";
import {
  isGroupFinished,
  queuedJob,
  RETRYABLE_STATUSES,
  type InstallGroup,
  type InstallJob,
} from "../../core/install/install-job.ts";
import type { Actor, Surface } from "../../core/wizard/state.ts";
import { isPlatformEnvKey } from "../profile/env-file.ts";
import type { Logger } from "../logger.ts";
import type { SessionStore } from "../session-store.ts";
import { buildInstallCommand, type InstallCommand } from "./install-command-template.ts";
import { LineSplitter } from "./line-splitter.ts";
import { killGroup, killGroupAfter } from "../process-group.ts";
import { readLock } from "./skill-lock.ts";

export interface InstallQueueDeps {
  readonly store: SessionStore;
  readonly command: InstallCommand;
  readonly profilesRoot: string;
  readonly concurrency: number;
  readonly timeoutMs: number;
  readonly logger: Logger;
  /** Called after every change of a group (the progress reporter listens here). */
  readonly onChange: (group: InstallGroup) => void;
  /** The environment installers start from; bot tokens are removed before use. */
  readonly baseEnv?: NodeJS.ProcessEnv;
  readonly now?: () => number;
}

export type QueueAnswer = { ok: true; text: string } | { ok: false; text: string };

interface Slot {
  readonly groupId: string;
  readonly index: number;
}

export class InstallQueue {
  readonly #waiting: Slot[] = [];
  readonly #running = new Map<string, { pid?: number; canceled: boolean }>();
  /** Profiles an install is running into right now. */
  readonly #busyProfiles = new Set<string>();
  readonly #idleWaiters: (() => void)[] = [];
  readonly #now: () => number;
  readonly #env: NodeJS.ProcessEnv;

  constructor(private readonly deps: InstallQueueDeps) {
    this.#now = deps.now ?? Date.now;
    // An installer never needs the bot's own platform tokens: they are not passed on.
    this.#env = Object.fromEntries(
      Object.entries(deps.baseEnv ?? process.env).filter(
        ([key]) => !isPlatformEnvKey(key) && key !== "DISCORD_TOKEN",
      ),
    );
  }

  start(
    owner: Actor,
    surface: Surface,
    chat: string,
    profile: string,
    identifiers: readonly string[],
  ): InstallGroup {
    const at = this.#now();
    const group: InstallGroup = {
      id: randomBytes(6).toString("hex"),
      owner,
      surface,
      chat,
      profile,
      jobs: identifiers.map(queuedJob),
      createdAt: at,
      updatedAt: at,
    };
    this.#save(group);
    group.jobs.forEach((_job, index) => this.#waiting.push({ groupId: group.id, index }));
    this.#pump();
    return group;
  }

  cancel(groupId: string, actor: Actor): QueueAnswer {
    const group = this.deps.store.getInstallGroup(groupId);
    if (!group) return { ok: false, text: "Those installs are no longer known." };
    if (group.owner.id !== actor.id)
      return { ok: false, text: `Only ${group.owner.name} can cancel these installs.` };
    if (isGroupFinished(group)) return { ok: false, text: "Nothing to cancel: every install has ended." };
    for (let index = this.#waiting.length - 1; index >= 0; index--) {
      if (this.#waiting[index]?.groupId === groupId) this.#waiting.splice(index, 1);
    }
    this.#updateJobs(groupId, (job) =>
      job.status === "queued" ? { ...job, status: "canceled", phase: "canceled", endedAt: this.#now() } : job,
    );
    for (const [key, run] of this.#running) {
      if (!key.startsWith(`${groupId}:`)) continue;
      run.canceled = true;
      killGroup(run.pid);
    }
    this.#signalIdle();
    return { ok: true, text: "Canceling the installs that have not ended." };
  }

  retry(groupId: string, actor: Actor): QueueAnswer {
    const group = this.deps.store.getInstallGroup(groupId);
    if (!group) return { ok: false, text: "Those installs are no longer known." };
    if (group.owner.id !== actor.id)
      return { ok: false, text: `Only ${group.owner.name} can retry these installs.` };
    const again = group.jobs.flatMap((job, index) =>
      RETRYABLE_STATUSES.includes(job.status) ? [index] : [],
    );
    if (again.length === 0)
      return { ok: false, text: "Nothing to retry: installed and blocked skills are not run again." };
    this.#updateJobs(groupId, (job, index) =>
      again.includes(index) ? { ...queuedJob(job.identifier), attempts: job.attempts } : job,
    );
    for (const index of again) this.#waiting.push({ groupId, index });
    this.#pump();
    return { ok: true, text: `Retrying ${again.length} install(s).` };
  }

  /** After a restart: jobs that were running are interrupted (Retry offers them again); queued ones run. */
  recover(): InstallGroup[] {
    const touched: InstallGroup[] = [];
    for (const group of this.deps.store.allInstallGroups()) {
      if (isGroupFinished(group)) continue;
      const updated = this.#updateJobs(group.id, (job) =>
        job.status === "running"
          ? {
              ...job,
              status: "interrupted",
              phase: "interrupted",
              detail: "the bot restarted during the install",
              endedAt: this.#now(),
            }
          : job,
      );
      updated?.jobs.forEach((job, index) => {
        if (job.status === "queued") this.#waiting.push({ groupId: group.id, index });
      });
      if (updated) touched.push(updated);
    }
    this.#pump();
    return touched;
  }

  /** Resolves once no install is queued or running. */
  idle(): Promise<void> {
    if (this.#waiting.length === 0 && this.#running.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  /**
   * Starts waiting jobs up to the concurrency, never two into the same profile at once: Hermes'
   * installer reads, changes and rewrites the profile's lock.json without a lock of its own, so two
   * at once could lose one's record.
   */
  #pump(): void {
    let position = 0;
    while (this.#running.size < this.deps.concurrency && position < this.#waiting.length) {
      const slot = this.#waiting[position];
      if (!slot) break;
      const group = this.deps.store.getInstallGroup(slot.groupId);
      const job = group?.jobs[slot.index];
      if (!group || !job || job.status !== "queued") {
        this.#waiting.splice(position, 1);
        continue;
      }
      if (this.#busyProfiles.has(group.profile)) {
        position += 1;
        continue;
      }
      this.#waiting.splice(position, 1);
      const key = `${slot.groupId}:${slot.index}`;
      this.#running.set(key, { canceled: false });
      this.#busyProfiles.add(group.profile);
      void this.#run(slot, key).finally(() => {
        this.#running.delete(key);
        this.#busyProfiles.delete(group.profile);
        this.#pump();
        this.#signalIdle();
      });
    }
  }

  async #run(slot: Slot, key: string): Promise<void> {
    const group = this.deps.store.getInstallGroup(slot.groupId);
    const job = group?.jobs[slot.index];
    if (!group || !job) return;
    const profileDir = path.join(this.deps.profilesRoot, group.profile);
    this.#updateJob(slot, (current) => ({
      ...current,
      status: "running",
      phase: "fetching",
      attempts: current.attempts + 1,
      startedAt: this.#now(),
      detail: "",
    }));
    const built = buildInstallCommand(this.deps.command, {
      profile: group.profile,
      identifier: job.identifier,
      home: profileDir,
    });
    if (!built.ok) {
      this.#finish(slot, { status: "failed", phase: "failed", detail: built.reason });
      return;
    }
    // Loaded on the first install, not at start-up: a bot that never installs never pays its memory.
    const { execa } = await import("execa");
    const child = execa(built.file, built.args, {
      // No colours, and lines as wide as they come: Hermes prints through Rich, which otherwise wraps
      // at 80 columns when not on a terminal and would split "Verdict: DANGEROUS" over two lines.
      env: { ...this.#env, HERMES_HOME: profileDir, NO_COLOR: "1", COLUMNS: String(INSTALLER_COLUMNS) },
      extendEnv: false,
      detached: true, // its own process group, so a kill reaches every process it started
      stdin: "ignore",
      buffer: false,
      reject: false,
      encoding: "buffer",
    });
    const run = this.#running.get(key);
    if (run && child.pid !== undefined) run.pid = child.pid;
    if (run?.canceled) killGroup(child.pid);
    const deadline = killGroupAfter(child.pid, this.deps.timeoutMs);
    const splitter = new LineSplitter((line) =>
      this.#updateJob(slot, (current) => applyInstallerLine(current, line)),
    );
    child.stdout?.on("data", (chunk: Buffer) => splitter.push(chunk));
    child.stderr?.on("data", (chunk: Buffer) => splitter.push(chunk));
    const result = await child;
    deadline.clear();
    splitter.end();
    const current = this.deps.store.getInstallGroup(slot.groupId)?.jobs[slot.index] ?? job;
    const lastLine = current.logTail.at(-1) ?? "";
    if (this.#running.get(key)?.canceled) {
      this.#finish(slot, { status: "canceled", phase: "canceled", detail: "canceled from the chat" });
    } else if (deadline.fired()) {
      this.#finish(slot, {
        status: "failed",
        phase: "timed out",
        detail: `no end after ${Math.round(this.deps.timeoutMs / 1000)} s; its processes were killed`,
      });
    } else if (result.code === "ENOENT") {
      this.#finish(slot, {
        status: "failed",
        phase: "failed",
        detail: `install command not found: ${built.file}`,
      });
    } else if (current.phase === "blocked") {
      this.#finish(slot, { status: "blocked", phase: "blocked", detail: current.detail });
    } else if (current.sawInstalled) {
      // Hermes exits 0 whether it installed, blocked or failed: the verdict is its output, confirmed
      // by the record it keeps of every hub install (skills/.hub/lock.json), never its exit code.
      const recorded = await lockRecords(profileDir, current.installedName);
      this.#finish(
        slot,
        recorded === true
          ? { status: "done", phase: current.phase, detail: current.detail }
          : {
              status: "failed",
              phase: "failed",
              detail: `the installer said installed, but ${recorded || "its lock.json has no record of it"}`,
            },
      );
    } else if (current.phase === "could not fetch") {
      this.#finish(slot, { status: "failed", phase: "could not fetch", detail: current.detail });
    } else {
      const how = result.signal ? `killed by ${result.signal}` : `exit code ${String(result.exitCode)}`;
      const detail =
        result.exitCode === 0
          ? current.detail || "the installer ended without reporting Installed"
          : current.detail || lastLine || how;
      this.#finish(slot, { status: "failed", phase: "failed", detail });
    }
  }

  #finish(slot: Slot, end: Pick<InstallJob, "status" | "phase" | "detail">): void {
    this.#updateJob(slot, (job) => ({ ...job, ...end, endedAt: this.#now() }));
    const group = this.deps.store.getInstallGroup(slot.groupId);
    if (group && isGroupFinished(group)) {
      this.deps.logger.info(
        { group: group.id, profile: group.profile, statuses: group.jobs.map((job) => job.status) },
        "installs ended",
      );
    }
  }

  #updateJob(slot: Slot, change: (job: InstallJob) => InstallJob): void {
    this.#updateJobs(slot.groupId, (job, index) => (index === slot.index ? change(job) : job));
  }

  #updateJobs(
    groupId: string,
    change: (job: InstallJob, index: number) => InstallJob,
  ): InstallGroup | undefined {
    const group = this.deps.store.getInstallGroup(groupId);
    if (!group) return undefined;
    const updated = { ...group, jobs: group.jobs.map(change), updatedAt: this.#now() };
    this.#save(updated);
    return updated;
  }

  #save(group: InstallGroup): void {
    this.deps.store.putInstallGroup(group);
    this.deps.onChange(group);
  }

  #signalIdle(): void {
    if (this.#waiting.length > 0 || this.#running.size > 0) return;
    for (const resolve of this.#idleWaiters.splice(0)) resolve();
  }
}

/** Rich's line width for installers: wide enough that no line Hermes prints is wrapped. */
export const INSTALLER_COLUMNS = 4096;

/**
 * Whether the profile's lock.json records the skill installed under `name`: true, or what is wrong
 * (missing name, unreadable lock, no entry) in words for the status line.
 */
async function lockRecords(profileDir: string, name: string | undefined): Promise<true | string> {
  if (!name) return "it did not say which skill";
  try {
    const lock = await readLock(profileDir);
    return lock.installed[name] ? true : `its lock.json has no record of '${name}'`;
  } catch {
    return "its lock.json cannot be read";
  }
}
