// The fake Telegram must refuse what the real Bot API refuses: each rule it enforces is shown to
// bite here with a request a real bot could make by mistake.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FakeTelegram } from "./fake-telegram.ts";
import {
  WEBHOOK_DELIVERY_TIMEOUT_MS,
  WEBHOOK_MAX_CONNECTIONS_DEFAULT,
  WEBHOOK_RETRY_MS,
  type Update,
} from "./fake-telegram-webhook.ts";

const USER = { id: 42, first_name: "Alice" };
const CHAT = { id: 42, type: "private" as const };
let fake: FakeTelegram;

beforeEach(async () => {
  fake = new FakeTelegram();
  await fake.start();
});
afterEach(async () => {
  await fake.stop();
});

interface Answer {
  readonly status: number;
  readonly body: { ok: boolean; result?: unknown; error_code?: number; description?: string };
}

async function call(method: string, params: Record<string, unknown>): Promise<Answer> {
  const response = await fetch(`${fake.url}/bot123:abc/${method}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(params),
  });
  return { status: response.status, body: (await response.json()) as Answer["body"] };
}

async function botMessage(text = "hello"): Promise<number> {
  const sent = await call("sendMessage", { chat_id: CHAT.id, text });
  return (sent.body.result as { message_id: number }).message_id;
}

describe("GIVEN the fake Telegram Bot API", () => {
  it("WHEN callback_data is longer than 64 bytes THEN sendMessage fails with BUTTON_DATA_INVALID", async () => {
    const keyboard = (data: string) => ({ inline_keyboard: [[{ text: "x", callback_data: data }]] });
    const ok = await call("sendMessage", { chat_id: 42, text: "t", reply_markup: keyboard("é".repeat(32)) });
    expect(ok.body.ok).toBe(true);
    // 33 two-byte characters: 66 bytes, though only 33 characters.
    const tooLong = await call("sendMessage", {
      chat_id: 42,
      text: "t",
      reply_markup: keyboard("é".repeat(33)),
    });
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.description).toContain("BUTTON_DATA_INVALID");
  });

  it("WHEN a text is empty or longer than 4,096 characters THEN it is refused", async () => {
    expect((await call("sendMessage", { chat_id: 42, text: "x".repeat(4096) })).body.ok).toBe(true);
    const long = await call("sendMessage", { chat_id: 42, text: "x".repeat(4097) });
    expect(long.body.description).toBe("Bad Request: message is too long");
    const empty = await call("sendMessage", { chat_id: 42, text: "" });
    expect(empty.body.description).toBe("Bad Request: message text is empty");
  });

  it("WHEN a message is edited to the same text and keyboard, or a missing one is edited THEN it is refused", async () => {
    const id = await botMessage("same");
    const same = await call("editMessageText", { chat_id: 42, message_id: id, text: "same" });
    expect(same.body.description).toContain("message is not modified");
    const missing = await call("editMessageText", { chat_id: 42, message_id: 9999, text: "new" });
    expect(missing.body.description).toBe("Bad Request: message to edit not found");
  });

  it("WHEN a callback query is answered twice or with more than 200 characters THEN it is refused", async () => {
    const id = await botMessage();
    const message = fake.botMessages(42).find((candidate) => candidate.message_id === id);
    if (!message) throw new Error("no message");
    const first = fake.press(USER, message, "data");
    const tooLong = await call("answerCallbackQuery", { callback_query_id: first, text: "x".repeat(201) });
    expect(tooLong.body.description).toBe("Bad Request: MESSAGE_TOO_LONG");
    expect((await call("answerCallbackQuery", { callback_query_id: first })).body.ok).toBe(true);
    const again = await call("answerCallbackQuery", { callback_query_id: first });
    expect(again.body.description).toContain("query is too old");
  });

  it("WHEN getUpdates asks for a limit THEN no more updates come back, and a limit outside 1–100 is refused", async () => {
    for (let index = 0; index < 3; index += 1) fake.sendText(USER, CHAT, `m${index}`);
    const two = await call("getUpdates", { offset: 0, limit: 2, timeout: 0 });
    expect((two.body.result as unknown[]).length).toBe(2);
    const zero = await call("getUpdates", { offset: 0, limit: 0, timeout: 0 });
    expect(zero.status).toBe(400);
    const many = await call("getUpdates", { offset: 0, limit: 101, timeout: 0 });
    expect(many.status).toBe(400);
  });

  it("WHEN a second getUpdates arrives while one is waiting THEN the waiting one ends with 409 Conflict", async () => {
    const waiting = call("getUpdates", { offset: 0, timeout: 1 });
    await new Promise((resolve) => setTimeout(resolve, 50));
    const second = await call("getUpdates", { offset: 0, timeout: 0 });
    expect(second.body.ok).toBe(true);
    const first = await waiting;
    expect(first.status).toBe(409);
    expect(first.body.description).toContain("terminated by other getUpdates request");
  });

  it("WHEN a command menu has an invalid command or too many THEN setMyCommands is refused", async () => {
    const bad = await call("setMyCommands", { commands: [{ command: "Profile-New", description: "x" }] });
    expect(bad.body.description).toContain("BOT_COMMAND_INVALID");
    const commands = Array.from({ length: 101 }, (_, index) => ({ command: `c${index}`, description: "x" }));
    expect((await call("setMyCommands", { commands })).body.description).toContain("too many commands");
  });

  it("WHEN failNext is set THEN that many calls answer 429 with retry_after, then calls succeed again", async () => {
    fake.failNext("sendMessage", 1, 7);
    const limited = await call("sendMessage", { chat_id: 42, text: "t" });
    expect(limited.status).toBe(429);
    expect(limited.body).toMatchObject({ error_code: 429, parameters: { retry_after: 7 } });
    expect((await call("sendMessage", { chat_id: 42, text: "t" })).body.ok).toBe(true);
  });

  it("WHEN resetNext is set THEN that many calls are cut without an answer, then calls are answered again", async () => {
    fake.resetNext("sendMessage", 1);
    await expect(call("sendMessage", { chat_id: 42, text: "t" })).rejects.toThrow();
    expect((await call("sendMessage", { chat_id: 42, text: "t" })).body.ok).toBe(true);
  });
});

/** A webhook receiver on loopback: records each delivery and answers what `answer` says (maybe later). */
interface Receiver {
  readonly url: string;
  readonly got: { update: Update; secret: string | undefined }[];
  answer: (update: Update) => number | Promise<number>;
  close(): Promise<void>;
}

const receivers: Server[] = [];
afterEach(async () => {
  for (const server of receivers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

async function receiver(): Promise<Receiver> {
  const state: Receiver = {
    url: "",
    got: [],
    answer: () => 200,
    close: () => Promise.resolve(),
  };
  const server = createServer((request, response) => {
    void (async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of request) chunks.push(chunk as Buffer);
      const update = JSON.parse(Buffer.concat(chunks).toString("utf8")) as Update;
      const secret = request.headers["x-telegram-bot-api-secret-token"];
      state.got.push({ update, secret: typeof secret === "string" ? secret : undefined });
      response.writeHead(await state.answer(update)).end();
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  receivers.push(server);
  return Object.assign(state, { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/telegram` });
}

