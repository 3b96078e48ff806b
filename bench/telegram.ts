// Benchmark: CPU per Telegram update and memory of our bot against the floor — a stateless grammY
// bot doing the same answer-and-edit work (bench/telegram-floor-bot.mjs) — and against the same
// wizard written with @grammyjs/conversations. Each bot runs in its own process; ours is started the
// way `npm start` starts it (`node bin/blueprint.js start`, from the build when there is one). The
// fake Bot API and 200 simulated users share this process, so only the bot's own work is counted:
// CPU is read from /proc/<pid>/stat before and after the users' walk. Rounds alternate the order of
// the bots; ratios are taken within a round and their median reported (the machine is noisy).
// Run: npm run build && npm run bench:telegram (appends its section to BENCHMARKS.md). BENCH_ROUNDS=n.
// BENCH_BEFORE_ROOT=<another checkout, built>: its bot runs beside ours in every round (before/after
// a change, side by side). BENCH_DATABASE_URL=postgres://…: ours also runs on a Postgres store, a new
// database on that server for each run.
import { spawn, type ChildProcess } from "node:child_process";
import { appendFile, mkdtemp, readFile, rm, stat } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { FakeTelegram, type FakeUser } from "../test/fakes/fake-telegram.ts";
import { freshDatabase } from "./fresh-database.ts";

const ROOT = path.resolve(import.meta.dirname, "..");
const ROUNDS = Number(process.env["BENCH_ROUNDS"] ?? 5);
const USERS = 200;
const WARM_UP_USERS = 10;
/** How long each bot sits idle after start-up before its resident memory is read. */
const IDLE_MS = 3000;
/** Kernel clock ticks per second (getconf CLK_TCK) for /proc/<pid>/stat times. */
const CLOCK_TICKS_PER_S = 100;
const TOKEN = "123456:BENCHtokenBENCHtokenBENCHtokenBENCH";
const ACTIONS: readonly ({ text: string } | { press: string })[] = [
  { text: "/profile_new" },
  { text: "bench-name" },
  { press: "Next" },
  { press: "OpenAI" },
  { press: "gpt-4.1" },
  { press: "Skip" },
  { press: "Optional skills" },
  { press: "Hub skills" },
  { press: "Done" },
  { press: "MCP servers" },
  { press: "Next" },
  { press: "No persona" },
];

type Kind = "ours" | "floor" | "conversations" | "before" | "postgres";
const BEFORE_ROOT = process.env["BENCH_BEFORE_ROOT"];
const DATABASE_URL = process.env["BENCH_DATABASE_URL"];
const KINDS: readonly Kind[] = [
  "ours",
  "floor",
  "conversations",
  ...(BEFORE_ROOT ? (["before"] as const) : []),
  ...(DATABASE_URL ? (["postgres"] as const) : []),
];
/** Kinds that are our bot (from this checkout or the one before), started as npm start starts it. */
const isOurs = (kind: Kind) => kind === "ours" || kind === "before" || kind === "postgres";

interface Sample {
  readonly cpuMsPerUpdate: number;
  readonly idleRssMb: number;
  readonly loadedRssMb: number;
  readonly latencies: number[];
}

await stat(path.join(ROOT, "dist/src/main/cli.js")).catch(() => {
  throw new Error("no build: run `npm run build` first (the bot is measured as npm start runs it)");
});

