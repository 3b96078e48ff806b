// POST /telegram: grammY's own webhookCallback over the HTTP server's plain request and answer
// (a custom framework adapter), so the secret check is grammY's (X-Telegram-Bot-Api-Secret-Token
// compared in constant time; a mismatch is 401 and the body is never looked at). A body that is
// not a Telegram update is 400. Either way nothing reaches the handlers.
import type { Update } from "grammy/types";
import { BotError, webhookCallback, type Bot, type Context, type MiddlewareFn } from "grammy";
import type { Logger } from "../../app/system/logger.ts";
import { InboundUnavailable } from "./inbound-once.ts";
import type { TakenUpdates } from "./taken-updates.ts";
import type { IngressHandler, IngressRequest, IngressResponse } from "../http/ingress-types.ts";

/**
 * How long an update may run before its webhook request is answered 200 anyway (it keeps running;
 * grammY's "return" rather than its default "throw"). With the inbound dedupe wired (`taken`, as
 * the adapter does), a request is answered as soon as its update is taken, so this bounds only the
 * steps before: the secret check, the parse and the claim. Telegram delivers again an update whose
 * answer is not 2xx, so a slow update answered with an error would be handled twice.
 */
export const WEBHOOK_ANSWER_WITHIN_MS = 5_000;

/** The header Telegram sends the webhook's secret_token in (lower-cased, as Node gives headers). */
export const TELEGRAM_SECRET_HEADER = "x-telegram-bot-api-secret-token";

const TEXT = { "content-type": "text/plain; charset=utf-8" };

export interface WebhookEndpointOptions {
  readonly secret: string;
  /** False before the bot knows itself and once it stops: updates are then answered 503 (sent again). */
  readonly serving: () => boolean;
  readonly logger: Logger;
  /** WEBHOOK_ANSWER_WITHIN_MS unless a test passes a shorter time. */
  readonly answerWithinMs?: number;
  /** Given, an update is answered 200 as soon as the inbound middleware has taken it. */
  readonly taken?: TakenUpdates;
}

/**
 * Installed first in webhook mode: a handler's failure goes to bot.catch (logged) and the update
 * ends normally, as the runner does when polling. grammY would otherwise pass the failure up to the
 * webhook request: answered 500, Telegram would deliver the update again and again; and a failure
 * after the answer time would reject with nobody listening.
 */
export function catchHandlerFailures(bot: Bot): MiddlewareFn<Context> {
  return async (ctx, next) => {
    try {
      await next();
    } catch (error) {
      await bot.errorHandler(new BotError(error, ctx));
    }
  };
}

/** A body that is not a Telegram update; only looked at once the secret matched. */
class MalformedUpdate extends Error {}

type Answer = (reply: IngressResponse) => void;

/**
 * What grammY asks of a framework for one request (its ReqResHandler, which grammY does not
 * export); handlerReturn is declared so grammY types the callback as returning a promise.
 */
interface IngressReqRes {
  readonly update: Promise<Update>;
  readonly header?: string;
  readonly end: () => void;
  readonly respond: (json: string) => void;
  readonly unauthorized: () => void;
  readonly handlerReturn?: Promise<void>;
}

/** grammY's framework adapter for one request: what it reads, and how each of its answers is given. */
function ingressFramework(request: IngressRequest, update: Promise<Update>, answer: Answer): IngressReqRes {
  const header = request.headers[TELEGRAM_SECRET_HEADER];
  return {
    update,
    // Sent twice, the header is not Telegram's: it matches nothing.
    ...(typeof header === "string" ? { header } : {}),
    end: () => answer({ status: 200, headers: TEXT, body: "" }),
    respond: (json: string) =>
      answer({ status: 200, headers: { "content-type": "application/json" }, body: json }),
    unauthorized: () => answer({ status: 401, headers: TEXT, body: "wrong secret token\n" }),
  };
}

export function telegramWebhookEndpoint(bot: Bot, options: WebhookEndpointOptions): IngressHandler {
  const { logger } = options;
  const answerWithinMs = options.answerWithinMs ?? WEBHOOK_ANSWER_WITHIN_MS;
  const callback = webhookCallback(bot, ingressFramework, {
    secretToken: options.secret,
    timeoutMilliseconds: answerWithinMs,
    // A function here means "answer now, let the update run on" (grammY's "return"), and says so.
    onTimeout: () =>
      logger.warn(
        { platform: "Telegram", waitedMs: answerWithinMs },
        "a Telegram update is still being handled; its webhook request was answered so it is not delivered again",
      ),
  });
  return async (request) => {
    if (!options.serving())
      return { status: 503, headers: TEXT, body: "not serving Telegram updates yet (or any more)\n" };
    let reply: IngressResponse | undefined;
    const answer: Answer = (given) => {
      reply ??= given;
    };
    const { update, parsed } = parseUpdate(request.body);
    const handling = callback(request, update, answer);
    try {
      if (parsed && options.taken) {
        const first = await Promise.race([
          handling.then(() => "handled" as const),
          options.taken.whenTaken(parsed).then(() => "taken" as const),
        ]);
        if (first === "taken") {
          // Failures of the handling itself go to bot.catch (catchHandlerFailures); nothing else is left.
          handling.catch((error: unknown) =>
            logger.error({ platform: "Telegram", reason: String(error) }, "telegram update failed"),
          );
          return { status: 200, headers: TEXT, body: "" };
        }
      } else await handling;
    } catch (error) {
      // grammY's handleUpdate wraps what a middleware throws in a BotError: inboundOnce's refusal
      // arrives so, and must still be the 503 (a 500 would send the proxy to no other replica).
      const cause = error instanceof BotError ? error.error : error;
      if (cause instanceof InboundUnavailable)
        return { status: 503, headers: TEXT, body: "the bot's store is unavailable; send it again\n" };
      if (error instanceof MalformedUpdate)
        return {
          status: 400,
          headers: TEXT,
          body: "not a Telegram update (a JSON object with an update_id)\n",
        };
      throw error;
    }
    return reply ?? { status: 200, headers: TEXT, body: "" };
  };
}

/**
 * The update in the body, as a promise grammY awaits only after the secret check: a malformed body
 * is refused only for a sender who knows the secret, and is never an unhandled rejection otherwise.
 */
function parseUpdate(body: Buffer): { update: Promise<Update>; parsed?: Update } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString("utf8"));
  } catch {
    parsed = undefined;
  }
  if (isUpdate(parsed)) return { update: Promise.resolve(parsed), parsed };
  const refused = Promise.reject(new MalformedUpdate());
  refused.catch(() => undefined);
  return { update: refused };
}

function isUpdate(value: unknown): value is Update {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const id = (value as { update_id?: unknown }).update_id;
  return typeof id === "number" && Number.isSafeInteger(id) && id >= 0;
}
