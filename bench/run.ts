// Benchmarks for the walking skeleton. Run: npm run bench  (writes BENCHMARKS.md)
// Every comparison is measured side by side in the same run and reported as a ratio as well,
// because the machines are shared and absolute times are noisy.
import { execFileSync } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { Low } from "lowdb";
import { JSONFile } from "lowdb/node";
import { pino } from "pino";
import { loadLibrary } from "../src/app/library/library-loader.ts";
import { writeProfile } from "../src/app/profile/profile-writer.ts";
import { BotStore, STORE_FLUSH_DELAY_MS } from "../src/app/store/bot-store.ts";
import { parseBlueprintYaml } from "../src/core/blueprint-yaml.ts";
import { parseButtonToken } from "../src/core/tokens/button-token.ts";
import { startWizard, step, type WizardContext, type WizardState } from "../src/core/wizard/index.ts";
import type { View } from "../src/core/view.ts";

const ROOT = path.resolve(import.meta.dirname, "..");
const silent = pino({ level: "silent" });

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

function tokenFor(view: View, label: string): string {
  const all = [...(view.choices?.items ?? []), ...view.buttons.flat()];
  const found = all.find((entry) => entry.label.startsWith(label));
  if (!found) throw new Error(`no ${label}`);
  return found.token;
}

/** One whole wizard through the pure core, returning the number of transitions. */
function walk(ctx: WizardContext, index: number): { transitions: number; state: WizardState } {
  const owner = { id: "u1", name: "U" };
  let { state, effects } = startWizard(
    { id: `s${String(index).padStart(7, "0")}`, owner, surface: "console", chat: "c", at: 1 },
    ctx,
  );
  let transitions = 0;
  const view = () => {
    const render = [...effects].reverse().find((effect) => effect.type === "render");
    if (render?.type !== "render") throw new Error("no render");
    return render.view;
  };
  const apply = (event: Parameters<typeof step>[1]) => {
    ({ state, effects } = step(state, event, ctx));
    transitions += 1;
  };
  const press = (label: string) => {
    const parsed = parseButtonToken(tokenFor(view(), label));
    if (!parsed.ok) throw new Error("token");
    apply({ type: "press", press: parsed.value, actor: owner, at: 2 });
  };
  apply({ type: "text", text: `bot-${index}`, actor: owner, at: 2 });
  for (const label of [
    "Next",
    "OpenRouter",
    "anthropic/claude-sonnet-4",
    "Skip",
    "Optional skills",
    "Hub skills",
    "Done",
    "MCP servers",
    "github",
  ])
    press(label);
  press("Next");
  press("Skip");
  press("No persona");
  press("✓ Create");
  return { transitions, state };
}

function benchCore(ctx: WizardContext) {
  walk(ctx, 0); // warm-up
  const rounds: number[] = [];
  let transitions = 0;
  for (let round = 0; round < 5; round++) {
    const started = performance.now();
    for (let index = 0; index < 500; index++) transitions = walk(ctx, index).transitions;
    rounds.push((performance.now() - started) / (500 * transitions));
  }
  return { perTransitionUs: median(rounds) * 1000, transitionsPerWizard: transitions };
}

async function benchStore(dir: string, sample: WizardState) {
  const puts = 1000;
  const coalesced = await BotStore.open(path.join(dir, "coalesced.json"), silent);
  let started = performance.now();
  for (let rev = 0; rev < puts; rev++) await coalesced.put({ ...sample, rev });
  await coalesced.flush();
  const coalescedMs = performance.now() - started;

  // The naive alternative: a lowdb write after every transition (steno still merges in-flight writes).
  const naive = new Low(
    new JSONFile<{ sessions: Record<string, WizardState> }>(path.join(dir, "naive.json")),
    { sessions: {} },
  );
  let naiveWrites = 0;
  started = performance.now();
  for (let rev = 0; rev < puts; rev++) {
    naive.data.sessions[sample.id] = { ...sample, rev };
    naiveWrites += 1;
    await naive.write();
  }
  const naiveMs = performance.now() - started;
  return { puts, coalescedWrites: coalesced.writes, coalescedMs, naiveWrites, naiveMs };
}

