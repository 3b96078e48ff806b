// `npm start` when the network does not cooperate: an API unreachable at start-up ends in a log
// line per try (platform, address, error), then a clear message and exit code 3; a stop while the
// Telegram API is unreachable still finishes, saying what could not be confirmed.
import { createServer } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { APPLICATION_ID, BOT_TOKEN } from "../fakes/discord/fake-discord.ts";
import { FakeTelegram } from "../fakes/fake-telegram.ts";
import { runCli, startCli } from "../helpers/cli.ts";
import { waitFor } from "../helpers/telegram-bot.ts";
import { useTempDirs } from "../helpers/temp-dir.ts";

const tempDir = useTempDirs();
const fakes: FakeTelegram[] = [];
afterEach(async () => {
  await Promise.all(fakes.splice(0).map((fake) => fake.stop().catch(() => undefined)));
});

const TELEGRAM_TOKEN = "123456:ABCdefGHIjklMNOpqrSTUvwxYZ012345678";

/** A loopback port nothing listens on: connections are refused at once. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe("GIVEN `npm start` and a platform API that cannot be reached", () => {
  it("WHEN Telegram's API refuses connections at start-up THEN each try is logged with the address and the bot stops with exit code 3", async () => {
    const address = `http://127.0.0.1:${await closedPort()}`;
    const result = await runCli(["start"], {
      env: {
        DATA_DIR: await tempDir(),
        TELEGRAM_BOT_TOKEN: TELEGRAM_TOKEN,
        TELEGRAM_ALLOWED_USERS: "42",
        TELEGRAM_API_ROOT: address,
      },
    });
    expect(result.code).toBe(3);
    expect(result.stderr).toContain(
      `Telegram: the API at ${address} cannot be reached (ECONNREFUSED) after 4 tries`,
    );
    const retries = result.stderr.split("\n").filter((line) => line.includes("API unreachable at start-up"));
    expect(retries).toHaveLength(3);
    expect(retries[0]).toContain(address);
    expect(result.stderr).not.toContain(TELEGRAM_TOKEN);
    expect(result.stderr).not.toMatch(/^\s+at /m);
  });

  it("WHEN Discord's API refuses connections at start-up THEN each try is logged and the bot stops with exit code 3, no stack trace", async () => {
    const address = `http://127.0.0.1:${await closedPort()}/api`;
    const result = await runCli(["start"], {
      env: {
        DATA_DIR: await tempDir(),
        DISCORD_TOKEN: BOT_TOKEN,
        DISCORD_APPLICATION_ID: APPLICATION_ID,
        DISCORD_ALLOWED_USERS: "1500000000000000042",
        DISCORD_API_ROOT: address,
      },
    });
    expect(result.code).toBe(3);
    expect(result.stderr).toContain(
      `Discord: the API at ${address} cannot be reached (ECONNREFUSED) after 4 tries`,
    );
    expect(
      result.stderr.split("\n").filter((line) => line.includes("API unreachable at start-up")),
    ).toHaveLength(3);
    expect(result.stderr).not.toMatch(/^\s+at /m);
  });
});

describe("GIVEN `npm start` serving Telegram", () => {
  it("WHEN the API becomes unreachable and SIGTERM arrives THEN the process still exits 0, logging what it could not confirm", async () => {
    const fake = new FakeTelegram();
    fakes.push(fake);
    await fake.start();
    const bot = startCli(["start"], {
      DATA_DIR: await tempDir(),
      TELEGRAM_BOT_TOKEN: TELEGRAM_TOKEN,
      TELEGRAM_ALLOWED_USERS: "42",
      TELEGRAM_API_ROOT: fake.url,
    });
    await waitFor(() => fake.callsOf("getUpdates").length > 0);
    // One update handled (a stranger refused), so the stop has an offset to confirm.
    fake.sendText({ id: 99, first_name: "Stranger" }, { id: 99, type: "private" }, "/profile_new");
    await waitFor(() => fake.botMessages(99).length > 0);
    await fake.stop();
    fakes.splice(0);
    bot.child.kill("SIGTERM");
    const code = await bot.closed;
    expect(code).toBe(0);
    expect(bot.output()).toMatch(/could not confirm the update offset|did not answer the stop in time/);
  }, 20_000);
});
