// The real Hermes judges what the Discord editor writes: a profile made by `blueprint create --from`
// (the wizard's conformance target), opened with `/profile edit name:` in the bot started as
// `npm start` starts it (an unmodified discord.js client against the local fake Discord), its github MCP server and its persona taken away, applied. Hermes reads exactly the
// edited profile; config.yaml is edited in place (its version and the untouched fetch entry keep
// their bytes); the github key stays in .env (an edit never deletes a key).
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { FakeDiscord, GENERAL, type FakeUser } from "../fakes/discord/fake-discord.ts";
import { runCli } from "../helpers/cli.ts";
import { DiscordTester, startDiscordBot, useDiscordBots } from "../helpers/discord-bot.ts";
import { recordSecret } from "../helpers/leak-ledger.ts";
import { useTempDirs } from "../helpers/temp-dir.ts";
import { expectHermesAgrees, hermesOfficialRow, wizardTarget, wizardTargetBlueprint } from "./judge.ts";

const tempDir = useTempDirs();
const ALICE: FakeUser = { id: "150000000000000043", username: "alice" };
const NAME = "edit-discord";
const OPENROUTER_KEY = "sk-or-conformance-edit-discord-1";
const GITHUB_KEY = "ghp-conformance-edit-discord-2";
recordSecret(OPENROUTER_KEY);
recordSecret(GITHUB_KEY);

/** The wizard's conformance target as a file (as in apply-from-file.test.ts), under its own name. */
const TARGET = wizardTargetBlueprint(NAME);

/** The `fetch:` entry under `mcp_servers:` of a config.yaml, as text (up to the next entry or key). */
function fetchBlock(config: string): string {
  const match = /^ {2}fetch:\n(?: {4,}.*\n)+/m.exec(config);
  if (!match) throw new Error(`no fetch entry in:\n${config}`);
  return match[0];
}

const track = useDiscordBots();

let official: { source: string; trust: string };
beforeAll(async () => {
  official = await hermesOfficialRow(path.join(await tempDir(), "hermes"));
}, 120_000);

describe("GIVEN the real Hermes 0.19 as the judge of the Discord editor", () => {
  it("WHEN /profile edit takes the github server and the persona off a bot-made profile and applies THEN Hermes reads exactly the edited profile and config.yaml keeps every other byte", async () => {
    const data = await tempDir();
    const home = path.join(data, "hermes");
    await writeFile(path.join(data, "target.yaml"), TARGET);
    const created = await runCli(["create", "--from", path.join(data, "target.yaml")], {
      env: {
        DATA_DIR: data,
        HERMES_HOME: home,
        OPENROUTER_API_KEY: OPENROUTER_KEY,
        GITHUB_TOKEN: GITHUB_KEY,
      },
    });
    expect(created.code, created.stdout + created.stderr).toBe(0);
    const dir = path.join(home, "profiles", NAME);
    const configBefore = await readFile(path.join(dir, "config.yaml"), "utf8");
    const versionLine = /^_config_version:.*$/m.exec(configBefore)?.[0];
    expect(versionLine).toBeDefined();
    const fetchBefore = fetchBlock(configBefore);
    const envBefore = await readFile(path.join(dir, ".env"), "utf8");
    expect(envBefore).toContain(`GITHUB_TOKEN=${GITHUB_KEY}`);

    const fake = new FakeDiscord();
    await fake.start();
    const bot = await startDiscordBot({ data, fake, allowedUsers: [ALICE.id], progressMinIntervalMs: 200 });
    track(bot, fake);
    const alice = new DiscordTester(fake, ALICE, GENERAL);
    const buttons = () =>
      alice.message.components.flatMap((row) =>
        ((row["components"] as Record<string, unknown>[] | undefined) ?? [])
          .filter((item) => item["type"] === 2)
          .map((item) => String(item["label"])),
      );

    const opened = await alice.command("profile edit", { name: NAME });
    alice.wizard = opened.messageId;
    expect(alice.message.content).toContain(`Edit profile '${NAME}'`);
    expect(alice.message.content).toContain("No changes yet");
    expect(buttons()).toEqual(
      expect.arrayContaining([
        "Edit identity",
        "Edit model",
        "Edit skills",
        "Edit MCP",
        "Edit persona",
        "✖ Cancel",
      ]),
    );
    expect(buttons()).not.toContain("✓ Apply");

    await alice.press("Edit MCP");
    const menu = alice.menu()["options"] as { label: string; default?: boolean }[];
    expect(menu.filter((option) => option.default).map((option) => option.label)).toEqual([
      "fetch",
      "github 🔑",
    ]);
    await alice.choose("fetch");
    await alice.press("Next");
    expect(alice.message.content).toContain(`Edit profile '${NAME}'`);
    expect(alice.message.content).toContain("- MCP server 'github' removed");
    expect(buttons()).toContain("✓ Apply");

    await alice.press("Edit persona");
    await alice.press("No persona");
    expect(alice.message.content).toContain(`Edit profile '${NAME}'`);
    expect(alice.message.content).toContain("- persona 'engineering-security-engineer' removed");
    await alice.press("✓ Apply");
    await fake.until(
      () => /Profile updated|Profile not changed/.test(alice.message.content),
      15_000,
      "the apply",
    );
    const text = alice.message.content;
    expect(text).toContain("Profile updated");
    expect(text).toContain("- MCP server 'github' removed");
    expect(text).toContain("- persona 'engineering-security-engineer' removed");
    expect(text).not.toContain("model changed");
    expect(text).not.toContain("skill");
    expect(fake.violations).toEqual([]);
    expect(fake.transcript()).not.toContain(data);

    const configAfter = await readFile(path.join(dir, "config.yaml"), "utf8");
    expect(configAfter).not.toBe(configBefore);
    expect(/^_config_version:.*$/m.exec(configAfter)?.[0]).toBe(versionLine);
    expect(fetchBlock(configAfter)).toBe(fetchBefore);
    expect(configAfter).not.toMatch(/^ {2}github:/m);
    // The removed server's key stays: an edit never deletes a key.
    expect(await readFile(path.join(dir, ".env"), "utf8")).toBe(envBefore);

    await expectHermesAgrees(
      home,
      {
        ...wizardTarget(NAME),
        mcpServers: ["fetch"],
        envSet: ["GITHUB_TOKEN", "OPENROUTER_API_KEY"],
        persona: undefined,
      },
      official,
    );
  }, 240_000);
});
