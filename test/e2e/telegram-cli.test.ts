import { afterEach, describe, expect, it } from "vitest";
import { FakeTelegram } from "../fakes/fake-telegram.ts";
import { startCli } from "../helpers/cli.ts";
import { useTempDirs } from "../helpers/temp-dir.ts";

const tempDir = useTempDirs();
const fakes: FakeTelegram[] = [];
afterEach(async () => {
  await Promise.all(fakes.splice(0).map((fake) => fake.stop()));
});

async function waitFor(condition: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("timed out waiting");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe("GIVEN `npm start` with a Telegram token", () => {
  it("WHEN it starts THEN it serves Telegram (not the terminal), registers the commands, answers /profile_new, and stops cleanly on SIGTERM", async () => {
    const fake = new FakeTelegram();
    fakes.push(fake);
    await fake.start();
    const data = await tempDir();
    const bot = startCli(["start"], {
      DATA_DIR: data,
      TELEGRAM_BOT_TOKEN: "123456:ABCdefGHIjklMNOpqrSTUvwxYZ012345678",
      TELEGRAM_ALLOWED_USERS: "42",
      TELEGRAM_API_ROOT: fake.url,
    });
    await waitFor(() => fake.callsOf("getUpdates").length > 0);
    expect(fake.commands.length).toBeGreaterThan(10);
    fake.sendText({ id: 42, first_name: "Newcomer" }, { id: 42, type: "private" }, "/profile_new");
    await waitFor(() => (fake.lastBotMessage(42, true)?.text ?? "").includes("Step 1/7 · Identity"));
    bot.child.kill("SIGTERM");
    const code = await bot.closed;
    expect(code).toBe(0);
    expect(bot.output()).not.toContain("agent-blueprint: build a Hermes agent profile");
  });
});
