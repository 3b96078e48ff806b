// The README's Discord path as a newcomer runs it: `blueprint register --guild <id>`, then
// `npm start` with DISCORD_TOKEN set, both against the fake Discord (DISCORD_API_ROOT).
import { afterEach, describe, expect, it } from "vitest";
import { APPLICATION_ID, BOT_TOKEN, FakeDiscord, GENERAL, GUILD_ID } from "../fakes/discord/fake-discord.ts";
import { answered } from "../helpers/discord-bot.ts";
import { runCli, startCli } from "../helpers/cli.ts";
import { useTempDirs } from "../helpers/temp-dir.ts";

const tempDir = useTempDirs();
const fakes: FakeDiscord[] = [];
afterEach(async () => {
  await Promise.all(fakes.splice(0).map((fake) => fake.stop()));
});

async function newFake(): Promise<FakeDiscord> {
  const fake = new FakeDiscord();
  await fake.start();
  fakes.push(fake);
  return fake;
}

function discordEnv(fake: FakeDiscord, data: string): Record<string, string> {
  return {
    DATA_DIR: data,
    DISCORD_TOKEN: BOT_TOKEN,
    DISCORD_APPLICATION_ID: APPLICATION_ID,
    DISCORD_API_ROOT: fake.apiRoot,
    DISCORD_ALLOWED_USERS: "1500000000000000042",
  };
}

describe("GIVEN `blueprint register`", () => {
  it("WHEN run twice for a guild THEN the first run registers every command and says so, the second changes nothing", async () => {
    const fake = await newFake();
    const env = discordEnv(fake, await tempDir());
    const first = await runCli(["register", "--guild", GUILD_ID], { env });
    expect(first.stderr).toBe("");
    expect(first.code).toBe(0);
    expect(first.stdout).toContain("+ /profile (new)");
    expect(first.stdout).toContain("+ /persona (new)");
    expect(first.stdout).toMatch(/Registered \d+ guild \d+ commands: \d+ new, 0 changed, 0 removed/);
    const stored = fake.commands.guild.get(GUILD_ID) ?? [];
    const profile = stored.find((command) => command["name"] === "profile");
    const subcommands = (profile?.["options"] as { name: string }[]).map((sub) => sub.name);
    expect(subcommands).toEqual(["new", "list", "show", "keys", "edit", "install", "delete", "use"]);
    expect(fake.violations).toEqual([]);
    const second = await runCli(["register", "--guild", GUILD_ID], { env });
    expect(second.code).toBe(0);
    expect(second.stdout).toContain("= /profile (unchanged)");
    expect(second.stdout).toContain("Nothing to change");
    expect(fake.calls.filter((call) => call.method === "PUT")).toHaveLength(1);
  });

  it("WHEN a command is stale or extra on Discord THEN it is shown as changed or removed and overwritten", async () => {
    const fake = await newFake();
    fake.commands.global = [
      { id: "1", name: "help", description: "old words", type: 1 },
      { id: "2", name: "legacy", description: "gone now", type: 1 },
    ];
    const result = await runCli(["register"], { env: discordEnv(fake, await tempDir()) });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("~ /help (changed)");
    expect(result.stdout).toContain("- /legacy (removed)");
    expect(fake.commands.global.map((command) => command["name"])).not.toContain("legacy");
    // Before: /help ran wherever Discord's defaults put it, user-installed copies included.
    // Now every command runs only where the bot is: servers it is in, and DMs with it.
    for (const command of fake.commands.global) {
      const name = String(command["name"]);
      expect(fake.usableIn(name, 0, 0), `/${name} in a server`).toBe(true);
      expect(fake.usableIn(name, 1, 0), `/${name} in a DM with the bot`).toBe(true);
      expect(fake.usableIn(name, 2, 1), `/${name} user-installed in a group DM`).toBe(false);
      expect(fake.usableIn(name, 0, 1), `/${name} user-installed in a server`).toBe(false);
    }
  });

  it("WHEN the token is missing, the guild id is not one, or Discord refuses THEN it says what to fix", async () => {
    const fake = await newFake();
    const data = await tempDir();
    const missing = await runCli(["register"], { env: { DATA_DIR: data } });
    expect(missing.code).toBe(3);
    expect(missing.stderr).toContain("Set DISCORD_TOKEN and DISCORD_APPLICATION_ID");
    const badGuild = await runCli(["register", "--guild", "my-server"], { env: discordEnv(fake, data) });
    expect(badGuild.code).toBe(2);
    expect(badGuild.stderr).toContain("is not a server id");
    const wrongToken = await runCli(["register"], {
      env: {
        ...discordEnv(fake, data),
        DISCORD_TOKEN: "MTEwMDAwMDAwMDAwMDAwMDAwMQ.Wrong1.not-the-token-at-all-x",
      },
    });
    expect(wrongToken.code).toBe(1);
    expect(wrongToken.stderr).toContain("Discord refused the token (401)");
  });
});

describe("GIVEN `npm start` with a Discord token", () => {
  it("WHEN it starts THEN it serves Discord (not the terminal), answers /profile new, and stops cleanly on SIGTERM", async () => {
    const fake = await newFake();
    const bot = startCli(["start"], discordEnv(fake, await tempDir()));
    await fake.until(() => fake.connected > 0, 20_000, "the bot to connect to the gateway");
    const newcomer = { id: "1500000000000000042", username: "newcomer" };
    const start = await answered(fake, fake.command(newcomer, GENERAL, "profile new"));
    expect(fake.original(start)?.content).toContain("Step 1/7 · Identity");
    bot.child.kill("SIGTERM");
    const code = await bot.closed;
    expect(code).toBe(0);
    expect(bot.output()).not.toContain("agent-blueprint: build a Hermes agent profile");
    expect(bot.output()).not.toContain(BOT_TOKEN);
  });
});

describe("GIVEN `npm start` for Discord and a gateway that refuses the bot for good", () => {
  it.each([
    [4004 as const, /DISCORD_TOKEN.*refused.*4004|4004.*DISCORD_TOKEN/s],
    [4014 as const, /4014.*intent/is],
  ])(
    "WHEN the gateway closes with %i THEN the process stops with a clear message and exit code 3",
    async (code, message) => {
      const fake = new FakeDiscord({ gatewayClose: code });
      await fake.start();
      fakes.push(fake);
      const result = await runCli(["start"], { env: discordEnv(fake, await tempDir()) });
      expect(result.code).toBe(3);
      expect(result.stderr).toMatch(message);
      expect(result.stderr).not.toMatch(/^\s+at /m);
    },
  );
});

describe("GIVEN `npm start` serving Discord", () => {
  it("WHEN the token is revoked while it runs (gateway close 4004) THEN the process stops with the message and exit code 3", async () => {
    const fake = await newFake();
    const bot = startCli(["start"], discordEnv(fake, await tempDir()));
    await fake.until(() => fake.connected > 0, 20_000, "the bot to connect to the gateway");
    fake.closeGateway(4004, "Authentication failed.");
    const code = await bot.closed;
    expect(code).toBe(3);
    expect(bot.output()).toContain("Discord refused DISCORD_TOKEN (gateway close 4004");
  });
});
