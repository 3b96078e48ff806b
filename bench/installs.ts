// Benchmark: 50 parallel installs, each printing 20 lines a second, reporting to one chat.
// Run: npm run bench:installs  (appends its section to BENCHMARKS.md)
// Side by side in one run: the same installs with the reporter and with no reporter, so the
// reporter's CPU is the difference.
import { appendFile, mkdir, mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { pino } from "pino";
import { parseCommandTemplate } from "../src/app/install/install-command-template.ts";
import { InstallQueue } from "../src/app/install/install-queue.ts";
import { LocalInstallExecutor } from "../src/app/install/local-install-executor.ts";
import { ProgressReporter } from "../src/app/install/progress-reporter.ts";
import { type PortResult, type ProgressPort } from "../src/app/ports/wizard-output.ts";
import { BotStore } from "../src/app/store/bot-store.ts";
import { isGroupFinished, type InstallGroup } from "../src/core/install/install-job.ts";
import { renderInstallStatus } from "../src/core/install/status-view.ts";
import type { View } from "../src/core/view.ts";

const ROOT = path.resolve(import.meta.dirname, "..");
const JOBS = 50;
const GROUPS = 5;
const SECONDS = 5;
const INTERVAL_MS = 1000;
const silent = pino({ level: "silent" });

class TimedChat implements ProgressPort {
  readonly times: number[] = [];
  /** When each message (by ref) first showed its final "Finished:" state. */
  readonly finalAt = new Map<string, number>();
  sendStatus(_chat: string, view: View): Promise<PortResult> {
    const ref = `m${this.times.length + 1}`;
    this.#record(ref, view);
    return Promise.resolve({ ok: true, ref });
  }
  editStatus(_chat: string, ref: string, view: View): Promise<PortResult> {
    this.#record(ref, view);
    return Promise.resolve({ ok: true });
  }
  #record(ref: string, view: View): void {
    const now = performance.now();
    this.times.push(now);
    if (view.body.some((line) => line.startsWith("Finished:")) && !this.finalAt.has(ref))
      this.finalAt.set(ref, now);
  }
}

async function run(withReporter: boolean, jobs: number, groupCount: number) {
  const dir = await mkdtemp(path.join(os.tmpdir(), "blueprint-bench-installs-"));
  await mkdir(path.join(dir, "profiles", "p1"), { recursive: true });
  const store = await BotStore.open(path.join(dir, "store.json"), silent);
  const chat = new TimedChat();
  const refs = new Map<string, string>();
  const reporter = new ProgressReporter({
    portFor: () => chat,
    minIntervalMs: INTERVAL_MS,
    logger: silent,
    now: () => performance.now(),
    onMessage: (groupId, ref) => void refs.set(groupId, ref),
  });
  const endedAt = new Map<string, number>();
  let updateMs = 0;
  let updates = 0;
  const queue = new InstallQueue({
    store,
    executor: new LocalInstallExecutor(
      parseCommandTemplate(
        `sh ${path.join(ROOT, "bench/chatty-installer.sh")} {profile} {identifier} ${SECONDS}`,
      ),
      path.join(dir, "profiles"),
    ),
    concurrency: jobs,
    timeoutMs: 120_000,
    logger: silent,
    onChange: (group: InstallGroup) => {
      updates += 1;
      if (isGroupFinished(group) && !endedAt.has(group.id)) endedAt.set(group.id, performance.now());
      if (!withReporter) return;
      const before = performance.now();
      reporter.update(group);
      updateMs += performance.now() - before;
    },
  });
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const groups = await Promise.all(
    Array.from({ length: groupCount }, (_, g) =>
      queue.start(
        { id: "u", name: "U" },
        "telegram",
        "chat-1",
        "p1",
        Array.from({ length: jobs / groupCount }, (_, j) => `acme/bench/s${g}-${j}`),
      ),
    ),
  );
  await queue.idle();
  await reporter.settled();
  const cpu = process.cpuUsage(cpuBefore);
  const stored = await Promise.all(groups.map((group) => store.getInstallGroup(group.id)));
  const finished = stored.every((group) => group !== undefined && isGroupFinished(group));
  await store.flush();
  await rm(dir, { recursive: true, force: true });
  let maxPerSecond = 0;
  for (const time of chat.times)
    maxPerSecond = Math.max(
      maxPerSecond,
      chat.times.filter((other) => other >= time && other < time + 1000).length,
    );
  return {
    finished,
    wallS: (performance.now() - started) / 1000,
    cpuMs: (cpu.user + cpu.system) / 1000,
    updateMs,
    lastGroup: await store.getInstallGroup(groups.at(-1)?.id ?? ""),
    updates,
    calls: chat.times.length,
    maxPerSecond,
    // Per status message: from its last job's end to the edit that showed its final state.
    finalDelaysMs: groups.map(
      (group) => (chat.finalAt.get(refs.get(group.id) ?? "") ?? Number.NaN) - (endedAt.get(group.id) ?? 0),
    ),
  };
}

const without = await run(false, JOBS, GROUPS);
// Render cost of one status message, measured on its own (the reporter renders once per delivery).
const sample = (await run(true, 10, 1)).lastGroup;
let renderUs = 0;
if (sample) {
  const started = performance.now();
  for (let index = 0; index < 10_000; index++) JSON.stringify(renderInstallStatus(sample));
  renderUs = ((performance.now() - started) / 10_000) * 1000;
}
const many = await run(true, JOBS, GROUPS);
const single = await run(true, 20, 1);
const f = (value: number, digits = 1) => value.toFixed(digits);
const row = (label: string, result: Awaited<ReturnType<typeof run>>) =>
  `| ${label} | ${result.updates} | ${result.calls} in ${f(result.wallS)} s | ${result.maxPerSecond} | ${result.finalDelaysMs
    .map((delay) => f(delay, 0))
    .join(", ")} ms | ${result.finished ? "yes" : "NO"} |`;
const text = `
## Installs reporting to one chat (\`npm run bench:installs\`)

Subprocesses (bench/chatty-installer.sh: 20 lines/s for ${SECONDS} s, then Installed) through the real InstallQueue
and ProgressReporter (PROGRESS_MIN_INTERVAL_MS=${INTERVAL_MS}); the fake chat records the time of every send/edit.
Run on ${new Date().toISOString().slice(0, 10)}, ${os.cpus().length} × ${os.cpus()[0]?.model ?? "CPU"}, Node ${process.version}.

| scenario | updates from the queue | sends + edits | most in any 1-s window (bound 1) | last job end → final shown, per message | all finished |
|---|---|---|---|---|---|
${row(`${JOBS} installs in ${GROUPS} creates (${GROUPS} messages)`, many)}
${row("20 installs in 1 create (1 message)", single)}

With several status messages in one chat, the per-chat limit is shared: finished messages go first,
so the k-th message to finish at the same moment shows its final state about k intervals later.

| CPU, ${JOBS} installs | value |
|---|---|
| bot process with the reporter (queue, output parsing, store, reporter) | ${f(many.cpuMs, 0)} ms |
| same installs, no reporter | ${f(without.cpuMs, 0)} ms (the difference is within run-to-run noise) |
| time inside \`reporter.update\`, all ${many.updates} updates | ${f(many.updateMs, 1)} ms (${f((many.updateMs / many.updates) * 1000, 2)} µs each) |
| rendering + comparing one status message (done once per delivery attempt) | ${f(renderUs, 1)} µs |
`;
await appendFile(path.join(ROOT, "BENCHMARKS.md"), text);
process.stdout.write(text);
