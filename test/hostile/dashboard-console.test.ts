// A Hermes dashboard that lies, stalls or floods, reached by the console bot through its real
// start-up (`blueprint start` with HERMES_URL + HERMES_TOKEN): one case per problem of the issue
// "outlive every answer" and per mechanism. The bot must survive every answer (exit 0, the next
// command still answered), bound its time and memory, never repeat its token or a key it sent, never
// print raw bytes a host chose, and never leave a profile behind silently.
import { readFileSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { runCli, startCli, waitForOutput, type StartedCli } from "../helpers/cli.ts";
import { startHostileDashboard, type HostileDashboard } from "../helpers/hostile-dashboard.ts";
import { recordSecret } from "../helpers/leak-ledger.ts";
import { useTempDirs } from "../helpers/temp-dir.ts";
import { consoleWizard } from "../helpers/console-wizard.ts";
import { HOST_CATALOG_TIMEOUT_MS } from "../../src/app/backend/host-catalog.ts";

const tempDir = useTempDirs();
const TOKEN = "hostile-console-session-token-5f1c";
const KEY = "sk-or-hostile-console-key-77ab";
recordSecret(TOKEN);
recordSecret(KEY);

const fakes: HostileDashboard[] = [];
const bots: StartedCli[] = [];
afterEach(async () => {
  for (const bot of bots.splice(0)) if (bot.child.exitCode === null) bot.child.kill("SIGKILL");
  await Promise.all(fakes.splice(0).map((fake) => fake.close()));
});

async function hostileHost(): Promise<HostileDashboard> {
  const fake = await startHostileDashboard();
  fakes.push(fake);
  return fake;
}

async function botEnv(fake: HostileDashboard): Promise<Record<string, string>> {
  const data = await tempDir();
  return { DATA_DIR: data, HERMES_URL: fake.url, HERMES_TOKEN: TOKEN, HOME: path.join(data, "user-home") };
}

/** The console bot answering `lines`, then end of input: it must end as a bot does (exit 0). */
async function consoleBot(fake: HostileDashboard, lines: readonly string[]): Promise<string> {
  const result = await runCli(["start"], { input: [...lines, ""].join("\n"), env: await botEnv(fake) });
  expect(result.stderr).not.toMatch(/^\s+at /m);
  expect(result.code).toBe(0);
  const all = `${result.stdout}\n${result.stderr}`;
  for (const secret of [TOKEN, KEY]) expect(all).not.toContain(secret);
  return result.stdout;
}

/** A small wizard to Create: a name, OpenRouter's first model and its key, nothing else. */
function wizard(name: string): string[] {
  return consoleWizard({ name, provider: "OpenRouter", model: "1", key: KEY });
}

/** Resident memory of a running process, in MB: now (VmRSS) and its peak so far (VmHWM). */
function rssMb(pid: number): { now: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? "0");
  return { now: Math.round(kb("VmRSS") / 1024), peak: Math.round(kb("VmHWM") / 1024) };
}

