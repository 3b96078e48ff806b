// The install jobs: one per hub skill, carried out by an executor (a process here, or Hermes'
// dashboard on another machine); bounded concurrency, a timeout, Cancel, and every state change
// persisted, so a restart can say what was cut off. The outcome is decided here, from the
// installer's own lines and the profile's record, the same way for every executor.
import { randomBytes } from "node:crypto";
import { applyInstallerLine } from "../../core/install/installer-output.ts";
import type { RecordsAround } from "../../core/install/install-record.ts";
import { OUTSIDE_LINE_MAX_CHARS } from "../../core/outside-text.ts";
import {
  isGroupFinished,
  newInstallGroup,
  queuedJob,
  RETRYABLE_STATUSES,
  type InstallGroup,
  type InstallJob,
} from "../../core/install/install-job.ts";
import type { Actor, Surface } from "../../core/wizard/state.ts";
import type { KnownSecrets } from "../secrets/known-secrets.ts";
import type { Logger } from "../system/logger.ts";
import type { Store } from "../ports/store.ts";
import type { InstallEnd, InstallExecutor } from "../ports/install-executor.ts";
import type { InstallJobs, QueueAnswer } from "../ports/install-jobs.ts";
import { judgeEnd, type JobEnd } from "./install-outcome.ts";

export interface InstallQueueDeps {
  readonly store: Store;
  readonly executor: InstallExecutor;
  readonly concurrency: number;
  readonly timeoutMs: number;
  readonly logger: Logger;
  /**
   * The bot's secrets, redacted from every installer line before it is kept or shown (an installer
   * runs with the profile's .env, which holds the keys just written). Without it lines are cleaned only.
   */
  readonly secrets?: KnownSecrets | undefined;
  /** Called after every change of a group (the progress reporter listens here). */
  readonly onChange: (group: InstallGroup) => void;
  readonly now?: () => number;
}

export type { QueueAnswer } from "../ports/install-jobs.ts";

interface Slot {
  readonly groupId: string;
  readonly index: number;
}

export class InstallQueue implements InstallJobs {
  readonly #waiting: Slot[] = [];
  readonly #running = new Map<string, { cancel: AbortController }>();
  /** The executor's exclusive keys (profiles, identifiers) of the installs running now. */
  readonly #busy = new Set<string>();
  readonly #idleWaiters: (() => void)[] = [];
  readonly #now: () => number;
  /**
   * The groups this queue works on, as it last changed them: every installer line changes a group,
   * so the queue reads and changes its own copy at once, and the store gets the newest copy of each
   * group in the background, one write at a time (`idle` waits for those writes too).
   */
  readonly #groups = new Map<string, InstallGroup>();
  /** Groups changed since their last write reached the store, newest copy each. */
  readonly #unwritten = new Map<string, InstallGroup>();
  #writing: Promise<void> | undefined;

  constructor(private readonly deps: InstallQueueDeps) {
    this.#now = deps.now ?? Date.now;
  }

