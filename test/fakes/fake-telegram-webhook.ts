// The webhook half of the fake Telegram Bot API, held to what the real one does: setWebhook (its
// URL, secret_token and allowed_updates checked), deleteWebhook, getWebhookInfo, and delivery.
//
// Delivery, as this fake does it (the real Bot API documents less; where it is silent the fake
// picks the stricter reading, so a bot that copes with the fake copes with Telegram):
// - every pending update is POSTed as JSON to the URL, with X-Telegram-Bot-Api-Secret-Token when
//   a secret_token was set; a 2xx answer acknowledges it and only then is it no longer pending;
// - any other answer, a connection error or no answer within WEBHOOK_DELIVERY_TIMEOUT_MS leaves it
//   pending and it is delivered again WEBHOOK_RETRY_MS later (Telegram retries too, after longer
//   and growing pauses; tests cannot wait that long). The failure is kept as last_error_message;
// - one chat's updates keep their order: an update is not delivered while an earlier one of the
//   same chat is unacknowledged (in flight or waiting for its retry); other chats go on meanwhile;
// - at most max_connections (default 40) deliveries are in flight at once;
// - an update whose kind is not in allowed_updates (when given) is dropped instead of delivered.
import { isLoopbackUrl } from "../../src/core/loopback-url.ts";

/** Pause before an update whose delivery failed is delivered again. */
export const WEBHOOK_RETRY_MS = 100;
/** A delivery not answered within this long counts as failed. */
export const WEBHOOK_DELIVERY_TIMEOUT_MS = 15_000;
/** Telegram's default max_connections, and its range. */
export const WEBHOOK_MAX_CONNECTIONS_DEFAULT = 40;
export const WEBHOOK_MAX_CONNECTIONS_RANGE = [1, 100] as const;
/** Telegram's rule for secret_token. */
const SECRET_TOKEN = /^[A-Za-z0-9_-]{1,256}$/;
const PORTS = [443, 80, 88, 8443];

export type Update = Record<string, unknown> & { update_id: number };

/** What a test or the bot's API call gets when the fake refuses: the status and Telegram's words. */
export class WebhookRefusal extends Error {
  constructor(
    readonly code: number,
    description: string,
  ) {
    super(description);
  }
}

interface Webhook {
  readonly url: string;
  readonly secret?: string;
  readonly allowedUpdates?: readonly string[];
  readonly maxConnections: number;
}

export interface DeliveryAnswer {
  readonly status: number;
  readonly body: string;
}

export class FakeWebhook {
  #webhook: Webhook | undefined;
  readonly #inFlight = new Set<number>();
  readonly #retryAt = new Map<number, number>();
  #lastError: { date: number; message: string } | undefined;
  #timer: NodeJS.Timeout | undefined;
  #timerAt = Infinity;
  readonly #aborts = new Set<AbortController>();
  #stopped = false;
  /** Every delivery this fake made: the update and what the bot answered (0: no answer). */
  readonly deliveries: { updateId: number; status: number }[] = [];

  constructor(
    /** The pending updates, oldest first (shared with getUpdates). */
    private readonly pending: () => Update[],
    /** Removes an acknowledged (or dropped) update from the pending ones. */
    private readonly acknowledge: (updateId: number) => void,
  ) {}

  get active(): boolean {
    return this.#webhook !== undefined;
  }