describe("GIVEN the console bot and a Hermes host whose answer breaks, stalls or floods (problems 1-3)", () => {
  it("WHEN the connection is reset mid-body THEN the bot says so, stays up, and the next commands and a wizard still work", async () => {
    const fake = await hostileHost();
    fake.hostile("GET /api/profiles", { kind: "reset mid-body" });
    const out = await consoleBot(fake, [
      "/profile list",
      "/profile list",
      "/profile new",
      "reset-ok",
      "Cancel",
    ]);
    const broke = `✗ Hermes at ${fake.host} broke off its answer`;
    expect(out.split("\n").filter((line) => line.startsWith(broke))).toHaveLength(2);
    // Each read was tried the bounded three times, then given up as a value.
    expect(fake.requests.filter((seen) => seen.path === "/api/profiles").length).toBeGreaterThanOrEqual(6);
    // The listing failed, yet the wizard (which lists too) shows its first step and takes the name.
    expect(out).toContain("Step 1/7 · Identity");
    expect(out).toContain("reset-ok");
  }, 60_000);

  it("WHEN the first answer trickles a byte a second without end THEN the deadline of the whole exchange ends it, the retry is answered, and the list arrives", async () => {
    const fake = await hostileHost();
    fake.hostile("GET /api/profiles", { kind: "trickle", text: '{"profiles": [', endless: true }, 1);
    const out = await consoleBot(fake, ["/profile list"]);
    expect(out).toContain(`No profiles yet on ${fake.host}.`);
    // The trickle was cut by the deadline, and the one retry got the honest answer.
    expect(fake.requests.filter((seen) => seen.path === "/api/profiles")).toHaveLength(2);
  }, 60_000);

  it("WHEN a listing is a 600 MB chunked body THEN the read stops at the 4 MiB cap, the bot says the answer is too large, and its memory stays bounded", async () => {
    const fake = await hostileHost();
    fake.hostile("GET /api/profiles", { kind: "flood", bytes: 600 * 1024 * 1024 });
    const bot = startCli(["start"], await botEnv(fake));
    bots.push(bot);
    await waitForOutput(bot, "Type /profile new to start");
    const before = rssMb(bot.child.pid ?? 0);
    bot.child.stdin.write("/profile list\n");
    await waitForOutput(bot, `✗ Something at ${fake.host} answered with more than 4 MiB`);
    const after = rssMb(bot.child.pid ?? 0);
    console.log(
      `[rss] console bot under a 600 MB chunked listing: ${before.now} MB before, ${after.now} MB after, peak ${after.peak} MB (baseline peak ${before.peak} MB)`,
    );
    expect(after.peak - before.now).toBeLessThan(200);
    bot.child.stdin.write("/profile list\n");
    await waitForOutput(bot, "✗ Something at", 30_000);
    bot.child.stdin.end();
    expect(await bot.closed).toBe(0);
    expect(bot.output()).not.toContain(TOKEN);
  }, 120_000);
});

describe("GIVEN the console bot and a Hermes host that accepts connections and never answers (problem 7)", () => {
  it("WHEN /profile new is typed THEN step 1 comes after the stated wait with a note naming the slow host", async () => {
    const fake = await hostileHost();
    fake.hostile("GET /api/profiles", { kind: "silent" });
    const bot = startCli(["start"], await botEnv(fake));
    bots.push(bot);
    await waitForOutput(bot, "Type /profile new to start");
    bot.child.stdin.write("/profile new\n");
    // The old bot waited for 3 tries × 15 s before showing step 1: the note comes after 2 s.
    await waitForOutput(
      bot,
      `ℹ Hermes at ${fake.host} is slow: it has not listed its profiles within 2 s, so this step went on with the names known so far.`,
      20_000,
    );
    expect(bot.output()).toContain("Step 1/7 · Identity");
    bot.child.stdin.write("slow-host\n");
    await waitForOutput(bot, "slow-host", 20_000);
    bot.child.stdin.write("Cancel\n");
    await fake.close();
    fakes.splice(0);
    bot.child.stdin.end();
    expect(await bot.closed).toBe(0);
    expect(bot.output()).not.toContain(TOKEN);
  }, 120_000);
});

describe("GIVEN the console bot and a Hermes host that never answers its profile listing (problem 7, Create)", () => {
  it("WHEN the whole wizard is answered THEN its steps go on without the listing, but Create's own name check waits for it and refuses: nothing is created", async () => {
    const fake = await hostileHost();
    fake.hostile("GET /api/profiles", { kind: "silent" });
    const bot = startCli(["start"], await botEnv(fake));
    bots.push(bot);
    bot.child.stdin.write([...wizard("never-listed"), ""].join("\n"));
    // Create waits for the listing's stated worst case (3 tries of 15 s), then refuses.
    await waitForOutput(bot, `✗ Nothing was created on ${fake.host}:`, 90_000);
    // The bot would wait for a listing started after Create too; the host going away ends it.
    await fake.close();
    fakes.splice(0);
    bot.child.stdin.end();
    expect(await bot.closed).toBe(0);
    const out = bot.output();
    expect(out).not.toContain(TOKEN);
    expect(out).not.toContain(KEY);
    expect(out).toContain(`ℹ Hermes at ${fake.host} is slow: it has not listed its profiles within 2 s`);
    expect(out).toContain(`✗ Hermes at ${fake.host} did not answer in 15 s.`);
    expect(fake.requests.some((seen) => seen.method === "POST")).toBe(false);
  }, 120_000);
});

