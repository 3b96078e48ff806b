// The Telegram adapter's outbound side on its own (no Hermes host, no cleaning upstream): whatever
// text reaches it — a command's reply, a notice, a status message, a button label — arrives at
// Telegram without terminal escapes, controls, bidi or zero-width characters, without any of the
// bot's secrets, and a reply is never more than TELEGRAM_MAX_MESSAGES_PER_REPLY messages.
import { afterEach, describe, expect, it } from "vitest";
import { TelegramAdapter } from "../../src/adapters/telegram/index.ts";
import {
  CALLBACK_ANSWER_MAX_CHARS,
  guardTelegramPayload,
  NOTHING_PRINTABLE,
} from "../../src/adapters/telegram/outbound-guard.ts";
import { TELEGRAM_MAX_MESSAGES_PER_REPLY, telegramReplyParts } from "../../src/adapters/telegram/replies.ts";
import { KnownSecrets, REDACTED } from "../../src/app/secrets/known-secrets.ts";
import { reply } from "../../src/core/reply.ts";
import { TELEGRAM_MESSAGE_MAX_CHARS } from "../../src/adapters/telegram/limits.ts";
import type { View } from "../../src/core/view.ts";
import type { WizardState } from "../../src/core/wizard/index.ts";
import { FakeTelegram, type FakeUser } from "../fakes/fake-telegram.ts";
import { tokenForms, unsafeStrings } from "../helpers/echoing-dashboard.ts";
import { recordSecret } from "../helpers/leak-ledger.ts";
import { memoryLogger } from "../helpers/silent-logger.ts";
import { replyingRuntime } from "../helpers/replying-runtime.ts";

const TOKEN = "telegram-outbound-host-token-7f3a";
recordSecret(TOKEN);
const secrets = new KnownSecrets([TOKEN]);
const ALICE: FakeUser = { id: 1001, first_name: "Alice", username: "alice" };
const HOSTILE = `name\u001b[2J\u009b31m\u202eexe\u200b token ${TOKEN} (${encodeURIComponent(TOKEN)})`;

describe("GIVEN a payload on its way to Telegram", () => {
  it("WHEN its text and button labels quote a secret and control characters THEN both are gone and the text is within the limit", () => {
    const payload = {
      chat_id: 1,
      text: `${"a".repeat(TELEGRAM_MESSAGE_MAX_CHARS - 40)} ${TOKEN} ${TOKEN} ${TOKEN}`,
      reply_markup: { inline_keyboard: [[{ text: HOSTILE, callback_data: "p:1:keep" }]] },
    };
    const safe = guardTelegramPayload("sendMessage", payload, secrets);
    expect(JSON.stringify(safe)).not.toContain(TOKEN);
    expect(safe.text).toContain(REDACTED);
    expect(safe.text.length).toBeLessThanOrEqual(TELEGRAM_MESSAGE_MAX_CHARS);
    expect(unsafeStrings(safe)).toEqual([]);
    expect(safe.reply_markup.inline_keyboard[0]?.[0]?.callback_data).toBe("p:1:keep");
  });

  it("WHEN a message fit before a short secret in it was redacted THEN it is cut to Telegram's 4,096 characters", () => {
    // A secret shorter than the marker "[redacted]" makes the text longer.
    const short = "k8secret";
    recordSecret(short);
    const text = `${"a".repeat(TELEGRAM_MESSAGE_MAX_CHARS - 5 * short.length)}${short.repeat(5)}`;
    const safe = guardTelegramPayload("sendMessage", { chat_id: 1, text }, new KnownSecrets([short]));
    expect(safe.text.length).toBe(TELEGRAM_MESSAGE_MAX_CHARS);
    expect(safe.text).not.toContain(short);
  });

  it("WHEN a message holds nothing but unsafe characters THEN it says so instead of being refused as empty", () => {
    const safe = guardTelegramPayload("sendMessage", { chat_id: 1, text: "\u001b[2J\u202e\u200b" }, secrets);
    expect(safe.text).toBe(NOTHING_PRINTABLE);
  });

  it("WHEN setWebhook sends the webhook secret THEN that one field goes as given, and the rest is still made safe", () => {
    const webhookSecret = "webhook-secret-in-the-guard-0123";
    const guarded = new KnownSecrets([TOKEN, webhookSecret]);
    const safe = guardTelegramPayload(
      "setWebhook",
      { url: `https://bot.example.com/telegram?${TOKEN}`, secret_token: webhookSecret },
      guarded,
    );
    expect(safe.secret_token).toBe(webhookSecret);
    expect(safe.url).not.toContain(TOKEN);
    // Anywhere else, the same value is redacted.
    const elsewhere = guardTelegramPayload("sendMessage", { chat_id: 1, text: webhookSecret }, guarded);
    expect(elsewhere.text).toBe(REDACTED);
  });

  it("WHEN a toast is longer than Telegram takes THEN it is cut to the limit", () => {
    const safe = guardTelegramPayload(
      "answerCallbackQuery",
      { callback_query_id: "1", text: "t".repeat(500) },
      secrets,
    );
    expect(safe.text.length).toBe(CALLBACK_ANSWER_MAX_CHARS);
  });

  it("WHEN a reply is 4 MB THEN it is at most the allowed messages, each within 4,096 characters, the last saying what was left out", () => {
    const parts = telegramReplyParts(reply("x".repeat(4_000_000)));
    expect(parts).toHaveLength(TELEGRAM_MAX_MESSAGES_PER_REPLY);
    for (const part of parts) expect(part.length).toBeLessThanOrEqual(TELEGRAM_MESSAGE_MAX_CHARS);
    expect(parts.at(-1)).toMatch(
      /more characters not shown: a reply here is at most 5 messages\. .*\/profile_show <name>\.$/,
    );
  });
});

