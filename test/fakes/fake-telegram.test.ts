// The fake Telegram must refuse what the real Bot API refuses: each rule it enforces is shown to
// bite here with a request a real bot could make by mistake.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FakeTelegram } from "./fake-telegram.ts";

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