async function until(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("timed out waiting");
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** A loopback URL nobody listens on (a port just freed). */
async function deadUrl(): Promise<string> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return `http://127.0.0.1:${port}/telegram`;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const BOB = { id: 43, first_name: "Bob" };
const BOB_CHAT = { id: 43, type: "private" as const };
const SECRET = "fake-webhook-secret";

async function pending(): Promise<number> {
  const info = await call("getWebhookInfo", {});
  return (info.body.result as { pending_update_count: number }).pending_update_count;
}

describe("GIVEN the fake Telegram's webhooks", () => {
  it("THEN its delivery settings are the named values its comments state", () => {
    expect(WEBHOOK_RETRY_MS).toBe(100);
    expect(WEBHOOK_DELIVERY_TIMEOUT_MS).toBe(15_000);
    expect(WEBHOOK_MAX_CONNECTIONS_DEFAULT).toBe(40);
  });

  it.each([
    [
      "plain http to a public host",
      { url: "http://bot.example.com/telegram" },
      "An HTTPS URL must be provided",
    ],
    [
      "https on a port Telegram does not deliver to",
      { url: "https://bot.example.com:8080/telegram" },
      "only on ports 80, 88, 443 or 8443",
    ],
    ["something that is not a URL", { url: "bot.example.com/telegram" }, "Failed to parse webhook URL"],
    [
      "a secret_token with a space",
      { url: "https://bot.example.com/t", secret_token: "bad secret" },
      "secret token contains unallowed characters",
    ],
    [
      "an empty secret_token",
      { url: "https://bot.example.com/t", secret_token: "" },
      "secret token contains unallowed characters",
    ],
    [
      "a secret_token of 257 characters",
      { url: "https://bot.example.com/t", secret_token: "a".repeat(257) },
      "secret token contains unallowed characters",
    ],
    [
      "allowed_updates that are not a list",
      { url: "https://bot.example.com/t", allowed_updates: "message" },
      "can't parse allowed updates",
    ],
    ["max_connections of 0", { url: "https://bot.example.com/t", max_connections: 0 }, "max_connections"],
    ["max_connections of 101", { url: "https://bot.example.com/t", max_connections: 101 }, "max_connections"],
  ])("WHEN setWebhook is given %s THEN it is refused", async (_case, params, description) => {
    const refused = await call("setWebhook", params);
    expect(refused.status).toBe(400);
    expect(refused.body.description).toContain(description);
    expect((await call("getWebhookInfo", {})).body.result).toMatchObject({ url: "" });
  });

  it("WHEN setWebhook is given what Telegram takes THEN getWebhookInfo shows it (https on 443/8443, a 256-character secret, loopback http for tests)", async () => {
    for (const url of [
      "https://bot.example.com/telegram",
      "https://bot.example.com:8443/t",
      "http://127.0.0.1:9/telegram",
    ]) {
      const set = await call("setWebhook", {
        url,
        secret_token: "A-z_0".repeat(51) + "x",
        allowed_updates: ["message"],
      });
      expect(set.body).toMatchObject({ ok: true, result: true });
      expect((await call("getWebhookInfo", {})).body.result).toMatchObject({
        url,
        allowed_updates: ["message"],
        max_connections: WEBHOOK_MAX_CONNECTIONS_DEFAULT,
      });
    }
  });

  it("WHEN a webhook is set THEN getUpdates answers 409 until deleteWebhook, as Telegram does", async () => {
    await call("setWebhook", { url: "http://127.0.0.1:9/telegram" });
    const refused = await call("getUpdates", { offset: 0, timeout: 0 });
    expect(refused.status).toBe(409);
    expect(refused.body.description).toBe(
      "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first",
    );
    expect((await call("deleteWebhook", {})).body.ok).toBe(true);
    expect((await call("getUpdates", { offset: 0, timeout: 0 })).body.ok).toBe(true);
  });

  it("WHEN an update arrives THEN it is POSTed as JSON with the secret header, and is pending until answered 2xx", async () => {
    const bot = await receiver();
    let release: (status: number) => void = () => undefined;
    bot.answer = () => new Promise<number>((resolve) => (release = resolve));
    await call("setWebhook", { url: bot.url, secret_token: SECRET });
    fake.sendText(USER, CHAT, "hello");
    await until(() => bot.got.length === 1);
    expect(bot.got[0]?.secret).toBe(SECRET);
    expect(bot.got[0]?.update).toMatchObject({ update_id: fake.lastUpdateId, message: { text: "hello" } });
    expect(await pending()).toBe(1);
    release(200);
    await until(() => fake.webhook.deliveries.length === 1);
    expect(await pending()).toBe(0);
  });

  it("WHEN the webhook answers non-2xx or cannot be reached THEN the update stays pending, the error is shown, and it is delivered again later", async () => {
    const bot = await receiver();
    let failures = 2;
    bot.answer = () => (failures-- > 0 ? 500 : 200);
    await call("setWebhook", { url: bot.url });
    fake.sendText(USER, CHAT, "retried");
    await until(() => bot.got.length === 1);
    await until(() => fake.webhook.deliveries.length === 1);
    expect(await pending()).toBe(1);
    expect((await call("getWebhookInfo", {})).body.result).toMatchObject({
      last_error_message: "Wrong response from the webhook: 500",
    });
    await until(() => bot.got.length === 3);
    expect(bot.got.map((delivery) => delivery.update.update_id)).toEqual([1, 1, 1]);
    await until(() => fake.webhook.deliveries.length === 3);
    expect(await pending()).toBe(0);
    // Nobody listening: a connection error, kept pending and tried again.
    await call("setWebhook", { url: await deadUrl() });
    fake.sendText(USER, CHAT, "unreachable");
    await until(() => fake.webhook.deliveries.length >= 5);
    expect(await pending()).toBe(1);
    const info = (await call("getWebhookInfo", {})).body.result as { last_error_message?: string };
    expect(info.last_error_message).toBe("ECONNREFUSED");
  });

  it("WHEN a chat's update is unacknowledged THEN that chat's next update waits, while another chat's is delivered", async () => {
    const bot = await receiver();
    let release: (status: number) => void = () => undefined;
    let held = false;
    bot.answer = (update) => {
      if (update.update_id !== 1 || held) return 200;
      held = true;
      return new Promise<number>((resolve) => (release = resolve));
    };
    await call("setWebhook", { url: bot.url });
    fake.sendText(USER, CHAT, "first");
    fake.sendText(USER, CHAT, "second");
    fake.sendText(BOB, BOB_CHAT, "bob");
    await until(() => bot.got.length === 2);
    await sleep(3 * WEBHOOK_RETRY_MS);
    expect(bot.got.map((delivery) => delivery.update.update_id)).toEqual([1, 3]);
    // The first fails: the second still waits for it to be delivered again and acknowledged.
    release(502);
    await until(() => bot.got.length === 4);
    expect(bot.got.map((delivery) => delivery.update.update_id)).toEqual([1, 3, 1, 2]);
  });

  it("WHEN max_connections is 1 THEN one delivery is in flight at a time, whatever the chat", async () => {
    const bot = await receiver();
    let release: (status: number) => void = () => undefined;
    bot.answer = (update) =>
      update.update_id === 1 ? new Promise<number>((resolve) => (release = resolve)) : 200;
    await call("setWebhook", { url: bot.url, max_connections: 1 });
    fake.sendText(USER, CHAT, "alice");
    fake.sendText(BOB, BOB_CHAT, "bob");
    await until(() => bot.got.length === 1);
    await sleep(3 * WEBHOOK_RETRY_MS);
    expect(bot.got).toHaveLength(1);
    release(200);
    await until(() => bot.got.length === 2);
    expect(bot.got[1]?.update.update_id).toBe(2);
  });

  it("WHEN allowed_updates leaves a kind out THEN updates of that kind are dropped, not delivered", async () => {
    const bot = await receiver();
    await call("setWebhook", { url: bot.url, allowed_updates: ["message"] });
    const id = await botMessage();
    const message = fake.botMessages(42).find((candidate) => candidate.message_id === id);
    if (!message) throw new Error("no message");
    fake.press(USER, message, "data");
    fake.sendText(USER, CHAT, "text");
    await until(() => bot.got.length === 1);
    await sleep(3 * WEBHOOK_RETRY_MS);
    expect(bot.got.map((delivery) => Object.keys(delivery.update))).toEqual([["update_id", "message"]]);
    expect(await pending()).toBe(0);
  });

  it("WHEN drop_pending_updates is false THEN waiting updates are delivered; when true (setWebhook or deleteWebhook) THEN they are dropped", async () => {
    fake.sendText(USER, CHAT, "kept");
    const bot = await receiver();
    await call("setWebhook", { url: bot.url, drop_pending_updates: false });
    await until(() => bot.got.length === 1);
    expect(bot.got[0]?.update).toMatchObject({ message: { text: "kept" } });
    await call("deleteWebhook", { drop_pending_updates: false });
    fake.sendText(USER, CHAT, "dropped by setWebhook");
    expect(await pending()).toBe(1);
    await call("setWebhook", { url: bot.url, drop_pending_updates: true });
    expect(await pending()).toBe(0);
    await call("deleteWebhook", {});
    fake.sendText(USER, CHAT, "dropped by deleteWebhook");
    await call("deleteWebhook", { drop_pending_updates: true });
    expect(await pending()).toBe(0);
    await sleep(3 * WEBHOOK_RETRY_MS);
    expect(bot.got).toHaveLength(1);
  });

  it("WHEN a test delivers an update itself THEN it reaches the URL with the given secret as often as asked, and nothing pending changes", async () => {
    const bot = await receiver();
    bot.answer = () => 401;
    const update = fake.textUpdate(USER, CHAT, "twice");
    expect(await fake.deliverTo(bot.url, update, "given-secret")).toMatchObject({ status: 401 });
    expect(await fake.deliverTo(bot.url, update)).toMatchObject({ status: 401 });
    expect(bot.got.map((delivery) => [delivery.update.update_id, delivery.secret])).toEqual([
      [update.update_id, "given-secret"],
      [update.update_id, undefined],
    ]);
    expect(await pending()).toBe(0);
    expect(await fake.deliverTo(await deadUrl(), update)).toMatchObject({
      status: 0,
      body: "ECONNREFUSED",
    });
  });
});
