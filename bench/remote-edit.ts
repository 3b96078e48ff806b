// Benchmark: an edit's Apply on a Hermes host through its dashboard vs on this machine, beside
// Create on each, side by side in one run. One profile is created on each backend from the same
// blueprint; then the editor's path is timed — read the profile (readForEdit), then Apply a change
// of the model and the description with the fingerprint read (applyEdit) — alternating two
// models, interleaved local / host so both see the same machine load. The dashboard side is the
// real pinned `hermes serve` on loopback behind a counting proxy (HTTP calls per read and Apply).
// Run: npm run bench:remote-edit (appends to BENCHMARKS.md)
import { appendFile, mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { DashboardBackend } from "../src/app/backend/dashboard-backend.ts";
import { LocalBackend } from "../src/app/backend/local-backend.ts";
import { DashboardClient } from "../src/app/hermes/dashboard-client.ts";
import { DashboardInstallExecutor } from "../src/app/install/dashboard-install-executor.ts";
import { installCommandFor } from "../src/app/install/install-command-template.ts";
import { LocalInstallExecutor } from "../src/app/install/local-install-executor.ts";
import { loadLibrary } from "../src/app/library/library-loader.ts";
import type { ProfileBackend } from "../src/app/ports/profile-backend.ts";
import { parseBlueprintYaml } from "../src/core/blueprint-yaml.ts";
import { startForwardingProxy } from "../test/helpers/forwarding-proxy.ts";
import { startHermesServe } from "../test/helpers/hermes-serve.ts";
import { provisionHermes } from "../test/setup/hermes-venv.ts";

const ROOT = path.resolve(import.meta.dirname, "..");
const CREATES = 5;
const EDITS = 20;
const TOKEN = "bench-remote-edit-token";
const SECRETS = new Map([
  ["OPENROUTER_API_KEY", "sk-or-bench-remote-edit"],
  ["GITHUB_TOKEN", "ghp-bench-remote-edit"],
]);

const hermes = provisionHermes();
if (!hermes.ok) throw new Error(hermes.reason);
const dir = await mkdtemp(path.join(os.tmpdir(), "bench-remote-edit-"));
const serve = await startHermesServe(path.join(dir, "remote/hermes"), TOKEN, {}, hermes.bin);
const proxy = await startForwardingProxy(() => serve.url, { closeAfterAll: false });
const library = await loadLibrary(path.join(ROOT, "library"));
const localHome = path.join(dir, "local/hermes");
const local = new LocalBackend({
  hermesHome: localHome,
  profilesRoot: path.join(localHome, "profiles"),
  library,
  installs: new LocalInstallExecutor(installCommandFor({}), path.join(localHome, "profiles")),
});
const client = new DashboardClient({ url: proxy.url, token: TOKEN });
const remote = new DashboardBackend({ client, library, installs: new DashboardInstallExecutor(client) });

function blueprint(name: string, model: string, description: string) {
  const parsed = parseBlueprintYaml(`name: ${name}
description: ${description}
model: { provider: openrouter, model: ${model} }
mcp_servers:
  - { name: fetch, command: uvx, args: [mcp-server-fetch] }
  - { name: github, command: npx, args: ["-y", "@modelcontextprotocol/server-github"], env: { GITHUB_PERSONAL_ACCESS_TOKEN: "\${GITHUB_TOKEN}" } }
`);
  if (!parsed.ok) throw new Error(parsed.problems.join("\n"));
  return parsed.blueprint;
}

async function createOnce(backend: ProfileBackend, name: string): Promise<number> {
  const started = performance.now();
  const report = await backend.create(
    blueprint(name, "anthropic/claude-sonnet-4", "Bench"),
    SECRETS,
    undefined,
  );
  const took = performance.now() - started;
  if (!report.ok) throw new Error(`create failed: ${report.problems.join("; ")}`);
  return took;
}

/** The editor's read, then its Apply: ms of each. */
async function editOnce(backend: ProfileBackend, name: string, round: number): Promise<[number, number]> {
  const started = performance.now();
  const read = await backend.readForEdit(name);
  if (!read.ok) throw new Error(`read failed: ${read.reason}`);
  const readMs = performance.now() - started;
  const model = round % 2 === 0 ? "openai/gpt-4.1" : "anthropic/claude-sonnet-4";
  const applyStarted = performance.now();
  const applied = await backend.applyEdit(name, {
    blueprint: blueprint(name, model, `Bench round ${round}`),
    keys: new Set(["model", "description"]),
    fingerprint: read.value.fingerprint,
    secrets: new Map(),
  });
  const applyMs = performance.now() - applyStarted;
  if (!applied.ok) throw new Error(`apply failed: ${applied.reason}`);
  if (applied.value.changes.length !== 2)
    throw new Error(`expected 2 changes, got ${applied.value.changes.length}`);
  return [readMs, applyMs];
}

const created = { local: [] as number[], remote: [] as number[] };
for (let round = 0; round < CREATES; round++) {
  created.local.push(await createOnce(local, `local-${round}`));
  created.remote.push(await createOnce(remote, `remote-${round}`));
}
const reads = { local: [] as number[], remote: [] as number[] };
const applies = { local: [] as number[], remote: [] as number[] };
const calls: { read: number; apply: number }[] = [];
const perRoute = new Map<string, number>();
for (let round = 0; round < EDITS; round++) {
  const [localRead, localApply] = await editOnce(local, "local-0", round);
  reads.local.push(localRead);
  applies.local.push(localApply);
  const before = proxy.requests.length;
  const [remoteRead, remoteApply] = await editOnce(remote, "remote-0", round);
  reads.remote.push(remoteRead);
  applies.remote.push(remoteApply);
  const made = proxy.requests.slice(before);
  calls.push({ read: 5, apply: made.length - 5 });
  if (round === 0) for (const route of made) perRoute.set(route, (perRoute.get(route) ?? 0) + 1);
}
await serve.stop();
await proxy.close();
await rm(dir, { recursive: true, force: true });

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
const row = (label: string, values: number[], extra: string) =>
  `| ${label} | ${median(values).toFixed(1)} ms | ${Math.min(...values).toFixed(1)} ms | ${Math.max(...values).toFixed(1)} ms | ${extra} |`;
const routes = [...perRoute].map(([route, count]) => `${route} ×${count}`).join(", ");
const text = `
## Edit on a Hermes host vs on this machine, beside Create (issue 22, ${new Date().toISOString().slice(0, 10)})

\`npm run bench:remote-edit\` on ${os.cpus().length} × ${os.cpus()[0]?.model ?? "CPU"}, Node ${process.version}, Hermes 0.19.0 (pinned venv) as \`hermes serve\` on loopback behind a counting proxy. Backends called directly (no chat surface): ${CREATES} creates each (model + key, two MCP servers + key), then ${EDITS} edits of one profile each — the editor's read (\`readForEdit\`), then Apply of a model and description change with the fingerprint read (\`applyEdit\`) — interleaved local / host.

| step | median | min | max | HTTP calls |
| --- | --- | --- | --- | --- |
${row("Create, local", created.local, "0")}
${row("Create, host", created.remote, "see bench:remote")}
${row("editor read, local", reads.local, "0")}
${row("editor read, host", reads.remote, "5 (in parallel)")}
${row("Apply, local", applies.local, "0")}
${row("Apply, host", applies.remote, `${Math.min(...calls.map((c) => c.apply))}–${Math.max(...calls.map((c) => c.apply))}`)}

Ratios (medians): Apply host / local ${(median(applies.remote) / median(applies.local)).toFixed(1)}×; Apply / Create on the host ${(median(applies.remote) / median(created.remote)).toFixed(2)}×, on this machine ${(median(applies.local) / median(created.local)).toFixed(2)}×. The calls of one host read + Apply: ${routes}. Loopback only: on a real network add one round trip per sequential call (the Apply's re-read is 5 parallel calls, then each write, then the 5-call read for Undo's fingerprint).
`;
process.stdout.write(text);
await appendFile(path.join(ROOT, "BENCHMARKS.md"), text);
