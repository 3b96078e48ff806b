// POST /telegram's endpoint on its own: grammY's webhookCallback behind our framework adapter, over
// a real grammY Bot that knows itself (no API call is made). The secret is checked on every
// request (wrong, missing or doubled → 401, the update does nothing), a body that is not an update
// is 400 (only once the secret matched), a slow update is answered 200 in time and runs on, and an
// update whose handler fails is still 200 (Telegram would otherwise deliver it again and again).
import { Bot } from "grammy";
import { describe, expect, it } from "vitest";
import type { IngressRequest } from "../../src/adapters/http/ingress-types.ts";
import {
  catchHandlerFailures,
  TELEGRAM_SECRET_HEADER,
  WEBHOOK_ANSWER_WITHIN_MS,
  telegramWebhookEndpoint,
} from "../../src/adapters/telegram/webhook-endpoint.ts";
import { inboundOnce } from "../../src/adapters/telegram/inbound-once.ts";
import { TakenUpdates } from "../../src/adapters/telegram/taken-updates.ts";
import { memoryLogger } from "../helpers/silent-logger.ts";

const SECRET = "webhook-secret_0123456789";
const BOT_INFO = {
  id: 777000,
  is_bot: true as const,
  first_name: "Blueprint",
  username: "blueprint_test_bot",
  can_manage_bots: false,
  supports_join_request_queries: false,
  can_join_groups: true,
  can_read_all_group_messages: false,
  supports_inline_queries: false,
  can_connect_to_business: false,
  has_main_web_app: false,
  has_topics_enabled: false,
  allows_users_to_create_topics: false,
};

function update(id: number, text = "hello") {
  return {
    update_id: id,
    message: {
      message_id: id,
      date: 0,
      chat: { id: 42, type: "private", first_name: "Alice" },
      from: { id: 42, is_bot: false, first_name: "Alice" },
      text,
    },
  };
}

function requestOf(body: unknown, headers: IngressRequest["headers"] = { [TELEGRAM_SECRET_HEADER]: SECRET }) {
  const raw = typeof body === "string" ? body : JSON.stringify(body);
  return { method: "POST", headers, body: Buffer.from(raw) };
}

function setUp(
  options: { serving?: () => boolean; answerWithinMs?: number; handle?: () => Promise<void> } = {},
) {
  const { logger, lines } = memoryLogger();
  const bot = new Bot("123456:TESTtokenTESTtokenTESTtokenTESTtoken", { botInfo: BOT_INFO });
  const handled: number[] = [];
  // As the adapter wires it in webhook mode: first, before any handler.
  bot.use(catchHandlerFailures(bot));
  bot.on("message:text", async (ctx) => {
    await options.handle?.();
    handled.push(ctx.update.update_id);
  });
  bot.catch((error) => logger.error({ reason: error.message }, "telegram update failed"));
  const endpoint = telegramWebhookEndpoint(bot, {
    secret: SECRET,
    serving: options.serving ?? (() => true),
    logger,
    ...(options.answerWithinMs !== undefined ? { answerWithinMs: options.answerWithinMs } : {}),
  });
  return { endpoint, handled, lines };
}

