// What one wizard round costs the bot's process, step by step, below any platform: the real
// WizardRunner on the embedded store and this machine's backend (a temp Hermes home), driven as
// an adapter drives it, with a surface that only keeps the last screen. A create round (/profile new
// → Create) and an edit round (/profile edit → Edit skills → toggle a built-in → Optional → Hub →
// Done → Apply), as the load bench's users walk them, alternated round by round.
// Run: npm run bench:rounds  (prints a markdown section). BENCH_ROUNDS_N rounds of each (default 200).
// CPU is the process's (process.cpuUsage: the main thread and libuv's threads), per step; "wall" is
// the step's elapsed time on an otherwise idle process. Platform work (the outbound guard, HTTP) is
// not in these figures: the load bench has it.
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { pino } from "pino";
import { LocalBackend } from "../src/app/backend/local-backend.ts";
import { installCommandFor } from "../src/app/install/install-command-template.ts";
import { LocalInstallExecutor } from "../src/app/install/local-install-executor.ts";
import { loadLibrary } from "../src/app/library/library-loader.ts";
import type { WizardOutput } from "../src/app/ports/wizard-output.ts";
import { WizardRunner } from "../src/app/runtime/wizard-runner.ts";
import { BotStore } from "../src/app/store/bot-store.ts";
import type { View } from "../src/core/view.ts";
import type { Actor, WizardState } from "../src/core/wizard/index.ts";

const ROOT = path.resolve(import.meta.dirname, "..");
const ROUNDS = Number(process.env["BENCH_ROUNDS_N"] ?? 200);
const WARMUP = 10;
const ALICE: Actor = { id: "1001", name: "alice" };

/** The last screen of each session, as a surface would show it. */
class LastScreen implements WizardOutput {
  readonly views = new Map<string, View>();
  render(state: WizardState, view: View): Promise<void> {
    this.views.set(state.id, view);
    return Promise.resolve();
  }
  notify(): Promise<void> {
    return Promise.resolve();
  }
  sendStatus() {
    return Promise.resolve({ ok: true as const, ref: "1" });
  }
  editStatus() {
    return Promise.resolve({ ok: true as const });
  }
  token(session: string, label: string | ((label: string) => boolean)): string {
    const view = this.views.get(session);
    const all = [...(view?.choices?.items ?? []), ...(view?.buttons.flat() ?? [])];
    const match = typeof label === "string" ? (text: string) => text.startsWith(label) : label;
    const found = all.find((item) => match(item.label) || match(item.label.replace(/^[✓☐•] /, "")));
    if (!found) throw new Error(`no '${String(label)}' on ${view?.title ?? "nothing"}`);
    return found.token;
  }
}

const root = await mkdtemp(path.join(os.tmpdir(), "bench-rounds-"));
const hermesHome = path.join(root, "hermes");
const library = await loadLibrary(path.join(ROOT, "library"));
const logger = pino({ level: "warn" });
const store = await BotStore.open(path.join(root, "store.json"), logger);
const backend = new LocalBackend({
  hermesHome,
  profilesRoot: path.join(hermesHome, "profiles"),
  library,
  installs: new LocalInstallExecutor(installCommandFor({}), path.join(hermesHome, "profiles")),
});
const runner = new WizardRunner({ store, library, logger, backend, modelListTimeoutMs: 500 });
const screen = new LastScreen();
runner.attach("console", screen);

/** CPU (ms, all threads) and wall time per step name, summed over the measured rounds. */
const spent = new Map<string, { cpu: number; wall: number; n: number }>();
async function timed(round: string, step: string, measured: boolean, work: () => Promise<unknown>) {
  const cpu = process.cpuUsage();
  const started = performance.now();
  await work();
  const wall = performance.now() - started;
  const used = process.cpuUsage(cpu);
  if (!measured) return;
  const key = `${round}\u0000${step}`;
  const sum = spent.get(key) ?? { cpu: 0, wall: 0, n: 0 };
  sum.cpu += (used.user + used.system) / 1000;
  sum.wall += wall;
  sum.n += 1;
  spent.set(key, sum);
}

