// HTTP interactions mode: the acknowledgement of an interaction is the answer to Discord's POST.
// The handlers (interactions.ts) still answer through discord.js, which POSTs its first response
// to /interactions/{id}/{token}/callback; that request is caught here, where discord.js hands it
// to the network, and its JSON body becomes the HTTP answer instead. discord.js gets back the 204
// Discord would have given, so its own state (deferred, replied) is as it always is; later edits
// and follow-ups go to Discord's REST as before.
//
// Each interaction is answered exactly once: by its handler's first response, or — when the
// handler has not made one within DISCORD_HTTP_ACK_BUDGET_MS — by a deferred type chosen here
// (late-callback.ts says what then becomes of the handler's response). A handler that ends without
// answering (an interaction too old to answer in time, a kind the bot does not handle) gets a 400:
// Discord then shows that the interaction failed, as it does when the gateway mode leaves one alone.
import { InteractionResponseType, InteractionType, MessageFlags, type RESTOptions } from "discord.js";
import type { Logger } from "../../app/system/logger.ts";
import type { IngressResponse } from "../http/ingress-types.ts";
import { lateCallback, type CallbackBody } from "./late-callback.ts";
import {
  DISCORD_ANSWER_PROPAGATION_RETRY_DELAYS_MS,
  DISCORD_ANSWER_PROPAGATION_WINDOW_MS,
  DISCORD_HTTP_ACK_BUDGET_MS,
  DISCORD_INTERACTION_TOKEN_TTL_MS,
} from "./limits.ts";

type MakeRequest = RESTOptions["makeRequest"];
type ResponseLike = Awaited<ReturnType<MakeRequest>>;

/** The fields of an interaction's payload this file needs (the rest goes to discord.js as is). */
export interface InteractionPayload {
  readonly id: string;
  readonly token: string;
  readonly application_id: string;
  readonly type: number;
  /** Set for component interactions and modals submitted from a message's button. */
  readonly message?: unknown;
}

type AnswerState = "waiting" | "handler" | "fallback" | "unanswered";

interface Answering {
  readonly payload: InteractionPayload;
  readonly receivedAt: number;
  readonly fallback: CallbackBody;
  state: AnswerState;
  answeredAt?: number;
  resolve: (response: IngressResponse) => void;
  timer?: NodeJS.Timeout;
}

const JSON_HEADERS = { "content-type": "application/json" } as const;
const CALLBACK_PATH = /\/interactions\/(\d+)\/([^/]+)\/callback$/;
const WEBHOOK_PATH = /\/webhooks\/(\d+)\/([^/]+)(?:\/messages\/[^/]+)?$/;
/** Discord's code for a second acknowledgement; discord.js surfaces it as a DiscordAPIError. */
const ALREADY_ACKNOWLEDGED = 40060;
const UNKNOWN_WEBHOOK = 10015;

export interface HttpAnswersOptions {
  readonly logger: Logger;
  readonly now: () => number;
  /** Tests shorten it; the bot uses DISCORD_HTTP_ACK_BUDGET_MS. */
  readonly budgetMs?: number;
  readonly sleep?: (ms: number) => Promise<void>;
}

export class HttpAnswers {
  readonly #byId = new Map<string, Answering>();
  readonly #byToken = new Map<string, Answering>();
  readonly #logger: Logger;
  readonly #now: () => number;
  readonly #budgetMs: number;
  readonly #sleep: (ms: number) => Promise<void>;

