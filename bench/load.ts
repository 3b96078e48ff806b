// Load benchmark (issue 7): the real bot (`blueprint start` with the console, Telegram and Discord
// adapters at once) in its own process; 500 Telegram and 500 Discord users against the fakes, and
// the terminal's one user on the bot's stdin, each walking wizards to Create again and again for
// LOAD_SECONDS (default 600). Every 4th Create is pressed two or three times at once. Reports
// throughput, latency on each surface, the bot's memory (RSS, and heap / external / ArrayBuffers from
// bench/memory-probe.mjs preloaded into it), session state per open wizard, the store's size and
// writes, and checks that no wizard was lost and every name became exactly one profile. After the
// load a heap snapshot is taken (SIGUSR2) and its largest object groups are listed.
// Run: npm run build && npm run bench:load (appends its section to BENCHMARKS.md). LOAD_SECONDS /
// LOAD_USERS to change. LOAD_EDIT_SHARE (0–1, default 0) makes that share of the Telegram and Discord
// users editors (issue 22): once they have a profile of their own, each of their rounds opens
// `/profile edit` on one of their profiles, toggles one built-in skill, presses Apply and expects
// "Profile updated" (and, on Telegram, the Undo offer after it). LOAD_LABEL names the section.
//
// LOAD_REPLICAS=N (issue 26): instead of the one bot, N replicas (separate `blueprint start`
// processes, started as the replica e2e tests start them, bench/load-replicas.ts) behind a
// round-robin proxy, on one Postgres database and one HERMES_HOME; Telegram in webhook mode and
// Discord over signed HTTP interactions, both delivered by the fakes to the proxy. No console user
// (a replica has no terminal), no heap snapshot. LOAD_DATABASE_URL=postgres://… (an admin URL of a
// running server) gets a fresh database for the run; without it the bench starts a Postgres 15
// cluster of its own (fsync on, pg_stat_statements preloaded) and removes it afterwards. Reported
// besides: RSS and CPU per replica, Postgres' CPU, and Postgres transactions (and statements) per
// action, and where each Discord answer's time went (click → proxy, proxy → replica). LOAD_PROXY_BACKLOG
// sets the proxy's accept queue (default 511). The proxy runs in a worker thread of its own, as a real
// load balancer runs apart from the platforms' senders; LOAD_PROXY_THREAD=bench puts it back in the
// bench's thread with the fakes and the users, where it accepts its connections late (the runs before).
// E.g. `LOAD_REPLICAS=2 LOAD_THINK_MS=2000 npm run bench:load`.
import { spawn } from "node:child_process";
import { watch } from "node:fs";
import { appendFile, mkdtemp, readdir, readFile, rm, stat } from "node:fs/promises";
import { applyBatches, journalFileOf, parseJournal } from "../src/app/store/journal.ts";
import os from "node:os";
import path from "node:path";
import { monitorEventLoopDelay } from "node:perf_hooks";
import {
  APPLICATION_ID,
  BOT_TOKEN,
  CALLBACK,
  FakeDiscord,
  GENERAL,
} from "../test/fakes/discord/fake-discord.ts";
import { FakeTelegram, type FakeUser } from "../test/fakes/fake-telegram.ts";
import { answered, DiscordTester } from "../test/helpers/discord-bot.ts";
import {
  processCpuSeconds,
  processRssKb,
  ReplicaRun,
  type PostgresCounters,
  type ProxyPlace,
} from "./load-replicas.ts";

const ROOT = path.resolve(import.meta.dirname, "..");
const SECONDS = Number(process.env["LOAD_SECONDS"] ?? 600);
const PER_PLATFORM = Number(process.env["LOAD_USERS"] ?? 500);
/**
 * Mean pause of a simulated user before each action (each pause is 0.5–1.5 × this). 0 makes every
 * user act the moment the bot answers: the bot is then saturated and latency is queueing (Little's
 * law: users ÷ throughput), which measures capacity, not a person's wait. People take seconds.
 */
const THINK_MS = Number(process.env["LOAD_THINK_MS"] ?? 0);
/** Share of the Telegram and Discord users who edit their own profiles instead of creating more. */
const EDIT_SHARE = Number(process.env["LOAD_EDIT_SHARE"] ?? 0);
if (!(EDIT_SHARE >= 0 && EDIT_SHARE <= 1)) throw new Error("LOAD_EDIT_SHARE is a share from 0 to 1");
const LABEL = process.env["LOAD_LABEL"] ?? "";
/** Replica mode: this many bot replicas on Postgres (0: the one bot on the embedded store). */
const REPLICAS = Number(process.env["LOAD_REPLICAS"] || 0);
if (!(Number.isInteger(REPLICAS) && REPLICAS >= 0))
  throw new Error("LOAD_REPLICAS is a number of replicas, 1 or more");
/** An admin URL of a running Postgres server for replica mode (a fresh database is made on it). */
const DATABASE_ADMIN_URL = process.env["LOAD_DATABASE_URL"] || undefined;
/** Replica mode: where the round-robin proxy runs (see the header). */
const PROXY_PLACE: ProxyPlace = process.env["LOAD_PROXY_THREAD"] === "bench" ? "bench thread" : "own thread";
if (!["", "bench", "own"].includes(process.env["LOAD_PROXY_THREAD"] ?? ""))
  throw new Error("LOAD_PROXY_THREAD is own (the default) or bench");
if (DATABASE_ADMIN_URL && REPLICAS === 0)
  throw new Error("LOAD_DATABASE_URL is for replica mode: set LOAD_REPLICAS too");
/** Spreads the editors evenly over the user indexes: floor(users × share) of them. */
const isEditor = (index: number) => Math.floor((index + 1) * EDIT_SHARE) > Math.floor(index * EDIT_SHARE);
const think = () =>
  THINK_MS > 0 ? new Promise((resolve) => setTimeout(resolve, THINK_MS * (0.5 + Math.random()))) : undefined;
const TELEGRAM_TOKEN = "123456:LOADtokenLOADtokenLOADtokenLOADtoken";
const telegramId = (index: number) => 60_000 + index;
const discordId = (index: number) => `18${String(index).padStart(17, "0")}`;

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

const data = await mkdtemp(path.join(os.tmpdir(), "blueprint-load-"));
/** Each replica's memory probe file (replica mode). */
const probeFileOf = (index: number) => path.join(data, `memory-${index}.jsonl`);
// e.g. LOAD_NODE_FLAGS="--cpu-prof --cpu-prof-dir=/tmp/prof" to profile the bot under load.
const nodeFlags = process.env["LOAD_NODE_FLAGS"]?.split(" ").filter(Boolean) ?? [];
const replicated =
  REPLICAS > 0
    ? await ReplicaRun.start({
        replicas: REPLICAS,
        root: data,
        adminUrl: DATABASE_ADMIN_URL,
        telegramUsers: Array.from({ length: PER_PLATFORM }, (_, i) => telegramId(i)),
        discordUsers: Array.from({ length: PER_PLATFORM }, (_, i) => discordId(i)),
        nodeArgs: [...nodeFlags, "--import", path.join(ROOT, "bench/memory-probe.mjs")],
        envFor: (index) => ({ MEMORY_PROBE_FILE: probeFileOf(index) }),
        proxyPlace: PROXY_PLACE,
      })
    : undefined;
