// Each Telegram update is handled once, whichever replica it reaches and however often Telegram
// delivers it (a retried webhook, an update_id repeated after a restart): the runtime's inbound
// dedupe is asked first, before any handler. A duplicate is dropped (answered normally, so Telegram
// stops sending it); when the store cannot answer, the update is refused so Telegram sends it again.
import type { Context, MiddlewareFn } from "grammy";
import type { ChatRuntime } from "../../app/ports/chat-runtime.ts";
import type { TakenUpdates } from "./taken-updates.ts";

/** Thrown when the store cannot say whether the update was seen: the webhook answers 503. */
export class InboundUnavailable extends Error {
  constructor() {
    super("the bot's store cannot say whether this update was handled");
  }
}

/** `taken` (webhook mode) hears of each update this replica takes, so its request is answered then. */
export function inboundOnce(
  inbound: Pick<ChatRuntime, "claimInbound" | "finishInbound">,
  taken?: TakenUpdates,
): MiddlewareFn<Context> {
  return async (ctx, next) => {
    // update_ids count per bot: two bots sharing one database must not take each other's.
    const key = `telegram:${ctx.me.id}:${ctx.update.update_id}`;
    const claimed = await inbound.claimInbound(key);
    if (claimed === "unavailable") throw new InboundUnavailable();
    if (!claimed) return;
    taken?.taken(ctx.update);
    try {
      await next();
    } finally {
      await inbound.finishInbound(key);
    }
  };
}
