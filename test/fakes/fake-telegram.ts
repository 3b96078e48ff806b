// A small Telegram Bot API of our own for end-to-end tests: real HTTP on loopback, the methods the
// adapter uses, and the limits the real API enforces that emulators skip (64-byte callback_data,
// 4,096-character text, 200-character callback answers, "message is not modified", 429s). Updates
// reach the bot by getUpdates, or, once a webhook is set, by POSTs to it (fake-telegram-webhook.ts
// says how); while a webhook is set getUpdates is refused with 409, as Telegram refuses it.
import { EventEmitter } from "node:events";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { recordArtifact } from "../helpers/leak-ledger.ts";
import {
  FakeWebhook,
  post,
  WebhookRefusal,
  type DeliveryAnswer,
  type Update,
} from "./fake-telegram-webhook.ts";

export const BOT_USER = { id: 777000, is_bot: true, first_name: "Blueprint", username: "blueprint_test_bot" };

export interface FakeUser {
  readonly id: number;
  readonly first_name: string;
  readonly username?: string;
}

interface InlineButton {
  text: string;
  callback_data?: string;
  url?: string;
}

export interface FakeMessage {
  message_id: number;
  chat: { id: number; type: "private" | "group" | "supergroup" };
  from: FakeUser | typeof BOT_USER;
  date: number;
  text: string;
  reply_markup?: { inline_keyboard?: InlineButton[][]; force_reply?: boolean };
  reply_to_message?: FakeMessage;
  deleted?: boolean;
}

type ApiCall = { method: string; params: Record<string, unknown>; at: number };

