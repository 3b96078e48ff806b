// Problem 12 of the hostile-answers issue: no Hermes subprocess the bot starts — the discovery
// probe, `hermes skills search`, `hermes skills install`, doctor's `hermes --version` — may see the
// bot's platform or dashboard tokens. The Hermes here writes the environment of every call to a
// file; the bot runs through its real start-up path (`blueprint start`, `blueprint doctor`).
import path from "node:path";
import { describe, expect, it } from "vitest";
import { runCli, startCli, waitForOutput, type StartedCli } from "../helpers/cli.ts";
import { writeHostileHermes } from "../helpers/hostile-hermes-bin.ts";
import { recordSecret } from "../helpers/leak-ledger.ts";
import { useTempDirs } from "../helpers/temp-dir.ts";

const tempDir = useTempDirs();

const TOKENS = {
  TELEGRAM_BOT_TOKEN: "123456:AAenvTESTtelegramTOKENnever-seen-1",
  DISCORD_TOKEN: "MTAxMjM0NTY3ODkwMTIzNDU2.GaBcDe.envTESTdiscordTOKENneverSeen01",
  HERMES_TOKEN_SPARE: "env-test-spare-host-token-0001",
  HERMES_DASHBOARD_SESSION_TOKEN: "env-test-dashboard-session-0001",
};
for (const token of Object.values(TOKENS)) recordSecret(token);

const HIT = {
  name: "env-probe",
  identifier: "acme/agent-skills/env-probe",
  source: "github",
  trust_level: "community",
  description: "records what it was given",
};

async function converse(bot: StartedCli, steps: readonly (string | { until: string })[]): Promise<void> {
  for (const step of steps) {
    if (typeof step === "string") bot.child.stdin.write(`${step}\n`);
    else await waitForOutput(bot, step.until, 30_000);
  }
}

function expectNoToken(environments: readonly { env: string }[]): void {
  for (const { env: environment } of environments) {
    for (const [key, token] of Object.entries(TOKENS)) {
      expect(environment).not.toContain(token);
      expect(environment).not.toMatch(new RegExp(`^${key}=`, "m"));
    }
  }
}

describe("GIVEN the bot started with platform and dashboard tokens in its environment and a Hermes beside it", () => {
  it("WHEN it starts, searches Hermes' hub and installs through Hermes THEN none of those subprocesses saw a token", async () => {
    const data = await tempDir();
    const hermes = await writeHostileHermes(await tempDir(), {
      search: [`echo '${JSON.stringify([HIT])}'`],
      install: ['node "$RECORD_LOCK" "${ID##*/}" "$ID"', 'echo "Installed: ${ID##*/}"'],
    });
    const bot = startCli(["start"], {
      DATA_DIR: data,
      HERMES_BIN: hermes.bin,
      BLUEPRINT_ADAPTERS: "console",
      PROGRESS_MIN_INTERVAL_MS: "200",
      ...TOKENS,
    });
    await converse(bot, [
      "/profile new",
      "env-bot",
      "Next",
      "OpenAI",
      "gpt-4.1",
      "skip",
      "Optional skills",
      "Hub skills",
      "Search the hub",
      "probe",
      { until: "1 found for “probe”" },
      "env-probe",
      { until: `Hub skills: ${HIT.identifier}` },
      "back",
      "done",
      "MCP servers",
      "Next",
      "No persona",
      "Create",
      { until: "Finished:" },
    ]);
    bot.child.stdin.end();
    expect(await bot.closed).toBe(0);
    expect(bot.output()).toContain(`✓ ${HIT.identifier}: installed`);
    const environments = await hermes.environments();
    // Each ran, and wrote what it was given: the installer with HERMES_HOME set to the profile.
    expect(new Set(environments.map(({ call }) => call))).toEqual(
      new Set(["probe", "skills search", "skills install"]),
    );
    const install = environments.find(({ call }) => call === "skills install");
    expect(install?.env).toContain(`HERMES_HOME=${path.join(data, "hermes/profiles/env-bot")}`);
    expectNoToken(environments);
  }, 60_000);

  it("WHEN doctor checks a Hermes install command THEN its `hermes --version` and the probe saw no token", async () => {
    const data = await tempDir();
    const hermes = await writeHostileHermes(await tempDir(), {});
    await runCli(["doctor"], {
      env: {
        DATA_DIR: data,
        HERMES_BIN: hermes.bin,
        INSTALL_COMMAND: `${hermes.bin} skills install {identifier} --yes`,
        BLUEPRINT_ADAPTERS: "console",
        ...TOKENS,
      },
    });
    const environments = await hermes.environments();
    // The probe and `--version`.
    expect(new Set(environments.map(({ call }) => call))).toEqual(new Set(["probe", "other"]));
    expectNoToken(environments);
  }, 60_000);
});
