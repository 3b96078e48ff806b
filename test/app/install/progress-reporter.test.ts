import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { MAX_BACKOFF_INTERVAL_MS, ProgressReporter } from "../../../src/app/install/progress-reporter.ts";
import { type PortResult, type ProgressPort } from "../../../src/app/ports/wizard-output.ts";
import { queuedJob, type InstallGroup, type InstallJob } from "../../../src/core/install/install-job.ts";
import type { View } from "../../../src/core/view.ts";
import { memoryLogger } from "../../helpers/silent-logger.ts";
import { ALICE } from "../../helpers/wizard-driver.ts";

const INTERVAL = 1000;

/** A chat that records every call with the fake clock's time, and answers from a script. */
class RecordingChat implements ProgressPort {
  calls: { kind: "send" | "edit"; at: number; body: string }[] = [];
  answers: PortResult[] = [];
  sendStatus(_chat: string, view: View): Promise<PortResult> {
    this.calls.push({ kind: "send", at: Date.now(), body: view.body.join("\n") });
    return Promise.resolve(this.answers.shift() ?? { ok: true, ref: "msg-1" });
  }
  editStatus(_chat: string, _ref: string, view: View): Promise<PortResult> {
    this.calls.push({ kind: "edit", at: Date.now(), body: view.body.join("\n") });
    return Promise.resolve(this.answers.shift() ?? { ok: true });
  }
}

function group(jobs: Partial<InstallJob>[], id = "grp00001", chat = "c1"): InstallGroup {
  return {
    id,
    owner: ALICE,
    surface: "telegram",
    chat,
    profile: "p1",
    jobs: jobs.map((job, index) => ({ ...queuedJob(`a/b/s${index}`), ...job })),
    createdAt: 0,
    updatedAt: 0,
  };
}

const running = (detail: string): Partial<InstallJob> => ({ status: "running", phase: "fetching", detail });
const done: Partial<InstallJob> = { status: "done", phase: "installed", detail: "ok" };

let chat: RecordingChat;
let reporter: ProgressReporter;
let refs: string[];

beforeEach(() => {
  vi.useFakeTimers({ now: 0 });
  chat = new RecordingChat();
  refs = [];
  reporter = new ProgressReporter({
    portFor: () => chat,
    minIntervalMs: INTERVAL,
    logger: memoryLogger().logger,
    onMessage: (_id, ref) => void refs.push(ref),
  });
});
afterEach(() => {
  vi.useRealTimers();
});