async function waitFor(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 10));
}

const fakes: FakeTelegram[] = [];
const adapters: TelegramAdapter[] = [];
afterEach(async () => {
  for (const adapter of adapters.splice(0)) await adapter.stop();
  for (const fake of fakes.splice(0)) await fake.stop();
});

/** A Telegram adapter against the fake, its commands answering with `answer`, no app behind it. */
async function adapterWith(answer: string) {
  const fake = new FakeTelegram();
  await fake.start();
  fakes.push(fake);
  const { logger, lines } = memoryLogger();
  const adapter = new TelegramAdapter(
    replyingRuntime(reply(answer)),
    {
      token: "123456:OUTBOUNDtestTOKENoutbound",
      apiRoot: fake.url,
      allowedUsers: new Set([String(ALICE.id)]),
      secrets,
    },
    logger,
  );
  adapters.push(adapter);
  void adapter.run();
  await waitFor(() => fake.callsOf("getUpdates").length > 0);
  return { fake, adapter, lines };
}

describe("GIVEN the Telegram adapter with the bot's secrets and nothing cleaned upstream", () => {
  it("WHEN a command's reply is a 4 MB flood quoting the token and control characters THEN Telegram gets at most the allowed messages, none with the token or an unsafe character", async () => {
    const flood = Array.from(
      { length: 40 },
      (_, index) => `• ${HOSTILE} ${index} ${"x".repeat(100_000)}`,
    ).join("\n");
    const { fake, lines } = await adapterWith(flood);
    fake.sendText(ALICE, { id: ALICE.id, type: "private" }, "/profile_list");
    const updateId = fake.lastUpdateId;
    await waitFor(() =>
      lines.some((line) => line.includes(`"update_id":${updateId},`) && line.includes("update handled")),
    );
    const sent = fake.callsOf("sendMessage");
    expect(sent.length).toBeGreaterThan(0);
    expect(sent.length).toBeLessThanOrEqual(TELEGRAM_MAX_MESSAGES_PER_REPLY);
    expect(String(sent.at(-1)?.params["text"])).toContain("more characters not shown");
    for (const form of tokenForms(TOKEN)) expect(JSON.stringify(fake.calls)).not.toContain(form);
    expect(unsafeStrings(fake.calls.map((call) => call.params))).toEqual([]);
  });

  it("WHEN a notice and a status message carry the token and control characters THEN neither reaches Telegram", async () => {
    const { fake, adapter } = await adapterWith("unused");
    const state = { chat: String(ALICE.id) } as WizardState;
    await adapter.notify(state, "tg:1001", HOSTILE);
    const view: View = {
      sessionId: "s1",
      rev: 0,
      title: `Installs ${HOSTILE}`,
      body: [HOSTILE],
      buttons: [[{ label: `Cancel ${HOSTILE}`, token: "i:g1:cancel" }]],
      final: false,
    };
    const status = await adapter.sendStatus(String(ALICE.id), view);
    expect(status.ok).toBe(true);
    await adapter.editStatus(String(ALICE.id), status.ok && status.ref ? status.ref : "", {
      ...view,
      body: [HOSTILE, "edited"],
    });
    expect(fake.callsOf("sendMessage")).toHaveLength(2);
    expect(fake.callsOf("editMessageText")).toHaveLength(1);
    for (const form of tokenForms(TOKEN)) expect(JSON.stringify(fake.calls)).not.toContain(form);
    expect(unsafeStrings(fake.calls.map((call) => call.params))).toEqual([]);
  });
});

describe("GIVEN one Telegram wizard shown by two copies of the bot (replicas sharing the session)", () => {
  const view = (title: string): View => ({
    sessionId: "s-shared",
    rev: 1,
    title,
    body: ["Step"],
    buttons: [[{ label: "Next", token: "w:s-shared:1:next" }]],
    final: false,
  });
  const stateOf = (screenRef?: string) =>
    ({
      id: "s-shared",
      chat: String(ALICE.id),
      ...(screenRef === undefined ? {} : { screenRef }),
    }) as WizardState;

  it("WHEN the first posts it THEN it answers the message's id, and the second, given that id in the session, edits that message instead of posting another", async () => {
    const { fake, adapter: first } = await adapterWith("unused");
    // Another process on the same bot token: it never saw the first post, only the stored session.
    const second = new TelegramAdapter(
      replyingRuntime(reply("unused")),
      { token: "123456:OUTBOUNDtestTOKENoutbound", apiRoot: fake.url, allowedUsers: new Set(), secrets },
      memoryLogger().logger,
    );
    const ref = await first.render(stateOf(), view("Step 1"));
    const posted = fake.callsOf("sendMessage");
    expect(posted).toHaveLength(1);
    expect(ref).toBe(String(fake.lastBotMessage(ALICE.id, true)?.message_id));

    expect(await second.render(stateOf(ref), view("Step 2"))).toBe(ref);
    expect(fake.callsOf("sendMessage")).toHaveLength(1);
    const edits = fake.callsOf("editMessageText");
    expect(edits).toHaveLength(1);
    expect(String(edits[0]?.params["message_id"])).toBe(ref);
    expect(fake.lastBotMessage(ALICE.id, true)?.text).toContain("Step 2");
  });
});