describe("GIVEN the console bot and a Hermes host that echoes what it was sent (problem 4)", () => {
  it("WHEN its errors quote the session token THEN no reply holds the token, and they say [redacted] instead", async () => {
    const fake = await hostileHost();
    const echo = (seen: { token: string | undefined }) => `token ${seen.token ?? ""} is not allowed here`;
    fake.hostile("GET /api/profiles", { kind: "echo", status: 403, detail: echo });
    const out = await consoleBot(fake, ["/profile list", ...wizard("echo-token")]);
    expect(out).toContain(
      `✗ Hermes at ${fake.host} does not allow this (403): token [redacted] is not allowed here.`,
    );
    expect(out).toContain(`✗ Nothing was created on ${fake.host}:`);
    expect(fake.requests.some((seen) => seen.token === TOKEN)).toBe(true);
  }, 60_000);

  it("WHEN /persona apply is refused with an error that echoes the token THEN the refusal is quoted with the token redacted", async () => {
    const fake = await hostileHost();
    fake.profiles = [{ name: "default", is_default: true }, { name: "target" }];
    fake.hostile("PUT /api/config/raw", {
      kind: "echo",
      status: 500,
      detail: (seen) => `config write denied for session ${seen.token ?? ""}`,
    });
    const out = await consoleBot(fake, ["/persona apply design-ux-architect target"]);
    expect(out).toContain(`Hermes at ${fake.host} failed (500): config write denied for session [redacted]`);
    expect(fake.requests.some((seen) => seen.method === "PUT" && seen.path === "/api/config/raw")).toBe(true);
  }, 60_000);

  it("WHEN writing a key fails with an error that echoes the body THEN the report holds neither the key nor the token, and the half-made profile is deleted", async () => {
    const fake = await hostileHost();
    fake.hostile("PUT /api/env", {
      kind: "echo",
      status: 500,
      detail: (seen) => `cannot store ${seen.body} (session ${seen.token ?? ""})`,
    });
    const out = await consoleBot(fake, wizard("echo-key"));
    expect(out).toContain(`.env OPENROUTER_API_KEY: Hermes at ${fake.host} failed (500): cannot store`);
    expect(out).toContain("[redacted]");
    expect(out).toContain("The half-made profile 'echo-key' was deleted again");
    expect(fake.requests.some((seen) => seen.body.includes(KEY))).toBe(true);
  }, 60_000);
});

describe("GIVEN the console bot and a Hermes host that lists names no Hermes makes (problem 6)", () => {
  it("WHEN names carry escapes, a line break or 100 KB THEN they are skipped with a note, and no raw byte reaches the screen", async () => {
    const fake = await hostileHost();
    fake.profiles = [
      { name: "default", is_default: true },
      { name: "good-one", description: "\u001b]0;pwned\u0007fine \u001b[2Jtext\u202e", model: "m\u0007" },
      { name: "\u001b[2J\u001b]0;owned\u0007evil" },
      { name: "admin\n✓ Profile 'admin' created on everything." },
      { name: "x".repeat(100_000) },
      { name: 42 },
    ];
    const out = await consoleBot(fake, ["/profile list", "/profile show good-one"]);
    expect(out).toContain(`1 profile(s) on ${fake.host}:`);
    expect(out).toContain("• good-one");
    expect(out).toContain(`(4 entries from ${fake.host} skipped: not a profile name Hermes allows)`);
    expect(out).not.toContain("✓ Profile 'admin' created");
    expect(out).not.toContain("x".repeat(1000));
    // eslint-disable-next-line no-control-regex -- no control or bidi character may reach the terminal
    expect(out).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e]/);
  }, 60_000);
});