async function benchCreate(dir: string) {
  const library = await loadLibrary(path.join(ROOT, "library"));
  const times: number[] = [];
  for (let index = 0; index < 30; index++) {
    const parsed = parseBlueprintYaml(
      `name: bench-${index}\nmodel: { provider: openrouter, model: anthropic/claude-sonnet-4 }\nskills: { optional: [research/arxiv-digest] }\n`,
    );
    if (!parsed.ok) throw new Error("fixture");
    const started = performance.now();
    const report = await writeProfile(parsed.blueprint, new Map([["OPENROUTER_API_KEY", "sk-bench"]]), {
      hermesHome: dir,
      profilesRoot: path.join(dir, "profiles"),
      library,
    });
    times.push(performance.now() - started);
    if (!report.ok) throw new Error(report.problems.join("; "));
  }
  return { medianMs: median(times) };
}

function benchStartup() {
  const time = (args: string[]) => {
    const samples: number[] = [];
    for (let index = 0; index < 7; index++) {
      const started = performance.now();
      execFileSync(process.execPath, args, { cwd: ROOT, stdio: "ignore" });
      samples.push(performance.now() - started);
    }
    return median(samples);
  };
  const bareNode = time(["-e", "0"]);
  const cliHelp = time([path.join(ROOT, "bin/blueprint.js"), "--help"]);
  return { bareNodeMs: bareNode, cliHelpMs: cliHelp };
}

const dir = await mkdtemp(path.join(os.tmpdir(), "blueprint-bench-"));
try {
  const library = await loadLibrary(path.join(ROOT, "library"));
  const ctx: WizardContext = { catalog: library.catalog, profiles: [] };
  const core = benchCore(ctx);
  const store = await benchStore(dir, walk(ctx, 1).state);
  const create = await benchCreate(dir);
  const startup = benchStartup();
  const cpu = os.cpus()[0]?.model ?? "unknown CPU";
  const f = (value: number, digits = 1) => value.toFixed(digits);
  const text = `# Benchmarks

Command: \`npm run bench\` (bench/run.ts). Machine: ${os.cpus().length} × ${cpu}, ${f(os.totalmem() / 2 ** 30, 0)} GiB,
Node ${process.version}, ${os.platform()} ${os.release()}. Run on ${new Date().toISOString().slice(0, 10)}.
Shared, noisy machines: read the ratios, not the absolute times.

## Wizard core (pure \`step\`)

| measure | value |
|---|---|
| transitions in one full wizard (name → Create, one MCP key) | ${core.transitionsPerWizard} |
| median time per transition, incl. rendering the View (5 rounds × 500 wizards) | ${f(core.perTransitionUs, 2)} µs |

## Session store: coalesced vs one write per transition

${store.puts} transitions of one session in a burst, side by side in one run.

| store | file rewrites | total time |
|---|---|---|
| BotStore (mark dirty, one write within ${STORE_FLUSH_DELAY_MS} ms) | ${store.coalescedWrites} | ${f(store.coalescedMs)} ms |
| lowdb \`write()\` after every transition | ${store.naiveWrites} | ${f(store.naiveMs)} ms |
| ratio (naive / coalesced) | ${f(store.naiveWrites / store.coalescedWrites, 0)}× | ${f(store.naiveMs / store.coalescedMs)}× |

## Create (profile writer)

| measure | value |
|---|---|
| median time to write a fresh profile (9 folders, .env, SOUL.md, config.yaml, profile.yaml, 7 built-in + 1 optional skill, manifest; 30 runs) | ${f(create.medianMs)} ms |

## Start-up of the \`blueprint\` executable (tsx loader, no build step)

| measure | value |
|---|---|
| \`node -e 0\` | ${f(startup.bareNodeMs, 0)} ms |
| \`node bin/blueprint.js --help\` | ${f(startup.cliHelpMs, 0)} ms |
| ratio | ${f(startup.cliHelpMs / startup.bareNodeMs)}× |
`;
  await writeFile(path.join(ROOT, "BENCHMARKS.md"), text);
  process.stdout.write(text);
} finally {
  await rm(dir, { recursive: true, force: true });
}