  constructor(options: HttpAnswersOptions) {
    this.#logger = options.logger;
    this.#now = options.now;
    this.#budgetMs = options.budgetMs ?? DISCORD_HTTP_ACK_BUDGET_MS;
    this.#sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  /**
   * Runs the handler of one interaction and resolves with its HTTP answer: the handler's first
   * response, or the fallback deferral once the budget is spent. A second delivery of an
   * interaction already held is not handled again (it could only acknowledge twice).
   */
  answer(payload: InteractionPayload, handle: () => Promise<void>): Promise<IngressResponse> {
    this.#prune();
    if (this.#byId.has(payload.id))
      return Promise.resolve(jsonAnswer(409, { message: "This interaction is already being answered." }));
    return new Promise((resolve) => {
      const entry: Answering = {
        payload,
        receivedAt: this.#now(),
        fallback: fallbackFor(payload),
        state: "waiting",
        resolve,
      };
      this.#byId.set(payload.id, entry);
      this.#byToken.set(payload.token, entry);
      entry.timer = setTimeout(() => {
        if (this.#settle(entry, "fallback", jsonAnswer(200, entry.fallback)))
          this.#logger.warn(
            { interaction: payload.id, type: payload.type, fallback: entry.fallback.type },
            "interaction not acknowledged within the budget: answered with a deferral",
          );
      }, this.#budgetMs);
      void handle()
        .catch((error: unknown) =>
          this.#logger.error({ reason: (error as Error).message }, "discord interaction handler threw"),
        )
        .finally(() =>
          this.#settle(
            entry,
            "unanswered",
            jsonAnswer(400, { message: "The bot left this interaction unanswered." }),
          ),
        );
    });
  }

  /** How an interaction held here was answered ("waiting" until it is; undefined if unknown). */
  stateOf(interactionId: string): AnswerState | undefined {
    return this.#byId.get(interactionId)?.state;
  }

  /** `send` with the first response of every interaction held here folded into its HTTP answer. */
  wrap(send: MakeRequest): MakeRequest {
    return async (url, init) => {
      const path = new URL(url).pathname;
      const callback = CALLBACK_PATH.exec(path);
      if (callback) {
        const entry = this.#byId.get(callback[1] ?? "");
        if (entry && entry.payload.token === callback[2]) return this.#onCallback(entry, url, init, send);
      }
      const webhook = WEBHOOK_PATH.exec(path);
      const answered = webhook ? this.#byToken.get(webhook[2] ?? "") : undefined;
      if (answered?.answeredAt !== undefined) return this.#whileAnswerPropagates(answered, url, init, send);
      return send(url, init);
    };
  }

  async #onCallback(
    entry: Answering,
    url: string,
    init: Parameters<MakeRequest>[1],
    send: MakeRequest,
  ): Promise<ResponseLike> {
    if (new URL(url).searchParams.get("with_response") === "true")
      return refusal(
        400,
        0,
        "with_response is not available when the callback is the HTTP answer: fetch the reply instead.",
      );
    if (typeof init.body !== "string") {
      // The bot's replies carry no files in a first response; a form here is a mistake to see.
      this.#logger.error({ interaction: entry.payload.id }, "a callback with files cannot be an HTTP answer");
      return refusal(400, 0, "A callback with files cannot be folded into the HTTP answer.");
    }
    const body = parseCallback(init.body);
    if (!body) return refusal(400, 0, "The callback body is not JSON with a type.");
    if (entry.state === "waiting") {
      this.#settle(entry, "handler", { status: 200, headers: JSON_HEADERS, body: init.body });
      return new Response(null, { status: 204 });
    }
    if (entry.state !== "fallback")
      return refusal(400, ALREADY_ACKNOWLEDGED, "Interaction has already been acknowledged.");
    const late = lateCallback(entry.fallback.type, body);
    const base = url.slice(0, url.indexOf("/interactions/"));
    const webhook = `${base}/webhooks/${entry.payload.application_id}/${entry.payload.token}`;
    switch (late.kind) {
      case "drop":
        return new Response(null, { status: 204 });
      case "refuse":
        this.#logger.info({ interaction: entry.payload.id, type: body.type }, "late response refused");
        return refusal(400, ALREADY_ACKNOWLEDGED, late.reason);
      case "edit-original":
      case "follow-up": {
        const target = late.kind === "edit-original" ? `${webhook}/messages/@original` : webhook;
        const method = late.kind === "edit-original" ? "PATCH" : "POST";
        const sent = await this.#whileAnswerPropagates(
          entry,
          target,
          { ...init, method, body: JSON.stringify(late.body) },
          send,
        );
        return sent.ok ? new Response(null, { status: 204 }) : sent;
      }
    }
  }

