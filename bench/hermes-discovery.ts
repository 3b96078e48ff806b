// Benchmark: what finding Hermes adds to `npm start` on a Hermes host — one run of Hermes' own
// Python that reports its folders, its provider registry and its model lists (src/app/hermes/discover.ts).
// Run: npm run bench:discovery (appends to BENCHMARKS.md)
import { appendFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { discoverHermes } from "../src/app/hermes/discover.ts";
import { provisionHermes } from "../test/setup/hermes-venv.ts";

const ROOT = path.resolve(import.meta.dirname, "..");
const RUNS = 5;
const hermes = provisionHermes();
if (!hermes.ok) throw new Error(hermes.reason);
const times: number[] = [];
let providers = 0;
for (let run = 0; run < RUNS; run++) {
  const started = performance.now();
  const found = await discoverHermes(hermes.bin, { PATH: process.env["PATH"] ?? "" });
  times.push(performance.now() - started);
  if (found.status !== "found") throw new Error(JSON.stringify(found));
  providers = found.install.providers.length;
}
const sorted = [...times].sort((a, b) => a - b);
const text = `
## Finding Hermes at start-up (${new Date().toISOString().slice(0, 10)})

\`npm run bench:discovery\` on ${os.cpus().length} × ${os.cpus()[0]?.model ?? "CPU"}, Node ${process.version}, Hermes 0.19.0 (pinned venv): the probe (Hermes' Python reporting its folders, ${providers} providers and their models), ${RUNS} runs: first ${Math.round(times[0] ?? 0)} ms, median ${Math.round(sorted[Math.floor(RUNS / 2)] ?? 0)} ms, max ${Math.round(sorted.at(-1) ?? 0)} ms. Added once to \`npm start\` and \`create --from\` when a Hermes is found; nothing without one.
`;
process.stdout.write(text);
await appendFile(path.join(ROOT, "BENCHMARKS.md"), text);
