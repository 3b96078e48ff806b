// Editing a profile that lives on a Hermes host, judged by that Hermes (the real pinned `hermes
// serve` on loopback): the console editor, `blueprint apply --from` and `/profile keys` reach it only
// through the dashboard API. Review says what the host cannot do; Hermes then reads exactly the new
// state; a change made on the host meanwhile refuses the Apply; a host that stops answering mid-Apply
// gets a report of the parts that reached it; Undo puts back what the Apply changed.
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { parse as parseYaml } from "yaml";
import { beforeAll, describe, expect, it } from "vitest";
import { runCli, startCli, waitForOutput } from "../helpers/cli.ts";
import { piped } from "../helpers/console-wizard.ts";
import { startForwardingProxy } from "../helpers/forwarding-proxy.ts";
import { hermesOk, loadSoulMd, skillsList } from "../helpers/hermes.ts";
import { recordSecret } from "../helpers/leak-ledger.ts";
import { remoteBotEnv, useRemoteHermes } from "../helpers/remote-hermes.ts";
import { useTempDirs } from "../helpers/temp-dir.ts";
import {
  expectHermesAgrees,
  hermesOfficialRow,
  wizardTarget,
  createTargetOnHost,
} from "../conformance/judge.ts";

const tempDir = useTempDirs();
const TOKEN = "remote-edit-session-token-7c21";
const OPENROUTER_KEY = "sk-or-remote-edit-1";
const GITHUB_KEY = "ghp-remote-edit-2";
const ANTHROPIC_KEY = "sk-ant-remote-edit-3";
for (const key of [OPENROUTER_KEY, GITHUB_KEY, ANTHROPIC_KEY]) recordSecret(key);
const remote = useRemoteHermes(TOKEN);

let official: { source: string; trust: string };
beforeAll(async () => {
  official = await hermesOfficialRow(path.join(await tempDir(), "hermes"));
}, 120_000);

/** A profile made on the host from the conformance blueprint, through the bot (`create --from`). */
async function createOnHost(name: string): Promise<{ data: string; env: Record<string, string> }> {
  const keys = { OPENROUTER_API_KEY: OPENROUTER_KEY, GITHUB_TOKEN: GITHUB_KEY };
  return createTargetOnHost(remote(), await tempDir(), name, keys);
}

/** The host profile's config.yaml as Hermes has it. */
async function hostConfig(name: string): Promise<Record<string, unknown>> {
  const text = await hermesOk(remote().home, ["-p", name, "config", "path"]);
  const file = text.trim().split("\n").at(-1) ?? "";
  return parseYaml(await readFile(file, "utf8")) as Record<string, unknown>;
}

/** Hermes' own identity slot for a profile of the host: agent/prompt_builder.py load_soul_md. */
async function hostSoul(name: string): Promise<string | null> {
  const dir = path.join(remote().home, "profiles", name);
  return loadSoulMd(remote().home, dir);
}