const telegram = replicated?.telegram ?? new FakeTelegram();
const discord = replicated?.discord ?? new FakeDiscord();
if (!replicated) {
  await telegram.start();
  await discord.start();
}
const probeFile = path.join(data, "memory.jsonl");
const snapshotDir = await mkdtemp(path.join(os.tmpdir(), "blueprint-load-heap-"));
const bot = replicated
  ? undefined
  : spawn(
      process.execPath,
      [
        ...nodeFlags,
        "--import",
        path.join(ROOT, "bench/memory-probe.mjs"),
        "--heapsnapshot-signal=SIGUSR2",
        path.join(ROOT, "bin/blueprint.js"),
        "start",
      ],
      {
        cwd: snapshotDir,
        env: {
          MEMORY_PROBE_FILE: probeFile,
          PATH: process.env["PATH"] ?? "",
          HOME: os.tmpdir(),
          DATA_DIR: data,
          LOG_LEVEL: "error",
          BLUEPRINT_ADAPTERS: "console,telegram,discord",
          TELEGRAM_BOT_TOKEN: TELEGRAM_TOKEN,
          TELEGRAM_API_ROOT: telegram.url,
          TELEGRAM_ALLOWED_USERS: Array.from({ length: PER_PLATFORM }, (_, i) => telegramId(i)).join(","),
          DISCORD_TOKEN: BOT_TOKEN,
          DISCORD_APPLICATION_ID: APPLICATION_ID,
          DISCORD_API_ROOT: discord.apiRoot,
          DISCORD_ALLOWED_USERS: Array.from({ length: PER_PLATFORM }, (_, i) => discordId(i)).join(","),
        },
        stdio: ["pipe", "pipe", "inherit"],
      },
    );
let consoleOut = "";
let consoleChunks = 0;
bot?.stdout.on("data", (chunk: Buffer) => {
  consoleOut = (consoleOut + chunk.toString()).slice(-20_000);
  consoleChunks += 1;
});
if (bot) {
  await discord.until(() => discord.connected > 0, 60_000, "the bot on the Discord gateway");
  while (telegram.callsOf("getUpdates").length === 0) await new Promise((resolve) => setTimeout(resolve, 20));
}

async function rssKb(): Promise<number> {
  const status = await readFile(`/proc/${bot?.pid ?? 0}/status`, "utf8");
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
}

// Store writes: each coalesced write appends one line to the journal; a compaction renames the
// snapshot into place. Both are counted from file events.
const storeFile = path.join(data, "store.json");
let journalWrites = 0;
let compactions = 0;
const watcher = watch(data, (event, name) => {
  if (event === "rename" && name === "store.json") compactions += 1;
  if (event === "change" && name === "store.json.journal") journalWrites += 1;
});
/** CPU seconds so far: the bot's (user + system, from /proc) and the whole machine's busy time. */
async function cpuSeconds(): Promise<{ bot: number; bench: number; machine: number }> {
  const tick = 100; // USER_HZ on Linux
  // Replica mode: the replicas' together (replicaCpuSeconds has each).
  const replicas = replicated ? await replicaCpuSeconds() : [];
  const stat = bot ? await readFile(`/proc/${bot.pid ?? 0}/stat`, "utf8") : ")  ";
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const botTicks = bot
    ? Number(fields[11]) + Number(fields[12]) // utime, stime (fields 14 and 15)
    : replicas.reduce((a, b) => a + b, 0) * tick;
  const cpu =
    (await readFile("/proc/stat", "utf8")).split("\n")[0]?.trim().split(/\s+/).slice(1).map(Number) ?? [];
  const total = cpu.reduce((a, b) => a + b, 0);
  const idle = (cpu[3] ?? 0) + (cpu[4] ?? 0); // idle + iowait
  const own = process.cpuUsage();
  return { bot: botTicks / tick, bench: (own.user + own.system) / 1e6, machine: (total - idle) / tick };
}
/** Each replica's CPU seconds so far (replica mode). */
async function replicaCpuSeconds(): Promise<number[]> {
  return Promise.all((replicated?.pids ?? []).map((pid) => processCpuSeconds(pid)));
}
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** Replica mode: Postgres' counters around a quiet moment before the load, and each replica's idle RSS. */
const REPLICA_IDLE_S = 5;
let idleCounters: { before: PostgresCounters; after: PostgresCounters } | undefined;
let replicaIdleRssKb: number[] = [];
if (replicated) {
  // Counts reach pg_stat_database at most once a second per backend: a quiet moment before reading.
  await pause(2000);
  const before = await replicated.counters();
  await pause(REPLICA_IDLE_S * 1000);
  replicaIdleRssKb = await Promise.all(replicated.pids.map((pid) => processRssKb(pid)));
  idleCounters = { before, after: await replicated.counters() };
}
const idleRss = bot ? await rssKb() : replicaIdleRssKb.reduce((a, b) => a + b, 0);
const cpuBefore = await cpuSeconds();
const replicaCpuBefore = await replicaCpuSeconds();
const postgresCpuBefore = replicated ? await replicated.postgresCpuSeconds() : 0;
// The bench process's own lag: fakes and users (and the proxy, with LOAD_PROXY_THREAD=bench) share
// its main thread, so a request it sends late counts against the bot unless this says otherwise.
const benchLoopDelay = monitorEventLoopDelay({ resolution: 20 });
benchLoopDelay.enable();
const started = Date.now();
const deadline = started + SECONDS * 1000;
const samples: {
  at: number;
  rssKb: number;
  storeBytes: number;
  open: number;
  sessionBytes: number;
  replicaRssKb?: number[];
}[] = [];
/** The sessions as a restart would read them: the snapshot with the journal's whole writes applied. */
async function storedSessions(): Promise<Record<string, unknown>> {
  const snapshot = JSON.parse(await readFile(storeFile, "utf8").catch(() => "{}")) as {
    sessions?: Record<string, unknown>;
  };
  const collections = { sessions: snapshot.sessions ?? {} };
  const journal = await readFile(journalFileOf(storeFile), "utf8").catch(() => "");
  applyBatches(collections, parseJournal(journal).batches, ([collection]) => collection === "sessions");
  return collections.sessions;
}
/** Replica mode: the replicas' Postgres connections by state and wait event, summed over samples. */
const activity = new Map<string, number>();
let activitySamples = 0;
const sampler = setInterval(() => {
  void (async () => {
    if (replicated) {
      // Sessions are rows of the shared database (wizard_sessions), not a lowdb journal here.
      const sessions =
        samples.length % 10 === 0 ? await replicated.sessions().catch(() => undefined) : undefined;
      const replicaRssKb = await Promise.all(replicated.pids.map((pid) => processRssKb(pid)));
      const now = await replicated.activity().catch(() => new Map<string, number>());
      activitySamples += 1;
      for (const [what, count] of now) activity.set(what, (activity.get(what) ?? 0) + count);
      samples.push({
        at: Date.now(),
        rssKb: replicaRssKb.reduce((a, b) => a + b, 0),
        storeBytes: 0,
        open: sessions?.open ?? 0,
        sessionBytes: sessions?.bytes ?? 0,
        replicaRssKb,
      });
      return;
    }
    const sizeOf = (file: string) =>
      stat(file)
        .then((info) => info.size)
        .catch(() => 0);
    const size = (await sizeOf(storeFile)) + (await sizeOf(journalFileOf(storeFile)));
    let open = 0;
    let sessionBytes = 0;
    if (samples.length % 10 === 0) {
      const sessions = await storedSessions().catch(() => ({}));
      open = Object.keys(sessions).length;
      sessionBytes = JSON.stringify(sessions).length;
    }
    samples.push({ at: Date.now(), rssKb: await rssKb(), storeBytes: size, open, sessionBytes });
  })();
}, 1000);

