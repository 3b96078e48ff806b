// Benchmark: 200 concurrent Telegram users walking the wizard against a local Bot API (no network),
// our adapter and, in the same run, the same wizard written with @grammyjs/conversations.
// Run: npm run bench:telegram (appends its section to BENCHMARKS.md)
import { appendFile, mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { pino } from "pino";
import { TelegramAdapter } from "../src/adapters/telegram/index.ts";
import { CommandRouter } from "../src/app/command-router.ts";
import { loadLibrary } from "../src/app/library-loader.ts";
import { PersonaService } from "../src/app/persona/persona-service.ts";
import { SessionStore } from "../src/app/session-store.ts";
import { WizardRunner } from "../src/app/wizard-runner.ts";
import { FakeTelegram, type FakeUser } from "../test/fakes/fake-telegram.ts";
import { conversationsBot } from "./telegram-conversations-wizard.ts";

const ROOT = path.resolve(import.meta.dirname, "..");
const USERS = 200;
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
  { press: "Next" },
  { press: "No persona" },
];
/** Steps whose latency and stored state are reported (1-based, as in the issue). */
const REPORTED_STEPS = [1, 5, 10];
const silent = pino({ level: "silent" });
/** Wait after an edit before reading the stored state (not part of the latency measured). */
const STATE_SETTLE_MS = 20;

interface Result {
  latencies: number[][];
  stateBytes: number[][];
  cpuMsPerUpdate: number;
  wallS: number;
}

async function drive(fake: FakeTelegram, stateOf: (chatId: number) => number): Promise<Result> {
  const latencies: number[][] = ACTIONS.map(() => []);
  const stateBytes: number[][] = ACTIONS.map(() => []);
  const cpu = process.cpuUsage();
  const started = Date.now();
  await Promise.all(
    Array.from({ length: USERS }, async (_, index) => {
      const user: FakeUser = { id: 50_000 + index, first_name: `User${index}` };
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
        latencies[step]?.push((await written) - pushed);
        // Both bots persist their state after the update's handler returns, a moment after the edit.
        await new Promise((resolve) => setTimeout(resolve, STATE_SETTLE_MS));
        stateBytes[step]?.push(stateOf(chat.id));
      }
    }),
  );
  const used = process.cpuUsage(cpu);
  return {
    latencies,
    stateBytes,
    cpuMsPerUpdate: (used.user + used.system) / 1000 / (USERS * ACTIONS.length),
    wallS: (Date.now() - started) / 1000,
  };
}

async function ours(): Promise<Result> {
  const fake = new FakeTelegram();
  await fake.start();
  const dir = await mkdtemp(path.join(os.tmpdir(), "blueprint-bench-tg-"));
  const store = await SessionStore.open(path.join(dir, "store.json"), silent);
  const hermesHome = path.join(dir, "hermes");
  const personas = await PersonaService.open({
    store,
    hermesHome,
    profilesRoot: path.join(hermesHome, "profiles"),
    personasDir: path.join(ROOT, "library/personas"),
    logger: silent,
  });
  const runner = new WizardRunner({
    store,
    library: await loadLibrary(path.join(ROOT, "library")),
    logger: silent,
    hermesHome,
    profilesRoot: path.join(hermesHome, "profiles"),
    modelListTimeoutMs: 500,
    personas,
  });
  const allowed = new Set(Array.from({ length: USERS }, (_, index) => String(50_000 + index)));
  const adapter = new TelegramAdapter(
    runner,
    new CommandRouter(personas),
    { token: TOKEN, apiRoot: fake.url, allowedUsers: allowed },
    silent,
  );
  const done = adapter.run();
  while (fake.callsOf("getUpdates").length === 0) await new Promise((resolve) => setTimeout(resolve, 10));
  const result = await drive(
    fake,
    (chatId) => JSON.stringify(runner.findOpen("telegram", String(chatId), `tg:${chatId}`) ?? null).length,
  );
  await adapter.stop();
  await done;
  await store.flush();
  await fake.stop();
  await rm(dir, { recursive: true, force: true });
  return result;
}

async function withConversations(): Promise<Result> {
  const fake = new FakeTelegram();
  await fake.start();
  const { bot, stateBytes } = conversationsBot(TOKEN, fake.url);
  const done = bot.start();
  while (fake.callsOf("getUpdates").length === 0) await new Promise((resolve) => setTimeout(resolve, 10));
  const result = await drive(fake, stateBytes);
  await bot.stop();
  await done;
  await fake.stop();
  return result;
}

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

const a = await ours();
const b = await withConversations();
const all = (result: Result) => result.latencies.flat();
const row = (label: string, result: Result) =>
  `| ${label} | ${percentile(all(result), 50)} / ${percentile(all(result), 99)} ms | ${REPORTED_STEPS.map(
    (step) =>
      `${percentile(result.latencies[step - 1] ?? [], 50)} / ${percentile(result.latencies[step - 1] ?? [], 99)}`,
  ).join(
    " · ",
  )} ms | ${REPORTED_STEPS.map((step) => percentile(result.stateBytes[step - 1] ?? [], 50)).join(" · ")} B | ${result.cpuMsPerUpdate.toFixed(2)} ms | ${result.wallS.toFixed(1)} s |`;
const text = `
## Telegram: ${USERS} concurrent users through the wizard (\`npm run bench:telegram\`)

${USERS} users, each in its own private chat, send ${ACTIONS.length} updates in turn (command, name, ${ACTIONS.length - 2} button presses, up to
Review) against test/fakes/fake-telegram.ts on loopback; a user sends its next update when the bot has edited its
message. Latency = update queued → the bot's edit. Both bots use grammY's built-in long polling in one process with the
fake API and the simulated users, so "CPU per update" is the whole process's CPU divided by the ${USERS * ACTIONS.length} updates.
Run on ${new Date().toISOString().slice(0, 10)}, ${os.cpus().length} × ${os.cpus()[0]?.model ?? "CPU"}, Node ${process.version}.

| bot | latency median / p99, all steps | median / p99 at steps ${REPORTED_STEPS.join(" · ")} | stored state per user at steps ${REPORTED_STEPS.join(" · ")} | CPU per update | wall time |
|---|---|---|---|---|---|
${row("agent-blueprint (pure core + stateless buttons)", a)}
${row("same wizard with @grammyjs/conversations", b)}

Our state is the session record in the store (the draft and its screen); the conversations plugin stores its replay log,
which grows with every step.
`;
await appendFile(path.join(ROOT, "BENCHMARKS.md"), text);
process.stdout.write(text);
