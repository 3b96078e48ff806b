// Problem 11 of the hostile-answers issue, secrets: an installer runs with the profile's .env (where
// the bot has just written the keys) and may print them. Every line it prints passes the bot's
// KnownSecrets before it is kept or shown.
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { installCommandFor } from "../../src/app/install/install-command-template.ts";
import { InstallQueue } from "../../src/app/install/install-queue.ts";
import { LocalInstallExecutor } from "../../src/app/install/local-install-executor.ts";
import { KnownSecrets, REDACTED } from "../../src/app/secrets/known-secrets.ts";
import { BotStore } from "../../src/app/store/bot-store.ts";
import { renderInstallStatus } from "../../src/core/install/status-view.ts";
import { writeHostileHermes } from "../helpers/hostile-hermes-bin.ts";
import { recordArtifact, recordSecret } from "../helpers/leak-ledger.ts";
import { memoryLogger } from "../helpers/silent-logger.ts";
import { useTempDirs } from "../helpers/temp-dir.ts";
import { ALICE } from "../helpers/wizard-driver.ts";

const tempDir = useTempDirs();
const stores: BotStore[] = [];
afterEach(async () => {
  await Promise.all(stores.splice(0).map((store) => store.flush()));
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
    const store = await BotStore.open(path.join(dir, "store.json"), memoryLogger().logger, {
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
    const group = await queue.start(ALICE, "console", "c", "p1", ["acme/agent-skills/echo-key"]);
    await queue.idle();
    const ended = await store.getInstallGroup(group.id);
    const shown = JSON.stringify(ended);
    recordArtifact("install status", renderInstallStatus(ended ?? group).body.join("\n"));
    expect(shown).not.toContain(key);
    expect(ended?.jobs[0]).toMatchObject({
      status: "failed",
      detail: `bad key OPENAI_API_KEY=${REDACTED} in ${path.join(profilesRoot, "p1")}`,
    });
  });
});