describe("GIVEN installs reporting progress to one chat", () => {
  it("WHEN 20 updates a second arrive for 10 s THEN at most one call per interval goes out and the last state arrives", async () => {
    for (let tick = 0; tick < 200; tick++) {
      reporter.update(group([running(`line ${tick}`), running("other")]));
      await vi.advanceTimersByTimeAsync(50);
    }
    reporter.update(group([done, done]));
    const endedAt = Date.now();
    await vi.advanceTimersByTimeAsync(INTERVAL);
    for (let index = 1; index < chat.calls.length; index++) {
      expect((chat.calls[index]?.at ?? 0) - (chat.calls[index - 1]?.at ?? 0)).toBeGreaterThanOrEqual(
        INTERVAL,
      );
    }
    expect(chat.calls.length).toBeLessThanOrEqual(11 + 1);
    expect(chat.calls[0]?.kind).toBe("send");
    expect(chat.calls.slice(1).every((call) => call.kind === "edit")).toBe(true);
    const last = chat.calls.at(-1);
    expect(last?.body).toContain("2/2");
    expect((last?.at ?? 0) - endedAt).toBeLessThanOrEqual(INTERVAL);
    expect(refs).toEqual(["msg-1"]);
  });

  it("WHEN the same state is reported again THEN nothing is sent", async () => {
    reporter.update(group([running("same")]));
    await vi.advanceTimersByTimeAsync(INTERVAL * 3);
    reporter.update(group([running("same")]));
    reporter.update(group([running("same")]));
    await vi.advanceTimersByTimeAsync(INTERVAL * 3);
    expect(chat.calls).toHaveLength(1);
  });

  it("WHEN the platform says 'not modified' THEN it counts as delivered", async () => {
    reporter.update(group([running("a")]));
    await vi.advanceTimersByTimeAsync(10);
    chat.answers.push({ ok: false, kind: "not_modified" });
    reporter.update(group([running("b")]));
    await vi.advanceTimersByTimeAsync(INTERVAL * 5);
    expect(chat.calls).toHaveLength(2);
    await reporter.settled();
  });

  it("WHEN a 429 says retry after 3 s THEN the next call waits 3 s", async () => {
    reporter.update(group([running("a")]));
    await vi.advanceTimersByTimeAsync(10);
    chat.answers.push({ ok: false, kind: "rate_limited", retryAfterMs: 3000 });
    reporter.update(group([running("b")]));
    await vi.advanceTimersByTimeAsync(INTERVAL * 6);
    const [, limited, retried] = chat.calls;
    expect(limited?.body).toContain("b");
    expect((retried?.at ?? 0) - (limited?.at ?? 0)).toBeGreaterThanOrEqual(3000);
    expect(retried?.body).toContain("b");
  });

  it("WHEN three 429s come in a row THEN intermediate states stop, the interval backs off, and the final state still arrives", async () => {
    reporter.update(group([running("a")]));
    await vi.advanceTimersByTimeAsync(10);
    chat.answers.push(...repeat<PortResult>(3, { ok: false, kind: "rate_limited", retryAfterMs: 500 }));
    for (let tick = 0; tick < 40; tick++) {
      reporter.update(group([running(`t${tick}`)]));
      await vi.advanceTimersByTimeAsync(250);
    }
    const callsBeforeEnd = chat.calls.length;
    expect(callsBeforeEnd).toBe(4); // the send and three refused edits; nothing while backing off
    reporter.update(group([done]));
    await vi.advanceTimersByTimeAsync(MAX_BACKOFF_INTERVAL_MS);
    expect(chat.calls).toHaveLength(callsBeforeEnd + 1);
    expect(chat.calls.at(-1)?.body).toContain("1/1");
  });

  it("WHEN two chats report at once THEN each has its own interval", async () => {
    reporter.update(group([running("x")], "grp00001", "c1"));
    reporter.update(group([running("y")], "grp00002", "c2"));
    await vi.advanceTimersByTimeAsync(10);
    expect(chat.calls.map((call) => call.at)).toEqual([0, 0]);
  });

  it("WHEN the port keeps failing THEN it gives up after a bounded number of tries", async () => {
    chat.answers.push(...repeat<PortResult>(20, { ok: false, kind: "error", message: "500" }));
    reporter.update(group([done]));
    await vi.advanceTimersByTimeAsync(INTERVAL * 30);
    expect(chat.calls.length).toBe(10);
    await reporter.settled();
  });

  it("WHEN the platform refuses the message for good THEN that group is never asked about again, even as it changes", async () => {
    chat.answers.push({ ok: false, kind: "refused", message: "DMs closed" });
    reporter.update(group([running("fetching")]));
    await vi.advanceTimersByTimeAsync(INTERVAL * 2);
    reporter.update(group([running("scanning")]));
    reporter.update(group([done]));
    await vi.advanceTimersByTimeAsync(INTERVAL * 10);
    expect(chat.calls).toHaveLength(1);
    // Another group in the same chat is not affected.
    reporter.update(group([done], "grp00002"));
    await vi.advanceTimersByTimeAsync(INTERVAL * 2);
    expect(chat.calls).toHaveLength(2);
    await reporter.settled();
  });
});

function repeat<T>(count: number, value: T): T[] {
  return Array.from({ length: count }, () => value);
}

describe("GIVEN an edit the platform client holds in flight (retrying 429s for seconds)", () => {
  it("WHEN the final state arrives meanwhile THEN it is still sent once the held edit returns", async () => {
    const releases: (() => void)[] = [];
    const slow: ProgressPort = {
      sendStatus: (_chat, view) => chat.sendStatus("c1", view),
      editStatus: (_chat, _ref, view) => {
        chat.calls.push({ kind: "edit", at: Date.now(), body: view.body.join("\n") });
        return new Promise((resolve) => releases.push(() => resolve({ ok: true })));
      },
    };
    const held = new ProgressReporter({
      portFor: () => slow,
      minIntervalMs: INTERVAL,
      logger: memoryLogger().logger,
    });
    held.update(group([running("one")]));
    await vi.advanceTimersByTimeAsync(INTERVAL + 10);
    held.update(group([running("two")]));
    await vi.advanceTimersByTimeAsync(INTERVAL + 10);
    expect(chat.calls.at(-1)?.body).toContain("two");
    held.update(group([done]));
    await vi.advanceTimersByTimeAsync(5 * INTERVAL);
    for (const release of releases.splice(0)) release();
    await vi.advanceTimersByTimeAsync(2 * INTERVAL);
    for (const release of releases.splice(0)) release();
    await vi.advanceTimersByTimeAsync(2 * INTERVAL);
    expect(chat.calls.at(-1)?.body).toContain("installed");
  });
});
