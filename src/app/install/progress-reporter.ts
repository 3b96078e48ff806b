// Keeps one status message per install group up to date without flooding the chat: edits are
// coalesced per chat (at most one per interval), identical text is never sent, "not modified"
// counts as success, a 429 waits its retry_after, three 429s in a row stop intermediate edits, and
// the final state is always delivered (Telegram and Discord both limit edits per chat and answer 429s).
import { isGroupFinished, type InstallGroup } from "../../core/install/install-job.ts";
import { renderInstallStatus } from "../../core/install/status-view.ts";
import type { View } from "../../core/view.ts";
import type { Surface } from "../../core/wizard/state.ts";
import type { Logger } from "../system/logger.ts";
import type { PortResult, ProgressPort } from "../ports/wizard-output.ts";

/** Rate-limit failures in a row after which only the final state is still sent. */
export const RATE_LIMIT_FAILURES_BEFORE_BACKOFF = 3;
/** While backing off, the interval doubles up to this. */
export const MAX_BACKOFF_INTERVAL_MS = 10_000;
/**
 * Timers fire on libuv's cached, millisecond loop clock and may run a little before the exact
 * instant: waiting a few ms more keeps successive edits at least a full interval apart.
 */
const TIMER_MARGIN_MS = 5;
/** A status message whose delivery keeps failing (not rate limits) is given up after this many tries. */
export const MAX_DELIVERY_ATTEMPTS = 10;

interface GroupState {
  latest: InstallGroup;
  ref?: string;
  lastText?: string;
  attempts: number;
  /** The platform refused this group's message for good: no further calls for it. */
  refused?: boolean;
}

interface ChatState {
  readonly key: string;
  readonly surface: Surface;
  readonly chat: string;
  nextAt: number;
  intervalMs: number;
  rateLimitedInARow: number;
  backingOff: boolean;
  inFlight: boolean;
  timer?: NodeJS.Timeout;
  readonly dirty: string[];
}

export interface ReporterDeps {
  readonly portFor: (surface: Surface) => ProgressPort | undefined;
  readonly minIntervalMs: number;
  readonly logger: Logger;
  /** Called once a group's message exists, so its reference can be persisted for restarts. */
  readonly onMessage?: (groupId: string, ref: string) => Promise<void> | void;
  readonly now?: () => number;
}

export class ProgressReporter {
  readonly #groups = new Map<string, GroupState>();
  readonly #chats = new Map<string, ChatState>();
  readonly #idleWaiters: (() => void)[] = [];
  /** `delivered` callers, woken after every flush to look again. */
  readonly #deliveryWaiters: (() => void)[] = [];
  readonly #now: () => number;
  /** Platform calls made, by kind (benchmarks and tests read these). */
  readonly calls = { send: 0, edit: 0 };

  constructor(private readonly deps: ReporterDeps) {
    this.#now = deps.now ?? Date.now;
  }

