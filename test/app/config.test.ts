import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../src/app/system/config.ts";

const CWD = "/srv/bot";
const PKG = "/opt/agent-blueprint";

describe("GIVEN the environment", () => {
  it("WHEN nothing is set THEN defaults put data and profiles under ./data and start the console", () => {
    const loaded = loadConfig({}, CWD, PKG);
    expect(loaded).toMatchObject({
      ok: true,
      config: {
        dataDir: "/srv/bot/data",
        hermesHome: "/srv/bot/data/hermes",
        profilesRoot: "/srv/bot/data/hermes/profiles",
        libraryDir: path.join(PKG, "library"),
        adapters: ["console"],
        logLevel: "warn",
        sessionTtlMs: 24 * 3_600_000,
        installConcurrency: 2,
        installTimeoutMs: 300_000,
        progressMinIntervalMs: 1000,
      },
    });
  });

  it("WHEN variables are present but empty (a copied .env.example) THEN the defaults apply", () => {
    const loaded = loadConfig(
      { HERMES_HOME: "", DATA_DIR: " ", LOG_LEVEL: "", TELEGRAM_BOT_TOKEN: "" },
      CWD,
      PKG,
    );
    expect(loaded).toMatchObject({
      ok: true,
      config: { hermesHome: "/srv/bot/data/hermes", adapters: ["console"] },
    });
  });

  it("WHEN platform tokens are set THEN those adapters are the default", () => {
    const loaded = loadConfig(
      {
        TELEGRAM_BOT_TOKEN: "123456:ABCdefGHIjklMNOpqrSTUvwxYZ012345678",
        DISCORD_TOKEN: "MTEwMDAwMDAwMDAwMDAwMDAwMQ.GxYz12.abcdefghijklmnopqrstuvwxyz0123",
      },
      CWD,
      PKG,
    );
    expect(loaded).toMatchObject({
      ok: true,
      config: { adapters: ["telegram", "discord"], logLevel: "info" },
    });
  });

  it.each([
    ["DISCORD_TOKEN", "not-a-token", "looks wrong"],
    ["DISCORD_APPLICATION_ID", "my-app", "numeric application id"],
    ["DISCORD_ALLOWED_USERS", "alice,bob", "numeric Discord user ids"],
    ["DISCORD_ALLOWED_ROLES", "12", "numeric Discord role ids"],
    ["DISCORD_API_ROOT", "http://127.0.0.1:9", "ending in /api"],
    ["DISCORD_PUBLIC_KEY", "abc123", "64 hex characters"],
    ["DISCORD_PUBLIC_KEY", `${"g".repeat(64)}`, "Public Key"],
  ])("WHEN %s is %j THEN config names it: %s", (key, value, message) => {
    const loaded = loadConfig({ [key]: value }, CWD, PKG);
    expect(loaded.ok).toBe(false);
    if (!loaded.ok) expect(loaded.problems.join("\n")).toContain(`${key}: `);
    if (!loaded.ok) expect(loaded.problems.join("\n")).toContain(message);
  });

  it("WHEN DISCORD_PUBLIC_KEY is the portal's hex key THEN it selects HTTP interactions (kept lower-case); unset, the gateway", () => {
    const key = "AB".repeat(32);
    const loaded = loadConfig({ DISCORD_PUBLIC_KEY: ` ${key} ` }, CWD, PKG);
    expect(loaded).toMatchObject({ ok: true, config: { discordPublicKey: key.toLowerCase() } });
    const plain = loadConfig({}, CWD, PKG);
    expect(plain.ok && "discordPublicKey" in plain.config).toBe(false);
  });

  it("WHEN Discord ids are listed with spaces THEN they are split and trimmed", () => {
    const loaded = loadConfig(
      {
        DISCORD_ALLOWED_USERS: "150000000000000001, 150000000000000002",
        DISCORD_ALLOWED_ROLES: "160000000000000001",
      },
      CWD,
      PKG,
    );
    expect(loaded).toMatchObject({
      ok: true,
      config: {
        discordAllowedUsers: ["150000000000000001", "150000000000000002"],
        discordAllowedRoles: ["160000000000000001"],
      },
    });
  });

  it.each([
    ["true", true],
    ["YES", true],
    ["1", true],
    ["no", false],
    ["", false],
  ])(
    "WHEN HERMES_ALLOW_PRIVATE_URLS is %j THEN private hub URLs are allowed: %s (Hermes' reading)",
    (value, allowed) => {
      const loaded = loadConfig({ HERMES_ALLOW_PRIVATE_URLS: value }, CWD, PKG);
      expect(loaded.ok && loaded.config.allowPrivateHubUrls).toBe(allowed);
    },
  );

  it("WHEN HERMES_URL and HERMES_TOKEN are set THEN profiles are made on that Hermes", () => {
    const loaded = loadConfig(
      { HERMES_URL: " http://hermes-box:9119 ", HERMES_TOKEN: "tok-1234567" },
      CWD,
      PKG,
    );
    expect(loaded).toMatchObject({
      ok: true,
      config: { remoteHermes: { url: "http://hermes-box:9119", token: "tok-1234567" } },
    });
    const local = loadConfig({}, CWD, PKG);
    expect(local.ok && "remoteHermes" in local.config).toBe(false);
  });

  it("WHEN HERMES_HOSTS names two hosts with their tokens THEN both are configured, in order, names lower-cased", () => {
    const loaded = loadConfig(
      {
        HERMES_HOSTS: "Box=http://box:9119, lab-2=https://lab.example",
        HERMES_TOKEN_BOX: "tok-box-1234",
        HERMES_TOKEN_LAB_2: "tok-lab-5678",
      },
      CWD,
      PKG,
    );
    expect(loaded).toMatchObject({
      ok: true,
      config: {
        hermesHosts: [
          { name: "box", url: "http://box:9119", token: "tok-box-1234" },
          { name: "lab-2", url: "https://lab.example", token: "tok-lab-5678" },
        ],
      },
    });
  });

  it("WHEN HERMES_HOME and BLUEPRINT_ADAPTERS are set THEN they win", () => {
    const loaded = loadConfig(
      {
        HERMES_HOME: "~hermes",
        BLUEPRINT_ADAPTERS: "Console, console",
        TELEGRAM_BOT_TOKEN: "123456:ABCdefGHIjklMNOpqrSTUvwxYZ012345678",
      },
      CWD,
      PKG,
    );
    expect(loaded).toMatchObject({
      ok: true,
      config: { hermesHome: "/srv/bot/~hermes", adapters: ["console"] },
    });
  });

  it.each([
    [{ LOG_LEVEL: "loud" }, "LOG_LEVEL"],
    [{ BLUEPRINT_ADAPTERS: "console,slack" }, "BLUEPRINT_ADAPTERS: unknown adapter 'slack'"],
    [{ SESSION_TTL_HOURS: "-1" }, "SESSION_TTL_HOURS"],
    [{ MODEL_LIST_TIMEOUT_MS: "soon" }, "MODEL_LIST_TIMEOUT_MS"],
    [{ MODEL_SERVER_HOSTS: "loopback, 10.0.0.0/40" }, "MODEL_SERVER_HOSTS"],
    [{ INSTALL_COMMAND: "hermes skills install" }, "INSTALL_COMMAND: must contain {identifier}"],
    [{ INSTALL_CONCURRENCY: "0" }, "INSTALL_CONCURRENCY"],
    [{ INSTALL_TIMEOUT_S: "forever" }, "INSTALL_TIMEOUT_S"],
    [{ PROGRESS_MIN_INTERVAL_MS: "5" }, "PROGRESS_MIN_INTERVAL_MS"],
    [{ TELEGRAM_BOT_TOKEN: "not-a-token" }, "TELEGRAM_BOT_TOKEN: looks wrong"],
    [{ TELEGRAM_ALLOWED_USERS: "alice" }, "TELEGRAM_ALLOWED_USERS"],
    [{ HERMES_ALLOW_PRIVATE_URLS: "sure" }, "HERMES_ALLOW_PRIVATE_URLS: true/1/yes or false/0/no"],
    [{ HERMES_URL: "http://hermes-box:9119" }, "HERMES_TOKEN: set it to the session token"],
    [{ HERMES_TOKEN: "t0ken-value-123" }, "HERMES_URL: HERMES_TOKEN is set"],
    [{ HERMES_URL: "hermes-box:9119", HERMES_TOKEN: "t" }, "HERMES_URL: an http(s) URL"],
    [{ HERMES_URL: "ftp://hermes-box", HERMES_TOKEN: "t" }, "HERMES_URL: an http(s) URL"],
    // The token goes in HERMES_TOKEN, never in a URL (which ends up in logs and replies).
    [{ HERMES_URL: "http://user:secret@hermes-box:9119", HERMES_TOKEN: "t" }, "without credentials"],
    [{ HERMES_HOSTS: "box=http://box:9119" }, "HERMES_TOKEN_BOX: set it to the session token"],
    [{ HERMES_HOSTS: "box=http://box:9119", HERMES_URL: "http://x:1", HERMES_TOKEN: "t" }, "not both"],
    [{ HERMES_HOSTS: "b:x=http://box:9119", HERMES_TOKEN_B: "t" }, "is not a host name"],
    [{ HERMES_HOSTS: "box=box:9119", HERMES_TOKEN_BOX: "t" }, "HERMES_HOSTS: box: an http(s) URL"],
    [
      { HERMES_HOSTS: "box=http://a:1,box=http://b:1", HERMES_TOKEN_BOX: "t" },
      "HERMES_HOSTS: 'box' is named twice",
    ],
    [{ HERMES_HOSTS: " , " }, "HERMES_HOSTS: name=url pairs"],
  ])("WHEN %j THEN start-up stops naming %s", (env, named) => {
    const loaded = loadConfig(env, CWD, PKG);
    expect(loaded.ok).toBe(false);
    if (!loaded.ok) expect(loaded.problems.join("\n")).toContain(named);
  });
});

