// Benchmark: the wizard's hub search. (1) The bundled hub's index, as the bot without Hermes runs
// it: build once, then per query in-process. (2) Hermes' own `skills search`, as the bot with Hermes
// runs it (a subprocess per query, two at once), with the bot's event-loop delay measured meanwhile:
// a search must never hold other users' presses. Run: npm run bench:search (appends to BENCHMARKS.md)
import { appendFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { monitorEventLoopDelay, performance } from "node:perf_hooks";
import { BundledHubIndex } from "../src/app/hub-search/bundled-hub-index.ts";
import { HubSearch } from "../src/app/hub-search/hub-search.ts";
import { provisionHermes } from "../test/setup/hermes-venv.ts";

const ROOT = path.resolve(import.meta.dirname, "..");
const QUERIES = ["password", "audit", "release notes", "docker", "sql", "résumé", "日本語", "x".repeat(200)];
const ROUNDS = 2_000;

const quantile = (values: number[], q: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
};
const ms = (value: number) => `${value.toFixed(value < 1 ? 3 : 1)} ms`;

// (1) Bundled index.
const index = new BundledHubIndex(() => Promise.resolve(path.join(ROOT, "library/hub")));
let started = performance.now();
await index.search("warm-up");
const buildMs = performance.now() - started;
const perQuery: number[] = [];
for (let round = 0; round < ROUNDS; round++) {
  for (const query of QUERIES) {
    started = performance.now();
    await index.search(query);
    perQuery.push(performance.now() - started);
  }
}

// (2) Hermes' search, 6 different queries through the service (2 at once), the loop watched.
const lines: string[] = [];
const hermes = provisionHermes();
if (hermes.ok) {
  const data = path.join(os.tmpdir(), `bench-search-${process.pid}`);
  const env = {
    PATH: process.env["PATH"] ?? "",
    HOME: path.join(data, "home"),
    HERMES_HOME: path.join(data, "hermes"),
    HERMES_OPTIONAL_SKILLS: path.join(ROOT, "library/optional-skills"),
  };
  const service = HubSearch.forHermes(hermes.bin, env);
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  const walls: number[] = [];
  const begin = performance.now();
  await Promise.all(
    ["arxiv", "docker", "release", "kubernetes", "security", "notes"].map(async (query) => {
      const at = performance.now();
      const answer = await service.search(query);
      walls.push(performance.now() - at);
      if (!answer.ok) console.error(`search ${query}: ${answer.reason}`);
    }),
  );
  const total = performance.now() - begin;
  delay.disable();
  started = performance.now();
  await service.search("arxiv");
  const cachedMs = performance.now() - started;
  lines.push(
    `| Hermes \`skills search\` (offline), 6 queries, 2 at once | asked → answered (waiting its turn included) median ${ms(quantile(walls, 0.5))}, max ${ms(Math.max(...walls))}; all 6 in ${ms(total)} (about 20 s each: offline, Hermes waits out every network source) |`,
    `| bot event-loop delay while they ran | p99 ${ms(delay.percentile(99) / 1e6)}, max ${ms(delay.max / 1e6)} |`,
    `| the same query again (cached 5 min) | ${ms(cachedMs)} |`,
  );
} else {
  lines.push(`| Hermes \`skills search\` | not measured: ${hermes.reason} |`);
}

const text = `
## Hub search (${new Date().toISOString().slice(0, 10)})

\`npm run bench:search\` on ${os.cpus().length} × ${os.cpus()[0]?.model ?? "CPU"}, Node ${process.version}, Hermes ${hermes.ok ? "0.19.0 (pinned venv)" : "absent"}.

| What | Result |
| --- | --- |
| bundled hub index, first query (reads every SKILL.md) | ${ms(buildMs)} |
| bundled hub index, per query (${QUERIES.length} queries × ${ROUNDS}) | p50 ${ms(quantile(perQuery, 0.5))}, p99 ${ms(quantile(perQuery, 0.99))} |
${lines.join("\n")}
`;
process.stdout.write(text);
await appendFile(path.join(ROOT, "BENCHMARKS.md"), text);
