// Benchmark: 200 concurrent Discord users completing the wizard up to Review. The bot is the real
// executable (`blueprint start`, discord.js inside) in its own process, as in production; the fake
// Discord (REST + gateway on loopback) and the simulated users run in this process, and every time
// is taken on the fake's side, as Discord would see it.
// Run: npm run bench:discord (appends its section to BENCHMARKS.md). BENCH_USERS=n to change 200;
// BENCH_LATENCY_MS=n for the one-way network delay the fake adds (default 500: Discord's 3 s
// window includes the gateway push and the answer's trip back).
import { spawn } from "node:child_process";
import { appendFile, mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import {
  APPLICATION_ID,
  BOT_TOKEN,
  CALLBACK,
  FakeDiscord,
  GENERAL,
  type FakeInteraction,
} from "../test/fakes/discord/fake-discord.ts";
import { answered, DiscordTester } from "../test/helpers/discord-bot.ts";

const ROOT = path.resolve(import.meta.dirname, "..");
const USERS = Number(process.env["BENCH_USERS"] ?? 200);
const LATENCY_MS = Number(process.env["BENCH_LATENCY_MS"] ?? 500);
const userId = (index: number) => `17${String(index).padStart(17, "0")}`;

type Action = (tester: DiscordTester) => Promise<unknown>;
const ACTIONS: readonly Action[] = [
  (t) => t.command("profile new"),
  async (t) => {
    const opened = await t.press("✎");
    return answered(t.fake, t.fake.submitModal(t.user, opened, { name: `bench-${t.user.id}` }));
  },
  (t) => t.press("Next"),
  (t) => t.choose("OpenAI"),
  (t) => t.choose("gpt-4.1"),
  (t) => t.press("Skip"),
  (t) => t.press("Optional skills"),
  (t) => t.press("Hub skills"),
  (t) => t.press("Done"),
  (t) => t.press("MCP servers"),
  (t) => t.press("Next"),
  (t) => t.press("No persona"),
];

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

async function walk(fake: FakeDiscord, index: number): Promise<boolean> {
  const tester = new DiscordTester(fake, { id: userId(index), username: `user${index}` }, GENERAL);
  for (const action of ACTIONS) await action(tester);
  return tester.message.content.includes("Step 7/7 · Review");
}

const fake = new FakeDiscord({ latencyMs: LATENCY_MS });
await fake.start();
const data = await mkdtemp(path.join(os.tmpdir(), "blueprint-bench-dc-"));
const bot = spawn(process.execPath, [path.join(ROOT, "bin/blueprint.js"), "start"], {
  cwd: os.tmpdir(),
  env: {
    PATH: process.env["PATH"] ?? "",
    HOME: os.tmpdir(),
    DATA_DIR: data,
    LOG_LEVEL: "warn",
    DISCORD_TOKEN: BOT_TOKEN,
    DISCORD_APPLICATION_ID: APPLICATION_ID,
    DISCORD_API_ROOT: fake.apiRoot,
    DISCORD_ALLOWED_USERS: Array.from({ length: USERS + 1 }, (_, index) => userId(index)).join(","),
  },
  stdio: ["ignore", "ignore", "inherit"],
});
await fake.until(() => fake.connected > 0, 30_000, "the bot to connect");
// One user walks the wizard first, so the figures are for a warm bot, not first-call compilation.
await walk(fake, USERS);
const warm = new Set(fake.interactions.keys());
const started = Date.now();
const reached = await Promise.all(Array.from({ length: USERS }, (_, index) => walk(fake, index)));
const wallS = (Date.now() - started) / 1000;
const measured: FakeInteraction[] = [...fake.interactions.values()].filter((i) => !warm.has(i.id));
const ack = measured.map((i) => (i.acks[0]?.at ?? Infinity) - i.dispatchedAt);
const edits = measured
  .filter((i) => i.acks[0]?.type !== CALLBACK.modal && i.firstEditAt !== undefined)
  .map((i) => (i.firstEditAt ?? 0) - i.dispatchedAt);
const firstStep = measured
  .filter((i) => i.type === 2)
  .map((i) => (i.acks[0]?.at ?? Infinity) - i.dispatchedAt);
const modals = measured.filter((i) => i.acks[0]?.type === CALLBACK.modal).length;
bot.kill("SIGTERM");
await new Promise((resolve) => bot.once("close", resolve));
await fake.stop();
await rm(data, { recursive: true, force: true });

const text = `
## Discord: ${USERS} concurrent users through the wizard (\`npm run bench:discord\`)

The bot is the real executable (\`blueprint start\` with DISCORD_TOKEN and DISCORD_API_ROOT, discord.js inside) in its
own process; the fake Discord (test/fakes/discord/, REST + gateway on loopback) and ${USERS} simulated users share the
bench process, and every time is taken on the fake's side. All ${USERS} users start at the same moment: /profile new,
the name modal, then presses and selects to Review (${measured.length} interactions, ${modals} answered with a modal); a user
acts again once the bot has answered. One warm-up user walks first. The fake adds ${LATENCY_MS} ms of network delay each
way (gateway push to the bot, the bot's request to Discord), all inside the measured times.
Run on ${new Date().toISOString().slice(0, 10)}, ${os.cpus().length} × ${os.cpus()[0]?.model ?? "CPU"}, Node ${process.version}.

| measure | median | p99 | max |
|---|---|---|---|
| interaction → acknowledgement (Discord's limit: 3,000 ms) | ${percentile(ack, 50)} ms | ${percentile(ack, 99)} ms | ${Math.max(...ack)} ms |
| of which the ${firstStep.length} /profile new arriving together | ${percentile(firstStep, 50)} ms | ${percentile(firstStep, 99)} ms | ${Math.max(...firstStep)} ms |
| interaction → rendered edit of the wizard message | ${percentile(edits, 50)} ms | ${percentile(edits, 99)} ms | ${Math.max(...edits)} ms |

Reached Review: ${reached.filter(Boolean).length} of ${USERS}. Limit violations recorded by the fake: ${fake.violations.length}. Wall time ${wallS.toFixed(1)} s.
`;
await appendFile(path.join(ROOT, "BENCHMARKS.md"), text);
process.stdout.write(text);