function spawnBot(
  kind: Kind,
  apiRoot: string,
  data: string,
  userIds: readonly number[],
  databaseUrl?: string,
): ChildProcess {
  const env = {
    PATH: process.env["PATH"] ?? "",
    HOME: data,
    TELEGRAM_BOT_TOKEN: TOKEN,
    TELEGRAM_API_ROOT: apiRoot,
  };
  const args: Record<Kind, string[]> = {
    ours: [path.join(ROOT, "bin/blueprint.js"), "start"],
    before: [path.join(BEFORE_ROOT ?? ROOT, "bin/blueprint.js"), "start"],
    postgres: [path.join(ROOT, "bin/blueprint.js"), "start"],
    floor: [path.join(ROOT, "bench/telegram-floor-bot.mjs")],
    conversations: ["--import", "tsx", path.join(ROOT, "bench/telegram-conversations-wizard.ts")],
  };
  return spawn(process.execPath, args[kind], {
    cwd: isOurs(kind) ? data : ROOT,
    env: isOurs(kind)
      ? {
          ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
          ...env,
          BLUEPRINT_ADAPTERS: "telegram",
          TELEGRAM_ALLOWED_USERS: userIds.join(","),
          DATA_DIR: path.join(data, "data"),
          HERMES_HOME: path.join(data, "hermes"),
          MODEL_LIST_TIMEOUT_MS: "500",
        }
      : env,
    stdio: ["ignore", "ignore", "inherit"],
  });
}

/**
 * A new database on the Postgres of BENCH_DATABASE_URL for one run: each run's fake Bot API counts
 * update_ids from 1 again, which a store that saw the last run would take for repeats.
 */
async function cpuMs(pid: number): Promise<number> {
  const fields = (await readFile(`/proc/${pid}/stat`, "utf8")).split(") ")[1]?.split(" ") ?? [];
  // utime and stime are fields 14 and 15 of stat; after the ") " split they are at 11 and 12.
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_S;
}

async function rssMb(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, "utf8");
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
}

/** Each user walks the wizard; a user acts again once the bot has written in its chat. */
async function walk(fake: FakeTelegram, firstId: number, users: number, latencies: number[]): Promise<void> {
  await Promise.all(
    Array.from({ length: users }, async (_, index) => {
      const user: FakeUser = { id: firstId + index, first_name: `User${index}` };
      const chat = { id: user.id, type: "private" as const };
      for (const [step, action] of ACTIONS.entries()) {
        const written = fake.nextWrite(chat.id);
        const pushed = Date.now();
        if ("text" in action) fake.sendText(user, chat, action.text);
        else {
          const message = fake.lastBotMessage(chat.id, true);
          if (!message) throw new Error(`user ${index}: no keyboard at step ${step + 1}`);
          fake.press(user, message, fake.button(message, action.press));
        }
        latencies.push((await written) - pushed);
      }
    }),
  );
}

async function measure(kind: Kind): Promise<Sample> {
  const fake = new FakeTelegram();
  await fake.start();
  const data = await mkdtemp(path.join(os.tmpdir(), `blueprint-bench-tg-${kind}-`));
  const ids = Array.from({ length: USERS + WARM_UP_USERS }, (_, index) => 50_000 + index);
  const databaseUrl = kind === "postgres" && DATABASE_URL ? await freshDatabase(DATABASE_URL) : undefined;
  const child = spawnBot(kind, fake.url, data, ids, databaseUrl);
  const pid = child.pid ?? 0;
  const closed = new Promise((resolve) => child.once("close", resolve));
  while (fake.callsOf("getUpdates").length === 0) await new Promise((resolve) => setTimeout(resolve, 10));
  await new Promise((resolve) => setTimeout(resolve, IDLE_MS));
  const idleRssMb = await rssMb(pid);
  // A few users first, so the JIT has compiled the hot paths of every bot before CPU is counted.
  await walk(fake, 50_000 + USERS, WARM_UP_USERS, []);
  const latencies: number[] = [];
  const before = await cpuMs(pid);
  await walk(fake, 50_000, USERS, latencies);
  const used = (await cpuMs(pid)) - before;
  const loadedRssMb = await rssMb(pid);
  child.kill("SIGTERM");
  await closed;
  await fake.stop();
  await rm(data, { recursive: true, force: true });
  return { cpuMsPerUpdate: used / (USERS * ACTIONS.length), idleRssMb, loadedRssMb, latencies };
}

