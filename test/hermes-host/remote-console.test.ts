// The console bot (`npm start`, piped) with only HERMES_URL and HERMES_TOKEN: the profile is made by
// the real Hermes 0.19 behind `hermes serve`, and the same judge as the local conformance tests
// reads it in that Hermes' home. Then list, show, persona apply and delete, each through the
// dashboard and each naming the host; the bot's own Hermes home is never written.
import { access, readFile, writeFile } from "node:fs/promises";
import { parse as parseYaml } from "yaml";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { loadPersonas } from "../../src/app/persona/persona-loader.ts";
import { REPO_ROOT, runCli, startCli, waitForOutput } from "../helpers/cli.ts";
import { hermesOk, personality, profileList, skillsList } from "../helpers/hermes.ts";
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

describe("GIVEN a profile on the Hermes host and a console bot reaching it only over the dashboard", () => {
  it("WHEN it is listed, shown, given a persona and deleted THEN each goes through Hermes, names the host, and Hermes agrees", async () => {
    const data = await tempDir();
    const { host } = new URL(remote().url);
    await hermesOk(remote().home, ["profile", "create", "managed", "--no-alias"]);
    await hermesOk(remote().home, ["-p", "managed", "config", "set", "model.default", "gpt-4.1"]);
    const result = await runCli(["start"], {
      input: [
        "/profile list",
        "/profile show managed",
        "/persona apply research-analyst managed",
        "/persona status managed",
        "/profile show ghost",
        "",
      ].join("\n"),
      env: remoteBotEnv(data, remote()),
    });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(new RegExp(`\\d+ profile\\(s\\) on ${host.replace(/\./g, "\\.")}:`));
    expect(result.stdout).toContain("• managed — gpt-4.1");
    expect(result.stdout).toContain(`Profile 'managed' on ${host}`);
    expect(result.stdout).toContain(`to profile 'managed' on ${host}.`);
    expect(result.stdout).toContain(`Profile 'managed' on ${host}: active persona research-analyst.`);
    expect(result.stdout).toContain(`There is no profile 'ghost' on ${host}.`);
    // Hermes itself starts a session of that profile with the persona's prompt.
    const resolved = await personality(remote().home, path.join(remote().home, "profiles/managed"));
    const body = (await loadPersonas(path.join(REPO_ROOT, "library/personas"))).library.get(
      "research-analyst",
    )?.body;
    expect(resolved.active).toBe("research-analyst");
    expect(resolved.startupPrompt).toBe(body);

    const deleting = startCli(["start"], remoteBotEnv(await tempDir(), remote()));
    deleting.child.stdin.write("/profile delete managed\n");
    await waitForOutput(deleting, "Delete managed");
    deleting.child.stdin.write("Delete managed\n");
    await waitForOutput(deleting, `Deleted profile 'managed' on ${host}.`);
    deleting.child.stdin.end();
    expect(await deleting.closed).toBe(0);
    expect(await profileList(remote().home)).not.toContain("managed");
  }, 120_000);
});

describe("GIVEN `blueprint doctor` with HERMES_URL and HERMES_TOKEN", () => {
  it("WHEN the dashboard answers THEN doctor says so and skips the local Hermes home; with a wrong token it names the token as the problem", async () => {
    const data = await tempDir();
    const { host } = new URL(remote().url);
    const good = await runCli(["doctor"], { env: remoteBotEnv(data, remote()) });
    expect(good.stdout).toMatch(
      new RegExp(`✓ \\d+\\. Hermes dashboard: ${host.replace(/\./g, "\\.")} answers and accepts the token`),
    );
    expect(good.stdout).toContain(
      `– 2. Hermes home: profiles are made by the Hermes at ${host} (HERMES_URL)`,
    );
    await expect(access(path.join(data, "hermes"))).rejects.toThrow();
    const bad = await runCli(["doctor"], {
      env: { ...remoteBotEnv(data, remote()), HERMES_TOKEN: "wrong-token-for-doctor" },
    });
    expect(bad.code).toBe(3);
    expect(bad.stdout).toMatch(/✗ \d+\. Hermes dashboard: Hermes at .* refused the token \(401\)/);
    expect(bad.stdout).toContain("to do: set HERMES_TOKEN to the HERMES_DASHBOARD_SESSION_TOKEN");
    for (const out of [good.stdout, bad.stdout]) {
      expect(out).not.toContain(TOKEN);
      expect(out).not.toContain("wrong-token-for-doctor");
    }
  }, 60_000);
});

