// The real Hermes judges `/profile edit` in the console (piped, as `npm start` runs it): a profile
// made from the conformance blueprint gets another model and loses an MCP server through the
// editor; Hermes then reads exactly that, and the parts not edited keep their bytes.
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.ts";
import { loadSoulMd, skillsList } from "../helpers/hermes.ts";
import { piped } from "../helpers/console-wizard.ts";
import { recordSecret } from "../helpers/leak-ledger.ts";
import { useTempDirs } from "../helpers/temp-dir.ts";
import { expectHermesAgrees, hermesOfficialRow, wizardTarget, wizardTargetBlueprint } from "./judge.ts";

const tempDir = useTempDirs();
const OPENROUTER_KEY = "sk-or-conformance-edit-1";
const GITHUB_KEY = "ghp-conformance-edit-2";
const ANTHROPIC_KEY = "sk-ant-conformance-edit-3";
for (const key of [OPENROUTER_KEY, GITHUB_KEY, ANTHROPIC_KEY]) recordSecret(key);

const BLUEPRINT = wizardTargetBlueprint("edit-console");

let official: { source: string; trust: string };
beforeAll(async () => {
  official = await hermesOfficialRow(path.join(await tempDir(), "hermes"));
}, 120_000);

describe("GIVEN the real Hermes 0.19 as the judge of /profile edit", () => {
  it("WHEN the console editor changes the model and removes a server THEN Hermes reads exactly that and the rest keeps its bytes", async () => {
    const data = await tempDir();
    const home = path.join(data, "hermes");
    const env = { DATA_DIR: data, HERMES_HOME: home };
    const file = path.join(data, "blueprint.yaml");
    await writeFile(file, BLUEPRINT);
    const created = await runCli(["create", "--from", file], {
      env: { ...env, OPENROUTER_API_KEY: OPENROUTER_KEY, GITHUB_TOKEN: GITHUB_KEY },
    });
    expect(created.code).toBe(0);
    const config = path.join(home, "profiles", "edit-console", "config.yaml");
    const before = await readFile(config, "utf8");

    const result = await runCli(["start"], {
      env,
      input: piped([
        "/profile edit edit-console",
        "Edit model",
        "Anthropic",
        "claude-sonnet-4-20250514",
        ANTHROPIC_KEY,
        "Edit MCP",
        "github",
        "Next",
        "Apply",
      ]),
    });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("━━ Profile updated ━━");
    expect(result.stdout).toContain(
      "~ model changed: openrouter/anthropic/claude-sonnet-4 → anthropic/claude-sonnet-4-20250514",
    );
    expect(result.stdout).toContain("- MCP server 'github' removed");
    expect(result.stdout).toContain("+ key ANTHROPIC_API_KEY added: set");
    expect(result.stdout).not.toContain(ANTHROPIC_KEY);

    await expectHermesAgrees(
      home,
      {
        ...wizardTarget("edit-console"),
        model: "claude-sonnet-4-20250514",
        provider: "anthropic",
        mcpServers: ["fetch"],
        // An edit never deletes a key: the removed server's key stays for whoever set it.
        envSet: ["ANTHROPIC_API_KEY", "GITHUB_TOKEN", "OPENROUTER_API_KEY"],
      },
      official,
    );
    // Only the model lines and the github entry changed; the persona and skills blocks are the same bytes.
    const after = await readFile(config, "utf8");
    const githubBlock = /\n {2}github:\n(?: {4}.*\n)+/.exec(before)?.[0] ?? "missing";
    expect(after).toBe(
      before
        .replace("provider: openrouter", "provider: anthropic")
        .replace("default: anthropic/claude-sonnet-4\n", "default: claude-sonnet-4-20250514\n")
        .replace(githubBlock, "\n"),
    );
  }, 240_000);

  it("WHEN the identity text is written on a new profile and changed in the editor THEN Hermes' prompt builder starts sessions with each text", async () => {
    const data = await tempDir();
    const home = path.join(data, "hermes");
    const env = { DATA_DIR: data, HERMES_HOME: home };
    const first = ["# Reviewer", "", "You review pull requests.", "Say what you are unsure of."];
    const created = await runCli(["start"], {
      env,
      input: piped([
        "/profile new",
        "souly",
        "Identity text",
        ...first,
        ".",
        "Use this text",
        "Next",
        "OpenAI",
        "gpt-4.1",
        "skip",
        "Optional skills",
        "Hub skills",
        "done",
        "MCP servers",
        "Next",
        "No persona",
        "Create",
      ]),
    });
    expect(created.stdout).toContain("✓ SOUL.md: from the blueprint");
    const dir = path.join(home, "profiles", "souly");
    const soul = async () => ({ soul: await loadSoulMd(home, dir) });
    expect(await soul()).toEqual({ soul: first.join("\n") });

    // Telegram-style: a text arriving in two parts is joined by a line break.
    const edited = await runCli(["start"], {
      env,
      input: piped([
        "/profile edit souly",
        "Edit identity",
        "Identity text",
        "You are Souly.",
        ".",
        "Be brief.",
        ".",
        "Use this text",
        "Next",
        "Apply",
      ]),
    });
    expect(edited.stdout).toContain("~ identity text (SOUL.md) changed: 24 characters");
    expect(edited.stdout).toContain("new sessions (and /new) get the change");
    expect(await soul()).toEqual({ soul: "You are Souly.\nBe brief." });
  }, 120_000);

  it("WHEN /profile install adds an optional and a hub skill to a profile that exists THEN Hermes lists both as its own official installs", async () => {
    const data = await tempDir();
    const home = path.join(data, "hermes");
    const env = { DATA_DIR: data, HERMES_HOME: home };
    const file = path.join(data, "blueprint.yaml");
    await writeFile(file, "name: later\nmodel: { provider: openrouter, model: anthropic/claude-sonnet-4 }\n");
    expect((await runCli(["create", "--from", file], { env })).code).toBe(0);
    const result = await runCli(["start"], {
      env,
      input: piped([
        "/profile install later devops/docker-debug",
        "/profile install later official/security/password-audit",
        "/profile install later ../etc",
      ]),
    });
    expect(result.stdout).toContain("Optional skill devops/docker-debug copied into profile 'later'.");
    expect(result.stdout).toContain("✓ official/security/password-audit: installed");
    expect(result.stdout).toContain("'../etc' is neither one of the library's optional skills");
    const hub = (await skillsList(home, "later")).filter((skill) => skill.source !== "builtin");
    expect(hub.map((skill) => skill.name).sort()).toEqual(["docker-debug", "password-audit"]);
    for (const skill of hub) expect(skill).toMatchObject({ ...official, enabled: true });
  }, 120_000);
});