async function createRound(name: string, measured: boolean): Promise<void> {
  let id = "";
  await timed("create", "/profile new", measured, async () => {
    id = (await runner.start(ALICE, "console", "chat")).id;
  });
  await timed("create", "name", measured, () => runner.text(id, ALICE, name));
  for (const label of ["Next", "OpenRouter", "anthropic/claude-sonnet-4"])
    await timed("create", label, measured, () => runner.press(screen.token(id, label), ALICE));
  await timed("create", "the key", measured, () => runner.submitSecret(id, ALICE, `sk-or-v1-${name}-000000`));
  for (const label of ["Optional skills", "Hub skills", "Done ▶", "MCP servers", "Next", "No persona"])
    await timed("create", label, measured, () => runner.press(screen.token(id, label), ALICE));
  await timed("create", "✓ Create", measured, () => runner.press(screen.token(id, "✓ Create"), ALICE));
  if (screen.views.get(id)?.title !== "Profile created") throw new Error(`${name}: not created`);
}

async function editRound(name: string, measured: boolean): Promise<void> {
  let id = "";
  await timed("edit", "/profile edit", measured, async () => {
    const opened = await runner.startEdit(ALICE, "console", "chat", name);
    if (!opened.ok) throw new Error(opened.reason);
    id = opened.value.id;
  });
  await timed("edit", "Edit skills", measured, () => runner.press(screen.token(id, "Edit skills"), ALICE));
  const first = screen.views.get(id)?.choices?.items[0]?.token;
  if (!first) throw new Error("no built-in skill to toggle");
  await timed("edit", "toggle a built-in", measured, () => runner.press(first, ALICE));
  for (const label of ["Optional skills", "Hub skills", "Done"])
    await timed("edit", label, measured, () => runner.press(screen.token(id, label), ALICE));
  await timed("edit", "✓ Apply", measured, () => runner.press(screen.token(id, "✓ Apply"), ALICE));
  const body = screen.views.get(id)?.body.join("\n") ?? "";
  if (!body.includes("Applied to profile")) throw new Error(`${name}: not applied: ${body.slice(0, 200)}`);
}

// Each edit round edits the profile the create round before it made, as an editing user edits theirs.
for (let round = 0; round < WARMUP + ROUNDS; round++) {
  const measured = round >= WARMUP;
  const name = `bench-${round}`;
  await createRound(name, measured);
  await editRound(name, measured);
}
await store.flush();
await rm(root, { recursive: true, force: true });

const rows = (round: string) =>
  [...spent]
    .filter(([key]) => key.startsWith(`${round}\u0000`))
    .map(([key, sum]) => ({ step: key.split("\u0000")[1] ?? "", ...sum }));
const table = (round: string) => {
  const lines = rows(round);
  // A step taken twice a round ("Next") counts twice: totals are per round, means per step taken.
  const cpu = lines.reduce((total, line) => total + line.cpu, 0) / ROUNDS;
  const actions = lines.reduce((total, line) => total + line.n, 0) / ROUNDS;
  return `| step | CPU, mean | wall, mean |
|---|---|---|
${lines.map((line) => `| ${line.step}${line.n > ROUNDS ? ` (×${line.n / ROUNDS})` : ""} | ${(line.cpu / line.n).toFixed(2)} ms | ${(line.wall / line.n).toFixed(2)} ms |`).join("\n")}
| **the round (${actions} actions)** | **${cpu.toFixed(2)} ms, ${(cpu / actions).toFixed(2)} ms per action** | |`;
};
console.log(`## Wizard rounds below the platforms: CPU per step (\`npm run bench:rounds\`)

The real WizardRunner, embedded store, this machine's backend in a temp Hermes home; ${ROUNDS} create and
${ROUNDS} edit rounds alternated (after ${WARMUP} of each unmeasured), each edit on the profile the create
before it made; Node ${process.version}, ${os.cpus().length} × ${os.cpus()[0]?.model ?? "?"}.

Create round:

${table("create")}

Edit round:

${table("edit")}
`);