describe("GIVEN a profile on a Hermes host and a console bot reaching it only over the dashboard", () => {
  it("WHEN the editor changes the model, removes a server and writes the identity text THEN Review names the host's limits, and Hermes on the host reads exactly the new state", async () => {
    const { env } = await createOnHost("host-edit");
    const { host } = new URL(remote().url);
    const result = await runCli(["start"], {
      env,
      input: piped([
        "/profile edit host-edit",
        "Edit model",
        "Anthropic",
        "claude-sonnet-4-20250514",
        ANTHROPIC_KEY,
        "Edit MCP",
        "github",
        "Next",
        "Edit identity",
        "Identity text",
        "You are Hosted.",
        ".",
        "Use this text",
        "Next",
        "Apply",
        "/profile keys host-edit",
      ]),
    });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(
      `on ${host}, Hermes' dashboard writes config.yaml anew on Apply: comments in it are not kept`,
    );
    // The hub skills this host lists by name only are left as they are, and the Review says so.
    expect(result.stdout).toContain("hub skill(s) 'docker-debug', 'password-audit' are kept as they are");
    expect(result.stdout).toContain("━━ Profile updated ━━");
    expect(result.stdout).toContain(
      "~ model changed: openrouter/anthropic/claude-sonnet-4 → anthropic/claude-sonnet-4-20250514",
    );
    expect(result.stdout).toContain("- MCP server 'github' removed");
    expect(result.stdout).toContain("+ key ANTHROPIC_API_KEY added: set");
    expect(result.stdout).toContain("• ANTHROPIC_API_KEY: set — provider anthropic");
    for (const secret of [ANTHROPIC_KEY, OPENROUTER_KEY, GITHUB_KEY, TOKEN]) {
      expect(result.stdout).not.toContain(secret);
      expect(result.stderr).not.toContain(secret);
    }
    await expectHermesAgrees(
      remote().home,
      {
        ...wizardTarget("host-edit"),
        model: "claude-sonnet-4-20250514",
        provider: "anthropic",
        mcpServers: ["fetch"],
        envSet: ["ANTHROPIC_API_KEY", "GITHUB_TOKEN", "OPENROUTER_API_KEY"],
      },
      official,
    );
    expect(await hostSoul("host-edit")).toBe("You are Hosted.");
  }, 300_000);

  it("WHEN the profile is changed on the host while the editor is open THEN Apply is refused and names what changed; Undo after an Apply puts the old text back", async () => {
    const { env } = await createOnHost("host-race");
    const { host } = new URL(remote().url);
    const bot = startCli(["start"], env);
    try {
      bot.child.stdin.write("/profile edit host-race\n");
      await waitForOutput(bot, "Apply");
      await hermesOk(remote().home, ["-p", "host-race", "config", "set", "agent.max_turns", "7"]);
      bot.child.stdin.write("Edit identity\nIdentity text\nYou are Raced.\n.\nUse this text\nNext\nApply\n");
      await waitForOutput(bot, "Not applied:");
      expect(bot.output()).toContain(
        `the profile changed on ${host} since the editor read it (config.yaml); nothing was written`,
      );
      expect(await hostSoul("host-race")).not.toBe("You are Raced.");

      const before = await hostSoul("host-race");
      bot.child.stdin.write(
        "/profile edit host-race\nEdit identity\nIdentity text\nYou are Undone soon.\n.\nUse this text\nNext\nApply\n",
      );
      await waitForOutput(bot, "Undo this edit of profile 'host-race'?");
      expect(await hostSoul("host-race")).toBe("You are Undone soon.");
      // The edit kept the change made on the host meanwhile (the editor read it again).
      expect((await hostConfig("host-race"))["agent"]).toMatchObject({ max_turns: 7 });
      bot.child.stdin.write("Undo\n");
      // The identity text above contains "Undone" too: wait for the undo's own reply.
      await waitForOutput(bot, "Undone on profile 'host-race'");
      expect(await hostSoul("host-race")).toBe(before);
    } finally {
      bot.child.stdin.end();
      await bot.closed;
    }
  }, 300_000);

  it("WHEN the host stops answering mid-Apply THEN the reply names the parts that reached it and the one that did not, and Hermes has exactly those", async () => {
    const { data } = await createOnHost("host-cut");
    const proxy = await startForwardingProxy(() => remote().url);
    const { host } = new URL(proxy.url);
    proxy.badGateway("PUT /api/config/raw");
    const result = await runCli(["start"], {
      env: { ...remoteBotEnv(data, remote()), HERMES_URL: proxy.url },
      input: piped([
        "/profile edit host-cut",
        "Edit model",
        "OpenAI",
        "gpt-4.1",
        "skip",
        "Edit identity",
        "Identity text",
        "You are Cut.",
        ".",
        "Use this text",
        "Next",
        "Apply",
      ]),
    });
    expect(result.stdout).toContain(
      `Not applied: config.yaml could not be written on ${host} (Hermes at ${host} failed (502).`,
    );
    expect(result.stdout).toContain("already written there: SOUL.md");
    // What reached the host is there; the model, in config.yaml, is as it was.
    expect(await hostSoul("host-cut")).toBe("You are Cut.");
    expect((await hostConfig("host-cut"))["model"]).toMatchObject({
      provider: "openrouter",
      default: "anthropic/claude-sonnet-4",
    });
  }, 300_000);
});

