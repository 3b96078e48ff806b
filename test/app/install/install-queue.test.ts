import { copyFile, mkdir, readFile } from "node:fs/promises";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import {
  installCommandFor,
  parseCommandTemplate,
  type InstallCommand,
} from "../../../src/app/install/install-command-template.ts";
import { InstallQueue } from "../../../src/app/install/install-queue.ts";
import type {
  InstallEnd,
  InstallExecutor,
  InstallIo,
  InstallRequest,
} from "../../../src/app/ports/install-executor.ts";
import { LocalInstallExecutor } from "../../../src/app/install/local-install-executor.ts";
import { BotStore } from "../../../src/app/store/bot-store.ts";
import type { InstallGroup } from "../../../src/core/install/install-job.ts";
import type { InstallRecord, RecordsAround } from "../../../src/core/install/install-record.ts";
import { LOG_LINE_MAX_CHARS, LOG_TAIL_LINES } from "../../../src/core/install/installer-output.ts";
import { REPO_ROOT } from "../../helpers/cli.ts";
import { writeFakeHermes } from "../../helpers/fake-hermes.ts";
import { memoryLogger } from "../../helpers/silent-logger.ts";
import { useTempDirs } from "../../helpers/temp-dir.ts";
import { ALICE, MALLORY } from "../../helpers/wizard-driver.ts";

const tempDir = useTempDirs();
const stores: BotStore[] = [];
afterEach(async () => {
  await Promise.all(stores.splice(0).map((store) => store.flush()));
});

const fixture = (name: string) => path.join(REPO_ROOT, "test/fixtures/installers", `${name}.sh`);

async function queueWith(
  script: string,
  options: { timeoutMs?: number; concurrency?: number; template?: string; command?: InstallCommand } = {},
) {
  const dir = await tempDir();
  const profilesRoot = path.join(dir, "profiles");
  for (const profile of ["p1", "p2", "p3"])
    await mkdir(path.join(profilesRoot, profile), { recursive: true });
  const store = await BotStore.open(path.join(dir, "store.json"), memoryLogger().logger, {
    flushDelayMs: 5,
  });
  stores.push(store);
  const changes: InstallGroup[] = [];
  // Running jobs per group, summed over every group: the queue's bound is global.
  const runningByGroup = new Map<string, number>();
  let maxRunning = 0;
  const queue = new InstallQueue({
    store,
    executor: new LocalInstallExecutor(
      options.command ??
        parseCommandTemplate(options.template ?? `sh ${fixture(script)} {profile} {identifier}`),
      profilesRoot,
    ),
    concurrency: options.concurrency ?? 2,
    timeoutMs: options.timeoutMs ?? 10_000,
    logger: memoryLogger().logger,
    onChange: (group) => {
      changes.push(group);
      runningByGroup.set(group.id, group.jobs.filter((job) => job.status === "running").length);
      maxRunning = Math.max(
        maxRunning,
        [...runningByGroup.values()].reduce((sum, count) => sum + count, 0),
      );
    },
  });
  return { dir, profilesRoot, store, queue, changes, maxRunning: () => maxRunning };
}

async function jobs(store: BotStore, id: string) {
  return (await store.getInstallGroup(id))?.jobs ?? [];
}