describe("GIVEN a CommonGround project configured", () => {
  const cg = { COMMONGROUND_URL: "http://cg-box:8000", COMMONGROUND_PROJECT: "lab" };

  it("THEN it is a target named cg with the default worker, its token optional", () => {
    const loaded = loadConfig(cg, CWD, PKG);
    expect(loaded.ok && loaded.config.commonground).toEqual({
      name: "cg",
      url: "http://cg-box:8000",
      project: "lab",
      workerTarget: "worker_generic",
    });
  });

  it("THEN a URL without a project, or a name the Hermes target beside it has, is refused with what to do", () => {
    const alone = loadConfig({ COMMONGROUND_URL: "http://cg-box:8000" }, CWD, PKG);
    expect(alone.ok ? [] : alone.problems).toEqual([
      "COMMONGROUND_PROJECT: set the project whose profiles the bot makes (its project_id)",
    ]);
    const clash = loadConfig({ ...cg, COMMONGROUND_NAME: "local" }, CWD, PKG);
    expect(clash.ok ? [] : clash.problems).toEqual([
      "COMMONGROUND_NAME: 'local' names the Hermes target beside it; give CommonGround another name",
    ]);
    const credentials = loadConfig({ ...cg, COMMONGROUND_URL: "http://u:p@cg-box:8000" }, CWD, PKG);
    expect(credentials.ok).toBe(false);
  });
});