describe("GIVEN the Telegram webhook endpoint", () => {
  it("THEN it answers a slow update within WEBHOOK_ANSWER_WITHIN_MS (5 s)", () => {
    expect(WEBHOOK_ANSWER_WITHIN_MS).toBe(5_000);
  });

  it("WHEN an update comes with the right secret THEN it is handled and answered 200", async () => {
    const { endpoint, handled } = setUp();
    expect(await endpoint(requestOf(update(1)))).toMatchObject({ status: 200 });
    expect(handled).toEqual([1]);
  });

  it.each([
    ["a wrong secret", { [TELEGRAM_SECRET_HEADER]: "not-the-secret" }],
    ["the secret with one character more", { [TELEGRAM_SECRET_HEADER]: `${SECRET}x` }],
    ["no secret header", {}],
    ["the header twice", { [TELEGRAM_SECRET_HEADER]: [SECRET, SECRET] }],
  ])("WHEN an update comes with %s THEN 401 and the update does nothing", async (_case, headers) => {
    const { endpoint, handled } = setUp();
    const answer = await endpoint(requestOf(update(2), headers));
    expect(answer.status).toBe(401);
    expect(answer.body ?? "").not.toContain(SECRET);
    expect(handled).toEqual([]);
  });

  it.each([
    ["not JSON", "{not json"],
    ["a JSON array", "[]"],
    ["an object without update_id", JSON.stringify({ message: {} })],
    ["a negative update_id", JSON.stringify({ update_id: -1 })],
    ["an update_id that is not a number", JSON.stringify({ update_id: "7" })],
  ])("WHEN the body is %s THEN 400 and nothing is handled", async (_case, body) => {
    const { endpoint, handled } = setUp();
    expect((await endpoint(requestOf(body))).status).toBe(400);
    expect(handled).toEqual([]);
  });

  it("WHEN a malformed body comes with a wrong secret THEN 401: nothing about the body is said without the secret", async () => {
    const { endpoint } = setUp();
    expect((await endpoint(requestOf("{not json", { [TELEGRAM_SECRET_HEADER]: "nope" }))).status).toBe(401);
  });

  it("WHEN the bot is not serving (starting or stopping) THEN 503, so Telegram delivers the update again", async () => {
    const { endpoint, handled } = setUp({ serving: () => false });
    expect((await endpoint(requestOf(update(3)))).status).toBe(503);
    expect(handled).toEqual([]);
  });

  it("WHEN the store cannot say whether the update was taken THEN 503 (not 500), so the proxy tries another replica and Telegram sends it again", async () => {
    const { logger } = memoryLogger();
    const bot = new Bot("123456:TESTtokenTESTtokenTESTtokenTESTtoken", { botInfo: BOT_INFO });
    const handled: number[] = [];
    // As the adapter wires it: inboundOnce outermost, then the handler failures' catch.
    bot.use(
      inboundOnce({
        claimInbound: () => Promise.resolve("unavailable"),
        finishInbound: () => Promise.resolve(),
      }),
    );
    bot.use(catchHandlerFailures(bot));
    bot.on("message:text", (ctx) => void handled.push(ctx.update.update_id));
    const endpoint = telegramWebhookEndpoint(bot, { secret: SECRET, serving: () => true, logger });
    expect((await endpoint(requestOf(update(5)))).status).toBe(503);
    expect(handled).toEqual([]);
  });

  it("WHEN an update's handler fails THEN it is still answered 200 (not delivered again) and the failure is logged", async () => {
    const { endpoint, lines } = setUp({ handle: () => Promise.reject(new Error("boom")) });
    expect((await endpoint(requestOf(update(4)))).status).toBe(200);
    expect(lines.join("\n")).toContain("telegram update failed");
  });

  it("WHEN an update that ran past the answer time then fails THEN the failure is logged, not left unhandled", async () => {
    let fail: () => void = () => undefined;
    const { endpoint, lines } = setUp({
      answerWithinMs: 50,
      handle: () => new Promise<void>((_resolve, reject) => (fail = () => reject(new Error("late boom")))),
    });
    expect((await endpoint(requestOf(update(6)))).status).toBe(200);
    fail();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(lines.join("\n")).toContain("late boom");
  });

  it("WHEN an update runs longer than the answer time THEN it is answered 200 in time and finishes afterwards", async () => {
    let finish: () => void = () => undefined;
    const { endpoint, handled, lines } = setUp({
      answerWithinMs: 50,
      handle: () => new Promise<void>((resolve) => (finish = resolve)),
    });
    const started = Date.now();
    expect((await endpoint(requestOf(update(5)))).status).toBe(200);
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(handled).toEqual([]);
    expect(lines.join("\n")).toContain("its webhook request was answered so it is not delivered again");
    finish();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(handled).toEqual([5]);
  });
});

describe("GIVEN the endpoint as webhook mode wires it: inbound dedupe first, answering when an update is taken", () => {
  function takenSetUp(claims: (key: string) => Promise<boolean | "unavailable">) {
    const { logger } = memoryLogger();
    const bot = new Bot("123456:TESTtokenTESTtokenTESTtokenTESTtoken", { botInfo: BOT_INFO });
    const taken = new TakenUpdates();
    const started: number[] = [];
    const finished: number[] = [];
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    bot.use(inboundOnce({ claimInbound: claims, finishInbound: () => Promise.resolve() }, taken));
    bot.use(catchHandlerFailures(bot));
    bot.on("message:text", async (ctx) => {
      started.push(ctx.update.update_id);
      await held;
      finished.push(ctx.update.update_id);
    });
    // A long answer time: only the early answer can make these requests return in time.
    const endpoint = telegramWebhookEndpoint(bot, {
      secret: SECRET,
      serving: () => true,
      logger,
      answerWithinMs: 60_000,
      taken,
    });
    return { endpoint, started, finished, release };
  }

  it("WHEN an update is taken THEN its request is answered 200 at once, while its handling runs on to the end", async () => {
    const { endpoint, started, finished, release } = takenSetUp(() => Promise.resolve(true));
    expect((await endpoint(requestOf(update(11)))).status).toBe(200);
    expect(started).toEqual([11]);
    expect(finished).toEqual([]);
    release();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(finished).toEqual([11]);
  });

  it("WHEN the update was taken before (a second delivery) THEN 200 and it is not handled; WHEN the store cannot say THEN 503", async () => {
    const duplicate = takenSetUp(() => Promise.resolve(false));
    expect((await duplicate.endpoint(requestOf(update(12)))).status).toBe(200);
    expect(duplicate.started).toEqual([]);
    const unavailable = takenSetUp(() => Promise.resolve("unavailable"));
    expect((await unavailable.endpoint(requestOf(update(13)))).status).toBe(503);
    expect(unavailable.started).toEqual([]);
  });

  it("WHEN the secret is wrong or the body malformed THEN 401 / 400 as before, nothing taken", async () => {
    const { endpoint, started } = takenSetUp(() => Promise.resolve(true));
    expect((await endpoint(requestOf(update(14), { [TELEGRAM_SECRET_HEADER]: "nope" }))).status).toBe(401);
    expect((await endpoint(requestOf("{not json"))).status).toBe(400);
    expect(started).toEqual([]);
  });
});