  async start(
    owner: Actor,
    surface: Surface,
    chat: string,
    profile: string,
    identifiers: readonly string[],
  ): Promise<InstallGroup> {
    const group = newInstallGroup(
      randomBytes(6).toString("hex"),
      { owner, surface, chat, profile },
      identifiers,
      this.#now(),
    );
    // Stored before it runs: `/installs status` and a restart find the group from its start.
    this.#groups.set(group.id, group);
    await this.deps.store.putInstallGroup(group);
    this.deps.onChange(group);
    group.jobs.forEach((_job, index) => this.#waiting.push({ groupId: group.id, index }));
    this.#pump();
    return group;
  }

  async cancel(groupId: string, actor: Actor): Promise<QueueAnswer> {
    const group = await this.#load(groupId);
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
    const running = [...this.#running].filter(([key]) => key.startsWith(`${groupId}:`));
    if (!this.deps.executor.canStopRunning && running.length > 0) {
      this.#signalIdle();
      return {
        ok: true,
        text: `Canceled the installs that had not started. ${running.length} already running on the Hermes host cannot be stopped from here; they are followed to their end.`,
      };
    }
    for (const [, run] of running) run.cancel.abort();
    this.#signalIdle();
    return { ok: true, text: "Canceling the installs that have not ended." };
  }

  async retry(groupId: string, actor: Actor): Promise<QueueAnswer> {
    const group = await this.#load(groupId);
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
  async recover(): Promise<InstallGroup[]> {
    const touched: InstallGroup[] = [];
    for (const group of await this.deps.store.allInstallGroups()) {
      if (isGroupFinished(group)) continue;
      this.#groups.set(group.id, group);
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

  /** The status message's pointer, kept on the stored group for the next run of the bot. */
  async keepMessageRef(groupId: string, ref: string): Promise<void> {
    const group = await this.deps.store.getInstallGroup(groupId);
    if (group) await this.deps.store.putInstallGroup({ ...group, messageRef: ref });
  }

  /**
   * Nothing to stop: one process's installs end with it (their children are killed with it), and
   * the next start's `recover` marks them interrupted.
   */
  async stop(): Promise<void> {}

  /** Resolves once no install is queued or running. */
  async idle(): Promise<void> {
    if (this.#waiting.length > 0 || this.#running.size > 0)
      await new Promise<void>((resolve) => this.#idleWaiters.push(resolve));
    while (this.#writing) await this.#writing;
  }

  /**
   * Starts waiting jobs up to the concurrency, never two sharing an exclusive key of the executor
   * at once (one per profile: Hermes rewrites its lock.json unlocked; see install-executor.ts).
   */
  #pump(): void {
    let position = 0;
    while (this.#running.size < this.deps.concurrency && position < this.#waiting.length) {
      const slot = this.#waiting[position];
      if (!slot) break;
      const group = this.#groups.get(slot.groupId);
      const job = group?.jobs[slot.index];
      if (!group || !job || job.status !== "queued") {
        this.#waiting.splice(position, 1);
        continue;
      }
      const exclusive = this.deps.executor.exclusiveKeys({
        profile: group.profile,
        identifier: job.identifier,
      });
      if (exclusive.some((busyKey) => this.#busy.has(busyKey))) {
        position += 1;
        continue;
      }
      this.#waiting.splice(position, 1);
      const key = `${slot.groupId}:${slot.index}`;
      this.#running.set(key, { cancel: new AbortController() });
      for (const busyKey of exclusive) this.#busy.add(busyKey);
      void this.#run(slot, key).finally(() => {
        this.#running.delete(key);
        this.#release(slot.groupId);
        for (const busyKey of exclusive) this.#busy.delete(busyKey);
        this.#pump();
        this.#signalIdle();
      });
    }
  }

  async #run(slot: Slot, key: string): Promise<void> {
    const group = this.#groups.get(slot.groupId);
    const job = group?.jobs[slot.index];
    const run = this.#running.get(key);
    if (!group || !job || !run) return;
    this.#updateJob(slot, (current) => ({
      ...current,
      status: "running",
      phase: "fetching",
      attempts: current.attempts + 1,
      startedAt: this.#now(),
      detail: "",
    }));
    const request = { profile: group.profile, identifier: job.identifier };
    const secrets = this.deps.secrets;
    const shown = (line: string) => (secrets ? secrets.quote(line, OUTSIDE_LINE_MAX_CHARS) : line);
    let records: RecordsAround | undefined;
    let end: InstallEnd;
    try {
      end = await this.deps.executor.run(request, {
        onLine: (line) => this.#updateJob(slot, (current) => applyInstallerLine(current, shown(line))),
        signal: run.cancel.signal,
        timeoutMs: this.deps.timeoutMs,
        onRecords: (around) => (records = around),
      });
    } catch (error) {
      end = { kind: "failed", detail: `the install could not be run (${(error as Error).message})` };
    }
    const current = this.#groups.get(slot.groupId)?.jobs[slot.index] ?? job;
    this.#finish(slot, judgeEnd(job.identifier, current, end, records));
  }

  #finish(slot: Slot, end: JobEnd): void {
    this.#updateJob(slot, (job) => ({ ...job, ...end, endedAt: this.#now() }));
    const group = this.#groups.get(slot.groupId);
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
    const group = this.#groups.get(groupId);
    if (!group) return undefined;
    const updated = { ...group, jobs: group.jobs.map(change), updatedAt: this.#now() };
    this.#save(updated);
    return updated;
  }

  #save(group: InstallGroup): void {
    this.#groups.set(group.id, group);
    this.#unwritten.set(group.id, group);
    this.#writing ??= this.#writeAll();
    this.deps.onChange(group);
  }

  /** The queue's copy of a group, or the store's (a group another run of the bot started). */
  async #load(groupId: string): Promise<InstallGroup | undefined> {
    const held = this.#groups.get(groupId);
    if (held) return held;
    const stored = await this.deps.store.getInstallGroup(groupId);
    if (stored) this.#groups.set(groupId, stored);
    return stored;
  }

  /** Lets go of a finished group's copy once it is written and none of its jobs still runs. */
  #release(groupId: string): void {
    const group = this.#groups.get(groupId);
    if (!group || !isGroupFinished(group) || this.#unwritten.has(groupId)) return;
    if ([...this.#running.keys()].some((key) => key.startsWith(`${groupId}:`))) return;
    this.#groups.delete(groupId);
  }

  /** Writes the newest copy of each changed group; a finished group written is let go of. */
  async #writeAll(): Promise<void> {
    try {
      for (let next = this.#unwritten.values().next(); !next.done; next = this.#unwritten.values().next()) {
        const group = next.value;
        this.#unwritten.delete(group.id);
        try {
          await this.deps.store.putInstallGroup(group);
        } catch (error) {
          this.deps.logger.error({ group: group.id, reason: String(error) }, "install group not stored");
        }
        this.#release(group.id);
      }
    } finally {
      this.#writing = undefined;
    }
  }

  #signalIdle(): void {
    if (this.#waiting.length > 0 || this.#running.size > 0) return;
    for (const resolve of this.#idleWaiters.splice(0)) resolve();
  }
}
