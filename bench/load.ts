// Load benchmark (issue 7): the real bot (`blueprint start` with the console, Telegram and Discord
// adapters at once) in its own process; 500 Telegram and 500 Discord users against the fakes, and
// the terminal's one user on the bot's stdin, each walking wizards to Create again and again for
// LOAD_SECONDS (default 600). Every 4th Create is pressed two or three times at once. Reports
// throughput, latency, the bot's memory per open session, the store's size and write rate, and
// checks that no wizard was lost and every name became exactly one profile.
// Run: npm run bench:load (appends its section to BENCHMARKS.md). LOAD_SECONDS / LOAD_USERS to change.
import { spawn } from "node:child_process";
import { watch } from "node:fs";
import { appendFile, mkdtemp, readdir, readFile, rm, stat } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import {
  APPLICATION_ID,
  BOT_TOKEN,
  CALLBACK,
  FakeDiscord,
  GENERAL,
} from "../test/fakes/discord/fake-discord.ts";
import { FakeTelegram, type FakeUser } from "../test/fakes/fake-telegram.ts";
import { answered, DiscordTester } from "../test/helpers/discord-bot.ts";

const ROOT = path.resolve(import.meta.dirname, "..");
const SECONDS = Number(process.env["LOAD_SECONDS"] ?? 600);
const PER_PLATFORM = Number(process.env["LOAD_USERS"] ?? 500);
const TELEGRAM_TOKEN = "123456:LOADtokenLOADtokenLOADtokenLOADtoken";
const telegramId = (index: number) => 60_000 + index;
const discordId = (index: number) => `18${String(index).padStart(17, "0")}`;

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