describe("GIVEN a profile on a Hermes host and `blueprint apply --from` with only HERMES_URL and HERMES_TOKEN", () => {
  it("WHEN a file is applied, dry run first, then twice THEN the dry run writes nothing, the apply is read by Hermes, and the second finds no change", async () => {
    const { data, env } = await createOnHost("host-apply");
    const file = path.join(data, "edited.yaml");
    await writeFile(
      file,
      [
        "name: host-apply",
        "description: Edited through the dashboard",
        "model: { provider: openrouter, model: openai/gpt-4.1 }",
        "skills:",
        "  builtin: [productivity/meeting-notes, code-review]",
        "toolsets: [web, skills, memory]",
        "",
      ].join("\n"),
    );
    const configBefore = await hostConfig("host-apply");
    const dry = await runCli(["apply", "--from", file, "--dry-run"], { env });
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toContain(
      "~ model changed: openrouter/anthropic/claude-sonnet-4 → openrouter/openai/gpt-4.1",
    );
    expect(dry.stdout).toContain("- built-in skill 'task-planning' removed: switched off");
    expect(dry.stdout).toContain("Dry run: nothing was written.");
    expect(await hostConfig("host-apply")).toEqual(configBefore);

    const applied = await runCli(["apply", "--from", file], { env });
    expect(applied.code, applied.stderr).toBe(0);
    const { host } = new URL(remote().url);
    expect(applied.stdout).toContain(`Applied to profile 'host-apply' on ${host}`);
    await expectHermesAgrees(
      remote().home,
      {
        ...wizardTarget("host-apply"),
        model: "openai/gpt-4.1",
        builtinEnabled: ["code-review", "meeting-notes"],
        builtinDisabled: [
          "git-workflow",
          "memory-hygiene",
          "summarize-sources",
          "task-planning",
          "web-research",
        ],
        toolsets: ["memory", "skills", "web"],
      },
      official,
    );
    // The toolsets reached the host's config.yaml: Hermes there resolves exactly them.
    expect(applied.stdout).toContain(
      "~ toolsets on 22 platforms changed: clarify, memory, session_search, skills, todo, web → memory, skills, web",
    );
    const tools = await hermesOk(remote().home, [
      "-p",
      "host-apply",
      "tools",
      "list",
      "--platform",
      "telegram",
    ]);
    const enabled = tools
      .split("\n")
      .flatMap((line) => /^\s*✓ enabled\s+(\S+)/.exec(line)?.[1] ?? [])
      .sort();
    expect(enabled).toEqual(["memory", "skills", "web"]);
    const again = await runCli(["apply", "--from", file], { env });
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain("No changes: the profile already matches.");
    // The hub skills the file does not list stay switched on: the host names them only.
    const hub = (await skillsList(remote().home, "host-apply")).filter((skill) => skill.source !== "builtin");
    for (const skill of hub) expect(skill.enabled).toBe(true);
  }, 300_000);
});

describe("GIVEN a profile on a Hermes host and `blueprint key` with only HERMES_URL and HERMES_TOKEN", () => {
  it("WHEN a key is listed, set from stdin and deleted THEN the host's .env follows, and no value is ever printed", async () => {
    const { env } = await createOnHost("host-keys");
    const { host } = new URL(remote().url);
    const envFile = path.join(remote().home, "profiles", "host-keys", ".env");
    const listed = await runCli(["key", "list", "host-keys"], { env });
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stdout).toContain(`Keys of profile 'host-keys' on ${host}:`);
    expect(listed.stdout).toContain("• OPENROUTER_API_KEY: set — provider openrouter");
    expect(listed.stdout).toContain("• GITHUB_TOKEN: set — MCP server github");

    const rotated = "sk-or-remote-edit-rotated-4";
    recordSecret(rotated);
    const set = await runCli(["key", "set", "host-keys", "OPENROUTER_API_KEY"], {
      env,
      input: `${rotated}\n`,
    });
    expect(set.code, set.stderr).toBe(0);
    expect(set.stdout).toContain(
      `Replaced OPENROUTER_API_KEY in the .env of profile 'host-keys' on ${host}.`,
    );
    expect(set.stdout).not.toContain(rotated);
    expect(await readFile(envFile, "utf8")).toContain(`OPENROUTER_API_KEY=${rotated}`);

    const deleted = await runCli(["key", "delete", "host-keys", "GITHUB_TOKEN"], { env });
    expect(deleted.code, deleted.stderr).toBe(0);
    expect(deleted.stdout).toContain(`Deleted GITHUB_TOKEN from the .env of profile 'host-keys' on ${host}.`);
    expect(await readFile(envFile, "utf8")).not.toMatch(/^GITHUB_TOKEN=/m);
    const again = await runCli(["key", "delete", "host-keys", "GITHUB_TOKEN"], { env });
    expect(again.stdout).toContain("GITHUB_TOKEN is not set in the .env of profile 'host-keys'");
    const ghost = await runCli(["key", "list", "ghost"], { env });
    expect(ghost.code).not.toBe(0);
    expect(ghost.stderr).toContain("There is no profile 'ghost'.");
  }, 300_000);
});
