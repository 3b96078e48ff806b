// The console bot (`npm start`, piped) with only HERMES_URL and HERMES_TOKEN: the profile is made by
// the real Hermes 0.19 behind `hermes serve`, and the same judge as the local conformance tests
// reads it in that Hermes' home. Then list, show, persona apply and delete, each through the
// dashboard and each naming the host; the bot's own Hermes home is never written.
import { access } from "node:fs/promises";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.ts";
import { profileList } from "../helpers/hermes.ts";
import { remoteBotEnv, useRemoteHermes } from "../helpers/remote-hermes.ts";
import { useTempDirs } from "../helpers/temp-dir.ts";
import { storeFilesText } from "../helpers/store-files.ts";
import {
  expectHermesAgrees,
  hermesOfficialRow,
  wizardConsoleScript,
  wizardTarget,
} from "../conformance/judge.ts";

const tempDir = useTempDirs();
const TOKEN = "remote-console-session-token-51be";
const OPENROUTER_KEY = "sk-or-remote-console-1";
const GITHUB_KEY = "ghp-remote-console-2";
const remote = useRemoteHermes(TOKEN);

let official: { source: string; trust: string };
beforeAll(async () => {
  official = await hermesOfficialRow(path.join(await tempDir(), "hermes"));
}, 120_000);

describe("GIVEN a console bot configured with only a Hermes dashboard URL and token", () => {
  it("WHEN the wizard creates a profile THEN Hermes on that host made it as the user chose, with installs followed to their end, and the bot's own home is untouched", async () => {
    const data = await tempDir();
    const { host } = new URL(remote().url);
    const result = await runCli(["start"], {
      input: [...wizardConsoleScript("conform-remote", OPENROUTER_KEY, GITHUB_KEY), ""].join("\n"),
      env: remoteBotEnv(data, remote()),
    });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`Created by Hermes on ${host} through its dashboard.`);
    expect(result.stdout).toContain(`Profile 'conform-remote' created on ${host}.`);
    expect(result.stdout).toContain("✓ persona: engineering-security-engineer v1.0.0");
    expect(result.stdout).toContain("✓ official/devops/docker-debug: installed");
    expect(result.stdout).toContain("✓ official/security/password-audit: installed");
    expect(result.stdout).toContain("Finished: 2 installed, 0 not.");
    for (const secret of [OPENROUTER_KEY, GITHUB_KEY, TOKEN]) {
      expect(result.stdout).not.toContain(secret);
      expect(result.stderr).not.toContain(secret);
      expect(storeFilesText(data)).not.toContain(secret);
    }
    await expect(access(path.join(data, "hermes/profiles"))).rejects.toThrow();
    await expectHermesAgrees(remote().home, wizardTarget("conform-remote"), official);
  }, 180_000);
});
