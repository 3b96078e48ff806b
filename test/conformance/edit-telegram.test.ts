// The real Hermes judges what the Telegram editor writes: a profile made by `blueprint create --from`
// (the wizard's conformance target), opened with /profile_edit in the bot started as `npm start`
// starts it, its github MCP server and its persona taken away, applied. Hermes reads exactly the
// edited profile; config.yaml is edited in place (its version and the untouched fetch entry keep
// their bytes); the github key stays in .env (an edit never deletes a key).
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import type { FakeUser } from "../fakes/fake-telegram.ts";
import { runCli } from "../helpers/cli.ts";
import { recordSecret } from "../helpers/leak-ledger.ts";
import {
  press,
  say,
  startTelegramBot,
  waitFor,
  wizardText,
  type RunningTelegramBot,
} from "../helpers/telegram-bot.ts";
import { useTempDirs } from "../helpers/temp-dir.ts";
import { expectHermesAgrees, hermesOfficialRow, wizardTarget, wizardTargetBlueprint } from "./judge.ts";

const tempDir = useTempDirs();
const ALICE: FakeUser = { id: 4343, first_name: "Alice", username: "alice" };
const ALICE_DM = { id: ALICE.id, type: "private" as const };
const NAME = "edit-telegram";
const OPENROUTER_KEY = "sk-or-conformance-edit-telegram-1";
const GITHUB_KEY = "ghp-conformance-edit-telegram-2";
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

const running: RunningTelegramBot[] = [];
afterEach(async () => {
  for (const bot of running.splice(0)) await bot.close();
});

let official: { source: string; trust: string };
beforeAll(async () => {
  official = await hermesOfficialRow(path.join(await tempDir(), "hermes"));
}, 120_000);

describe("GIVEN the real Hermes 0.19 as the judge of the Telegram editor", () => {
  it("WHEN /profile_edit takes the github server and the persona off a bot-made profile and applies THEN Hermes reads exactly the edited profile and config.yaml keeps every other byte", async () => {
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

    const bot = await startTelegramBot({ data, allowedUsers: [ALICE.id], progressMinIntervalMs: 200 });
    running.push(bot);
    const { fake } = bot;
    const tap = (label: string) => press(fake, ALICE, ALICE.id, label);
    const buttons = () =>
      (fake.lastBotMessage(ALICE.id, true)?.reply_markup?.inline_keyboard ?? []).flat().map((b) => b.text);

    await say(fake, ALICE, ALICE_DM, `/profile_edit ${NAME}`);
    expect(wizardText(fake, ALICE.id)).toContain(`Edit profile '${NAME}'`);
    expect(wizardText(fake, ALICE.id)).toContain("No changes yet");
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

    await tap("Edit MCP");
    expect(buttons()).toContain("✓ fetch");
    await tap("✓ github 🔑");
    await tap("Next");
    expect(wizardText(fake, ALICE.id)).toContain(`Edit profile '${NAME}'`);
    expect(wizardText(fake, ALICE.id)).toContain("- MCP server 'github' removed");
    expect(buttons()).toContain("✓ Apply");

    await tap("Edit persona");
    await tap("No persona");
    expect(wizardText(fake, ALICE.id)).toContain(`Edit profile '${NAME}'`);
    expect(wizardText(fake, ALICE.id)).toContain("- persona 'engineering-security-engineer' removed");
    await tap("✓ Apply");
    const report = () =>
      fake.botMessages(ALICE.id).find((message) => /Profile updated|Profile not changed/.test(message.text));
    await waitFor(() => report() !== undefined, 15_000);
    const text = report()?.text ?? "";
    expect(text).toContain("Profile updated");
    expect(text).toContain("- MCP server 'github' removed");
    expect(text).toContain("- persona 'engineering-security-engineer' removed");
    expect(text).not.toContain("model changed");
    expect(text).not.toContain("skill");
    expect(JSON.stringify(fake.calls.filter((call) => call.method !== "getUpdates"))).not.toContain(data);

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
