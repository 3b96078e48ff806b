// SIGKILL of the real bot (`blueprint start`, console adapter, piped input) at every wizard
// transition and during Create, then a restart: the store opens, the wizard resumes at its step
// (or, for a kill inside the store's 50 ms write window, at the step before, and says where it
// is), no half-built profile is ever visible, and no staging folder outlives the next start.
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { readdir } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "../helpers/cli.ts";
import { useTempDirs } from "../helpers/temp-dir.ts";
import { storedCollections } from "../helpers/store-files.ts";

const tempDir = useTempDirs();
const ANSWERS = [
  "/profile new",
  "kill-bot",
  "Description",
  "Killed and resumed",
  "Next",
  "OpenRouter",
  "2",
  "Skip",
  "Optional skills",
  "1",
  "Hub skills",
  "done",
  "MCP servers",
  "Next",
  "No persona",
];
const PROFILE_TREE = [".env", "SOUL.md", "config.yaml", "profile.yaml", "skills", "memories", "sessions"];

interface Bot {
  readonly child: ChildProcessWithoutNullStreams;
  output: string;
}

function assembleBot(data: string): Bot {
  const child = spawn(process.execPath, [path.join(REPO_ROOT, "bin/blueprint.js"), "start"], {
    cwd: os.tmpdir(),
    env: { PATH: process.env["PATH"] ?? "", HOME: process.env["HOME"] ?? "/tmp", DATA_DIR: data },
  });
  const bot: Bot = { child, output: "" };
  child.stdout.on("data", (chunk: Buffer) => (bot.output += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (bot.output += chunk.toString()));
  return bot;
}

async function kill(bot: Bot): Promise<void> {
  if (bot.child.exitCode !== null || bot.child.signalCode !== null) return;
  const closed = new Promise((resolve) => bot.child.once("close", resolve));
  bot.child.kill("SIGKILL");
  await closed;
}

/** The one open wizard as the store file has it now (the file is replaced atomically). */
function stored(data: string): { rev: number; step: string } | undefined {
  const sessions = storedCollections(data)?.["sessions"] as
    Record<string, { rev: number; step: string }> | undefined;
  return sessions ? Object.values(sessions)[0] : undefined;
}

async function until(check: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 15));
  }
}

function expectNoCrash(bot: Bot): void {
  expect(bot.output).not.toMatch(/\n\s+at .+:\d+:\d+|Unhandled|TypeError|ReferenceError/);
}

/**
 * Walks the wizard to Review, killing the bot after every answer (`delayMs` after the answer was
 * written) and starting it again; an answer the kill swallowed is sent again.
 */
async function walkWithKills(data: string, delayMs: (index: number) => number): Promise<number> {
  let lost = 0;
  let bot = assembleBot(data);
  for (const [index, answer] of ANSWERS.entries()) {
    const before = stored(data)?.rev ?? -1;
    bot.child.stdin.write(`${answer}\n`);
    if (delayMs(index) < 0)
      await until(() => (stored(data)?.rev ?? -1) > before, `answer ${index} stored`).catch(
        (error: unknown) => {
          console.log(
            `---- bot output before the timeout:\n${bot.output.slice(-1500)}\n---- store: ${JSON.stringify(stored(data))}`,
          );
          throw error;
        },
      );
    else await new Promise((resolve) => setTimeout(resolve, delayMs(index)));
    await kill(bot);
    expectNoCrash(bot);
    const after = stored(data);
    bot = assembleBot(data);
    if (after) await until(() => bot.output.includes("Resuming your open wizard"), "the resume notice");
    if ((after?.rev ?? -1) <= before) {
      lost += 1;
      const again = stored(data)?.rev ?? -1;
      bot.child.stdin.write(`${answer}\n`);
      await until(() => (stored(data)?.rev ?? -1) > again, `answer ${index} stored after the restart`);
    }
  }
  expect(stored(data)?.step).toBe("review");
  await kill(bot);
  return lost;
}

describe("GIVEN the bot killed with SIGKILL and started again", () => {
  it("WHEN it is killed after every stored transition THEN each restart resumes the wizard at exactly its step", async () => {
    const data = await tempDir();
    const lost = await walkWithKills(data, () => -1);
    expect(lost).toBe(0);
  }, 180_000);

  it("WHEN it is killed at random moments around each answer THEN at most that answer is lost and the wizard carries on", async () => {
    const data = await tempDir();
    const lost = await walkWithKills(data, (index) => (index * 37) % 120);
    expect(lost).toBeLessThanOrEqual(ANSWERS.length);
    expect(stored(data)?.step).toBe("review");
  }, 240_000);

  it.each([0, 30, 60, 100, 150, 250])(
    "WHEN it is killed %d ms into Create THEN the next start shows the profile whole or not at all, finishes it, and leaves no staging folder",
    async (delayMs) => {
      const data = await tempDir();
      const profiles = path.join(data, "hermes/profiles");
      let bot = assembleBot(data);
      bot.child.stdin.write(`${ANSWERS.join("\n")}\n`);
      await until(() => stored(data)?.step === "review", "the wizard at Review");
      bot.child.stdin.write("Create\n");
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      await kill(bot);
      // Right after the kill: either the whole profile is there, or only a dot-named staging folder.
      const visible = existsSync(profiles)
        ? (await readdir(profiles)).filter((name) => !name.startsWith("."))
        : [];
      if (visible.includes("kill-bot"))
        expect(await readdir(path.join(profiles, "kill-bot"))).toEqual(expect.arrayContaining(PROFILE_TREE));
      bot = assembleBot(data);
      // Killed before Create was read: the wizard is still at Review, so the person presses it again.
      if (stored(data)?.step === "review") {
        await until(() => bot.output.includes("Resuming your open wizard"), "the resume notice");
        bot.child.stdin.write("Create\n");
      }
      await until(
        () => existsSync(path.join(profiles, "kill-bot", "profile.yaml")) && stored(data) === undefined,
        "the create to finish after the restart",
      );
      await until(() => !readdirSafe(profiles).some((name) => name.startsWith(".")), "no staging folder");
      expect(await readdir(path.join(profiles, "kill-bot"))).toEqual(expect.arrayContaining(PROFILE_TREE));
      expectNoCrash(bot);
      await kill(bot);
    },
    240_000,
  );
});

function readdirSafe(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}