const samples: Record<Kind, Sample[]> = { ours: [], floor: [], conversations: [], before: [], postgres: [] };
for (let round = 0; round < ROUNDS; round++) {
  // Alternate who goes first, so a slow moment of the machine does not always fall on one bot.
  const order = round % 2 === 0 ? KINDS : [...KINDS].reverse();
  for (const kind of order) samples[kind].push(await measure(kind));
  const ratio = (samples.ours[round]?.cpuMsPerUpdate ?? 0) / (samples.floor[round]?.cpuMsPerUpdate ?? 1);
  process.stderr.write(`round ${round + 1}/${ROUNDS}: ours/floor CPU ${ratio.toFixed(2)}×\n`);
}

const median = (values: readonly number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
const percentile = (values: readonly number[], p: number) =>
  [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor((p / 100) * values.length))] ?? 0;
const paired = (kind: Kind, field: "cpuMsPerUpdate" | "idleRssMb") =>
  samples[kind].map((sample, round) => sample[field] / (samples.floor[round]?.[field] ?? 1));
const row = (label: string, kind: Kind) => {
  const list = samples[kind];
  const cpu = list.map((sample) => sample.cpuMsPerUpdate);
  const latencies = list.flatMap((sample) => sample.latencies);
  return `| ${label} | ${median(cpu).toFixed(3)} ms (${Math.min(...cpu).toFixed(3)}–${Math.max(...cpu).toFixed(3)}) | ${kind === "floor" ? "1" : median(paired(kind, "cpuMsPerUpdate")).toFixed(2)}× | ${median(list.map((s) => s.idleRssMb)).toFixed(0)} MB | ${kind === "floor" ? "1" : median(paired(kind, "idleRssMb")).toFixed(2)}× | ${median(list.map((s) => s.loadedRssMb)).toFixed(0)} MB | ${percentile(latencies, 50)} / ${percentile(latencies, 99)} ms |`;
};
const cpuRatios = paired("ours", "cpuMsPerUpdate");
const text = `
## Telegram: CPU per update and memory against the floor (\`npm run build && npm run bench:telegram\`)

Each bot in its own process against its own fake Bot API (test/fakes/fake-telegram.ts, loopback) in the bench process:
${USERS} users, each in a private chat, send ${ACTIONS.length} updates in turn (command, name, ${ACTIONS.length - 2} presses, up to Review); a user acts
again once the bot has written in its chat. ${WARM_UP_USERS} users walk first (not counted). CPU = the bot process's utime + stime
from /proc during the walk ÷ ${USERS * ACTIONS.length} updates. Idle RSS after ${IDLE_MS / 1000} s idle; loaded RSS right after the walk.
Ours: \`node bin/blueprint.js start\` (the build), Telegram only, default log level. Floor: bench/telegram-floor-bot.mjs
(stateless grammY: reply, answer the press, edit the message). ${ROUNDS} rounds, order alternated; ratios paired within a round.
Run on ${new Date().toISOString().slice(0, 10)}, ${os.cpus().length} × ${os.cpus()[0]?.model ?? "CPU"}, Node ${process.version}.

| bot | CPU per update, median (min–max) | ÷ floor, median of paired ratios | idle RSS | ÷ floor | RSS after the walk | update → write, median / p99 |
|---|---|---|---|---|---|---|
${row("floor: stateless grammY", "floor")}
${row("agent-blueprint (npm start, built)", "ours")}
${row("same wizard with @grammyjs/conversations", "conversations")}${BEFORE_ROOT ? `\n${row(`agent-blueprint before (${path.basename(BEFORE_ROOT)})`, "before")}` : ""}${DATABASE_URL ? `\n${row("agent-blueprint on the Postgres store (DATABASE_URL)", "postgres")}` : ""}

Paired CPU ratios (ours ÷ floor) by round: ${cpuRatios.map((ratio) => ratio.toFixed(2)).join(", ")}.${
  BEFORE_ROOT
    ? `\nPaired CPU ratios (ours ÷ before) by round: ${samples.ours
        .map((sample, round) =>
          (sample.cpuMsPerUpdate / (samples.before[round]?.cpuMsPerUpdate ?? 1)).toFixed(2),
        )
        .join(", ")}.`
    : ""
}
`;
await appendFile(path.join(ROOT, "BENCHMARKS.md"), text);
process.stdout.write(text);