describe("GIVEN the console wizard's hub search with a Hermes host", () => {
  it("WHEN the user searches the hub THEN the host's Hermes answers from its own sources (a skill only it has), and the hit picked is installed there", async () => {
    const data = await tempDir();
    const bot = startCli(["start"], remoteBotEnv(data, remote()));
    const steps: (string | { until: string })[] = [
      "/profile new",
      "searched",
      "Next",
      "OpenRouter",
      "1",
      "sk-or-remote-search-1",
      { until: "Skills · built-in" },
      "Optional skills",
      "Hub skills",
      "Search the hub",
      // arxiv-digest is in the host's official tree only: the bot's own hub has no such skill.
      "arxiv",
      { until: "found for “arxiv”" },
      "arxiv-digest",
      { until: "Hub skills: official/research/arxiv-digest" },
      "back",
      "done",
      "MCP servers",
      "Next",
      "No persona",
      "Create",
      { until: "Finished:" },
    ];
    for (const step of steps) {
      if (typeof step === "string") bot.child.stdin.write(`${step}\n`);
      else await waitForOutput(bot, step.until, 90_000);
    }
    bot.child.stdin.end();
    expect(await bot.closed).toBe(0);
    expect(bot.output()).toContain("arxiv-digest · builtin");
    expect(bot.output()).toContain("✓ official/research/arxiv-digest: installed — research/arxiv-digest");
    const listed = await skillsList(remote().home, "searched");
    expect(listed.find((skill) => skill.name === "arxiv-digest")).toMatchObject({ source: "official" });
  }, 180_000);
});

describe("GIVEN a profile on the Hermes host with a Telegram bot token and section", () => {
  it("WHEN `create --from` clones it there THEN Hermes' clone keeps the rest, but the platform token and section are removed, as on this machine", async () => {
    const data = await tempDir();
    const home = remote().home;
    await hermesOk(home, ["profile", "create", "gateway-src", "--no-alias"]);
    const source = path.join(home, "profiles/gateway-src");
    await writeFile(
      path.join(source, ".env"),
      "OPENROUTER_API_KEY=sk-or-remote-clone-keep-1\nTELEGRAM_BOT_TOKEN=123456:remote-clone-drop-token\n",
    );
    await writeFile(
      path.join(source, "config.yaml"),
      "model:\n  provider: openrouter\n  default: anthropic/claude-sonnet-4\ntelegram:\n  allowed_users: [1]\n",
    );
    const blueprint = path.join(data, "clone.yaml");
    await writeFile(blueprint, "name: gateway-clone\nclone_from: gateway-src\n");
    const created = await runCli(["create", "--from", blueprint], { env: remoteBotEnv(data, remote()) });
    expect(created.code).toBe(0);
    const report = JSON.parse(created.stdout) as { steps: { step: string; detail: string }[] };
    expect(report.steps.find((entry) => entry.step === "clone")?.detail).toContain(
      "platform settings removed: TELEGRAM_BOT_TOKEN",
    );
    const clone = path.join(home, "profiles/gateway-clone");
    const env = await readFile(path.join(clone, ".env"), "utf8");
    expect(env).toContain("OPENROUTER_API_KEY=sk-or-remote-clone-keep-1");
    expect(env).not.toContain("remote-clone-drop-token");
    const config = parseYaml(await readFile(path.join(clone, "config.yaml"), "utf8")) as Record<
      string,
      unknown
    >;
    expect(config["telegram"]).toBeUndefined();
    expect(config["model"]).toMatchObject({ default: "anthropic/claude-sonnet-4" });
  }, 60_000);
});