const data = await mkdtemp(path.join(os.tmpdir(), "blueprint-load-"));
const telegram = new FakeTelegram();
await telegram.start();
const discord = new FakeDiscord();
await discord.start();
const bot = spawn(process.execPath, [path.join(ROOT, "bin/blueprint.js"), "start"], {
  cwd: os.tmpdir(),
  env: {
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
});
let consoleOut = "";
bot.stdout.on("data", (chunk: Buffer) => (consoleOut = (consoleOut + chunk.toString()).slice(-20_000)));
await discord.until(() => discord.connected > 0, 60_000, "the bot on the Discord gateway");
while (telegram.callsOf("getUpdates").length === 0) await new Promise((resolve) => setTimeout(resolve, 20));

async function rssKb(): Promise<number> {
  const status = await readFile(`/proc/${bot.pid ?? 0}/status`, "utf8");
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
}

// Store writes: the store is replaced by rename on every write; count those events.
const storeFile = path.join(data, "store.json");
let storeWrites = 0;
const watcher = watch(data, (event, name) => {
  if (event === "rename" && name === "store.json") storeWrites += 1;
});
const idleRss = await rssKb();
const started = Date.now();
const deadline = started + SECONDS * 1000;
const samples: { at: number; rssKb: number; storeBytes: number; open: number; sessionBytes: number }[] = [];
const sampler = setInterval(() => {
  void (async () => {
    const size = await stat(storeFile)
      .then((info) => info.size)
      .catch(() => 0);
    let open = 0;
    let sessionBytes = 0;
    if (samples.length % 10 === 0) {
      const text = await readFile(storeFile, "utf8").catch(() => "{}");
      const sessions = (JSON.parse(text) as { sessions?: Record<string, unknown> }).sessions ?? {};
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

async function telegramUser(index: number): Promise<void> {
  const user: FakeUser = { id: telegramId(index), first_name: `Load${index}` };
  const chat = { id: user.id, type: "private" as const };
  for (let round = 0; Date.now() < deadline; round++) {
    const name = `tg-${index}-${round}`;
    const say = async (text: string) => {
      const written = telegram.nextWrite(chat.id);
      const at = Date.now();
      telegram.sendText(user, chat, text);
      telegramLatency.push((await written) - at);
    };
    const press = async (label: string, times = 1) => {
      const message = telegram.lastBotMessage(chat.id, true);
      const data = telegram.button(message, label);
      const written = telegram.nextWrite(chat.id);
      const at = Date.now();
      for (let n = 0; n < times; n++) if (message) telegram.press(user, message, data);
      telegramLatency.push((await written) - at);
    };
    await say("/profile_new");
    const wizard = telegram.lastBotMessage(chat.id, true);
    await say(name);
    for (const label of [
      "Next",
      "OpenAI",
      "gpt-4.1",
      "Skip",
      "Optional skills",
      "Hub skills",
      "Done",
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

async function discordRound(tester: DiscordTester, index: number, round: number): Promise<void> {
  const name = `dc-${index}-${round}`;
  await tester.command("profile new");
  const opened = await tester.press("✎");
  await answered(discord, discord.submitModal(tester.user, opened, { name }));
  await tester.press("Next");
  await tester.choose("OpenAI");
  await tester.choose("gpt-4.1");
  for (const label of ["Skip", "Optional skills", "Hub skills", "Done", "Next", "No persona"])
    await tester.press(label);
  const times = round % 4 === 3 ? 2 + (index % 2) : 1;
  if (times > 1) multiPressed += 1;
  const create = tester.buttonId("✓ Create");
  const presses = Array.from({ length: times }, () =>
    discord.press(tester.user, tester.message.id, create, true),
  );
  await Promise.all(presses.map((interaction) => answered(discord, interaction).catch(() => interaction)));
  await discord.until(() => tester.message.content.includes("Profile created"), 60_000, `${name} created`);
  completed.discord.push(name);
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
      "Next",
      "No persona",
      "Create",
    ];
    bot.stdin.write(`${answers.join("\n")}\n`);
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
  consoleUser(),
]);
const wallS = (Date.now() - started) / 1000;
clearInterval(sampler);
watcher.close();
const profiles = await readdir(path.join(data, "hermes/profiles"));
const expected = [...completed.telegram, ...completed.discord, ...completed.console];
const missing = expected.filter((name) => !profiles.includes(name));
const extra = profiles.filter((name) => !expected.includes(name) && !name.startsWith("."));
const interactions = [...discord.interactions.values()];
const lateAcks = discord.violations.filter((text) => text.includes("acknowledged after")).length;
const ack = interactions.filter((i) => i.acks.length > 0).map((i) => (i.acks[0]?.at ?? 0) - i.dispatchedAt);
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
bot.kill("SIGTERM");
await new Promise((resolve) => bot.once("close", resolve));
await telegram.stop();
await discord.stop();
await rm(data, { recursive: true, force: true });

const minutes = wallS / 60;
const text = `
## Load: ${PER_PLATFORM * 2 + 1} concurrent wizards on three surfaces for ${Math.round(wallS)} s (\`npm run bench:load\`)

The real bot (\`blueprint start\`, console + Telegram + Discord adapters in one process) against the two fakes; ${PER_PLATFORM}
Telegram users, ${PER_PLATFORM} Discord users and the terminal's user each walk wizards to Create again and again (Telegram:
command, name, 9 presses, Create; Discord: command, name modal, presses and selects, Create; console: 12 piped answers).
Every 4th Create is pressed 2 or 3 times at once (${multiPressed} such creates). Fakes and simulated users share the bench
process; the bot has its own. Run on ${new Date().toISOString().slice(0, 10)}, ${os.cpus().length} × ${os.cpus()[0]?.model ?? "CPU"}, Node ${process.version}.

| measure | value |
|---|---|
| wizards completed (Telegram / Discord / console) | ${completed.telegram.length} / ${completed.discord.length} / ${completed.console.length} — ${(expected.length / minutes).toFixed(0)} per minute |
| Telegram update → edit, median / p99 | ${percentile(telegramLatency, 50)} / ${percentile(telegramLatency, 99)} ms (${telegramLatency.length} updates) |
| Discord interaction → ack, median / p99 / max | ${percentile(ack, 50)} / ${percentile(ack, 99)} / ${ack.reduce((a, b) => Math.max(a, b), 0)} ms (${interactions.length} interactions) |
| Discord interaction → edit, median / p99 | ${percentile(edits, 50)} / ${percentile(edits, 99)} ms |
| memory per open session | ≈ ${sessionBytes} B of session state (the store's sessions as JSON ÷ open sessions at the busiest sample, ${openPeak} open); the whole process grew ${(idleRss / 1024).toFixed(0)} → ${(peak.rssKb / 1024).toFixed(0)} MiB RSS (caches, buffers and GC headroom included) |
| store file | at most ${(storePeak / 1024).toFixed(0)} KiB; ${storeWrites} writes in ${Math.round(wallS)} s (${(storeWrites / wallS).toFixed(1)}/s) |
| wizards that did not finish / profiles missing / unexpected | ${failures.length} (Discord users who met a late acknowledgement and started over: ${discordStartedOver}) / ${missing.length} / ${extra.length} |
| Discord interactions acknowledged after 3 s (refused by the fake, as Discord would) | ${lateAcks} of ${interactions.length} |
| double and triple Create presses | ${multiPressed} creates; every finished one showed "Profile created" and has exactly its one profile (missing ${missing.length}); "unexpected" profiles are creates whose simulated user gave up on a late acknowledgement |
${failures.length > 0 ? `\nFailures: ${failures.slice(0, 10).join("; ")}\n` : ""}`;
await appendFile(path.join(ROOT, "BENCHMARKS.md"), text);
process.stdout.write(text);
process.exitCode = failures.length + missing.length + extra.length > 0 ? 1 : 0;
