import { readdir, readFile, stat } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { FakeTelegram, FakeUser } from "../fakes/fake-telegram.ts";
import { NETWORK_RETRIES } from "../../src/adapters/telegram/index.ts";
import { REPO_ROOT } from "../helpers/cli.ts";
import { useBots } from "../helpers/bot-fixture.ts";
import {
  handled,
  press,
  say,
  waitFor,
  wizardText,
  type RunningTelegramBot,
} from "../helpers/telegram-bot.ts";

const bots = useBots();
const ALICE: FakeUser = { id: 1001, first_name: "Alice", username: "alice" };
const BOB: FakeUser = { id: 1002, first_name: "Bob", username: "bob" };
const EVE: FakeUser = { id: 6666, first_name: "Eve" };
const ALICE_DM = { id: ALICE.id, type: "private" as const };
const GROUP = { id: -5005, type: "group" as const };
const SECRET = "sk-telegram-e2e-SECRET-1234";
const INTERVAL_MS = 300;

function assembleBot(options: { data?: string; fake?: FakeTelegram } = {}): Promise<RunningTelegramBot> {
  return bots.telegram({ ...options, allowedUsers: [ALICE.id, BOB.id], progressMinIntervalMs: INTERVAL_MS });
}

describe("GIVEN the Telegram bot against a local Bot API", () => {
  it("WHEN a user walks /profile_new in a private chat THEN one message is edited in place and the profile lands on disk; the key is deleted and never echoed", async () => {
    const { fake, data } = await assembleBot();
    expect(fake.commands).toContainEqual({ command: "profile_new", description: "Start the profile wizard" });
    await say(fake, ALICE, ALICE_DM, "/profile_new");
    expect(wizardText(fake, ALICE.id)).toContain("Step 1/7 · Identity");
    await say(fake, ALICE, ALICE_DM, "tg-bot");
    await press(fake, ALICE, ALICE.id, "Next");
    await press(fake, ALICE, ALICE.id, "OpenRouter");
    await press(fake, ALICE, ALICE.id, "anthropic/claude-sonnet-4");
    const key = await say(fake, ALICE, ALICE_DM, SECRET);
    expect(fake.messages.get(`${ALICE.id}:${key.message_id}`)?.deleted).toBe(true);
    for (const label of [
      "Optional skills",
      "Hub skills",
      "Done",
      "MCP servers",
      "Next",
      "No persona",
      "✓ Create",
    ])
      await press(fake, ALICE, ALICE.id, label);
    await waitFor(() =>
      fake.botMessages(ALICE.id).some((message) => message.text.includes("Profile created")),
    );
    const wizardMessages = fake
      .botMessages(ALICE.id)
      .filter((message) => message.text.includes("Step") || message.text.includes("Profile created"));
    expect(wizardMessages).toHaveLength(1);
    expect(fake.callsOf("editMessageText").length).toBeGreaterThan(8);
    const profile = path.join(data, "hermes/profiles/tg-bot");
    expect(await readFile(path.join(profile, ".env"), "utf8")).toContain(`OPENROUTER_API_KEY=${SECRET}`);
    expect((await stat(path.join(profile, ".env"))).mode & 0o777).toBe(0o600);
    const transcript = JSON.stringify(fake.calls.filter((call) => call.method !== "getUpdates"));
    expect(transcript).not.toContain(SECRET);
    for (const answer of fake.callbackAnswers.values()) expect(answer.afterMs).toBeLessThan(3000);
    for (const call of fake.callsOf("sendMessage").concat(fake.callsOf("editMessageText"))) {
      const keyboard =
        (call.params["reply_markup"] as { inline_keyboard?: { callback_data: string }[][] } | undefined)
          ?.inline_keyboard ?? [];
      for (const button of keyboard.flat())
        expect(Buffer.byteLength(button.callback_data)).toBeLessThanOrEqual(64);
    }
  });

  it("WHEN another member presses the owner's buttons in a group THEN they get a toast and nothing changes", async () => {
    const { fake } = await assembleBot();
    await say(fake, ALICE, GROUP, "/profile_new@blueprint_test_bot");
    const prompt = fake.lastBotMessage(GROUP.id);
    expect(prompt?.reply_markup?.force_reply).toBe(true);
    await say(fake, ALICE, GROUP, "group-bot", prompt);
    const before = wizardText(fake, GROUP.id);
    const query = await press(fake, BOB, GROUP.id, "Next");
    expect(fake.callbackAnswers.get(query)?.text).toBe(
      "Only @alice can press these buttons. Start your own with /profile new.",
    );
    expect(wizardText(fake, GROUP.id)).toBe(before);
  });

  it("WHEN a key is sent in the group THEN it is deleted and refused; in private through the deep link it is accepted and deleted", async () => {
    const { fake, adapter } = await assembleBot();
    await say(fake, ALICE, GROUP, "/profile_new");
    await say(fake, ALICE, GROUP, "keys-bot", fake.lastBotMessage(GROUP.id));
    for (const label of ["Next", "OpenAI", "gpt-4.1"]) await press(fake, ALICE, GROUP.id, label);
    const link = /https:\/\/t\.me\/blueprint_test_bot\?start=(s_[a-z0-9]+)/.exec(
      wizardText(fake, GROUP.id),
    )?.[1];
    expect(link).toBeDefined();
    const leaked = await say(fake, ALICE, GROUP, SECRET);
    expect(fake.messages.get(`${GROUP.id}:${leaked.message_id}`)?.deleted).toBe(true);
    expect(fake.lastBotMessage(GROUP.id)?.text).toContain("never post keys in a group");
    await say(fake, ALICE, ALICE_DM, `/start ${link ?? ""}`);
    expect(fake.lastBotMessage(ALICE.id)?.text).toContain("Send OPENAI_API_KEY here");
    const privateKey = await say(fake, ALICE, ALICE_DM, SECRET);
    expect(fake.messages.get(`${ALICE.id}:${privateKey.message_id}`)?.deleted).toBe(true);
    expect(fake.lastBotMessage(ALICE.id)?.text).toBe(
      "Key received and your message deleted. Back to the wizard.",
    );
    expect(wizardText(fake, GROUP.id)).toContain("Skills · built-in");
    expect(JSON.stringify(fake.calls.filter((call) => call.method !== "getUpdates"))).not.toContain(SECRET);
    void adapter;
  });

  it("WHEN the group wizard moves on after its key link was opened THEN the next private message is deleted, not taken as a key, and the owner is told", async () => {
    const { fake } = await assembleBot();
    await say(fake, ALICE, GROUP, "/profile_new");
    await say(fake, ALICE, GROUP, "moved-bot", fake.lastBotMessage(GROUP.id));
    for (const label of ["Next", "OpenAI", "gpt-4.1"]) await press(fake, ALICE, GROUP.id, label);
    const link = /https:\/\/t\.me\/blueprint_test_bot\?start=(s_[a-z0-9]+)/.exec(
      wizardText(fake, GROUP.id),
    )?.[1];
    await say(fake, ALICE, ALICE_DM, `/start ${link ?? ""}`);
    expect(fake.lastBotMessage(ALICE.id)?.text).toContain("Send OPENAI_API_KEY here");
    await press(fake, ALICE, GROUP.id, "Skip");
    expect(wizardText(fake, GROUP.id)).toContain("Skills · built-in");
    const late = await say(fake, ALICE, ALICE_DM, SECRET);
    expect(fake.messages.get(`${ALICE.id}:${late.message_id}`)?.deleted).toBe(true);
    expect(fake.lastBotMessage(ALICE.id)?.text).toBe(
      "That key prompt has moved on, so nothing was stored and your message was deleted.",
    );
    // The link is used up: the next private message is an ordinary one again (no wizard here).
    const ordinary = await say(fake, ALICE, ALICE_DM, "hello");
    expect(fake.messages.get(`${ALICE.id}:${ordinary.message_id}`)?.deleted).not.toBe(true);
    expect(JSON.stringify(fake.calls.filter((call) => call.method !== "getUpdates"))).not.toContain(SECRET);
  });

  it("WHEN one chat's sends are slow THEN another chat's updates are handled meanwhile, and the slow chat keeps its order", async () => {
    const { fake } = await assembleBot();
    const BOB_DM = { id: BOB.id, type: "private" as const };
    await say(fake, ALICE, ALICE_DM, "/profile_new");
    await say(fake, BOB, BOB_DM, "/profile_new");
    // Every edit in Alice's chat now takes 1.5 s to be answered (a slow or flood-limited chat).
    fake.slowChat(ALICE.id, 1500);
    // A fresh wizard, then its name at once: the name must wait for the new wizard, not reach the old.
    fake.sendText(ALICE, ALICE_DM, "/profile_new");
    const aliceFirst = fake.lastUpdateId;
    fake.sendText(ALICE, ALICE_DM, "ordered-name");
    const aliceSecond = fake.lastUpdateId;
    fake.sendText(BOB, BOB_DM, "fast-bob");
    const bob = fake.lastUpdateId;
    const order: number[] = [];
    await Promise.all(
      [aliceFirst, aliceSecond, bob].map((id) => handled(fake, id).then(() => order.push(id))),
    );
    expect(order).toEqual([bob, aliceFirst, aliceSecond]);
    expect(wizardText(fake, BOB.id)).toContain("fast-bob");
    expect(wizardText(fake, ALICE.id)).toContain("ordered-name");
  });

  it("WHEN the connection drops under a call (twice) THEN the call is tried again and the wizard moves on", async () => {
    const { fake } = await assembleBot();
    await say(fake, ALICE, ALICE_DM, "/profile_new");
    fake.resetNext("editMessageText", NETWORK_RETRIES);
    await say(fake, ALICE, ALICE_DM, "reset-bot");
    expect(wizardText(fake, ALICE.id)).toContain("reset-bot");
    expect(fake.callsOf("editMessageText").length).toBe(NETWORK_RETRIES + 1);
  });

  it("WHEN the bot is stopped while an update is being handled THEN that update finishes and the offset past it is confirmed", async () => {
    const bot = await assembleBot();
    const { fake } = bot;
    await say(fake, ALICE, ALICE_DM, "/profile_new");
    fake.slowChat(ALICE.id, 1000);
    fake.sendText(ALICE, ALICE_DM, "drained-name");
    const id = fake.lastUpdateId;
    // The edit has been asked for and the fake holds it: the update is in flight when the stop comes.
    await waitFor(() =>
      fake.callsOf("editMessageText").some((call) => String(call.params["text"]).includes("drained-name")),
    );
    await bot.stop();
    expect(wizardText(fake, ALICE.id)).toContain("drained-name");
    expect(fake.callsOf("getUpdates").at(-1)?.params).toMatchObject({ offset: id + 1, timeout: 0 });
  });

  it("WHEN an old button is pressed THEN the current step is shown again; when a stranger writes THEN they are told their id", async () => {
    const { fake } = await assembleBot();
    await say(fake, ALICE, ALICE_DM, "/profile_new");
    await say(fake, ALICE, ALICE_DM, "stale-bot");
    const menu = fake.lastBotMessage(ALICE.id, true);
    const oldNext = fake.button(menu, "Next");
    await press(fake, ALICE, ALICE.id, "Next");
    if (menu) fake.press(ALICE, menu, oldNext);
    await handled(fake, fake.lastUpdateId);
    expect(wizardText(fake, ALICE.id)).toContain("This step changed since that button was shown");
    await say(fake, EVE, { id: EVE.id, type: "private" }, "/profile_new");
    expect(fake.lastBotMessage(EVE.id)?.text).toBe(
      "You are not allowed to use this bot. Ask an admin to add your id 6666 to TELEGRAM_ALLOWED_USERS.",
    );
  });

  it("WHEN the bot restarts mid-wizard THEN the next press on the old message continues", async () => {
    const first = await assembleBot();
    await say(first.fake, ALICE, ALICE_DM, "/profile_new");
    await say(first.fake, ALICE, ALICE_DM, "restart-bot");
    await first.stop();
    await first.done;
    const second = await assembleBot({ data: first.data, fake: first.fake });
    await press(second.fake, ALICE, ALICE.id, "Next");
    expect(wizardText(second.fake, ALICE.id)).toContain("Step 2/7 · Model");
    expect(
      second.fake.botMessages(ALICE.id).filter((message) => message.reply_markup?.inline_keyboard),
    ).toHaveLength(1);
  });

  it("WHEN edits hit 'message is not modified' or a 429 THEN the wizard carries on", async () => {
    const { fake } = await assembleBot();
    await say(fake, ALICE, ALICE_DM, "/profile_new");
    await say(fake, ALICE, ALICE_DM, "rate-bot");
    fake.failNext("editMessageText", 1, 1);
    await press(fake, ALICE, ALICE.id, "Next");
    await waitFor(() => wizardText(fake, ALICE.id).includes("Step 2/7"));
    const menuAgain = await say(fake, ALICE, ALICE_DM, "/show");
    void menuAgain;
    expect(wizardText(fake, ALICE.id)).toContain("Step 2/7");
    expect(await readdir(path.join(REPO_ROOT, "library"))).toContain("personas");
  });

  it("WHEN a chat user points the Model step at the bot's own network THEN the bot asks nothing there, says why, and offers the offline list", async () => {
    // A server on the bot's loopback that would answer, and counts what reaches it.
    let reached = 0;
    const inner = createServer((_request, response) => {
      reached += 1;
      response.writeHead(200, { "content-type": "application/json" });
      response.end(JSON.stringify({ models: [{ name: "from-inside" }] }));
    });
    await new Promise<void>((resolve) => inner.listen(0, "127.0.0.1", resolve));
    try {
      const { fake } = await assembleBot();
      await say(fake, ALICE, ALICE_DM, "/profile_new");
      await say(fake, ALICE, ALICE_DM, "ssrf-bot");
      for (const label of ["Next", "Ollama"]) await press(fake, ALICE, ALICE.id, label);
      const port = (inner.address() as AddressInfo).port;
      await say(fake, ALICE, ALICE_DM, `http://127.0.0.1:${port}/v1`);
      await waitFor(() => wizardText(fake, ALICE.id).includes("Could not list models"));
      expect(wizardText(fake, ALICE.id)).toContain("only when the operator allows it (MODEL_SERVER_HOSTS)");
      expect(wizardText(fake, ALICE.id)).not.toContain("from-inside");
      const keyboard = fake.lastBotMessage(ALICE.id, true)?.reply_markup?.inline_keyboard ?? [];
      expect(keyboard.flat().map((button) => button.text)).toContain("llama3.2");
      expect(reached).toBe(0);
    } finally {
      inner.close();
    }
  });

  it("WHEN a create has hub skills THEN one status message is edited, at most once per interval, to the final state", async () => {
    const { fake } = await assembleBot();
    await say(fake, ALICE, ALICE_DM, "/profile_new");
    await say(fake, ALICE, ALICE_DM, "hub-bot");
    for (const label of ["Next", "Ollama"]) await press(fake, ALICE, ALICE.id, label);
    await say(fake, ALICE, ALICE_DM, "http://127.0.0.1:9/v1");
    await waitFor(() => wizardText(fake, ALICE.id).includes("Could not list models"));
    for (const label of ["llama3.2", "Optional skills", "Hub skills"])
      await press(fake, ALICE, ALICE.id, label);
    await say(fake, ALICE, ALICE_DM, "official/security/password-audit shady/skills/env-exfil");
    for (const label of ["Done", "MCP servers", "Next", "No persona", "✓ Create"])
      await press(fake, ALICE, ALICE.id, label);
    const status = () =>
      fake.botMessages(ALICE.id).find((message) => message.text.startsWith("Hub skills for 'hub-bot'"));
    await waitFor(() => (status()?.text ?? "").includes("Finished: 1 installed, 1 not."), 30_000);
    const ref = status()?.message_id;
    const writes = fake.calls.filter(
      (call) =>
        (call.method === "editMessageText" && call.params["message_id"] === ref) ||
        (call.method === "sendMessage" && String(call.params["text"]).startsWith("Hub skills for")),
    );
    expect(writes[0]?.method).toBe("sendMessage");
    for (let index = 1; index < writes.length; index++) {
      expect((writes[index]?.at ?? 0) - (writes[index - 1]?.at ?? 0)).toBeGreaterThanOrEqual(INTERVAL_MS - 5);
    }
    expect(status()?.text).toContain("⛔ shady/skills/env-exfil: blocked");
  });

  it("WHEN /persona_get shows a 4.5 KB persona THEN it arrives split under 4,096 characters per message", async () => {
    const { fake } = await assembleBot();
    await say(fake, ALICE, ALICE_DM, "/persona_get engineering-code-reviewer");
    const parts = fake.botMessages(ALICE.id);
    expect(parts.length).toBeGreaterThanOrEqual(2);
    for (const part of parts) expect(part.text.length).toBeLessThanOrEqual(4096);
    expect(parts.map((part) => part.text).join("\n")).toContain("## Success measures");
  });
});