describe("GIVEN the console bot and a create whose answer cannot be read (problem 10)", () => {
  it("WHEN Hermes made the profile but answered malformed JSON THEN the bot lists, finds it, deletes it again and says so; the create was sent once", async () => {
    const fake = await hostileHost();
    fake.hostile("POST /api/profiles", { kind: "raw", status: 200, body: '{"ok": tru' });
    const out = await consoleBot(fake, wizard("garbled-create"));
    expect(out).toContain(`✗ Nothing was created on ${fake.host}:`);
    expect(out).toContain(
      "Hermes had made the profile 'garbled-create' although its answer could not be read; it was deleted again, nothing was kept.",
    );
    expect(
      fake.requests.filter((seen) => seen.method === "POST" && seen.path === "/api/profiles"),
    ).toHaveLength(1);
    expect(
      fake.requests.some((seen) => seen.method === "DELETE" && seen.path === "/api/profiles/garbled-create"),
    ).toBe(true);
    expect(fake.profiles.map((entry) => (entry as { name: string }).name)).not.toContain("garbled-create");
  }, 60_000);

  it("WHEN the answer breaks off and deleting fails too THEN the report says the profile exists on that host and how to remove it", async () => {
    const fake = await hostileHost();
    fake.hostile("POST /api/profiles", { kind: "reset mid-body" });
    fake.hostile("DELETE /api/profiles/left-behind", {
      kind: "raw",
      status: 500,
      body: '{"detail":"disk busy"}',
    });
    const out = await consoleBot(fake, wizard("left-behind"));
    expect(out).toContain(`Hermes at ${fake.host} broke off its answer`);
    expect(out).toContain(
      `The profile 'left-behind' exists on ${fake.host} (Hermes made it, but its answer could not be read), and deleting it failed`,
    );
    expect(out).toContain("Remove it with /profile delete left-behind.");
    expect(
      fake.requests.filter((seen) => seen.method === "POST" && seen.path === "/api/profiles"),
    ).toHaveLength(1);
  }, 60_000);
});

describe("GIVEN `blueprint doctor` and a Hermes host that echoes the token", () => {
  it("WHEN the dashboard check quotes the host's error THEN the token is redacted", async () => {
    const fake = await hostileHost();
    fake.hostile("GET /api/profiles", {
      kind: "echo",
      status: 500,
      detail: (seen) => `upstream rejected ${seen.token ?? ""}`,
    });
    const result = await runCli(["doctor"], { env: await botEnv(fake) });
    const all = `${result.stdout}\n${result.stderr}`;
    expect(all).toContain(`Hermes at ${fake.host} failed (500): upstream rejected [redacted]`);
    expect(all).not.toContain(TOKEN);
  }, 60_000);
});

describe("GIVEN the console bot and a Hermes host that never answers for its skills and garbles its MCP catalog", () => {
  it("WHEN the wizard is answered THEN each step offers the bot's list and says why in one line, and Create still makes the profile", async () => {
    const fake = await hostileHost();
    fake.hostile("GET /api/skills", { kind: "silent" });
    fake.hostile("GET /api/mcp/catalog", { kind: "raw", status: 200, body: '{"entries": "\u001b[2J"}' });
    const out = await consoleBot(fake, wizard("bots-lists"));
    const why = `did not answer in ${HOST_CATALOG_TIMEOUT_MS / 1000} s)`;
    const builtin = out.split("\n").find((line) => line.includes("Built-in skills: this bot's list ("));
    expect(builtin).toContain(why);
    expect(builtin).toContain(`Hermes on ${fake.host} may have others.`);
    expect(out).toContain(
      `MCP catalog: this bot's list (${fake.host} did not give its own: Something at ${fake.host} answered, but not as Hermes' dashboard does); Hermes on ${fake.host} may have others.`,
    );
    expect(out).toContain(`Optional skills: this bot's list; Hermes on ${fake.host} may have others.`);
    expect(out).not.toContain("\u001b[2J");
    expect(out).toContain(`Profile 'bots-lists' created on ${fake.host}.`);
    // The host was asked once for the whole wizard (its silence is remembered for a while).
    expect(fake.requests.filter((seen) => seen.path === "/api/skills" && seen.method === "GET").length).toBe(
      1,
    );
  }, 60_000);
});