  set(params: Record<string, unknown>): true {
    const url = typeof params["url"] === "string" ? params["url"] : "";
    if (url === "") return this.delete(params);
    urlRefusal(url);
    const secret = params["secret_token"];
    if (secret !== undefined && (typeof secret !== "string" || !SECRET_TOKEN.test(secret)))
      throw new WebhookRefusal(400, "Bad Request: secret token contains unallowed characters");
    const allowed = params["allowed_updates"];
    if (
      allowed !== undefined &&
      !(Array.isArray(allowed) && allowed.every((kind) => typeof kind === "string"))
    )
      throw new WebhookRefusal(400, "Bad Request: can't parse allowed updates");
    const connections = params["max_connections"] ?? WEBHOOK_MAX_CONNECTIONS_DEFAULT;
    const [fewest, most] = WEBHOOK_MAX_CONNECTIONS_RANGE;
    if (
      typeof connections !== "number" ||
      !Number.isInteger(connections) ||
      connections < fewest ||
      connections > most
    )
      throw new WebhookRefusal(400, "Bad Request: bad webhook: max_connections must be between 1 and 100");
    if (params["drop_pending_updates"] === true) this.#dropAll();
    this.#webhook = {
      url,
      ...(typeof secret === "string" ? { secret } : {}),
      ...(Array.isArray(allowed) ? { allowedUpdates: allowed } : {}),
      maxConnections: connections,
    };
    this.#lastError = undefined;
    this.pump();
    return true;
  }

  delete(params: Record<string, unknown>): true {
    this.#webhook = undefined;
    if (params["drop_pending_updates"] === true) this.#dropAll();
    return true;
  }

  info(): Record<string, unknown> {
    const webhook = this.#webhook;
    return {
      url: webhook?.url ?? "",
      has_custom_certificate: false,
      pending_update_count: this.pending().length,
      ...(webhook ? { max_connections: webhook.maxConnections } : {}),
      ...(webhook?.allowedUpdates ? { allowed_updates: webhook.allowedUpdates } : {}),
      ...(this.#lastError
        ? { last_error_date: this.#lastError.date, last_error_message: this.#lastError.message }
        : {}),
    };
  }

  /** Delivers every pending update the rules allow now; called whenever something changed. */
  pump(): void {
    const webhook = this.#webhook;
    if (!webhook || this.#stopped) return;
    const now = Date.now();
    const busyChats = new Set<string>();
    let nextRetry = Infinity;
    for (const update of [...this.pending()]) {
      const id = update.update_id;
      if (
        webhook.allowedUpdates &&
        webhook.allowedUpdates.length > 0 &&
        !webhook.allowedUpdates.includes(kindOf(update))
      ) {
        this.acknowledge(id);
        continue;
      }
      const chat = chatOf(update) ?? `update:${id}`;
      if (busyChats.has(chat)) continue;
      busyChats.add(chat);
      if (this.#inFlight.has(id)) continue;
      const retryAt = this.#retryAt.get(id) ?? 0;
      if (retryAt > now) {
        nextRetry = Math.min(nextRetry, retryAt);
        continue;
      }
      if (this.#inFlight.size >= webhook.maxConnections) continue;
      this.#inFlight.add(id);
      void this.#deliver(webhook, update);
    }
    if (nextRetry < this.#timerAt) {
      clearTimeout(this.#timer);
      this.#timerAt = nextRetry;
      this.#timer = setTimeout(() => {
        this.#timerAt = Infinity;
        this.pump();
      }, nextRetry - now);
    }
  }

  /** Stops delivering (the fake is shutting down): no retry is scheduled, deliveries in flight are cut. */
  stop(): void {
    this.#stopped = true;
    clearTimeout(this.#timer);
    for (const abort of this.#aborts) abort.abort();
  }

  async #deliver(webhook: Webhook, update: Update): Promise<void> {
    const id = update.update_id;
    const abort = new AbortController();
    this.#aborts.add(abort);
    const answer = await post(webhook.url, update, webhook.secret, abort.signal);
    this.#aborts.delete(abort);
    this.#inFlight.delete(id);
    this.deliveries.push({ updateId: id, status: answer.status });
    if (answer.status >= 200 && answer.status < 300) {
      this.#retryAt.delete(id);
      this.acknowledge(id);
    } else {
      this.#retryAt.set(id, Date.now() + WEBHOOK_RETRY_MS);
      this.#lastError = {
        date: Math.floor(Date.now() / 1000),
        message: answer.status === 0 ? answer.body : `Wrong response from the webhook: ${answer.status}`,
      };
    }
    this.pump();
  }

  #dropAll(): void {
    for (const update of [...this.pending()]) this.acknowledge(update.update_id);
    this.#retryAt.clear();
  }
}

/** POSTs one update as Telegram does; status 0 with the reason when no answer came. */
export async function post(
  url: string,
  update: Update,
  secret: string | undefined,
  signal?: AbortSignal,
): Promise<DeliveryAnswer> {
  try {
    const response = await fetch(url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        ...(secret !== undefined ? { "x-telegram-bot-api-secret-token": secret } : {}),
      },
      body: JSON.stringify(update),
      signal: signal
        ? AbortSignal.any([signal, AbortSignal.timeout(WEBHOOK_DELIVERY_TIMEOUT_MS)])
        : AbortSignal.timeout(WEBHOOK_DELIVERY_TIMEOUT_MS),
    });
    return { status: response.status, body: await response.text() };
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    return { status: 0, body: cause?.code ?? cause?.message ?? (error as Error).name };
  }
}

/**
 * The real Bot API takes only https on ports 443, 80, 88 and 8443. This fake runs on loopback, so
 * it also takes http(s) on any port there: the one way a test can be the webhook's receiver.
 */
function urlRefusal(url: string): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new WebhookRefusal(400, "Bad Request: bad webhook: Failed to parse webhook URL");
  }
  if (isLoopbackUrl(url) && (parsed.protocol === "http:" || parsed.protocol === "https:")) return;
  if (parsed.protocol !== "https:")
    throw new WebhookRefusal(400, "Bad Request: bad webhook: An HTTPS URL must be provided for webhook");
  const port = parsed.port === "" ? 443 : Number(parsed.port);
  if (!PORTS.includes(port))
    throw new WebhookRefusal(
      400,
      "Bad Request: bad webhook: Webhook can be set up only on ports 80, 88, 443 or 8443",
    );
}

function kindOf(update: Update): string {
  return Object.keys(update).find((key) => key !== "update_id") ?? "";
}

function chatOf(update: Update): string | undefined {
  const message = (update["message"] ??
    (update["callback_query"] as { message?: unknown } | undefined)?.message) as
    { chat?: { id?: number } } | undefined;
  const id = message?.chat?.id;
  return id === undefined ? undefined : String(id);
}
