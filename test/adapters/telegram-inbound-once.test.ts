import { Bot } from "grammy";
import type { Update } from "grammy/types";
import { describe, expect, it } from "vitest";
import { InboundUnavailable, inboundOnce } from "../../src/adapters/telegram/inbound-once.ts";
import { memoryInbound } from "../helpers/memory-inbound.ts";

const BOT_INFO = {
  id: 1,
  is_bot: true as const,
  first_name: "bot",
  username: "bot",
  can_join_groups: true,
  can_read_all_group_messages: false,
  supports_inline_queries: false,
  can_connect_to_business: false,
  has_main_web_app: false,
  has_topics_enabled: false,
  allows_users_to_create_topics: false,
  can_manage_bots: false,
  supports_join_request_queries: false,
};

function textUpdate(updateId: number): Update {
  return {
    update_id: updateId,
    message: {
      message_id: updateId,
      date: 0,
      chat: { id: 5, type: "private", first_name: "A" },
      from: { id: 5, is_bot: false, first_name: "A" },
      text: "hello",
    },
  };
}

describe("GIVEN Telegram updates taken once", () => {
  it("WHEN the same update is delivered twice THEN its handler runs once and it is marked handled", async () => {
    const inbound = memoryInbound();
    const bot = new Bot("1:x", { botInfo: BOT_INFO });
    const handled: number[] = [];
    bot.use(inboundOnce(inbound));
    bot.on("message:text", (ctx) => void handled.push(ctx.update.update_id));
    await bot.handleUpdate(textUpdate(10));
    await bot.handleUpdate(textUpdate(10));
    await bot.handleUpdate(textUpdate(11));
    expect(handled).toEqual([10, 11]);
    expect([...inbound.finished]).toEqual(["telegram:1:10", "telegram:1:11"]);
  });

  it("WHEN the store cannot answer THEN no handler runs and the update is refused (the webhook answers 503)", async () => {
    const bot = new Bot("1:x", { botInfo: BOT_INFO });
    const handled: number[] = [];
    bot.use(
      inboundOnce({
        claimInbound: () => Promise.resolve("unavailable"),
        finishInbound: () => Promise.resolve(),
      }),
    );
    bot.on("message:text", (ctx) => void handled.push(ctx.update.update_id));
    const failure = await bot.handleUpdate(textUpdate(12)).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect((failure as { error?: unknown }).error).toBeInstanceOf(InboundUnavailable);
    expect(handled).toEqual([]);
  });
});
