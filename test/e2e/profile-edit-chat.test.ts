// `/profile_edit` in the Telegram bot (started as `npm start` starts it, against the local Bot API)
// on profiles made by `blueprint create --from` in the bot's own data folder: only the owner of an
// editor presses its buttons; a profile changed on disk after the editor read it is not
// overwritten; a chat bound with /profile_use edits only its own profile; an unknown name opens
// nothing; Cancel writes nothing.
import { readFile, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { FakeTelegram, FakeUser } from "../fakes/fake-telegram.ts";
import { useBots } from "../helpers/bot-fixture.ts";
import { runCli } from "../helpers/cli.ts";
import { recordSecret } from "../helpers/leak-ledger.ts";
import { press, say, waitFor, wizardText, type RunningTelegramBot } from "../helpers/telegram-bot.ts";

const bots = useBots();
const ALICE: FakeUser = { id: 1101, first_name: "Alice", username: "alice" };
const BOB: FakeUser = { id: 1102, first_name: "Bob", username: "bob" };
const ALICE_DM = { id: ALICE.id, type: "private" as const };
const GROUP = { id: -5105, type: "group" as const };
const ANTHROPIC_KEY = "sk-ant-edit-chat-e2e-1";
recordSecret(ANTHROPIC_KEY);

const blueprint = (name: string) => `name: ${name}
description: Made from a file
model: { provider: anthropic, model: claude-sonnet-4-20250514 }
mcp_servers:
  - { name: fetch, command: uvx, args: [mcp-server-fetch] }
`;

/** A data folder with these profiles made by `blueprint create --from`, and the bot on it. */
async function botWithProfiles(...names: string[]): Promise<{ bot: RunningTelegramBot; home: string }> {
  const data = await bots.tempDir();
  const home = path.join(data, "hermes");
  for (const name of names) {
    const file = path.join(data, `${name}.yaml`);
    await writeFile(file, blueprint(name));
    const created = await runCli(["create", "--from", file], {
      env: { DATA_DIR: data, HERMES_HOME: home, ANTHROPIC_API_KEY: ANTHROPIC_KEY },
    });
    expect(created.code, created.stdout + created.stderr).toBe(0);
  }
  const bot = await bots.telegram({ data, allowedUsers: [ALICE.id, BOB.id] });
  return { bot, home };
}

const configOf = (home: string, name: string) => path.join(home, "profiles", name, "config.yaml");

const labels = (fake: FakeTelegram, chatId: number): string[] =>
  (fake.lastBotMessage(chatId, true)?.reply_markup?.inline_keyboard ?? [])
    .flat()
    .map((button) => button.text);

/** The newest bot message in the chat whose text matches (the wizard's last screen has no keyboard). */
const lastMatching = (fake: FakeTelegram, chatId: number, pattern: RegExp): string | undefined =>
  fake
    .botMessages(chatId)
    .filter((message) => pattern.test(message.text))
    .at(-1)?.text;

/** On the edit screen: takes the fetch server off, so that Apply is offered. */
async function removeFetch(fake: FakeTelegram, user: FakeUser, chatId: number): Promise<void> {
  await press(fake, user, chatId, "Edit MCP");
  await press(fake, user, chatId, "✓ fetch");
  await press(fake, user, chatId, "Next");
  expect(wizardText(fake, chatId)).toContain("- MCP server 'fetch' removed");
  expect(labels(fake, chatId)).toContain("✓ Apply");
}

describe("GIVEN the Telegram bot and profiles made by blueprint create --from", () => {
  it("WHEN another allowed member presses the owner's edit buttons in a group THEN each press is refused with a toast and nothing changes", async () => {
    const { bot, home } = await botWithProfiles("a");
    const { fake } = bot;
    const config = await readFile(configOf(home, "a"), "utf8");
    await say(fake, ALICE, GROUP, "/profile_edit@blueprint_test_bot a");
    expect(wizardText(fake, GROUP.id)).toContain("Edit profile 'a'");
    await removeFetch(fake, ALICE, GROUP.id);
    const before = wizardText(fake, GROUP.id);

    for (const label of ["✓ Apply", "Edit model", "✖ Cancel"]) {
      const query = await press(fake, BOB, GROUP.id, label);
      expect(fake.callbackAnswers.get(query)?.text).toBe(
        "Only @alice can press these buttons. Start your own with /profile new.",
      );
      expect(wizardText(fake, GROUP.id)).toBe(before);
    }
    expect(fake.botMessages(GROUP.id).some((message) => /Profile updated|Cancelled/.test(message.text))).toBe(
      false,
    );
    expect(await readFile(configOf(home, "a"), "utf8")).toBe(config);
    // The owner's editor still works after the refused presses.
    await press(fake, ALICE, GROUP.id, "✓ Apply");
    await waitFor(() => lastMatching(fake, GROUP.id, /Profile updated/) !== undefined, 10_000);
    expect(await readFile(configOf(home, "a"), "utf8")).not.toMatch(/^ {2}fetch:/m);
  });

  it("WHEN config.yaml changes on disk after the editor read it THEN Apply is refused and the file keeps what was written there", async () => {
    const { bot, home } = await botWithProfiles("a");
    const { fake } = bot;
    await say(fake, ALICE, ALICE_DM, "/profile_edit a");
    expect(wizardText(fake, ALICE.id)).toContain("Edit profile 'a'");
    await removeFetch(fake, ALICE, ALICE.id);
    const handText = `${await readFile(configOf(home, "a"), "utf8")}# edited by hand meanwhile\n`;
    await writeFile(configOf(home, "a"), handText);

    await press(fake, ALICE, ALICE.id, "✓ Apply");
    await waitFor(() => lastMatching(fake, ALICE.id, /Profile updated|Profile not changed/) !== undefined);
    const report = lastMatching(fake, ALICE.id, /Profile updated|Profile not changed/) ?? "";
    expect(report).toContain("Profile not changed");
    expect(report).toContain(
      "Not applied: the profile changed since the editor read it (config.yaml); nothing was written.",
    );
    expect(report).not.toContain("Profile updated");
    expect(await readFile(configOf(home, "a"), "utf8")).toBe(handText);
  });

  it("WHEN a chat is bound with /profile_use a THEN /profile_edit b is refused naming 'a', and /profile_edit alone opens the editor for 'a'", async () => {
    const { bot, home } = await botWithProfiles("a", "b");
    const { fake } = bot;
    await say(fake, ALICE, ALICE_DM, "/profile_use a");
    expect(fake.lastBotMessage(ALICE.id)?.text).toContain("This chat now works with profile 'a'");

    const configB = await readFile(configOf(home, "b"), "utf8");
    await say(fake, ALICE, ALICE_DM, "/profile_edit b");
    const refused = fake.lastBotMessage(ALICE.id);
    expect(refused?.text).toContain(
      "This chat is bound to profile 'a': only that one can be edited here. Edit 'b' from a private chat, or bind this chat to it first with /profile use.",
    );
    expect(refused?.reply_markup?.inline_keyboard).toBeUndefined();
    expect(fake.botMessages(ALICE.id).some((message) => message.text.includes("Edit profile"))).toBe(false);
    expect(await readFile(configOf(home, "b"), "utf8")).toBe(configB);

    await say(fake, ALICE, ALICE_DM, "/profile_edit");
    expect(wizardText(fake, ALICE.id)).toContain("Edit profile 'a'");
    expect(wizardText(fake, ALICE.id)).toContain("No changes yet");
    expect(labels(fake, ALICE.id)).not.toContain("✓ Apply");
  });

  it("WHEN /profile_edit names no profile that exists THEN the bot says so and opens no editor", async () => {
    const { bot } = await botWithProfiles("a");
    const { fake } = bot;
    await say(fake, ALICE, ALICE_DM, "/profile_edit nosuch");
    expect(fake.lastBotMessage(ALICE.id)?.text).toContain(
      "There is no profile 'nosuch'. Create it with /profile new, or check the name.",
    );
    expect(fake.botMessages(ALICE.id).some((message) => message.text.includes("Edit profile"))).toBe(false);
    expect(fake.lastBotMessage(ALICE.id, true)).toBeUndefined();
  });

  it("WHEN the owner cancels the editor after changing a part THEN it says nothing was changed and config.yaml keeps its bytes and mtime", async () => {
    const { bot, home } = await botWithProfiles("a");
    const { fake } = bot;
    const config = configOf(home, "a");
    const bytes = await readFile(config);
    const { mtimeMs } = await stat(config);
    await say(fake, ALICE, ALICE_DM, "/profile_edit a");
    await removeFetch(fake, ALICE, ALICE.id);
    await press(fake, ALICE, ALICE.id, "✖ Cancel");
    expect(lastMatching(fake, ALICE.id, /Nothing was changed/)).toContain(
      "Nothing was changed. Open the editor again with /profile edit a.",
    );
    expect(fake.botMessages(ALICE.id).some((message) => message.text.includes("Profile updated"))).toBe(
      false,
    );
    expect((await readFile(config)).equals(bytes)).toBe(true);
    expect((await stat(config)).mtimeMs).toBe(mtimeMs);
  });
});
