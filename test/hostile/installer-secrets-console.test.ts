// An installer that prints the key the wizard just wrote into the profile's .env, through the real
// start-up path: the key is typed into the console wizard, so the bot holds it; the installer's
// line reaches the status message and the session store only with the key redacted.
import { readFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { REDACTED } from "../../src/app/secrets/known-secrets.ts";
import { runCli } from "../helpers/cli.ts";
import { writeHostileHermes } from "../helpers/hostile-hermes-bin.ts";
import { recordSecret } from "../helpers/leak-ledger.ts";
import { useTempDirs } from "../helpers/temp-dir.ts";
import { consoleWizard, piped } from "../helpers/console-wizard.ts";

const tempDir = useTempDirs();
const KEY = "sk-console-installer-echo-0123456789";

describe("GIVEN a Hermes beside the bot whose installer prints the profile's .env", () => {
  it("WHEN a console Create with an OpenAI key installs a hub skill THEN the status shows the installer's line with the key redacted, and the store never holds the key", async () => {
    recordSecret(KEY);
    const data = await tempDir();
    const hermes = await writeHostileHermes(await tempDir(), {
      install: [
        'echo "Fetching: $ID"',
        'echo "Error: the key $(grep OPENAI "$HERMES_HOME/.env") was refused"',
      ],
    });
    const result = await runCli(["start"], {
      input: piped(consoleWizard({ name: "echo-bot", key: KEY, hub: "acme/agent-skills/echo" })),
      env: { DATA_DIR: data, HERMES_BIN: hermes.bin, PROGRESS_MIN_INTERVAL_MS: "200" },
    });
    expect(result.code).toBe(0);
    // The key did reach the profile, where it belongs, and the installer did print it.
    expect(await readFile(path.join(data, "hermes/profiles/echo-bot/.env"), "utf8")).toContain(KEY);
    const status = result.stdout.slice(result.stdout.lastIndexOf("━━ Hub skills for 'echo-bot' ━━"));
    expect(status).toContain(`OPENAI_API_KEY=${REDACTED} was refused`);
    expect(result.stdout).not.toContain(KEY);
    expect(result.stderr).not.toContain(KEY);
    const store = await readFile(path.join(data, "store.json"), "utf8");
    const journal = await readFile(path.join(data, "store.json.journal"), "utf8").catch(() => "");
    expect(`${store}${journal}`).toContain(REDACTED);
    expect(`${store}${journal}`).not.toContain(KEY);
  }, 90_000);
});