const completed = { telegram: [] as string[], discord: [] as string[], console: [] as string[] };
const failures: string[] = [];
const telegramLatency: number[] = [];
let multiPressed = 0;

/** What the editors did (issue 22), by surface. */
const editing = {
  telegram: {
    applied: 0,
    refused: 0,
    stale: 0,
    applyMs: [] as number[],
    latency: [] as number[],
    /** The same latencies by the step of the editing round they answered. */
    byStep: new Map<string, number[]>(),
  },
  discord: { applied: 0, refused: 0, stale: 0, applyMs: [] as number[] },
  /** The first refusals' texts, as the wizard showed them. */
  refusals: [] as string[],
};
/** The profiles each user made (their own, the only ones an editor edits). */
const ownTelegram = new Map<number, string[]>();
const ownDiscord = new Map<number, string[]>();
const pick = <T>(list: readonly T[]): T => list[Math.floor(Math.random() * list.length)] as T;

/** An edit's result screen: applied, or refused (the "Not applied: …" line kept). */
function editResult(surface: "telegram" | "discord", name: string, text: string): void {
  const tally = editing[surface];
  if (text.includes("Profile updated")) {
    tally.applied += 1;
    return;
  }
  tally.refused += 1;
  if (text.includes("changed since")) tally.stale += 1;
  const reason = /Not applied:[^\n]*/.exec(text)?.[0] ?? text.slice(0, 200);
  if (editing.refusals.length < 10) editing.refusals.push(`${surface} ${name}: ${reason}`);
  failures.push(`${surface} edit of ${name} refused: ${reason}`);
}

/** Resolves with the time of the bot's first write in this chat after which `check` holds. */
function telegramWriteWhen(chatId: number, check: () => boolean, timeoutMs: number, what: string) {
  return new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => {
      telegram.events.off("write", listener);
      reject(new Error(`no ${what} in ${timeoutMs} ms`));
    }, timeoutMs);
    const listener = (chat: number, at: number) => {
      if (chat !== chatId || !check()) return;
      clearTimeout(timer);
      telegram.events.off("write", listener);
      resolve(at);
    };
    telegram.events.on("write", listener);
  });
}

/** A user who gets no answer in this long gives up (counted as a failure) instead of waiting forever. */
const TELEGRAM_GIVE_UP_MS = 30_000;

async function withinAnswerTime(written: Promise<number>, what: string): Promise<number> {
  let timer: NodeJS.Timeout | undefined;
  const giveUp = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`no answer in ${TELEGRAM_GIVE_UP_MS} ms to ${what}`)),
      TELEGRAM_GIVE_UP_MS,
    );
  });
  try {
    return await Promise.race([written, giveUp]);
  } finally {
    clearTimeout(timer);
  }
}

async function telegramUser(index: number): Promise<void> {
  for (let round = 0; Date.now() < deadline; round++) {
    try {
      await telegramRound(index, round);
    } catch (error) {
      failures.push(`telegram tg-${index}-${round}: ${(error as Error).message}`);
    }
  }
}

