// Benchmark: start-up time and idle memory of the bot run from a build (`npm run build` → dist/)
// against the same bot run from the TypeScript sources through tsx, side by side, in alternating
// rounds on one machine. Each round starts `blueprint start` (console adapter, a piped stdin kept
// open), times the first screen line, then reads VmRSS from /proc after 2 s idle.
// Run: npm run build && npm run bench:startup (appends its section to BENCHMARKS.md). BENCH_ROUNDS=n.
import { spawn } from "node:child_process";
import { appendFile, mkdtemp, readFile, rm, stat } from "node:fs/promises";
import os from "node:os";
import path from "node:path";

const ROOT = path.resolve(import.meta.dirname, "..");
const ROUNDS = Number(process.env["BENCH_ROUNDS"] ?? 7);
const IDLE_MS = 2000;

await stat(path.join(ROOT, "dist/src/main/cli.js")).catch(() => {
  throw new Error("no build: run `npm run build` first");
});

async function once(sources: boolean): Promise<{ startMs: number; rssMb: number }> {
  const data = await mkdtemp(path.join(os.tmpdir(), "blueprint-bench-start-"));
  const started = performance.now();
  const child = spawn(process.execPath, [path.join(ROOT, "bin/blueprint.js"), "start"], {
    cwd: os.tmpdir(),
    env: {
      PATH: process.env["PATH"] ?? "",
      HOME: os.tmpdir(),
      DATA_DIR: data,
      ...(sources ? { BLUEPRINT_SOURCES: "1" } : {}),
    },
    stdio: ["pipe", "pipe", "inherit"],
  });
  const startMs = await new Promise<number>((resolve) =>
    child.stdout.once("data", () => resolve(performance.now() - started)),
  );
  await new Promise((resolve) => setTimeout(resolve, IDLE_MS));
  const status = await readFile(`/proc/${child.pid ?? 0}/status`, "utf8");
  const rssKb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  child.stdin.end();
  await new Promise((resolve) => child.once("close", resolve));
  await rm(data, { recursive: true, force: true });
  return { startMs, rssMb: rssKb / 1024 };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
const built: { startMs: number; rssMb: number }[] = [];
const tsx: { startMs: number; rssMb: number }[] = [];
for (let round = 0; round < ROUNDS; round++) {
  built.push(await once(false));
  tsx.push(await once(true));
}
const ratio = median(tsx.map((t, i) => t.startMs / (built[i]?.startMs ?? 1)));

const text = `
## Start-up: built JavaScript vs the sources through tsx (\`npm run build && npm run bench:startup\`)

\`blueprint start\` with the console adapter, ${ROUNDS} alternating rounds each; start-up is spawn → first screen line,
memory is VmRSS after ${IDLE_MS / 1000} s idle. Run on ${new Date().toISOString().slice(0, 10)}, ${os.cpus().length} × ${os.cpus()[0]?.model ?? "CPU"}, Node ${process.version}.

| run from | start-up, median (min–max) | idle RSS, median |
|---|---|---|
| dist/ (built) | ${median(built.map((r) => r.startMs)).toFixed(0)} ms (${Math.min(...built.map((r) => r.startMs)).toFixed(0)}–${Math.max(...built.map((r) => r.startMs)).toFixed(0)}) | ${median(built.map((r) => r.rssMb)).toFixed(0)} MB |
| src/ through tsx | ${median(tsx.map((r) => r.startMs)).toFixed(0)} ms (${Math.min(...tsx.map((r) => r.startMs)).toFixed(0)}–${Math.max(...tsx.map((r) => r.startMs)).toFixed(0)}) | ${median(tsx.map((r) => r.rssMb)).toFixed(0)} MB |

Median of the paired start-up ratios (tsx / built): ${ratio.toFixed(2)}×.
`;
await appendFile(path.join(ROOT, "BENCHMARKS.md"), text);
process.stdout.write(text);