  update(group: InstallGroup): void {
    const known = this.#groups.get(group.id);
    if (known) known.latest = group;
    else
      this.#groups.set(group.id, {
        latest: group,
        attempts: 0,
        ...(group.messageRef ? { ref: group.messageRef } : {}),
      });
    const chat = this.#chat(group);
    if (!chat.dirty.includes(group.id)) chat.dirty.push(group.id);
    this.#schedule(chat);
  }

  /**
   * Resolves when this group's changes so far have been delivered (or given up): a replica hands a
   * group's message to the next one only after its own last edit went out.
   */
  async delivered(groupId: string): Promise<void> {
    while ([...this.#chats.values()].some((chat) => chat.dirty.includes(groupId)))
      await new Promise<void>((resolve) => this.#deliveryWaiters.push(resolve));
  }

  /** Resolves when every change so far has been delivered (or given up). */
  settled(): Promise<void> {
    if (this.#isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  #chat(group: InstallGroup): ChatState {
    const key = `${group.surface}:${group.chat}`;
    let chat = this.#chats.get(key);
    if (!chat) {
      chat = {
        key,
        surface: group.surface,
        chat: group.chat,
        nextAt: 0,
        intervalMs: this.deps.minIntervalMs,
        rateLimitedInARow: 0,
        backingOff: false,
        inFlight: false,
        dirty: [],
      };
      this.#chats.set(key, chat);
    }
    return chat;
  }

  #schedule(chat: ChatState): void {
    if (chat.inFlight || chat.timer || chat.dirty.length === 0) return;
    const wait = chat.nextAt === 0 ? 0 : Math.max(0, Math.ceil(chat.nextAt - this.#now()) + TIMER_MARGIN_MS);
    chat.timer = setTimeout(() => {
      delete chat.timer;
      void this.#flush(chat);
    }, wait);
  }

  async #flush(chat: ChatState): Promise<void> {
    const port = this.deps.portFor(chat.surface);
    while (chat.dirty.length > 0) {
      this.#finalsFirst(chat);
      const groupId = chat.dirty[0] ?? "";
      const state = this.#groups.get(groupId);
      const final = state ? isGroupFinished(state.latest) : true;
      const view = state ? renderInstallStatus(state.latest) : undefined;
      const text = view ? fingerprint(view) : undefined;
      // Nothing new to show, or (while backing off) only an intermediate state: no call, no interval used.
      if (
        !state ||
        !view ||
        !port ||
        state.refused === true ||
        text === state.lastText ||
        (chat.backingOff && !final)
      ) {
        chat.dirty.shift();
        continue;
      }
      chat.inFlight = true;
      const result = await this.#deliver(port, chat, state, view);
      chat.inFlight = false;
      this.#afterDelivery(chat, state, groupId, text ?? "", result);
      if (chat.dirty[0] === groupId) break; // not delivered: try again at nextAt
      if (chat.dirty.length > 0 && this.#now() < chat.nextAt) break;
    }
    this.#schedule(chat);
    for (const wake of this.#deliveryWaiters.splice(0)) wake();
    this.#resolveIdle();
  }

  async #deliver(port: ProgressPort, chat: ChatState, state: GroupState, view: View): Promise<PortResult> {
    try {
      if (state.ref === undefined) {
        this.calls.send += 1;
        return await port.sendStatus(chat.chat, view, state.latest.owner);
      }
      this.calls.edit += 1;
      return await port.editStatus(chat.chat, state.ref, view);
    } catch (error) {
      return { ok: false, kind: "error", message: (error as Error).message };
    }
  }

  #afterDelivery(
    chat: ChatState,
    state: GroupState,
    groupId: string,
    text: string,
    result: PortResult,
  ): void {
    const now = this.#now();
    if (result.ok || result.kind === "not_modified") {
      if (result.ok && result.ref !== undefined && state.ref === undefined) {
        state.ref = result.ref;
        // The pointer is kept for a restart; failing to keep it costs a second status message then.
        void Promise.resolve(this.deps.onMessage?.(groupId, result.ref)).catch((error: unknown) =>
          this.deps.logger.warn({ group: groupId, reason: String(error) }, "status message pointer not kept"),
        );
      }
      state.lastText = text;
      state.attempts = 0;
      chat.rateLimitedInARow = 0;
      chat.nextAt = now + chat.intervalMs;
      // Changes that arrived while the call was in flight (a platform client may sit on it for
      // seconds, retrying 429s) keep the group dirty, so the newest state still goes out.
      if (fingerprint(renderInstallStatus(state.latest)) === text) chat.dirty.shift();
      if (chat.backingOff && isGroupFinished(state.latest)) this.#endBackoff(chat);
      return;
    }
    if (result.kind === "rate_limited") {
      chat.rateLimitedInARow += 1;
      if (chat.rateLimitedInARow >= RATE_LIMIT_FAILURES_BEFORE_BACKOFF) {
        chat.backingOff = true;
        chat.intervalMs = Math.min(chat.intervalMs * 2, MAX_BACKOFF_INTERVAL_MS);
      }
      chat.nextAt = now + Math.max(result.retryAfterMs, chat.intervalMs);
      return;
    }
    if (result.kind === "refused") {
      state.refused = true;
      this.deps.logger.warn(
        { group: groupId, reason: result.message },
        "status message refused; not retried",
      );
      chat.dirty.shift();
      return;
    }
    state.attempts += 1;
    this.deps.logger.warn(
      { group: groupId, attempt: state.attempts, reason: result.message },
      "status message not delivered",
    );
    chat.nextAt = now + chat.intervalMs;
    if (state.attempts >= MAX_DELIVERY_ATTEMPTS) {
      this.deps.logger.error({ group: groupId }, "status message given up after repeated failures");
      chat.dirty.shift();
    }
  }

  /** A finished group's last word goes before other groups' intermediate states in the same chat. */
  #finalsFirst(chat: ChatState): void {
    const isFinal = (id: string) => {
      const state = this.#groups.get(id);
      return state !== undefined && isGroupFinished(state.latest);
    };
    const ordered = [...chat.dirty.filter(isFinal), ...chat.dirty.filter((id) => !isFinal(id))];
    chat.dirty.splice(0, chat.dirty.length, ...ordered);
  }

  #endBackoff(chat: ChatState): void {
    chat.backingOff = false;
    chat.intervalMs = this.deps.minIntervalMs;
  }

  #isIdle(): boolean {
    return [...this.#chats.values()].every((chat) => chat.dirty.length === 0 && !chat.inFlight);
  }

  #resolveIdle(): void {
    if (!this.#isIdle()) return;
    for (const resolve of this.#idleWaiters.splice(0)) resolve();
  }
}

/** What the user would see: identical fingerprints are never sent twice. */
function fingerprint(view: View): string {
  return JSON.stringify([
    view.title,
    view.body,
    view.buttons.map((row) => row.map((button) => button.label)),
  ]);
}
