// `blueprint doctor` as an operator runs it: the real executable, each stage's finding, exit codes
// 0 / 2 / 3 / 4, nothing changed without --fix, and nothing left to change after --fix.
import { chmod, cp, mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { APPLICATION_ID, BOT_TOKEN, FakeDiscord } from "../fakes/discord/fake-discord.ts";
import { FakeTelegram } from "../fakes/fake-telegram.ts";
import { LIBRARY_DIR } from "../helpers/catalog.ts";
import { HERMES_MCP_FIXTURES } from "../helpers/hermes-host.ts";
import { PINNED_HERMES_VERSION } from "../../src/app/hermes/discover.ts";
import { runCli } from "../helpers/cli.ts";
import { hermesBin } from "../helpers/hermes.ts";
import { useTempDirs } from "../helpers/temp-dir.ts";

const tempDir = useTempDirs();
const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const stop of stops.splice(0)) await stop();
});

async function healthyData(): Promise<string> {
  const data = await tempDir();
  await mkdir(path.join(data, "hermes/profiles"), { recursive: true });
  return data;
}

describe("GIVEN `blueprint doctor`", () => {
  it("WHEN the folders are missing THEN it exits 4 and creates nothing; --fix creates them; a second run changes nothing", async () => {
    const data = path.join(await tempDir(), "fresh");
    const before = await runCli(["doctor"], { env: { DATA_DIR: data } });
    expect(before.code).toBe(4);
    expect(before.stdout).toContain("✗ 2. Hermes home:");
    expect(before.stdout).toContain("would: create");
    await expect(readdir(data)).rejects.toThrow();
    const fixed = await runCli(["doctor", "--fix"], { env: { DATA_DIR: data } });
    expect(fixed.code).toBe(0);
    expect(fixed.stdout).toContain("did: created");
    expect(await readdir(path.join(data, "hermes/profiles"))).toEqual([]);
    const again = await runCli(["doctor", "--fix"], { env: { DATA_DIR: data } });
    expect(again.code).toBe(0);
    expect(again.stdout).not.toContain("did:");
    expect(again.stdout).toContain("Healthy.");
  });

  it("WHEN the store is garbage THEN it is reported and left alone; --fix moves it aside; a newer schema needs the operator", async () => {
    const data = await healthyData();
    const store = path.join(data, "store.json");
    await writeFile(store, '{"version": 3, "sessions": {"abc');
    const found = await runCli(["doctor"], { env: { DATA_DIR: data } });
    expect(found.code).toBe(4);
    expect(found.stdout).toContain("is not a store");
    expect(await readFile(store, "utf8")).toBe('{"version": 3, "sessions": {"abc');
    const fixed = await runCli(["doctor", "--fix"], { env: { DATA_DIR: data } });
    expect(fixed.code).toBe(0);
    expect((await readdir(data)).filter((name) => name.startsWith("store.json.bad-"))).toHaveLength(1);
    await writeFile(store, JSON.stringify({ version: 99, sessions: {} }));
    const newer = await runCli(["doctor"], { env: { DATA_DIR: data } });
    expect(newer.code).toBe(3);
    expect(newer.stdout).toContain("schema 99, newer than this bot's");
  });

  it("WHEN a left-over staging folder exists THEN --fix removes it, and leaves a live process's alone", async () => {
    const data = await healthyData();
    await mkdir(path.join(data, "hermes/profiles/.half-bot.staging-999999"));
    // A create in progress in a live process (this test's) is not a leftover.
    const live = `.live-bot.staging-${process.pid}`;
    await mkdir(path.join(data, "hermes/profiles", live));
    const found = await runCli(["doctor"], { env: { DATA_DIR: data } });
    expect(found.code).toBe(4);
    expect(found.stdout).toContain(".half-bot.staging-999999");
    expect(found.stdout).not.toContain(live);
    expect((await runCli(["doctor", "--fix"], { env: { DATA_DIR: data } })).code).toBe(0);
    expect(await readdir(path.join(data, "hermes/profiles"))).toEqual([live]);
  });

  it("WHEN configuration, persona files, the install command or the arguments are wrong THEN it names them", async () => {
    const data = await healthyData();
    const config = await runCli(["doctor"], { env: { DATA_DIR: data, LOG_LEVEL: "loud" } });
    expect(config.code).toBe(3);
    expect(config.stdout).toContain("✗ 1. Configuration");
    expect(config.stdout).toContain("LOG_LEVEL");
    const library = path.join(await tempDir(), "library");
    await cp(LIBRARY_DIR, library, { recursive: true });
    await writeFile(path.join(library, "personas/design/broken.md"), "---\nid: [unclosed\n---\nbody\n");
    const personas = await runCli(["doctor"], { env: { DATA_DIR: data, BLUEPRINT_LIBRARY: library } });
    expect(personas.code).toBe(3);
    expect(personas.stdout).toContain("✗ 4. Persona library");
    expect(personas.stdout).toContain("broken.md");
    const install = await runCli(["doctor"], {
      env: { DATA_DIR: data, INSTALL_COMMAND: "no-such-installer {profile} {identifier}" },
    });
    expect(install.code).toBe(3);
    expect(install.stdout).toContain(
      "'no-such-installer' (from INSTALL_COMMAND) is not an executable on PATH",
    );
    const usage = await runCli(["doctor", "--guild", "abc"], { env: { DATA_DIR: data } });
    expect(usage.code).toBe(2);
  });

  it("WHEN the install command is hermes THEN its --version is shown", async () => {
    const data = await healthyData();
    const bin = await tempDir();
    const hermes = path.join(bin, "hermes");
    await writeFile(
      hermes,
      '#!/bin/sh\n[ "$1" = "--version" ] && echo "Hermes Agent v0.9.0" && exit 0\nexit 1\n',
    );
    await chmod(hermes, 0o755);
    const result = await runCli(["doctor"], {
      env: { DATA_DIR: data, INSTALL_COMMAND: `${hermes} -p {profile} skills install {identifier} --yes` },
    });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("Hermes Agent v0.9.0");
  });

  it("WHEN HERMES_BIN names the pinned Hermes THEN doctor shows its version and the catalog folders Hermes itself resolves", async () => {
    const data = await healthyData();
    const bin = hermesBin();
    const mcps = await tempDir();
    const result = await runCli(["doctor"], {
      env: {
        DATA_DIR: data,
        HERMES_BIN: bin,
        HERMES_BUNDLED_SKILLS: path.join(LIBRARY_DIR, "skills"),
        HERMES_OPTIONAL_MCPS: mcps,
      },
    });
    expect(result.code).toBe(0);
    const line = result.stdout.split("\n").find((candidate) => candidate.includes(". Hermes:")) ?? "";
    expect(line).toContain(`✓`);
    expect(line).toContain(`${bin}, version ${PINNED_HERMES_VERSION} (the version the tests pin)`);
    // The overrides Hermes reads win; without one, Hermes' packaged catalog: <venv>/optional-mcps.
    expect(line).toContain(`bundled skills ${path.join(LIBRARY_DIR, "skills")};`);
    expect(line).toContain(`MCP catalog ${mcps}`);
    const packaged = await runCli(["doctor"], { env: { DATA_DIR: data, HERMES_BIN: bin } });
    expect(packaged.stdout).toContain(
      `MCP catalog ${path.join(path.dirname(path.dirname(bin)), "optional-mcps")}`,
    );
    // The wheel on PyPI ships no skill trees: Hermes' answer names folders that do not exist.
    expect(packaged.stdout).toMatch(/bundled skills \S+ \(missing\)/);
  }, 60_000);

  it("WHEN the Hermes found has its own MCP catalog THEN doctor says what the wizard offers from it, what not and why, and that Hermes installs", async () => {
    const data = await healthyData();
    const result = await runCli(["doctor"], {
      env: { DATA_DIR: data, HERMES_BIN: hermesBin(), HERMES_OPTIONAL_MCPS: HERMES_MCP_FIXTURES },
    });
    expect(result.code).toBe(0);
    const line = (name: string) =>
      result.stdout.split("\n").find((candidate) => candidate.includes(`. ${name}:`)) ?? "";
    expect(line("Catalogs")).toContain(
      `MCP servers (${path.join(LIBRARY_DIR, "mcps")} + ${HERMES_MCP_FIXTURES})`,
    );
    expect(line("Catalogs")).toContain(
      "not offered: cloned-bridge, it clones https://example.com/cloned-bridge.git",
    );
    expect(line("Install command")).toContain(
      `Hermes installs hub skills: ${hermesBin()} skills install {identifier} --yes`,
    );
  }, 60_000);

  it("WHEN `start` is given a HERMES_BIN that is not Hermes THEN it exits 3 saying so, before any adapter starts", async () => {
    const data = await healthyData();
    const notHermes = path.join(await tempDir(), "hermes");
    await writeFile(notHermes, "exit 0\n");
    await chmod(notHermes, 0o755);
    const result = await runCli(["start"], { env: { DATA_DIR: data, HERMES_BIN: notHermes } });
    expect(result.code).toBe(3);
    expect(result.stderr).toContain("HERMES_BIN:");
    expect(result.stderr).toContain("is not a Python script with a #! line");
  });

  it("WHEN there is no Hermes, or HERMES_BIN is not one THEN doctor says which mode the bot is in, or what to fix", async () => {
    const data = await healthyData();
    const none = await runCli(["doctor"], { env: { DATA_DIR: data, PATH: "/usr/bin:/bin" } });
    expect(none.code).toBe(0);
    expect(none.stdout).toMatch(
      /– \d+\. Hermes: HERMES_BIN is not set and there is no `hermes` on PATH: the bot uses its own catalogs/,
    );
    const notHermes = path.join(await tempDir(), "hermes");
    await writeFile(notHermes, "not a program");
    const broken = await runCli(["doctor"], { env: { DATA_DIR: data, HERMES_BIN: notHermes } });
    expect(broken.code).toBe(3);
    expect(broken.stdout).toContain(`is not an executable file (HERMES_BIN)`);
  });

  it("WHEN Discord's commands drift from the table THEN it shows the drift and exits 4; --fix registers; then healthy", async () => {
    const fake = new FakeDiscord();
    await fake.start();
    stops.push(() => fake.stop());
    const data = await healthyData();
    const env = {
      DATA_DIR: data,
      DISCORD_TOKEN: BOT_TOKEN,
      DISCORD_APPLICATION_ID: APPLICATION_ID,
      DISCORD_API_ROOT: fake.apiRoot,
    };
    const drift = await runCli(["doctor"], { env });
    expect(drift.code).toBe(4);
    expect(drift.stdout).toContain("+ /profile (new)");
    expect(fake.commands.global).toEqual([]);
    expect((await runCli(["doctor", "--fix"], { env })).code).toBe(0);
    const healthy = await runCli(["doctor"], { env });
    expect(healthy.code).toBe(0);
    expect(healthy.stdout).toContain("the global commands match the table");
    const refused = await runCli(["doctor"], {
      env: { ...env, DISCORD_TOKEN: "MTEwMDAwMDAwMDAwMDAwMDAwMQ.Wrong1.not-the-token-at-all-x" },
    });
    expect(refused.code).toBe(3);
    expect(refused.stdout).toContain("Discord refused the token (401)");
  });

  it("WHEN a Telegram token is set THEN getMe is asked; an unreachable API is reported", async () => {
    const fake = new FakeTelegram();
    await fake.start();
    stops.push(() => fake.stop());
    const data = await healthyData();
    const token = "123456:ABCdefGHIjklMNOpqrSTUvwxYZ012345678";
    const ok = await runCli(["doctor"], {
      env: { DATA_DIR: data, TELEGRAM_BOT_TOKEN: token, TELEGRAM_API_ROOT: fake.url },
    });
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain("getMe answers: @blueprint_test_bot");
    const down = await runCli(["doctor"], {
      env: { DATA_DIR: data, TELEGRAM_BOT_TOKEN: token, TELEGRAM_API_ROOT: "http://127.0.0.1:9" },
    });
    expect(down.code).toBe(3);
    expect(down.stdout).toContain("getMe failed");
    expect(down.stdout).not.toContain(token);
  });
});
