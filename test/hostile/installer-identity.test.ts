// Problem 5 of the hostile-answers issue: an installer that prints "Could not fetch 'X'" and then
// "Installed: <a skill already there>" (or "already installed" for it) has installed nothing, and
// the bot must say so. Run through the real start-up path (`blueprint start` on the console, and
// the Telegram bot as `npm start` launches it) with a Hermes that lies as HERMES_BIN.
import { readFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.ts";
import { writeHostileHermes } from "../helpers/hostile-hermes-bin.ts";
import { storedCollections } from "../helpers/store-files.ts";
import { useBots } from "../helpers/bot-fixture.ts";
import { press, say, waitFor } from "../helpers/telegram-bot.ts";
import { consoleWizard } from "../helpers/console-wizard.ts";

const bots = useBots();
const tempDir = bots.tempDir;

const REAL = "acme/agent-skills/real-one";
const LIED = "official/security/password-audit";
const CLAIMED = "official/security/already-there";

/** Installs REAL truly (recorded in lock.json as Hermes records it); lies about the other two. */
const LYING_INSTALLER = [
  'case "$ID" in',
  "  *password-audit)",
  '    echo "Fetching: $ID"',
  "    echo \"Error: Could not fetch '$ID' from any source.\"",
  '    echo "Installed: real-one" ;;',
  "  *already-there)",
  '    echo "Fetching: $ID"',
  "    echo \"Warning: 'real-one' is already installed at real-one\" ;;",
  "  *)",
  '    node "$RECORD_LOCK" "${ID##*/}" "$ID"',
  '    echo "Fetching: $ID"',
  '    echo "Installed: ${ID##*/}" ;;',
  "esac",
];

const WIZARD = (hub: string) => consoleWizard({ name: "liar", hub });

async function lockNames(data: string, profile: string): Promise<string[]> {
  const file = path.join(data, "hermes/profiles", profile, "skills/.hub/lock.json");
  const lock = JSON.parse(await readFile(file, "utf8")) as { installed: Record<string, unknown> };
  return Object.keys(lock.installed);
}

describe("GIVEN a Hermes beside the bot whose installer claims skills it did not install", () => {
  it("WHEN a console Create installs one skill truly and two by false claims THEN only the true one is done; the others fail with the installer's own words", async () => {
    const data = await tempDir();
    const hermes = await writeHostileHermes(await tempDir(), { install: LYING_INSTALLER });
    const result = await runCli(["start"], {
      input: [...WIZARD(`${REAL} ${LIED} ${CLAIMED}`), ""].join("\n"),
      env: { DATA_DIR: data, HERMES_BIN: hermes.bin, PROGRESS_MIN_INTERVAL_MS: "200" },
    });
    expect(result.code).toBe(0);
    const stdout = result.stdout;
    const finalStatus = stdout.slice(stdout.lastIndexOf("━━ Hub skills for 'liar' ━━"));
    expect(finalStatus).toContain(`✓ ${REAL}: installed — real-one`);
    expect(finalStatus).toMatch(
      new RegExp(`✗ ${LIED}: failed — .*it said "Error: Could not fetch '${LIED}' from any source\\."`),
    );
    expect(finalStatus).toMatch(
      new RegExp(`✗ ${CLAIMED}: failed — .*it said "Warning: 'real-one' is already`),
    );
    expect(finalStatus).toContain("Finished: 1 installed, 2 not.");
    const installs = (storedCollections(data)?.["installs"] ?? {}) as Record<
      string,
      { jobs: { identifier: string; status: string }[] }
    >;
    expect(Object.values(installs)[0]?.jobs.map((job) => [job.identifier, job.status])).toEqual([
      [REAL, "done"],
      [LIED, "failed"],
      [CLAIMED, "failed"],
    ]);
    expect(await lockNames(data, "liar")).toEqual(["real-one"]);
  }, 60_000);

  it("WHEN the same Create runs on Telegram THEN the status message says the false claims failed", async () => {
    const data = await tempDir();
    const hermes = await writeHostileHermes(await tempDir(), { install: LYING_INSTALLER });
    const alice = { id: 1001, first_name: "Alice", username: "alice" };
    const dm = { id: alice.id, type: "private" as const };
    const { fake } = await bots.telegram({
      data,
      allowedUsers: [alice.id],
      progressMinIntervalMs: 200,
      env: { HERMES_BIN: hermes.bin },
    });
    await say(fake, alice, dm, "/profile_new");
    await say(fake, alice, dm, "liar-tg");
    for (const label of ["Next", "Ollama"]) await press(fake, alice, alice.id, label);
    await say(fake, alice, dm, "http://127.0.0.1:9/v1");
    await waitFor(() =>
      fake.botMessages(alice.id).some((message) => message.text.includes("Could not list models")),
    );
    for (const label of ["llama3.2", "Optional skills", "Hub skills"])
      await press(fake, alice, alice.id, label);
    await say(fake, alice, dm, `${REAL} ${LIED} ${CLAIMED}`);
    for (const label of ["Done", "MCP servers", "Next", "No persona", "✓ Create"])
      await press(fake, alice, alice.id, label);
    const status = () =>
      fake.botMessages(alice.id).find((message) => message.text.startsWith("Hub skills for 'liar-tg'"))
        ?.text ?? "";
    await waitFor(() => status().includes("Finished:"), 30_000);
    expect(status()).toContain(`✓ ${REAL}: installed — real-one`);
    expect(status()).toContain(`✗ ${LIED}: failed`);
    expect(status()).toContain(`Could not fetch '${LIED}'`);
    expect(status()).toContain(`✗ ${CLAIMED}: failed`);
    expect(status()).toContain("Finished: 1 installed, 2 not.");
    expect(await lockNames(data, "liar-tg")).toEqual(["real-one"]);
  }, 60_000);
});