  /**
   * Sends a webhook request of an interaction answered over HTTP; while Discord may not have
   * registered that answer yet, an Unknown Webhook answer is waited out a few times.
   */
  async #whileAnswerPropagates(
    entry: Answering,
    url: string,
    init: Parameters<MakeRequest>[1],
    send: MakeRequest,
  ): Promise<ResponseLike> {
    for (const delay of [...DISCORD_ANSWER_PROPAGATION_RETRY_DELAYS_MS, undefined]) {
      const response = await send(url, init);
      const young = this.#now() - (entry.answeredAt ?? 0) < DISCORD_ANSWER_PROPAGATION_WINDOW_MS;
      if (response.status !== 404 || delay === undefined || !young) return response;
      const text = await response.text();
      if (!isUnknownWebhook(text))
        return new Response(text, {
          status: response.status,
          headers: { "content-type": response.headers.get("content-type") ?? "application/json" },
        });
      this.#logger.debug({ interaction: entry.payload.id, delay }, "webhook not there yet; sent again");
      await this.#sleep(delay);
    }
    throw new Error("unreachable: the last attempt returns");
  }

  #settle(entry: Answering, state: Exclude<AnswerState, "waiting">, response: IngressResponse): boolean {
    if (entry.state !== "waiting") return false;
    entry.state = state;
    entry.answeredAt = this.#now();
    clearTimeout(entry.timer);
    entry.resolve(response);
    return true;
  }

  /** Interactions whose tokens are dead are forgotten. */
  #prune(): void {
    const now = this.#now();
    for (const [id, entry] of this.#byId) {
      if (now - entry.receivedAt <= DISCORD_INTERACTION_TOKEN_TTL_MS) break;
      this.#byId.delete(id);
      this.#byToken.delete(entry.payload.token);
    }
  }
}

/**
 * The deferral the bot answers with for a handler out of time: components (and forms submitted
 * from a component, which the bot answers with deferUpdate) keep their message and show no
 * loading state; commands and other forms get a private "thinking…"; autocomplete offers nothing.
 */
export function fallbackFor(payload: InteractionPayload): CallbackBody {
  const type: number = payload.type;
  if (type === Number(InteractionType.ApplicationCommandAutocomplete))
    return { type: InteractionResponseType.ApplicationCommandAutocompleteResult, data: { choices: [] } };
  if (
    type === Number(InteractionType.MessageComponent) ||
    (type === Number(InteractionType.ModalSubmit) && payload.message !== undefined)
  )
    return { type: InteractionResponseType.DeferredMessageUpdate };
  return {
    type: InteractionResponseType.DeferredChannelMessageWithSource,
    data: { flags: MessageFlags.Ephemeral },
  };
}

function jsonAnswer(status: number, body: unknown): IngressResponse {
  return { status, headers: JSON_HEADERS, body: JSON.stringify(body) };
}

/** An answer discord.js reads as Discord's refusal (a DiscordAPIError with this code). */
function refusal(status: number, code: number, message: string): ResponseLike {
  return new Response(JSON.stringify({ message, code }), { status, headers: JSON_HEADERS });
}

function parseCallback(text: string): CallbackBody | undefined {
  try {
    const parsed = JSON.parse(text) as unknown;
    if (typeof parsed !== "object" || parsed === null || typeof (parsed as CallbackBody).type !== "number")
      return undefined;
    return parsed as CallbackBody;
  } catch {
    return undefined;
  }
}

function isUnknownWebhook(text: string): boolean {
  try {
    return (JSON.parse(text) as { code?: unknown }).code === UNKNOWN_WEBHOOK;
  } catch {
    return false;
  }
}