describe("GIVEN the install queue", () => {
  it("WHEN an installer succeeds THEN the job is done, it ran with HERMES_HOME set to the profile, and the tail is kept", async () => {
    const { queue, store, profilesRoot } = await queueWith("fast");
    const group = await queue.start(ALICE, "console", "c", "p1", ["official/security/password-audit"]);
    await queue.idle();
    const [job] = await jobs(store, group.id);
    expect(job).toMatchObject({ status: "done", phase: "installed", detail: "password-audit", attempts: 1 });
    expect(job?.logTail).toContain(`home=${path.join(profilesRoot, "p1")}`);
  });

  it.each([
    [
      "failing",
      {
        status: "failed",
        phase: "could not fetch",
        detail: "no hub source has it: check the identifier (or the network), then Retry",
      },
    ],
    ["blocked", { status: "blocked", phase: "blocked", detail: "dangerous verdict" }],
    ["silent-exit", { status: "failed", detail: "the installer ended without reporting Installed" }],
    ["self-kill", { status: "failed", detail: "Fetching: official/a/b" }],
  ])("WHEN the installer is %s THEN the job ends as %j", async (script, expected) => {
    const { queue, store } = await queueWith(script);
    const group = await queue.start(ALICE, "console", "c", "p1", ["official/a/b"]);
    await queue.idle();
    expect((await jobs(store, group.id))[0]).toMatchObject(expected);
  });

  it.each([
    ["crash", { status: "failed", phase: "failed", detail: "RuntimeError: the fake Hermes fell over" }],
    [
      "garbage",
      { status: "failed", phase: "failed", detail: "the installer ended without reporting Installed" },
    ],
    ["hang", { status: "failed", phase: "timed out", detail: "no end after 1 s; its processes were killed" }],
  ] as const)(
    "WHEN the Hermes beside the bot %ss during an install THEN the job fails with a readable reason",
    async (mode, expected) => {
      const bin = await writeFakeHermes(await tempDir(), mode);
      const { queue, store } = await queueWith("", {
        command: installCommandFor({}, { bin }),
        timeoutMs: 1000,
      });
      const group = await queue.start(ALICE, "console", "c", "p1", ["official/a/b"]);
      await queue.idle();
      expect((await jobs(store, group.id))[0]).toMatchObject(expected);
    },
  );

  it("WHEN the Hermes beside the bot hangs on one install THEN installs into other profiles finish meanwhile, and the hung one ends at its timeout", async () => {
    const bin = await writeFakeHermes(await tempDir(), "mixed");
    const { queue, store } = await queueWith("", {
      command: installCommandFor({}, { bin }),
      timeoutMs: 4000,
      concurrency: 2,
    });
    const stuck = await queue.start(ALICE, "console", "c", "p1", ["official/x/hang-forever"]);
    const fine = await queue.start(ALICE, "console", "c", "p2", [
      "official/x/fine-one",
      "official/x/fine-two",
    ]);
    for (
      let wait = 0;
      wait < 300 && !(await jobs(store, fine.id)).every((job) => job.status === "done");
      wait++
    )
      await new Promise((resolve) => setTimeout(resolve, 10));
    expect((await jobs(store, fine.id)).map((job) => job.status)).toEqual(["done", "done"]);
    expect((await jobs(store, stuck.id))[0]?.status).toBe("running");
    await queue.idle();
    expect((await jobs(store, stuck.id))[0]).toMatchObject({ status: "failed", phase: "timed out" });
  });

  it("WHEN the install command does not exist THEN the job fails saying so", async () => {
    const { queue, store } = await queueWith("", { template: "no-such-installer-xyz {identifier}" });
    const group = await queue.start(ALICE, "console", "c", "p1", ["official/a/b"]);
    await queue.idle();
    expect((await jobs(store, group.id))[0]).toMatchObject({
      status: "failed",
      detail: "install command not found: no-such-installer-xyz",
    });
  });

  it("WHEN an installer hangs THEN the timeout kills its whole process group, grandchild included", async () => {
    const { queue, store, profilesRoot } = await queueWith("hanging", { timeoutMs: 700 });
    const group = await queue.start(ALICE, "console", "c", "p1", ["official/a/b"]);
    await queue.idle();
    expect((await jobs(store, group.id))[0]).toMatchObject({ status: "failed", phase: "timed out" });
    const grandchild = Number(await readFile(path.join(profilesRoot, "p1/grandchild.pid"), "utf8"));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await isAlive(grandchild)).toBe(false);
  });

  it("WHEN an installer floods output and prints invalid UTF-8 THEN the tail stays bounded and readable", async () => {
    const flood = await queueWith("flooding");
    const floodGroup = await flood.queue.start(ALICE, "console", "c", "p1", ["official/a/b"]);
    await flood.queue.idle();
    const floodJob = (await jobs(flood.store, floodGroup.id))[0];
    expect(floodJob?.status).toBe("done");
    expect(floodJob?.logTail.length).toBeLessThanOrEqual(LOG_TAIL_LINES);
    expect(Math.max(...(floodJob?.logTail.map((line) => line.length) ?? []))).toBeLessThanOrEqual(
      LOG_LINE_MAX_CHARS + 1,
    );

    const broken = await queueWith("bad-utf8");
    const brokenGroup = await broken.queue.start(ALICE, "console", "c", "p1", ["official/a/b"]);
    await broken.queue.idle();
    const brokenJob = (await jobs(broken.store, brokenGroup.id))[0];
    expect(brokenJob?.status).toBe("done");
    expect(brokenJob?.logTail[0]).toContain("\uFFFD");
  });

  it("WHEN six installs into three profiles are queued with concurrency 2 THEN at most two run at once and all finish", async () => {
    const { queue, store, maxRunning } = await queueWith("slow", { concurrency: 2 });
    const groups = await Promise.all(
      ["p1", "p2", "p3"].map((profile) =>
        queue.start(ALICE, "console", "c", profile, [`a/b/${profile}-one`, `a/b/${profile}-two`]),
      ),
    );
    await queue.idle();
    for (const group of groups)
      expect((await jobs(store, group.id)).map((job) => job.status)).toEqual(["done", "done"]);
    expect(maxRunning()).toBe(2);
  });

  it("WHEN three installs go into one profile THEN they run one after another and each is recorded in its lock.json", async () => {
    // Hermes rewrites lock.json without a lock of its own: two at once into one profile could lose a record.
    const { queue, store, maxRunning, profilesRoot } = await queueWith("slow", { concurrency: 3 });
    const group = await queue.start(ALICE, "console", "c", "p1", ["a/b/one", "a/b/two", "a/b/three"]);
    await queue.idle();
    expect((await jobs(store, group.id)).map((job) => job.status)).toEqual(["done", "done", "done"]);
    expect(maxRunning()).toBe(1);
    const lock = JSON.parse(await readFile(path.join(profilesRoot, "p1/skills/.hub/lock.json"), "utf8")) as {
      installed: Record<string, unknown>;
    };
    expect(Object.keys(lock.installed).sort()).toEqual(["one", "three", "two"]);
  });

  it("WHEN an installer says Installed but records nothing in lock.json THEN the job fails saying so", async () => {
    const { queue, store } = await queueWith("", {
      template: `sh ${fixture("unrecorded")} {profile} {identifier}`,
    });
    const group = await queue.start(ALICE, "console", "c", "p1", ["official/a/b"]);
    await queue.idle();
    const [job] = await jobs(store, group.id);
    expect(job?.status).toBe("failed");
    expect(job?.detail).toContain("the installer said installed, but its lock.json has no record of 'b'");
  });

  it.each([
    ["a path traversal", "../../etc/passwd"],
    ["a leading dash", "-rf"],
    ["shell metacharacters", "a; rm -rf /"],
    ["a space", "has space"],
    ["2 KB of text", "x".repeat(2048)],
    ["a command substitution", "$(id)"],
  ])(
    "WHEN the identifier has %s THEN nothing is run and the job fails with the rule",
    async (_what, identifier) => {
      const { queue, store } = await queueWith("args");
      const group = await queue.start(ALICE, "console", "c", "p1", [identifier]);
      await queue.idle();
      const [job] = await jobs(store, group.id);
      expect(job).toMatchObject({ status: "failed", logTail: [] });
      expect(job?.detail).toContain("not a hub identifier");
    },
  );

  it("WHEN an identifier with a colon and URL characters is used THEN it reaches the installer as one argument", async () => {
    const { queue, store } = await queueWith("args");
    const group = await queue.start(ALICE, "console", "c", "p1", ["well-known:https://example.com/skills/x"]);
    await queue.idle();
    expect((await jobs(store, group.id))[0]?.logTail).toEqual([
      "arg=p1",
      "arg=well-known:https://example.com/skills/x",
      "Installed: ok",
    ]);
  });

  it("WHEN Cancel is pressed twice THEN running and queued jobs are canceled once and the second press says so", async () => {
    const { queue, store } = await queueWith("hanging", { concurrency: 1 });
    const group = await queue.start(ALICE, "console", "c", "p1", ["a/b/one", "a/b/two"]);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await queue.cancel(group.id, MALLORY)).toEqual({
      ok: false,
      text: "Only Alice can cancel these installs.",
    });
    expect((await queue.cancel(group.id, ALICE)).ok).toBe(true);
    await queue.idle();
    expect((await jobs(store, group.id)).map((job) => job.status)).toEqual(["canceled", "canceled"]);
    expect(await queue.cancel(group.id, ALICE)).toEqual({
      ok: false,
      text: "Nothing to cancel: every install has ended.",
    });
  });

  it("WHEN Retry is pressed THEN only failed jobs run again; a group that fully succeeded has nothing to retry", async () => {
    const { queue, store } = await queueWith("fast");
    const group = await queue.start(ALICE, "console", "c", "p1", ["a/b/ok"]);
    await queue.idle();
    expect(await queue.retry(group.id, ALICE)).toEqual({
      ok: false,
      text: "Nothing to retry: installed and blocked skills are not run again.",
    });
    const failing = await queueWith("failing");
    const failed = await failing.queue.start(ALICE, "console", "c", "p1", ["a/b/bad"]);
    await failing.queue.idle();
    expect(await failing.queue.retry(failed.id, ALICE)).toEqual({ ok: true, text: "Retrying 1 install(s)." });
    await failing.queue.idle();
    expect((await jobs(failing.store, failed.id))[0]).toMatchObject({ status: "failed", attempts: 2 });
    void store;
  });

  it("WHEN the bot restarts while jobs run THEN running ones are interrupted and queued ones run", async () => {
    const { queue, store, dir } = await queueWith("hanging", { concurrency: 1, timeoutMs: 60_000 });
    const group = await queue.start(ALICE, "console", "c", "p1", ["a/b/one", "a/b/two"]);
    await new Promise((resolve) => setTimeout(resolve, 300));
    await store.flush();
    // The store file as a crash left it, opened by a new process (a copy: the old queue keeps its own).
    await copyFile(path.join(dir, "store.json"), path.join(dir, "after-restart.json"));
    await copyFile(path.join(dir, "store.json.journal"), path.join(dir, "after-restart.json.journal"));
    const restartedStore = await BotStore.open(path.join(dir, "after-restart.json"), memoryLogger().logger, {
      flushDelayMs: 5,
    });
    stores.push(restartedStore);
    const restarted = new InstallQueue({
      store: restartedStore,
      executor: new LocalInstallExecutor(
        parseCommandTemplate(`sh ${fixture("fast")} {profile} {identifier}`),
        path.join(dir, "profiles"),
      ),
      concurrency: 1,
      timeoutMs: 10_000,
      logger: memoryLogger().logger,
      onChange: () => undefined,
    });
    await restarted.recover();
    await restarted.idle();
    expect((await jobs(restartedStore, group.id)).map((job) => job.status)).toEqual(["interrupted", "done"]);
    expect(await restarted.retry(group.id, ALICE)).toEqual({ ok: true, text: "Retrying 1 install(s)." });
    await restarted.idle();
    expect((await jobs(restartedStore, group.id)).map((job) => job.status)).toEqual(["done", "done"]);
    await queue.cancel(group.id, ALICE);
    await queue.idle();
  });
});

