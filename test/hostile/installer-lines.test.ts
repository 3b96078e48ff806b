// Problem 11 of the hostile-answers issue: an installer's lines reach chats and reports. C1 controls
// (U+009B, the 8-bit CSI; U+0085) and bidi overrides (U+202E) must be gone as the project's own
// disallowed-character table says, through the real start-up path; and a secret the bot holds (a key
// it just wrote into the profile's .env, which the installer can read) must never be repeated.
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { installCommandFor } from "../../src/app/install/install-command-template.ts";
import { InstallQueue } from "../../src/app/install/install-queue.ts";
import { LocalInstallExecutor } from "../../src/app/install/local-install-executor.ts";
import { KnownSecrets, REDACTED } from "../../src/app/known-secrets.ts";
import { SessionStore } from "../../src/app/session-store.ts";
import { renderInstallStatus } from "../../src/core/install/status-view.ts";
import { runCli } from "../helpers/cli.ts";
import { writeHostileHermes } from "../helpers/hostile-hermes-bin.ts";
import { recordArtifact, recordSecret } from "../helpers/leak-ledger.ts";
import { memoryLogger } from "../helpers/silent-logger.ts";
import { useTempDirs } from "../helpers/temp-dir.ts";
import { ALICE } from "../helpers/wizard-driver.ts";

const tempDir = useTempDirs();
const stores: SessionStore[] = [];
afterEach(async () => {
  await Promise.all(stores.splice(0).map((store) => store.flush()));
});

/** C1 (8-bit CSI + "2J" clears a screen; NEL breaks a line) and a right-to-left override. */
const HOSTILE_LINE = String.raw`printf 'Error: \302\2332J screen \342\200\256reversed\302\205 forged line\n'`;
const C1_AND_BIDI = /[\u0080-\u009f\u202a-\u202e\u2066-\u2069]/;

describe("GIVEN an installer that prints C1 controls and bidi overrides", () => {
  it("WHEN a console Create runs it THEN the status lines carry none of them", async () => {
    const data = await tempDir();
    const hermes = await writeHostileHermes(await tempDir(), { install: [HOSTILE_LINE] });
    const input = [
      "/profile new",
      "bidi",
      "Next",
      "OpenAI",
      "gpt-4.1",
      "skip",
      "Optional skills",
      "Hub skills",
      "acme/agent-skills/bidi-line",
      "done",
      "Next",
      "No persona",
      "Create",
      "",
    ].join("\n");
    const result = await runCli(["start"], {
      input,
      env: { DATA_DIR: data, HERMES_BIN: hermes.bin, PROGRESS_MIN_INTERVAL_MS: "200" },
    });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("✗ acme/agent-skills/bidi-line: failed — 2J screen reversed forged line");
    expect(result.stdout).not.toMatch(C1_AND_BIDI);
  }, 60_000);
});

describe("GIVEN an installer that prints the key the bot just wrote into the profile", () => {
  it("WHEN the install queue knows the bot's secrets THEN the status shows the line with the key redacted", async () => {
    const key = "sk-installer-echoes-this-key-0001";
    recordSecret(key);
    const hermes = await writeHostileHermes(await tempDir(), {
      // It reads the key where Hermes would: the profile's .env.
      install: [
        'echo "Fetching: $ID"',
        'echo "Error: bad key $(grep OPENAI "$HERMES_HOME/.env") in $HERMES_HOME"',
      ],
    });
    const dir = await tempDir();
    const profilesRoot = path.join(dir, "profiles");
    await mkdir(path.join(profilesRoot, "p1"), { recursive: true });
    await writeFile(path.join(profilesRoot, "p1/.env"), `OPENAI_API_KEY=${key}\n`, { mode: 0o600 });
    const store = await SessionStore.open(path.join(dir, "store.json"), memoryLogger().logger, {
      flushDelayMs: 5,
    });
    stores.push(store);
    const queue = new InstallQueue({
      store,
      executor: new LocalInstallExecutor(installCommandFor({}, { bin: hermes.bin }), profilesRoot),
      concurrency: 1,
      timeoutMs: 10_000,
      logger: memoryLogger().logger,
      secrets: new KnownSecrets([key]),
      onChange: () => undefined,
    });
    const group = queue.start(ALICE, "console", "c", "p1", ["acme/agent-skills/echo-key"]);
    await queue.idle();
    const ended = store.getInstallGroup(group.id);
    const shown = JSON.stringify(ended);
    recordArtifact("install status", renderInstallStatus(ended ?? group).body.join("\n"));
    expect(shown).not.toContain(key);
    expect(ended?.jobs[0]).toMatchObject({
      status: "failed",
      detail: `bad key OPENAI_API_KEY=${REDACTED} in ${path.join(profilesRoot, "p1")}`,
    });
  });
});
