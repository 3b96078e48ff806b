// Benchmark: Create on a Hermes host through its dashboard vs Create into this machine's Hermes
// home, side by side in one run. The same wizard (model + key, two MCP servers + a key, a persona)
// is walked to Review on the real runner with each backend; measured is the time from the Create
// press to the created screen, and for the dashboard the HTTP calls each create makes (counted by
// a proxy in front of the real pinned `hermes serve` on loopback). Installs are not part of it
// (they run after the created screen, on both backends alike).
// Run: npm run bench:remote (appends to BENCHMARKS.md)
import { appendFile, mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { DashboardBackend } from "../src/app/backend/dashboard-backend.ts";
import { LocalBackend } from "../src/app/backend/local-backend.ts";
import type { ProfileBackend } from "../src/app/ports/profile-backend.ts";
import { DashboardClient } from "../src/app/hermes/dashboard-client.ts";
import { DashboardInstallExecutor } from "../src/app/install/dashboard-install-executor.ts";
import { installCommandFor } from "../src/app/install/install-command-template.ts";
import { LocalInstallExecutor } from "../src/app/install/local-install-executor.ts";
import { loadLibrary } from "../src/app/library/library-loader.ts";
import { createLogger } from "../src/app/system/logger.ts";
import { PersonaService } from "../src/app/persona/persona-service.ts";
import { BotStore } from "../src/app/store/bot-store.ts";
import { WizardRunner } from "../src/app/runtime/wizard-runner.ts";
import { startForwardingProxy } from "../test/helpers/forwarding-proxy.ts";
import { startHermesServe } from "../test/helpers/hermes-serve.ts";
import { RecordingOutput } from "../test/helpers/recording-output.ts";
import { ALICE } from "../test/helpers/wizard-driver.ts";
import { provisionHermes } from "../test/setup/hermes-venv.ts";

const ROOT = path.resolve(import.meta.dirname, "..");
const CREATES = 10;
const TOKEN = "bench-remote-create-token";

const hermes = provisionHermes();
if (!hermes.ok) throw new Error(hermes.reason);

const dir = await mkdtemp(path.join(os.tmpdir(), "bench-remote-"));
const serve = await startHermesServe(path.join(dir, "remote/hermes"), TOKEN, {}, hermes.bin);
const proxy = await startForwardingProxy(() => serve.url, { closeAfterAll: false });
const library = await loadLibrary(path.join(ROOT, "library"));
const logger = createLogger("silent");

const localHome = path.join(dir, "local/hermes");
const local = new LocalBackend({
  hermesHome: localHome,
  profilesRoot: path.join(localHome, "profiles"),
  library,
  installs: new LocalInstallExecutor(installCommandFor({}), path.join(localHome, "profiles")),
});
const client = new DashboardClient({ url: proxy.url, token: TOKEN });
const remote = new DashboardBackend({ client, library, installs: new DashboardInstallExecutor(client) });

async function runnerFor(backend: ProfileBackend, name: string) {
  const store = await BotStore.open(path.join(dir, `${name}-store.json`), logger, { flushDelayMs: 5 });
  const personas = await PersonaService.open({
    store,
    backend,
    personasDir: path.join(ROOT, "library/personas"),
    logger,
  });
  const runner = new WizardRunner({ store, library, logger, backend, personas, modelListTimeoutMs: 500 });
  const output = new RecordingOutput();
  runner.attach("console", output);
  return { runner, output, store };
}

/** One wizard to Review, then Create: the ms from the press to the created screen. */
async function createOnce(world: Awaited<ReturnType<typeof runnerFor>>, name: string): Promise<number> {
  const { runner, output } = world;
  const { id } = await runner.start(ALICE, "console", `chat-${name}`);
  await runner.text(id, ALICE, name);
  for (const label of ["Next", "OpenRouter", "anthropic/claude-sonnet-4"])
    await output.press(runner, id, label, ALICE);
  await runner.submitSecret(id, ALICE, "sk-or-bench-remote-create");
  for (const label of ["Optional skills", "Hub skills", "Done ▶", "MCP servers", "fetch", "github", "Next"])
    await output.press(runner, id, label, ALICE);
  await runner.submitSecret(id, ALICE, "ghp-bench-remote-create");
  await output.press(runner, id, "Security Engineer", ALICE);
  await output.press(runner, id, "Keep my choices", ALICE);
  if (!output.view(id).title.includes("Review")) throw new Error(`not at Review: ${output.view(id).title}`);
  const started = performance.now();
  await output.press(runner, id, "✓ Create", ALICE);
  const took = performance.now() - started;
  const body = output.view(id).body.join("\n");
  if (!body.includes(`Profile '${name}' created`)) throw new Error(`create failed:\n${body}`);
  return took;
}

const localWorld = await runnerFor(local, "local");
const remoteWorld = await runnerFor(remote, "remote");
const localMs: number[] = [];
const remoteMs: number[] = [];
const calls: number[] = [];
const perRoute = new Map<string, number>();
// Interleaved, so both see the same machine load.
for (let round = 0; round < CREATES; round++) {
  localMs.push(await createOnce(localWorld, `local-${round}`));
  const before = proxy.requests.length;
  remoteMs.push(await createOnce(remoteWorld, `remote-${round}`));
  const made = proxy.requests.slice(before);
  calls.push(made.length);
  if (round === 0) for (const route of made) perRoute.set(route, (perRoute.get(route) ?? 0) + 1);
}
await localWorld.store.flush();
await remoteWorld.store.flush();
await serve.stop();
await proxy.close();
await rm(dir, { recursive: true, force: true });

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
const routes = [...perRoute].map(([route, count]) => `${route} ×${count}`).join(", ");
const text = `
## Create on a Hermes host vs on this machine (${new Date().toISOString().slice(0, 10)})

\`npm run bench:remote\` on ${os.cpus().length} × ${os.cpus()[0]?.model ?? "CPU"}, Node ${process.version}, Hermes 0.19.0 (pinned venv) as \`hermes serve\` on loopback behind a counting proxy. The same wizard (OpenRouter model + key, MCP servers fetch and github + key, the Security Engineer persona, the default built-ins) walked to Review on the real runner, then Create; ${CREATES} creates each, interleaved. Time from the Create press to the created screen:

| backend | median | min | max | HTTP calls per create |
| --- | --- | --- | --- | --- |
| local writer (this machine's Hermes home) | ${median(localMs).toFixed(1)} ms | ${Math.min(...localMs).toFixed(1)} ms | ${Math.max(...localMs).toFixed(1)} ms | 0 |
| Hermes dashboard (\`hermes serve\`) | ${median(remoteMs).toFixed(1)} ms | ${Math.min(...remoteMs).toFixed(1)} ms | ${Math.max(...remoteMs).toFixed(1)} ms | ${Math.min(...calls)}–${Math.max(...calls)} |

Ratio dashboard / local (medians): ${(median(remoteMs) / median(localMs)).toFixed(1)}×. The calls of one create: ${routes}. Loopback only: on a real network add one round trip per call.
`;
process.stdout.write(text);
await appendFile(path.join(ROOT, "BENCHMARKS.md"), text);