/** Alive means running or sleeping: a killed process waiting to be reaped (zombie) is dead. */
async function isAlive(pid: number): Promise<boolean> {
  const stat = await readFile(`/proc/${pid}/stat`, "utf8").catch(() => undefined);
  if (stat === undefined) return false;
  const state = stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3);
  return state !== "Z" && state !== "X";
}

/**
 * An executor that holds every install until released, as a remote Hermes whose install runs: it
 * records which ran at once, cannot stop a running one, and says "Installed" when released.
 */
class HeldExecutor implements InstallExecutor {
  readonly canStopRunning = false;
  readonly running = new Set<string>();
  readonly overlaps: string[][] = [];
  readonly #release: (() => void)[] = [];
  /** Each profile's record of hub installs, as a host would list it. */
  readonly #records = new Map<string, InstallRecord[]>();
  exclusiveKeys(request: InstallRequest) {
    return [`profile:${request.profile}`, `identifier:${request.identifier}`];
  }
  async run(request: InstallRequest, io: InstallIo): Promise<InstallEnd> {
    const key = `${request.profile}:${request.identifier}`;
    this.running.add(key);
    if (this.running.size > 1) this.overlaps.push([...this.running]);
    await new Promise<void>((resolve) => this.#release.push(resolve));
    const name = request.identifier.split("/").at(-1) ?? "";
    io.onLine(`Installed: x/${name}`);
    const before = this.#records.get(request.profile) ?? [];
    const after = [...before, { name, identifier: request.identifier, version: "1" }];
    this.#records.set(request.profile, after);
    io.onRecords?.({ before, after });
    this.running.delete(key);
    return { kind: "exited", exitCode: 0 };
  }
  releaseAll(): void {
    for (const release of this.#release.splice(0)) release();
  }
}

describe("GIVEN an executor whose installs cannot be stopped once running (a Hermes host)", () => {
  async function heldQueue() {
    const dir = await tempDir();
    const store = await BotStore.open(path.join(dir, "store.json"), memoryLogger().logger, {
      flushDelayMs: 5,
    });
    stores.push(store);
    const executor = new HeldExecutor();
    const queue = new InstallQueue({
      store,
      executor,
      concurrency: 4,
      timeoutMs: 10_000,
      logger: memoryLogger().logger,
      onChange: () => undefined,
    });
    return { store, executor, queue };
  }

  it("WHEN one identifier is installed into two profiles THEN the two never run at once (one action log per identifier)", async () => {
    const { store, executor, queue } = await heldQueue();
    const first = await queue.start(ALICE, "console", "c", "p1", ["official/a/same", "official/a/other"]);
    const second = await queue.start(ALICE, "console", "c", "p2", ["official/a/same"]);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect([...executor.running].sort()).toEqual(["p1:official/a/same"]);
    let idle = false;
    void queue.idle().then(() => (idle = true));
    while (!idle) {
      executor.releaseAll();
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(executor.overlaps.filter((keys) => keys.every((key) => key.endsWith(":official/a/same")))).toEqual(
      [],
    );
    expect((await jobs(store, first.id)).map((job) => job.status)).toEqual(["done", "done"]);
    expect((await jobs(store, second.id)).map((job) => job.status)).toEqual(["done"]);
  });

  it("WHEN Cancel is pressed while one runs THEN the queued ones are canceled and the user is told the running one goes on", async () => {
    const { store, executor, queue } = await heldQueue();
    const group = await queue.start(ALICE, "console", "c", "p1", ["official/a/one", "official/a/two"]);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(await queue.cancel(group.id, ALICE)).toEqual({
      ok: true,
      text: "Canceled the installs that had not started. 1 already running on the Hermes host cannot be stopped from here; they are followed to their end.",
    });
    executor.releaseAll();
    await queue.idle();
    expect((await jobs(store, group.id)).map((job) => job.status)).toEqual(["done", "canceled"]);
  });
});

/** Ends every install with the lines and the records around it that the test gives. */
class ScriptedExecutor implements InstallExecutor {
  readonly canStopRunning = true;
  constructor(
    private readonly lines: readonly string[],
    private readonly around: RecordsAround,
  ) {}
  exclusiveKeys(request: InstallRequest): readonly string[] {
    return [`profile:${request.profile}`];
  }
  run(_request: InstallRequest, io: InstallIo): Promise<InstallEnd> {
    for (const line of this.lines) io.onLine(line);
    io.onRecords?.(this.around);
    return Promise.resolve({ kind: "exited", exitCode: 0 });
  }
}

describe("GIVEN what an install's records show beside what its output says", () => {
  async function judged(lines: readonly string[], around: RecordsAround, identifier: string) {
    const dir = await tempDir();
    const store = await BotStore.open(path.join(dir, "store.json"), memoryLogger().logger, {
      flushDelayMs: 5,
    });
    stores.push(store);
    const queue = new InstallQueue({
      store,
      executor: new ScriptedExecutor(lines, around),
      concurrency: 1,
      timeoutMs: 10_000,
      logger: memoryLogger().logger,
      onChange: () => undefined,
    });
    const group = await queue.start(ALICE, "console", "c", "p1", [identifier]);
    await queue.idle();
    return (await jobs(store, group.id))[0];
  }
  const hub = (name: string): InstallRecord => ({ name, version: "hub" });

  it("WHEN a host's skill list could not be read before the run and the log claims a skill it lists THEN the job fails: what changed cannot be told", async () => {
    const job = await judged(
      ["Error: Could not fetch 'official/security/password-audit' from any source.", "Installed: real-one"],
      { before: undefined, after: [hub("real-one")] },
      "official/security/password-audit",
    );
    expect(job?.status).toBe("failed");
    expect(job?.detail).toContain("could not be read before the install");
  });

  it("WHEN a host's log says another skill the profile has is already installed THEN the job fails naming both", async () => {
    const job = await judged(
      ["Warning: 'real-one' is already installed at real-one"],
      { before: [hub("real-one")], after: [hub("real-one")] },
      "official/security/password-audit",
    );
    expect(job?.status).toBe("failed");
    expect(job?.detail).toContain(
      "the installer said 'real-one' is already installed, but that is not official/security/password-audit",
    );
    // The requested skill itself, already there, is done.
    const same = await judged(
      ["Warning: 'password-audit' is already installed at security/password-audit"],
      { before: [hub("password-audit")], after: [hub("password-audit")] },
      "official/security/password-audit",
    );
    expect(same?.status).toBe("done");
  });

  it("WHEN the output ended before 'Installed:' but lock.json gained the entry for exactly this identifier THEN the job is done", async () => {
    const entry = {
      name: "password-audit",
      identifier: "official/security/password-audit",
      source: "official",
      version: "t1",
    };
    const done = await judged(
      ["Fetching: official/security/password-audit"],
      { before: [], after: [entry] },
      "official/security/password-audit",
    );
    expect(done?.status).toBe("done");
    expect(done?.detail).toContain("recorded in the profile's lock.json");
    // An entry of another identifier that appeared meanwhile is no such proof.
    const other = await judged(
      ["Fetching: official/security/password-audit"],
      { before: [], after: [{ ...entry, name: "x", identifier: "acme/repo/x", source: "github" }] },
      "official/security/password-audit",
    );
    expect(other?.status).toBe("failed");
  });
});