export class FakeTelegram {
  /** Emits `write` (chatId, time) after every sendMessage / editMessageText it accepted. */
  readonly events = new EventEmitter();
  readonly calls: ApiCall[] = [];
  readonly messages = new Map<string, FakeMessage>();
  readonly commands: unknown[] = [];
  readonly callbackAnswers = new Map<string, { text?: string; afterMs: number }>();
  #server: Server | undefined;
  readonly #byChat = new Map<number, FakeMessage[]>();
  /** Updates not yet confirmed (getUpdates' offset) or acknowledged (a webhook's 2xx), oldest first. */
  #updates: Update[] = [];
  /** The webhook, once setWebhook was called: it delivers #updates itself. */
  readonly webhook = new FakeWebhook(
    () => this.#updates,
    (updateId) => (this.#updates = this.#updates.filter((update) => update.update_id !== updateId)),
  );
  #lastUpdate: Update | undefined;
  #nextUpdateId = 1;
  #nextMessageId = 1;
  #nextQueryId = 1;
  #waiters: (() => void)[] = [];
  #queryTimes = new Map<string, number>();
  #failures: { method: string; count: number; retryAfter: number }[] = [];
  #resets: { method: string; count: number }[] = [];
  /** Chats whose sends and edits are answered only after this many ms (a slow or flood-limited chat). */
  readonly #slowChats = new Map<number, number>();
  /** Counts getUpdates calls: a newer one ends a waiting older one with 409, as Telegram does. */
  #pollGeneration = 0;
  url = "";

  constructor() {
    // One waiter per simulated user in benchmarks.
    this.events.setMaxListeners(0);
  }

  async start(): Promise<string> {
    this.#server = createServer((request, response) => void this.#handle(request, response));
    await new Promise<void>((resolve) => this.#server?.listen(0, "127.0.0.1", resolve));
    this.url = `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
    return this.url;
  }

  async stop(): Promise<void> {
    // What the bot sent (the users' own messages are theirs, and deleted when they carry a key).
    recordArtifact(
      "fake Telegram transcript",
      JSON.stringify(this.calls.filter((call) => call.method !== "getUpdates")),
    );
    for (const wake of this.#waiters.splice(0)) wake();
    this.webhook.stop();
    this.#server?.closeAllConnections();
    await new Promise((resolve) => this.#server?.close(resolve));
  }

  /** The next `count` calls of `method` get no answer: the connection is cut (the client sees ECONNRESET). */
  resetNext(method: string, count: number): void {
    this.#resets.push({ method, count });
  }

  /** The next `count` calls of `method` fail with 429 and this retry_after. */
  failNext(method: string, count: number, retryAfter: number): void {
    this.#failures.push({ method, count, retryAfter });
  }

  /** Every send and edit in this chat is answered `ms` later (0 removes the delay). */
  slowChat(chatId: number, ms: number): void {
    if (ms > 0) this.#slowChats.set(chatId, ms);
    else this.#slowChats.delete(chatId);
  }

  sendText(from: FakeUser, chat: FakeMessage["chat"], text: string, replyTo?: FakeMessage): FakeMessage {
    const { message, update } = this.#textUpdate(from, chat, text, replyTo);
    this.#push(update);
    return message;
  }

  /**
   * An update carrying this text from this user, with its own update_id, not queued for the bot: a
   * test delivers it itself (deliverTo), e.g. with a wrong secret, or to two replicas.
   */
  textUpdate(from: FakeUser, chat: FakeMessage["chat"], text: string): Update {
    return this.#textUpdate(from, chat, text).update;
  }

  /** The update most recently queued for the bot (a test may deliver it again with deliverTo). */
  get lastUpdate(): Update | undefined {
    return this.#lastUpdate;
  }

  /**
   * POSTs `update` to `url` as Telegram delivers one (JSON, the secret in its header when given)
   * and says what came back (status 0: no answer). It changes nothing pending here.
   */
  deliverTo(url: string, update: Update, secret?: string): Promise<DeliveryAnswer> {
    return post(url, update, secret);
  }

  #textUpdate(
    from: FakeUser,
    chat: FakeMessage["chat"],
    text: string,
    replyTo?: FakeMessage,
  ): { message: FakeMessage; update: Update } {
    const message: FakeMessage = {
      message_id: this.#nextMessageId++,
      chat,
      from,
      date: now(),
      text,
      ...(replyTo ? { reply_to_message: replyTo } : {}),
    };
    this.#remember(chat.id, message);
    const entities = text.startsWith("/")
      ? [{ type: "bot_command", offset: 0, length: text.split(/\s/)[0]?.length ?? 0 }]
      : undefined;
    const update = {
      update_id: this.#nextUpdateId++,
      message: { ...message, ...(entities ? { entities } : {}) },
    };
    return { message, update };
  }

  /** Resolves with the time of the bot's next send or edit in this chat. */
  nextWrite(chatId: number): Promise<number> {
    return new Promise((resolve) => {
      const listener = (chat: number, at: number) => {
        if (chat !== chatId) return;
        this.events.off("write", listener);
        resolve(at);
      };
      this.events.on("write", listener);
    });
  }

  press(from: FakeUser, message: FakeMessage, data: string): string {
    const update = this.pressUpdate(from, message, data);
    this.#push(update);
    return String((update["callback_query"] as { id: string }).id);
  }

  /**
   * A button press as an update with its own update_id and callback query id, not queued for the
   * bot: a test delivers it itself (deliverTo), e.g. two presses at once to two replicas.
   */
  pressUpdate(from: FakeUser, message: FakeMessage, data: string): Update {
    const id = String(this.#nextQueryId++);
    this.#queryTimes.set(id, Date.now());
    return {
      update_id: this.#nextUpdateId++,
      callback_query: { id, from, message, chat_instance: "ci", data },
    };
  }

  /** The bot's messages in a chat, oldest first, as they are now (after edits). */
  botMessages(chatId: number): FakeMessage[] {
    return (this.#byChat.get(chatId) ?? []).filter(
      (message) => message.from.id === BOT_USER.id && !message.deleted,
    );
  }

  /** Every message is also indexed by chat, so a chat's lookups stay cheap in long benchmarks. */
  #remember(chatId: number, message: FakeMessage): void {
    this.messages.set(key(chatId, message.message_id), message);
    const list = this.#byChat.get(chatId) ?? [];
    list.push(message);
    this.#byChat.set(chatId, list);
  }

  lastBotMessage(chatId: number, withKeyboard = false): FakeMessage | undefined {
    return this.botMessages(chatId)
      .filter((message) => !withKeyboard || message.reply_markup?.inline_keyboard)
      .at(-1);
  }

  button(message: FakeMessage | undefined, label: string): string {
    const found = message?.reply_markup?.inline_keyboard
      ?.flat()
      .find((button) => button.text === label || button.text.startsWith(label));
    if (!found?.callback_data) {
      const labels =
        message?.reply_markup?.inline_keyboard
          ?.flat()
          .map((button) => button.text)
          .join(" | ") ?? "no keyboard";
      throw new Error(`no button '${label}': ${labels}`);
    }
    return found.callback_data;
  }

  callsOf(method: string): ApiCall[] {
    return this.calls.filter((call) => call.method === method);
  }

  async #handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const match = /^\/bot([^/]+)\/(\w+)$/.exec(request.url ?? "");
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString("utf8");
    const params = (raw ? JSON.parse(raw) : {}) as Record<string, unknown>;
    if (!match) return send(response, 404, { ok: false, error_code: 404, description: "Not Found" });
    const method = match[2] ?? "";
    this.calls.push({ method, params, at: Date.now() });
    const reset = this.#resets.find((entry) => entry.method === method && entry.count > 0);
    if (reset) {
      reset.count -= 1;
      request.socket.destroy();
      return;
    }
    const failure = this.#failures.find((entry) => entry.method === method && entry.count > 0);
    if (failure) {
      failure.count -= 1;
      return send(response, 429, {
        ok: false,
        error_code: 429,
        description: `Too Many Requests: retry after ${failure.retryAfter}`,
        parameters: { retry_after: failure.retryAfter },
      });
    }
    const delay = this.#slowChats.get(Number(params["chat_id"]));
    if (delay && (method === "sendMessage" || method === "editMessageText"))
      await new Promise((resolve) => setTimeout(resolve, delay));
    try {
      const result = await this.#call(method, params);
      send(response, 200, { ok: true, result });
    } catch (error) {
      const code = error instanceof ApiError || error instanceof WebhookRefusal ? error.code : 400;
      send(response, code, { ok: false, error_code: code, description: (error as Error).message });
    }
  }

  async #call(method: string, params: Record<string, unknown>): Promise<unknown> {
    switch (method) {
      case "getMe":
        return BOT_USER;
      case "setWebhook":
        return this.webhook.set(params);
      case "deleteWebhook":
        return this.webhook.delete(params);
      case "getWebhookInfo":
        return this.webhook.info();
      case "close":
        return true;
      case "setMyCommands": {
        const commands = params["commands"] as { command: string; description: string }[];
        if (commands.length > 100) throw new Error("Bad Request: too many commands");
        for (const command of commands) {
          if (!/^[a-z0-9_]{1,32}$/.test(command.command))
            throw new Error(`Bad Request: BOT_COMMAND_INVALID ${command.command}`);
          if (command.description.length < 1 || command.description.length > 256)
            throw new Error("Bad Request: command description is invalid");
        }
        this.commands.splice(0, this.commands.length, ...commands);
        return true;
      }
      case "getUpdates":
        return this.#getUpdates(
          Number(params["offset"] ?? 0),
          Number(params["timeout"] ?? 0),
          Number(params["limit"] ?? 100),
        );
      case "sendMessage": {
        const chatId = Number(params["chat_id"]);
        const text = checkText(params["text"]);
        const markup = checkMarkup(params["reply_markup"]);
        const replyId = (params["reply_parameters"] as { message_id?: number } | undefined)?.message_id;
        const message: FakeMessage = {
          message_id: this.#nextMessageId++,
          chat: { id: chatId, type: chatId > 0 ? "private" : "group" },
          from: BOT_USER,
          date: now(),
          text,
          ...(markup ? { reply_markup: markup } : {}),
          ...(replyId !== undefined
            ? { reply_to_message: this.messages.get(key(chatId, replyId)) as FakeMessage }
            : {}),
        };
        this.#remember(chatId, message);
        this.events.emit("write", chatId, Date.now());
        return message;
      }
      case "editMessageText": {
        const message = this.#find(params);
        const text = checkText(params["text"]);
        const markup = checkMarkup(params["reply_markup"]);
        if (
          message.text === text &&
          JSON.stringify(message.reply_markup ?? null) === JSON.stringify(markup ?? null)
        ) {
          throw new Error(
            "Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message",
          );
        }
        message.text = text;
        if (markup) message.reply_markup = markup;
        else delete message.reply_markup;
        this.events.emit("write", message.chat.id, Date.now());
        return message;
      }
      case "answerCallbackQuery": {
        const id = String(params["callback_query_id"]);
        if (this.callbackAnswers.has(id))
          throw new Error(
            "Bad Request: query is too old and response timeout expired or query ID is invalid",
          );
        const text = params["text"] as string | undefined;
        if (text !== undefined && text.length > 200) throw new Error("Bad Request: MESSAGE_TOO_LONG");
        this.callbackAnswers.set(id, {
          ...(text ? { text } : {}),
          afterMs: Date.now() - (this.#queryTimes.get(id) ?? Date.now()),
        });
        return true;
      }
      case "deleteMessage": {
        const message = this.#find(params);
        message.deleted = true;
        return true;
      }
      default:
        throw new Error(`Bad Request: method ${method} is not served by the fake`);
    }
  }

  #find(params: Record<string, unknown>): FakeMessage {
    const message = this.messages.get(key(Number(params["chat_id"]), Number(params["message_id"])));
    if (!message || message.deleted) throw new Error("Bad Request: message to edit not found");
    return message;
  }

  async #getUpdates(offset: number, timeout: number, limit: number): Promise<unknown[]> {
    if (this.webhook.active)
      throw new ApiError(
        409,
        "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first",
      );
    if (!Number.isInteger(limit) || limit < 1 || limit > 100)
      throw new Error("Bad Request: limit must be between 1 and 100");
    // A newer poll ends any older one still waiting: it answers 409, as Telegram does.
    const generation = ++this.#pollGeneration;
    for (const wake of this.#waiters.splice(0)) wake();
    this.#updates = this.#updates.filter((update) => update.update_id >= offset);
    if (this.#updates.length === 0 && timeout > 0) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(timeout, 1) * 1000);
        this.#waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
      if (generation !== this.#pollGeneration)
        throw new ApiError(
          409,
          "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running",
        );
    }
    return this.#updates.filter((update) => update.update_id >= offset).slice(0, limit);
  }

  /** The id of the newest update queued for the bot (0 before the first). */
  get lastUpdateId(): number {
    return this.#lastUpdate?.update_id ?? 0;
  }

  #push(update: Update): void {
    this.#updates.push(update);
    this.#lastUpdate = update;
    for (const wake of this.#waiters.splice(0)) wake();
    this.webhook.pump();
  }
}

/** An answer with an error code other than 400. */
class ApiError extends Error {
  constructor(
    readonly code: number,
    description: string,
  ) {
    super(description);
  }
}

function checkText(value: unknown): string {
  const text = typeof value === "string" ? value : "";
  if (text.length === 0) throw new Error("Bad Request: message text is empty");
  if (text.length > 4096) throw new Error("Bad Request: message is too long");
  return text;
}

function checkMarkup(value: unknown): FakeMessage["reply_markup"] | undefined {
  if (value === undefined || value === null) return undefined;
  const markup = (typeof value === "string" ? JSON.parse(value) : value) as FakeMessage["reply_markup"];
  for (const button of markup?.inline_keyboard?.flat() ?? []) {
    if (button.callback_data !== undefined && Buffer.byteLength(button.callback_data) > 64)
      throw new Error("Bad Request: BUTTON_DATA_INVALID");
  }
  return markup;
}

function key(chatId: number, messageId: number): string {
  return `${chatId}:${messageId}`;
}

function now(): number {
  return Math.floor(Date.now() / 1000);
}

function send(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { "content-type": "application/json" });
  response.end(JSON.stringify(body));
}