async function telegramRound(index: number, round: number): Promise<void> {
  const user: FakeUser = { id: telegramId(index), first_name: `Load${index}` };
  const chat = { id: user.id, type: "private" as const };
  const own = ownTelegram.get(index) ?? [];
  const edits = isEditor(index) && own.length > 0;
  {
    const name = edits ? pick(own) : `tg-${index}-${round}`;
    const took = (ms: number, step: string) => {
      telegramLatency.push(ms);
      if (!edits) return;
      editing.telegram.latency.push(ms);
      // A built-in skill's toggle is named by its skill; all toggles count as one step.
      const key = /^[✓☐] /.test(step) && step !== "✓ Apply" ? "toggle a built-in" : step;
      const list = editing.telegram.byStep.get(key) ?? [];
      editing.telegram.byStep.set(key, list);
      list.push(ms);
    };
    const say = async (text: string) => {
      await think();
      const written = telegram.nextWrite(chat.id);
      const at = Date.now();
      telegram.sendText(user, chat, text);
      took((await withinAnswerTime(written, `${name}: "${text}"`)) - at, text.split(" ")[0] ?? text);
    };
    const press = async (label: string, times = 1) => {
      await think();
      const message = telegram.lastBotMessage(chat.id, true);
      const data = telegram.button(message, label);
      const written = telegram.nextWrite(chat.id);
      const at = Date.now();
      for (let n = 0; n < times; n++) if (message) telegram.press(user, message, data);
      took((await withinAnswerTime(written, `${name}: ${label}`)) - at, label);
    };
    if (edits) {
      await say(`/profile_edit ${name}`);
      const wizard = telegram.lastBotMessage(chat.id, true);
      if (!wizard?.text.includes(`Edit profile '${name}'`))
        throw new Error(`/profile_edit ${name} opened no editor: ${wizard?.text.slice(0, 200) ?? "nothing"}`);
      await press("Edit skills");
      // The first built-in skill's toggle (✓ kept / ☐ off): each edit flips it.
      const toggle = telegram
        .lastBotMessage(chat.id, true)
        ?.reply_markup?.inline_keyboard?.flat()
        .find((button) => /^[✓☐] /.test(button.text))?.text;
      if (!toggle) throw new Error(`${name}: no built-in skill to toggle`);
      await press(toggle);
      for (const label of ["Optional skills", "Hub skills", "Done"]) await press(label);
      const resultShown = (text = wizard.text) => /Profile updated|Profile not changed/.test(text);
      const result = telegramWriteWhen(chat.id, () => resultShown(), 60_000, `result of ${name}'s Apply`);
      const undo = telegramWriteWhen(
        chat.id,
        () => telegram.lastBotMessage(chat.id)?.text.includes("Undo this edit") ?? false,
        60_000,
        `Undo offer after ${name}'s Apply`,
      );
      await think();
      const at = Date.now();
      const message = telegram.lastBotMessage(chat.id, true);
      const written = telegram.nextWrite(chat.id);
      if (message) telegram.press(user, message, telegram.button(message, "✓ Apply"));
      took((await withinAnswerTime(written, `${name}: ✓ Apply`)) - at, "✓ Apply");
      editing.telegram.applyMs.push((await result) - at);
      editResult("telegram", name, wizard.text);
      // The Undo offer is a message of its own after the result: wait for it, so that the next
      // round's screen is not mistaken for it (none is sent after a refusal).
      if (wizard.text.includes("Profile updated")) await undo;
      else undo.catch(() => undefined);
      return;
    }
    await say("/profile_new");
    await say(name);
    // The wizard's message, read after the typed name: with replicas, a typed answer handled by
    // another replica than the one that posted the wizard posts it anew (which message shows a
    // wizard is kept in the memory of the replica that sent it); presses then edit the new one.
    // With the one bot this is the message /profile_new posted, edited in place.
    const wizard = telegram.lastBotMessage(chat.id, true);
    for (const label of [
      "Next",
      "OpenAI",
      "gpt-4.1",
      "Skip",
      "Optional skills",
      "Hub skills",
      "Done",
      "MCP servers",
      "Next",
      "No persona",
    ])
      await press(label);
    const times = round % 4 === 3 ? 2 + (index % 2) : 1;
    if (times > 1) multiPressed += 1;
    await press("✓ Create", times);
    const deadlineForCreate = Date.now() + 60_000;
    while (!(wizard?.text ?? "").includes("Profile created")) {
      if (Date.now() > deadlineForCreate) {
        failures.push(`telegram ${name}: no "Profile created"`);
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    completed.telegram.push(name);
    own.push(name);
    ownTelegram.set(index, own);
  }
}

let discordStartedOver = 0;

async function discordUser(index: number): Promise<void> {
  const tester = new DiscordTester(discord, { id: discordId(index), username: `load${index}` }, GENERAL);
  for (let round = 0; Date.now() < deadline; round++) {
    try {
      await discordRound(tester, index, round);
    } catch (error) {
      // A late acknowledgement (Discord would show "interaction failed"): counted; the user starts over.
      failures.push(`discord dc-${index}-${round}: ${(error as Error).message}`);
      discordStartedOver += 1;
    }
  }
}

async function discordEditRound(tester: DiscordTester, name: string): Promise<void> {
  await think();
  const opened = await tester.command("profile edit", { name });
  if (!opened.messageId) throw new Error(`/profile edit ${name} opened no message`);
  tester.wizard = opened.messageId;
  if (!tester.message.content.includes(`Edit profile '${name}'`))
    throw new Error(`/profile edit ${name} opened no editor: ${tester.message.content.slice(0, 200)}`);
  await think();
  await tester.press("Edit skills");
  await think();
  // The first built-in skill flipped in the multi menu (the others as they are): each edit flips it.
  const menu = tester.menu();
  const options = menu["options"] as { value: string; default?: boolean }[];
  const first = options[0]?.value;
  const chosen = options
    .filter((option) => (option.value === first ? !option.default : option.default === true))
    .map((option) => option.value);
  await answered(discord, discord.select(tester.user, tester.message.id, String(menu["custom_id"]), chosen));
  for (const label of ["Optional skills", "Hub skills", "Done"]) {
    await think();
    await tester.press(label);
  }
  await think();
  const at = Date.now();
  await tester.press("✓ Apply");
  await discord.until(
    () => /Profile updated|Profile not changed/.test(tester.message.content),
    60_000,
    `${name} applied`,
  );
  editing.discord.applyMs.push(Date.now() - at);
  editResult("discord", name, tester.message.content);
}

async function discordRound(tester: DiscordTester, index: number, round: number): Promise<void> {
  const own = ownDiscord.get(index) ?? [];
  if (isEditor(index) && own.length > 0) return discordEditRound(tester, pick(own));
  const name = `dc-${index}-${round}`;
  await think();
  await tester.command("profile new");
  await think();
  const opened = await tester.press("✎");
  await think();
  await answered(discord, discord.submitModal(tester.user, opened, { name }));
  await think();
  await tester.press("Next");
  await think();
  await tester.choose("OpenAI");
  await think();
  await tester.choose("gpt-4.1");
  for (const label of [
    "Skip",
    "Optional skills",
    "Hub skills",
    "Done",
    "MCP servers",
    "Next",
    "No persona",
  ]) {
    await think();
    await tester.press(label);
  }
  await think();
  const times = round % 4 === 3 ? 2 + (index % 2) : 1;
  if (times > 1) multiPressed += 1;
  const create = tester.buttonId("✓ Create");
  const presses = Array.from({ length: times }, () =>
    discord.press(tester.user, tester.message.id, create, true),
  );
  await Promise.all(presses.map((interaction) => answered(discord, interaction).catch(() => interaction)));
  await discord
    .until(() => tester.message.content.includes("Profile created"), 60_000, `${name} created`)
    .catch((error: Error) => {
      // Replica mode: what the wizard message shows instead (the embedded text stays as it was).
      if (!replicated) throw error;
      throw new Error(
        `${error.message}; it shows: ${tester.message.content.slice(0, 160).replace(/\s+/g, " ")}`,
      );
    });
  completed.discord.push(name);
  own.push(name);
  ownDiscord.set(index, own);
}

const consoleLatency: number[] = [];

/** Types one answer and waits for the bot's next output (the next screen); that wait is the latency. */
async function consoleAnswer(line: string): Promise<void> {
  const before = consoleChunks;
  const at = Date.now();
  bot?.stdin.write(`${line}\n`);
  const until = at + 10_000;
  while (consoleChunks === before && Date.now() < until)
    await new Promise((resolve) => setTimeout(resolve, 5));
  consoleLatency.push(Date.now() - at);
}

async function consoleUser(): Promise<void> {
  for (let round = 0; Date.now() < deadline; round++) {
    const name = `con-${round}`;
    const answers = [
      "/profile new",
      name,
      "Next",
      "OpenAI",
      "1",
      "/1",
      "Optional skills",
      "Hub skills",
      "done",
      "MCP servers",
      "Next",
      "No persona",
      "Create",
    ];
    for (const answer of answers) {
      await think();
      await consoleAnswer(answer);
    }
    const until = Date.now() + 120_000;
    while (!consoleOut.includes(`Profile '${name}' created`)) {
      if (Date.now() > until) {
        failures.push(`console ${name}: no "created"`);
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    completed.console.push(name);
  }
}

await Promise.all([
  ...Array.from({ length: PER_PLATFORM }, (_, index) => telegramUser(index)),
  ...Array.from({ length: PER_PLATFORM }, (_, index) => discordUser(index)),
  // A replica has no terminal: the console user exists only beside the one bot.
  ...(bot ? [consoleUser()] : []),
]);
const wallS = (Date.now() - started) / 1000;
benchLoopDelay.disable();
const benchLag = `median ${(benchLoopDelay.percentile(50) / 1e6).toFixed(0)} / p99 ${(benchLoopDelay.percentile(99) / 1e6).toFixed(0)} / max ${(benchLoopDelay.max / 1e6).toFixed(0)} ms`;
const cpuAfter = await cpuSeconds();
const replicaCpuUsed = (await replicaCpuSeconds()).map((after, i) => after - (replicaCpuBefore[i] ?? 0));
const postgresCpuUsed = replicated ? (await replicated.postgresCpuSeconds()) - postgresCpuBefore : 0;
const cpuUsed = {
  bot: cpuAfter.bot - cpuBefore.bot,
  bench: cpuAfter.bench - cpuBefore.bench,
  machine: cpuAfter.machine - cpuBefore.machine,
};
clearInterval(sampler);
watcher.close();
let loadCounters: { before: PostgresCounters; after: PostgresCounters } | undefined;
let databaseBytes = 0;
let topStatements: string[] = [];
if (replicated && idleCounters) {
  await pause(2000);
  loadCounters = { before: idleCounters.after, after: await replicated.counters() };
  databaseBytes = await replicated.databaseBytes();
  topStatements = await replicated.topStatements(5);
}
const profiles = await readdir(path.join(data, "hermes/profiles"));
const expected = [...completed.telegram, ...completed.discord, ...completed.console];
const missing = expected.filter((name) => !profiles.includes(name));
const extra = profiles.filter((name) => !expected.includes(name) && !name.startsWith("."));
await replicated?.cluster.proxy.settled();
const interactions = [...discord.interactions.values()];
const lateAcks = discord.violations.filter((text) => text.includes("acknowledged after")).length;
const ack = interactions.filter((i) => i.acks.length > 0).map((i) => (i.acks[0]?.at ?? 0) - i.dispatchedAt);
/** Replica mode: the acknowledgement is the HTTP answer (late ones included, which `ack` leaves out). */
const httpAck = interactions
  .filter((i) => i.httpAnswers.length > 0)
  .map((i) => (i.httpAnswers[0]?.at ?? 0) - i.dispatchedAt);
const failedInteractions = interactions.filter((i) => i.failed !== undefined).length;
/**
 * Replica mode: where an interaction's time to its HTTP answer went, split at the proxy (both in
 * the bench process): from the fake's click to the proxy holding the request (the fake's send and
 * the bench's own lag), and from there to the replica's answer read back (the replica, its store,
 * the hop). For every interaction, and for the failed ones alone.
 */
function hopSplit(subset: typeof interactions): string {
  const forwards = new Map(
    (replicated?.cluster.proxy.forwards ?? []).filter((f) => f.status !== 0).map((f) => [f.id ?? "", f]),
  );
  const toProxy: number[] = [];
  const body: number[] = [];
  const inReplica: number[] = [];
  for (const interaction of subset) {
    const forward = forwards.get(interaction.id);
    if (!forward) continue;
    toProxy.push(forward.arrivedAt - interaction.dispatchedAt);
    body.push(forward.receivedAt - forward.arrivedAt);
    inReplica.push(forward.answeredAt - forward.receivedAt);
  }
  const unanswered = subset.filter((i) => i.httpAnswers[0]?.status === 0);
  return `click → proxy sees the request median ${percentile(toProxy, 50)} / p99 ${percentile(toProxy, 99)} ms, its body read median ${percentile(body, 50)} / p99 ${percentile(body, 99)} ms, proxy → replica's answer median ${percentile(inReplica, 50)} / p99 ${percentile(inReplica, 99)} ms (${toProxy.length} forwarded); no HTTP answer at all: ${unanswered.length}${unanswered.length > 0 ? ` (${tally(unanswered.map((i) => i.httpAnswers[0]?.body.slice(0, 80) ?? ""))})` : ""}`;
}
const edits = interactions
  .filter((i) => i.acks[0]?.type !== CALLBACK.modal && i.firstEditAt !== undefined)
  .map((i) => (i.firstEditAt ?? 0) - i.dispatchedAt);
const peak = samples.reduce(
  (best, sample) => (sample.rssKb > best.rssKb ? sample : best),
  samples[0] ?? { at: 0, rssKb: 0, storeBytes: 0, open: 0, sessionBytes: 0 },
);
const openPeak = samples.reduce((a, sample) => Math.max(a, sample.open), 0);
const storePeak = samples.reduce((a, sample) => Math.max(a, sample.storeBytes), 0);
const busiest = samples.reduce(
  (best, sample) => (sample.open > best.open ? sample : best),
  samples[0] ?? peak,
);
const sessionBytes = busiest.open > 0 ? Math.round(busiest.sessionBytes / busiest.open) : 0;

// Memory from inside the bot (bench/memory-probe.mjs), MiB: at the RSS peak and at the end.
interface MemorySample {
  at: number;
  rss: number;
  heapUsed: number;
  heapTotal: number;
  external: number;
  arrayBuffers: number;
  /** The event loop's delay over the second before this sample: p99 and longest (ms). */
  loopP99Ms?: number;
  loopMaxMs?: number;
  /** Garbage collection pauses in that second: together and the longest (ms). */
  gcMs?: number;
  gcMaxMs?: number;
  /** CPU seconds each group of threads has used since the bot started (Linux: /proc/self/task). */
  threadCpu?: Record<string, number>;
}
/** The probe's samples (one JSON line each) taken since the load started. */
const samplesOf = (text: string): MemorySample[] =>
  text
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line) as MemorySample)
    .filter((sample) => sample.at >= started);
const peakOf = (samples: readonly MemorySample[]): MemorySample | undefined =>
  samples.reduce<MemorySample | undefined>(
    (best, sample) => (!best || sample.rss > best.rss ? sample : best),
    undefined,
  );
const memory = samplesOf(
  await readFile(probeFile, "utf8").catch(() =>
    replicated ? "" : Promise.reject(new Error(`no ${probeFile}`)),
  ),
);
const memoryPeak = peakOf(memory);
// The bot's event loop while the users walked (the seconds up to the deadline): how long a ready
// callback waited for the thread, and the garbage collector's share. Higher delays with the same CPU
// mean longer uninterrupted stretches of work (a parse, a collection), which every other user waits out.
const inLoad = memory.filter((sample) => sample.at <= deadline && sample.loopP99Ms !== undefined);
const sortedBy = (pick: (sample: MemorySample) => number) => inLoad.map(pick).sort((a, b) => a - b);
const middle = (values: readonly number[]) => values[Math.floor(values.length / 2)] ?? 0;
const loopP99s = sortedBy((sample) => sample.loopP99Ms ?? 0);
const botLoop =
  inLoad.length === 0
    ? "not sampled"
    : `per-second p99 median ${middle(loopP99s).toFixed(0)} / worst ${(loopP99s.at(-1) ?? 0).toFixed(0)} ms, longest ${Math.max(...inLoad.map((sample) => sample.loopMaxMs ?? 0)).toFixed(0)} ms; GC ${(inLoad.reduce((sum, sample) => sum + (sample.gcMs ?? 0), 0) / inLoad.length).toFixed(0)} ms per second, longest pause ${Math.max(...inLoad.map((sample) => sample.gcMaxMs ?? 0)).toFixed(0)} ms`;
// The bot's CPU by thread over the same seconds: what a CPU profile of the main thread cannot see
// (libuv's threads doing file reads, writes and fsyncs; V8's helpers marking and compiling).
const threadCpuFirst = inLoad.find((sample) => sample.threadCpu)?.threadCpu;
const threadCpuLast = inLoad.findLast((sample) => sample.threadCpu)?.threadCpu;
const botThreads = (actionCount: number) =>
  !threadCpuFirst || !threadCpuLast
    ? "not sampled"
    : Object.entries(threadCpuLast)
        .map(([name, seconds]) => [name, seconds - (threadCpuFirst[name] ?? 0)] as const)
        .filter(([, seconds]) => seconds > 0)
        .sort((a, b) => b[1] - a[1])
        .map(
          ([name, seconds]) =>
            `${name} ${seconds.toFixed(1)} s (${((seconds * 1000) / Math.max(1, actionCount)).toFixed(2)} ms per action)`,
        )
        .join("; ");
const memoryEnd = memory.at(-1);
const mib = (bytes = 0) => (bytes / 1048576).toFixed(0);
const memoryRow = (label: string, sample: MemorySample | undefined) =>
  `| ${label} | ${mib(sample?.rss)} | ${mib(sample?.heapUsed)} / ${mib(sample?.heapTotal)} | ${mib(sample?.external)} | ${mib(sample?.arrayBuffers)} |`;
// RSS over time, one value per tenth of the run, to show whether it stays flat.
const rssCurve = Array.from({ length: 10 }, (_, tenth) => memory[Math.floor((tenth * memory.length) / 10)])
  .map((sample) => mib(sample?.rss))
  .join(" → ");

// A heap snapshot after the load, its largest object groups by self size (not in replica mode).
bot?.kill("SIGUSR2");
let snapshotFile: string | undefined;
for (let tries = 0; bot && tries < 600 && !snapshotFile; tries++) {
  await new Promise((resolve) => setTimeout(resolve, 500));
  const names = (await readdir(snapshotDir)).filter((name) => name.endsWith(".heapsnapshot"));
  const size = names[0] ? (await stat(path.join(snapshotDir, names[0]))).size : 0;
  await new Promise((resolve) => setTimeout(resolve, 500));
  if (names[0] && size > 0 && (await stat(path.join(snapshotDir, names[0]))).size === size)
    snapshotFile = path.join(snapshotDir, names[0]);
}
const heapGroups = snapshotFile ? summarizeSnapshot(await readFile(snapshotFile, "utf8")) : [];

const replicaMemory = await Promise.all(
  (replicated?.pids ?? []).map(async (_pid, index) => {
    const samples = samplesOf(await readFile(probeFileOf(index), "utf8").catch(() => ""));
    return { peak: peakOf(samples), end: samples.at(-1) };
  }),
);
const logProblems = replicated?.logProblems();
const proxyCounts = replicated
  ? {
      telegram: replicated.cluster.proxy.countsFor("/telegram"),
      discord: replicated.cluster.proxy.countsFor("/discord/interactions"),
    }
  : undefined;
const webhookRetried = telegram.webhook.deliveries.filter((d) => d.status < 200 || d.status >= 300).length;
if (bot) {
  bot.kill("SIGTERM");
  await new Promise((resolve) => bot.once("close", resolve));
  await telegram.stop();
  await discord.stop();
} else await replicated?.stop();
await rm(data, { recursive: true, force: true });
await rm(snapshotDir, { recursive: true, force: true });

/** Self size by node type and name (constructor for objects), the 8 largest groups, MiB. */
function summarizeSnapshot(text: string): string[] {
  const snapshot = JSON.parse(text) as {
    snapshot: { meta: { node_fields: string[]; node_types: [string[]] } };
    nodes: number[];
    strings: string[];
  };
  const fields = snapshot.snapshot.meta.node_fields;
  const width = fields.length;
  const typeAt = fields.indexOf("type");
  const nameAt = fields.indexOf("name");
  const sizeAt = fields.indexOf("self_size");
  const types = snapshot.snapshot.meta.node_types[0];
  const groups = new Map<string, { bytes: number; count: number }>();
  for (let offset = 0; offset < snapshot.nodes.length; offset += width) {
    const type = types[snapshot.nodes[offset + typeAt] ?? 0] ?? "?";
    const name = type === "object" ? (snapshot.strings[snapshot.nodes[offset + nameAt] ?? 0] ?? "?") : "";
    const key = name ? `${type} ${name}` : type;
    const group = groups.get(key) ?? { bytes: 0, count: 0 };
    group.bytes += snapshot.nodes[offset + sizeAt] ?? 0;
    group.count += 1;
    groups.set(key, group);
  }
  return [...groups]
    .sort((a, b) => b[1].bytes - a[1].bytes)
    .slice(0, 8)
    .map(([key, group]) => `${key}: ${(group.bytes / 1048576).toFixed(1)} MiB in ${group.count} objects`);
}

const minutes = wallS / 60;
const editors = Array.from({ length: PER_PLATFORM }, (_, index) => index).filter(isEditor).length;
const editRows =
  EDIT_SHARE > 0
    ? `
| editing users (LOAD_EDIT_SHARE=${EDIT_SHARE}) | ${editors} Telegram + ${editors} Discord: after their first Create, every round is \`/profile edit <one of their profiles>\` → Edit skills → toggle the first built-in → Optional → Hub → Done → ✓ Apply |
| edits applied / refused (Telegram; Discord) | ${editing.telegram.applied} / ${editing.telegram.refused}; ${editing.discord.applied} / ${editing.discord.refused} — of the refusals, "changed since the editor read it": ${editing.telegram.stale + editing.discord.stale} |
| Apply press → "Profile updated" shown, median / p99 (Telegram; Discord) | ${percentile(editing.telegram.applyMs, 50)} / ${percentile(editing.telegram.applyMs, 99)} ms; ${percentile(editing.discord.applyMs, 50)} / ${percentile(editing.discord.applyMs, 99)} ms |
| Telegram update → edit in editing rounds only, median / p99 | ${percentile(editing.telegram.latency, 50)} / ${percentile(editing.telegram.latency, 99)} ms (${editing.telegram.latency.length} updates; included in the Telegram row above) |
| the same by step, median / p99 | ${[...editing.telegram.byStep].map(([step, list]) => `${step} ${percentile(list, 50)} / ${percentile(list, 99)} ms`).join("; ")} |`
    : "";
/** How often each kind of text occurs (numbers and names taken out), most frequent first. */
function tally(texts: readonly string[], generalize = true): string {
  const kinds = new Map<string, number>();
  for (const text of texts) {
    const kind = generalize ? text.replace(/\b(tg|dc)-\d+-\d+\b/g, "<name>").replace(/\d+/g, "N") : text;
    kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
  }
  return [...kinds]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 8)
    .map(([kind, count]) => `${count} × ${kind}`)
    .join("; ");
}

/** The section of a replica-mode run (LOAD_REPLICAS). */
function replicaText(): string {
  const run = replicated;
  if (!run || !loadCounters || !idleCounters) return "";
  const actions = telegramLatency.length + interactions.length;
  const perAction = (before: number | undefined, after: number | undefined, own: number) =>
    before === undefined || after === undefined ? undefined : (after - before - own) / Math.max(1, actions);
  const own = loadCounters.after.own - loadCounters.before.own;
  const idleOwn = idleCounters.after.own - idleCounters.before.own;
  const transactionsPerAction = perAction(
    loadCounters.before.transactions,
    loadCounters.after.transactions,
    own,
  );
  const statementsPerAction = perAction(loadCounters.before.statements, loadCounters.after.statements, own);
  const idlePerS =
    (idleCounters.after.transactions - idleCounters.before.transactions - idleOwn) / REPLICA_IDLE_S;
  const idleStatementsPerS =
    idleCounters.after.statements === undefined || idleCounters.before.statements === undefined
      ? undefined
      : (idleCounters.after.statements - idleCounters.before.statements - idleOwn) / REPLICA_IDLE_S;
  const replicaPeakKb = run.pids.map((_pid, i) =>
    samples.reduce((best, sample) => Math.max(best, sample.replicaRssKb?.[i] ?? 0), 0),
  );
  const perReplica = (values: readonly number[], format: (value: number) => string) =>
    values.map((value, i) => `#${i} ${format(value)}`).join(", ");
  const cores = os.cpus().length;
  const replicaCpu = replicaCpuUsed.reduce((a, b) => a + b, 0);
  const otherCpu = Math.max(0, cpuUsed.machine - replicaCpu - cpuUsed.bench - postgresCpuUsed);
  const postgresWhere = run.postgresOwn
    ? "a Postgres 15 cluster the bench started for the run (fsync, synchronous_commit and full_page_writes on, as the server's defaults; pg_stat_statements preloaded)"
    : "the server at LOAD_DATABASE_URL";
  return `
## Load${LABEL ? ` (${LABEL})` : ""}: ${REPLICAS} replica${REPLICAS > 1 ? "s" : ""} on Postgres, ${PER_PLATFORM * 2} concurrent wizards on two surfaces for ${Math.round(wallS)} s (\`LOAD_REPLICAS=${REPLICAS} npm run bench:load\`)

${REPLICAS} bot replica${REPLICAS > 1 ? "s" : ""} (\`blueprint start\` each, a process of its own, started as the replica e2e tests start them:
test/helpers/replica-cluster.ts) behind a round-robin proxy, sharing one Postgres database (a fresh one for the run, on
${postgresWhere}) and one HERMES_HOME. Telegram in webhook mode: the fake POSTs each update to the proxy's /telegram (one
chat's updates in order, at most 40 deliveries in flight: Telegram's default max_connections, which the bot does not change).
Discord over signed HTTP interactions to the proxy's /discord/interactions (no gateway): the HTTP answer is the
acknowledgement. ${PER_PLATFORM} Telegram users and ${PER_PLATFORM} Discord users each walk wizards to Create again and again, as in the
embedded runs; there is no console user in this mode (a replica has no terminal). Every 4th Create is pressed 2 or 3 times
at once (${multiPressed} such creates). ${THINK_MS > 0 ? `Each user pauses ${THINK_MS / 2000}–${(THINK_MS * 1.5) / 1000} s (mean ${THINK_MS / 1000} s) before each action.` : "Users act the moment the bot answers (no pause): saturated, so this measures capacity; latency here is queueing."}
Fakes, proxy and simulated users share the bench process (the proxy ${PROXY_PLACE === "own thread" ? "in a worker thread of its own" : "in the same thread as the fakes and users"}); Postgres and each replica have their own. Run on
${new Date().toISOString().slice(0, 10)}, ${cores} × ${os.cpus()[0]?.model ?? "CPU"}, Node ${process.version}.

| measure | value |
|---|---|
| wizards completed (Telegram / Discord) | ${completed.telegram.length} / ${completed.discord.length} — ${(completed.telegram.length / minutes).toFixed(0)} / ${(completed.discord.length / minutes).toFixed(0)} per minute, ${(expected.length / minutes).toFixed(0)} together |
| Telegram update → bot's write (edit or message), median / p99 | ${percentile(telegramLatency, 50)} / ${percentile(telegramLatency, 99)} ms (${telegramLatency.length} updates) |
| Discord interaction → acknowledgement (its HTTP answer), median / p99 / max | ${percentile(httpAck, 50)} / ${percentile(httpAck, 99)} / ${httpAck.reduce((a, b) => Math.max(a, b), 0)} ms (${interactions.length} interactions) |
| Discord interaction → edit, median / p99 | ${percentile(edits, 50)} / ${percentile(edits, 99)} ms |
| late Discord acks: answered after 3 s (refused by the fake, as Discord would; goal 0) | ${lateAcks} of ${interactions.length}; interactions that failed for any reason: ${failedInteractions}${failedInteractions > 0 ? ` (${tally(interactions.flatMap((i) => (i.failed ? [i.failed] : [])))})` : ""}; HTTP answers by status: ${tally(
    interactions.map((i) => `${i.httpAnswers[0]?.status ?? "none"}`),
    false,
  )} |
| where the time to a Discord answer went (all interactions; the failed ones) | ${hopSplit(interactions)}; failed: ${hopSplit(interactions.filter((i) => i.failed !== undefined))} |
| the bench process's event-loop delay during the load (fakes, users${PROXY_PLACE === "own thread" ? "" : ", proxy"}) | ${benchLag} |
| work per replica (proxy forwards: Telegram updates; Discord interactions) | ${perReplica(proxyCounts?.telegram ?? [], String)}; ${perReplica(proxyCounts?.discord ?? [], String)}; Telegram webhook deliveries not answered 2xx (delivered again): ${webhookRetried} |
| resident memory per replica, idle → peak | ${run.pids.map((_pid, i) => `#${i} ${((replicaIdleRssKb[i] ?? 0) / 1024).toFixed(0)} → ${((replicaPeakKb[i] ?? 0) / 1024).toFixed(0)} MiB`).join(", ")} |
| CPU during the load (${cores} cores × ${Math.round(wallS)} s = ${cores * Math.round(wallS)} core-seconds) | replicas ${perReplica(replicaCpuUsed, (v) => `${v.toFixed(0)} s (${((v / wallS) * 100).toFixed(0)} % of a core)`)}; Postgres ${postgresCpuUsed.toFixed(0)} s (${((postgresCpuUsed / wallS) * 100).toFixed(0)} %${run.postgresOwn ? "" : ", every postgres process on the machine"}); bench process (fakes, proxy, users) ${cpuUsed.bench.toFixed(0)} s; everything else ${otherCpu.toFixed(0)} s. Per action (Telegram update or Discord interaction): replicas ${((replicaCpu * 1000) / Math.max(1, actions)).toFixed(2)} ms, Postgres ${((postgresCpuUsed * 1000) / Math.max(1, actions)).toFixed(2)} ms |
| Postgres transactions per action | ${transactionsPerAction?.toFixed(1) ?? "?"} (xact_commit + xact_rollback of the run's database in pg_stat_database over the load, ÷ ${actions} actions; every autocommit statement is a transaction of its own, so this is a floor for round trips; the bench's own ${own} queries taken off; includes pg-boss' background work, ${idlePerS.toFixed(1)} transactions per second with no load) |
| Postgres statements per action | ${statementsPerAction !== undefined ? `${statementsPerAction.toFixed(1)} (calls in pg_stat_statements on the run's database, BEGIN and COMMIT included: about one round trip each; the bench's own left out; with no load ${idleStatementsPerS?.toFixed(1) ?? "?"} per second)` : `not measured: ${run.statementsWhyNot}`} |
| WAL flushes (fsync) during the load, whole server | ${loadCounters.after.walSyncs - loadCounters.before.walSyncs} (${((loadCounters.after.walSyncs - loadCounters.before.walSyncs) / Math.max(1, actions)).toFixed(2)} per action; commits that come together share one), ${run.postgresOwn ? `${((loadCounters.after.walSyncMs - loadCounters.before.walSyncMs) / 1000).toFixed(1)} s spent in them (${((loadCounters.after.walSyncMs - loadCounters.before.walSyncMs) / Math.max(1, loadCounters.after.walSyncs - loadCounters.before.walSyncs)).toFixed(1)} ms each)` : "their time not measured (track_wal_io_timing is set only on the bench's own cluster)"} |
| session state per open wizard | ≈ ${sessionBytes} B (wizard_sessions' state as JSON text ÷ open sessions at the busiest sample, ${openPeak} open; limit 4 KB) |
| the replicas' Postgres connections, by state (wait event), on average over ${activitySamples} samples a second apart | ${
    [...activity]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 6)
      .map(([what, count]) => `${(count / Math.max(1, activitySamples)).toFixed(1)} ${what || "(no state)"}`)
      .join(", ") || "none"
  } |
| database size at the end | ${(databaseBytes / 1048576).toFixed(1)} MiB (pg_database_size) |
| Discord sockets held by the replicas at once (REST pools) | at most ${discord.peakSockets} |
| wizards that did not finish / profiles missing / unexpected | ${failures.length} (Discord users who met a late acknowledgement and started over: ${discordStartedOver}) / ${missing.length} / ${extra.length} |
| double and triple Create presses | ${multiPressed} creates; every finished one showed "Profile created" and has exactly its one profile in the shared HERMES_HOME (missing ${missing.length}) |
| warnings and errors in the replicas' logs (LOG_LEVEL=info) | ${perReplica(logProblems?.perReplica ?? [], String)} |${editRows}

Memory inside each replica (MiB; bench/memory-probe.mjs preloaded into each):

| replica, when | RSS | JS heap used / total | external | ArrayBuffers |
|---|---|---|---|---|
${replicaMemory.flatMap((memory, i) => [memoryRow(`#${i} at its RSS peak`, memory.peak), memoryRow(`#${i} at the end of the load`, memory.end)]).join("\n")}

${topStatements.length > 0 ? `Statements that took the most time in Postgres (pg_stat_statements, the whole run): ${topStatements.join("; ")}.\n\n` : ""}Not in this mode: the console user, the heap snapshot (take one with the embedded run), the lowdb store's journal writes
(the store is Postgres). Open sessions are counted in the wizard_sessions table (every 10 s), not read from the lowdb journal.
${failures.length > 0 ? `\nFailures by kind: ${tally(failures)}. The first: ${failures.slice(0, 5).join("; ")}\n` : ""}${editing.refusals.length > 0 ? `\nEdit refusals (first ${editing.refusals.length}): ${editing.refusals.join("; ")}\n` : ""}${(logProblems?.first.length ?? 0) > 0 ? `\nReplica log warnings and errors (first ${logProblems?.first.length}): ${logProblems?.first.join("; ")}\n` : ""}`;
}
const text = replicated
  ? replicaText()
  : `
## Load${LABEL ? ` (${LABEL})` : ""}: ${PER_PLATFORM * 2 + 1} concurrent wizards on three surfaces for ${Math.round(wallS)} s (\`npm run bench:load\`)

The real bot (\`blueprint start\`, console + Telegram + Discord adapters in one process) against the two fakes; ${PER_PLATFORM}
Telegram users, ${PER_PLATFORM} Discord users and the terminal's user each walk wizards to Create again and again (Telegram:
command, name, 9 presses, Create; Discord: command, name modal, presses and selects, Create; console: 12 piped answers).
Every 4th Create is pressed 2 or 3 times at once (${multiPressed} such creates). ${THINK_MS > 0 ? `Each user pauses ${THINK_MS / 2000}–${(THINK_MS * 1.5) / 1000} s (mean ${THINK_MS / 1000} s) before each action, as a person reading the screen would.` : "Users act the moment the bot answers (no pause): the bot is saturated, so this run measures capacity; latency here is queueing."} Fakes and simulated users share the bench
process; the bot has its own. Run on ${new Date().toISOString().slice(0, 10)}, ${os.cpus().length} × ${os.cpus()[0]?.model ?? "CPU"}, Node ${process.version}.

| measure | value |
|---|---|
| wizards completed (Telegram / Discord / console) | ${completed.telegram.length} / ${completed.discord.length} / ${completed.console.length} — ${(expected.length / minutes).toFixed(0)} per minute |
| Telegram update → edit, median / p99 | ${percentile(telegramLatency, 50)} / ${percentile(telegramLatency, 99)} ms (${telegramLatency.length} updates) |
| console answer → next screen, median / p99 | ${percentile(consoleLatency, 50)} / ${percentile(consoleLatency, 99)} ms (${consoleLatency.length} answers) |
| Discord interaction → ack, median / p99 / max | ${percentile(ack, 50)} / ${percentile(ack, 99)} / ${ack.reduce((a, b) => Math.max(a, b), 0)} ms (${interactions.length} interactions) |
| Discord interaction → edit, median / p99 | ${percentile(edits, 50)} / ${percentile(edits, 99)} ms |
| session state per open wizard | ≈ ${sessionBytes} B (the stored sessions as JSON ÷ open sessions at the busiest sample, ${openPeak} open; limit 4 KB) |
| resident memory | ${(idleRss / 1024).toFixed(0)} MiB before the load, ${(peak.rssKb / 1024).toFixed(0)} MiB at the peak; by tenths of the run: ${rssCurve} MiB |
| CPU during the load (${os.cpus().length} cores × ${Math.round(wallS)} s = ${os.cpus().length * Math.round(wallS)} core-seconds) | bot ${cpuUsed.bot.toFixed(0)} s (${((cpuUsed.bot / wallS) * 100).toFixed(0)} % of a core; ${((cpuUsed.bot * 1000) / (telegramLatency.length + interactions.length + consoleLatency.length)).toFixed(2)} ms per Telegram update + Discord interaction + console answer); bench process (fakes + users) ${cpuUsed.bench.toFixed(0)} s; everything else on the machine ${Math.max(0, cpuUsed.machine - cpuUsed.bot - cpuUsed.bench).toFixed(0)} s |
| Discord sockets held by the bot at once (REST pool + gateway) | at most ${discord.peakSockets} |
| store (snapshot + journal) | at most ${(storePeak / 1024).toFixed(0)} KiB; ${journalWrites} journal writes and ${compactions} compactions in ${Math.round(wallS)} s |
| wizards that did not finish / profiles missing / unexpected | ${failures.length} (Discord users who met a late acknowledgement and started over: ${discordStartedOver}) / ${missing.length} / ${extra.length} |
| Discord interactions acknowledged after 3 s (refused by the fake, as Discord would) | ${lateAcks} of ${interactions.length} |
| the bench process's event-loop delay during the load (fakes and users) | ${benchLag} |
| the bot's event-loop delay during the load (bench/memory-probe.mjs) | ${botLoop} |
| the bot's CPU by thread while the users walked (bench/memory-probe.mjs, /proc/self/task) | ${botThreads(telegramLatency.length + interactions.length + consoleLatency.length)} |
| double and triple Create presses | ${multiPressed} creates; every finished one showed "Profile created" and has exactly its one profile (missing ${missing.length}); "unexpected" profiles are creates whose simulated user gave up on a late acknowledgement |${editRows}

Memory inside the bot (MiB; bench/memory-probe.mjs):

| when | RSS | JS heap used / total | external | ArrayBuffers |
|---|---|---|---|---|
${memoryRow("at the RSS peak", memoryPeak)}
${memoryRow("at the end of the load", memoryEnd)}

Largest groups in a heap snapshot taken right after the load (self size): ${heapGroups.join("; ") || "no snapshot"}.
${failures.length > 0 ? `\nFailures: ${failures.slice(0, 10).join("; ")}\n` : ""}${editing.refusals.length > 0 ? `\nEdit refusals (first ${editing.refusals.length}): ${editing.refusals.join("; ")}\n` : ""}`;
await appendFile(path.join(ROOT, "BENCHMARKS.md"), text);
process.stdout.write(text);
process.exitCode = failures.length + missing.length + extra.length > 0 ? 1 : 0;
