// A Discord of our own for end-to-end tests: the REST routes and the gateway WebSocket an
// unmodified discord.js Client uses, on loopback. It records every call, plays the users (slash
// commands, presses, selects, modal submits, autocomplete) and enforces what the real API does:
// the 3-second acknowledgement, one acknowledgement per interaction, modals only as the first
// response, 15-minute interaction tokens, and the size limits in ./limits.ts. In HTTP interactions
// mode (useInteractionsEndpoint) it POSTs each interaction, signed, to the bot's endpoint instead
// of dispatching it on the gateway, and takes the HTTP answer as the interaction's one callback.
import { sign, type KeyObject } from "node:crypto";
import { EventEmitter } from "node:events";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { WebSocketServer, type WebSocket } from "ws";
import { recordArtifact } from "../../helpers/leak-ledger.ts";
import {
  choiceProblems,
  commandProblems,
  deferFlagProblems,
  isEmptyMessage,
  messageProblems,
  modalProblems,
} from "./limits.ts";
import {
  APPLICATION_ID,
  BOT_USER,
  GUILD_ID,
  guildObject,
  memberObject,
  messageObject,
  snowflake,
  userObject,
  type FakeChannel,
  type FakeUser,
  type StoredMessage,
} from "./payloads.ts";

export { APPLICATION_ID, BOT_USER, GUILD_ID, type FakeUser, type StoredMessage } from "./payloads.ts";

export const BOT_TOKEN = "MTEwMDAwMDAwMDAwMDAwMDAwMQ.FakeTk.fake-discord-bot-token-for-tests";
export const GENERAL = "1400000000000000001";
/** A channel where the bot may not post (status messages fall back to a DM). */
export const READ_ONLY = "1400000000000000002";
/** A channel in six-hour slow mode: the bot's post answers 429 with code 20016. */
export const SLOW = "1400000000000000003";
/** An archived thread: the bot's post answers 400 with code 50083. */
export const ARCHIVED = "1400000000000000004";
const EPHEMERAL = 64;
const LOADING = 128;

type Json = Record<string, unknown>;

/** Interaction types (API v10) and the callback types that answer them. */
export const INTERACTION = { command: 2, component: 3, autocomplete: 4, modalSubmit: 5 } as const;
export const CALLBACK = {
  reply: 4,
  deferReply: 5,
  deferUpdate: 6,
  update: 7,
  autocomplete: 8,
  modal: 9,
} as const;

export interface FakeInteraction {
  readonly id: string;
  readonly token: string;
  readonly type: number;
  readonly user: FakeUser;
  readonly channelId: string;
  readonly dispatchedAt: number;
  readonly payload: Json;
  /** Every callback the bot made for it (more than one is a violation). */
  readonly acks: { type: number; at: number; data?: Json }[];
  /** The message the interaction came from (components) or its first response created (commands). */
  messageId?: string;
  /** First PATCH of @original (or an UPDATE callback): when the user saw the new screen. */
  firstEditAt?: number;
  readonly followUps: string[];
  /** HTTP interactions mode: the endpoint's answers to each delivery (a redelivery adds one). */
  readonly httpAnswers: { status: number; body: string; at: number }[];
  /** Delivered over HTTP and its answer not back yet: Discord knows no webhook for it so far. */
  httpPending?: boolean;
  /** Discord showed "This interaction failed" (answer late, refused or not a valid callback). */
  failed?: string;
}

export interface RecordedCall {
  readonly method: string;
  readonly path: string;
  readonly body: unknown;
  readonly at: number;
  readonly status: number;
}

export interface FakeDiscordOptions {
  readonly ackTimeoutMs?: number;
  readonly tokenLifetimeMs?: number;
  /** Roles the guild has (members carry their ids), sent with GUILD_CREATE as Discord does. */
  readonly roles?: readonly { readonly id: string; readonly name: string }[];
  /**
   * Close every IDENTIFY with this gateway close code, as Discord does for a fatal problem:
   * 4004 authentication failed (a revoked token passes REST only until it is revoked everywhere),
   * 4014 disallowed intents (a privileged intent not switched on in the portal).
   */
  readonly gatewayClose?: 4004 | 4014;
  /**
   * One-way network delay: every gateway dispatch reaches the bot this much later, and every
   * request the bot makes is handled this much later. The 3-second acknowledgement window counts
   * from the user's click, so a bot on a real network has about 3 s minus twice this.
   */
  readonly latencyMs?: number;
}

/** Where Discord POSTs interactions in HTTP interactions mode, and the key it signs them with. */
export interface InteractionsEndpoint {
  readonly url: string;
  readonly privateKey: KeyObject;
}

export class FakeDiscord {
  readonly calls: RecordedCall[] = [];
  /** Every limit the bot broke; an end-to-end test expects this to stay empty. */
  readonly violations: string[] = [];
  readonly gatewayClose: 4004 | 4014 | undefined;
  readonly latencyMs: number;
  /**
   * Mentions Discord parses in a message the bot sends or edits: @everyone/@here, <@user>, <@&role>
   * in its content, unless `allowed_mentions` says otherwise (with none, all are parsed). A parsed
   * mention highlights the message for those named; on a new message it also notifies them.
   */
  readonly pings: { readonly messageId: string; readonly mention: string }[] = [];
  readonly messages = new Map<string, StoredMessage>();
  readonly interactions = new Map<string, FakeInteraction>();
  readonly commands = { global: [] as Json[], guild: new Map<string, Json[]>() };
  readonly channels = new Map<string, FakeChannel>([
    [GENERAL, { id: GENERAL, name: "general", type: 0, botCanSend: true }],
    [READ_ONLY, { id: READ_ONLY, name: "announcements", type: 0, botCanSend: false }],
    [SLOW, { id: SLOW, name: "slow", type: 0, botCanSend: true, slowmodeS: 6 * 3600 }],
    [ARCHIVED, { id: ARCHIVED, name: "old-thread", type: 0, botCanSend: true, archived: true }],
  ]);
  /** Users whose DMs are closed to the bot: a DM post answers 403, code 50007. */
  readonly dmsClosed = new Set<string>();
  readonly events = new EventEmitter();
  readonly ackTimeoutMs: number;
  readonly roles: readonly { readonly id: string; readonly name: string }[];
  tokenLifetimeMs: number;
  apiRoot = "";
  #server: Server | undefined;
  #gateway: WebSocketServer | undefined;
  #sockets = new Set<WebSocket>();
  #sequence = 0;
  #byToken = new Map<string, FakeInteraction>();
  #failures: { pattern: RegExp; count: number; status: number; retryAfterS: number }[] = [];
  /** Shifts the fake's clock, e.g. to let interaction tokens expire without waiting 15 minutes. */
  clockOffsetMs = 0;
  /** The Interactions Endpoint URL Discord POSTs to, once saved. */
  get interactionsEndpointUrl(): string | undefined {
    return this.#endpoint?.url;
  }

  /** HTTP interactions mode: set once the endpoint passed the portal's checks. */
  #endpoint: InteractionsEndpoint | undefined;
  /**
   * Webhook requests that came before Discord had the interaction's HTTP answer (404 Unknown
   * Webhook, which real Discord also gives in that race): not a violation, counted for tests.
   */
  earlyWebhooks = 0;

  constructor(options: FakeDiscordOptions = {}) {
    this.ackTimeoutMs = options.ackTimeoutMs ?? 3000;
    this.tokenLifetimeMs = options.tokenLifetimeMs ?? 15 * 60 * 1000;
    this.roles = options.roles ?? [];
    this.gatewayClose = options.gatewayClose;
    this.latencyMs = options.latencyMs ?? 0;
    this.events.setMaxListeners(0);
  }

  openSockets = 0;
  peakSockets = 0;

  async start(): Promise<string> {
    this.#server = createServer((request, response) => void this.#handle(request, response));
    // Sockets the bot holds open to us at once (REST and the gateway), and the most it ever held.
    this.#server.on("connection", (socket) => {
      this.openSockets += 1;
      this.peakSockets = Math.max(this.peakSockets, this.openSockets);
      socket.once("close", () => (this.openSockets -= 1));
    });
    this.#gateway = new WebSocketServer({ server: this.#server });
    this.#gateway.on("connection", (socket) => this.#connect(socket));
    await new Promise<void>((resolve) => this.#server?.listen(0, "127.0.0.1", resolve));
    this.apiRoot = `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}/api`;
    return this.apiRoot;
  }

  async stop(): Promise<void> {
    recordArtifact("fake Discord transcript", this.transcript());
    for (const socket of this.#sockets) socket.terminate();
    this.#gateway?.close();
    this.#server?.closeAllConnections();
    await new Promise((resolve) => this.#server?.close(resolve));
  }

  now(): number {
    return Date.now() + this.clockOffsetMs;
  }

  /** The next `count` requests whose "METHOD path" matches fail with `status` (429 waits retryAfterS). */
  failNext(pattern: RegExp, count: number, status = 429, retryAfterS = 0.2): void {
    this.#failures.push({ pattern, count, status, retryAfterS });
  }

  get connected(): number {
    return this.#sockets.size;
  }

  /** Resolves once `check` returns something other than undefined/false, re-checked on every call. */
  async until<T>(check: () => T | undefined | false, timeoutMs = 10_000, what = "condition"): Promise<T> {
    const first = check();
    if (first !== undefined && first !== false) return first;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.events.off("change", probe);
        reject(new Error(`fake discord: timed out waiting for ${what}`));
      }, timeoutMs);
      const probe = (): void => {
        const value = check();
        if (value === undefined || value === false) return;
        clearTimeout(timer);
        this.events.off("change", probe);
        resolve(value);
      };
      this.events.on("change", probe);
    });
  }

  // ---- the users' side ----------------------------------------------------------------------

  /** `/profile new`, `/persona apply id:x`: a chat-input command with string options. */
  command(
    user: FakeUser,
    channelId: string,
    path: string,
    options: Record<string, string> = {},
    ageMs = 0,
  ): FakeInteraction {
    return this.#dispatch(
      user,
      channelId,
      INTERACTION.command,
      {
        data: { id: snowflake(), name: path.split(" ")[0], type: 1, options: commandOptions(path, options) },
      },
      ageMs,
    );
  }

  /**
   * Whether Discord would offer a registered global command in this place. Interaction contexts:
   * 0 a server, 1 a DM with the bot, 2 a group DM or DM between others (only through a user
   * install). Installs: 0 server, 1 user. A command without `contexts` or `integration_types` gets
   * Discord's defaults: every context, and every install type the app allows (this fake's app
   * allows both, as an app with user install switched on in the portal does).
   */
  usableIn(name: string, context: 0 | 1 | 2, install: 0 | 1): boolean {
    const command = this.commands.global.find((entry) => entry["name"] === name);
    if (!command) return false;
    const contexts = (command["contexts"] as number[] | null | undefined) ?? [0, 1, 2];
    const installs = (command["integration_types"] as number[] | null | undefined) ?? [0, 1];
    return contexts.includes(context) && installs.includes(install);
  }

  autocomplete(
    user: FakeUser,
    channelId: string,
    path: string,
    options: Record<string, string>,
    focused: string,
  ): FakeInteraction {
    return this.#dispatch(user, channelId, INTERACTION.autocomplete, {
      data: {
        id: snowflake(),
        name: path.split(" ")[0],
        type: 1,
        options: commandOptions(path, options, focused),
      },
    });
  }

  /**
   * A button press. Only buttons the message shows can be pressed, and an ephemeral message only
   * by the user it was shown to, unless `forge` (a hand-made payload, as a hostile client could send).
   */
  press(user: FakeUser, messageId: string, customId: string, forge = false): FakeInteraction {
    const message = this.#pressable(user, messageId, forge);
    if (!forge && !findComponent(message, customId, 2))
      throw new Error(`no button ${customId} on ${messageId}`);
    return this.#dispatch(user, message.channelId, INTERACTION.component, {
      data: { custom_id: customId, component_type: 2 },
      message: messageObject(message, this.#guildOf(message.channelId)),
    });
  }

  select(
    user: FakeUser,
    messageId: string,
    customId: string,
    values: readonly string[],
    forge = false,
  ): FakeInteraction {
    const message = this.#pressable(user, messageId, forge);
    const menu = findComponent(message, customId, 3);
    if (!forge) {
      if (!menu) throw new Error(`no select ${customId} on ${messageId}`);
      const options = menu["options"] as Json[];
      const offered = new Set(options.map((option) => option["value"]));
      for (const value of values) if (!offered.has(value)) throw new Error(`select offers no ${value}`);
      // Discord's client sends no interaction when the option already marked default is picked
      // again (discord-api-docs #4801): the user is stuck unless the screen offers another way on.
      const single = (menu["max_values"] ?? 1) === 1;
      const preset = options.filter((option) => option["default"] === true).map((option) => option["value"]);
      if (single && values.length === 1 && preset.includes(values[0]))
        throw new Error(
          `the Discord client sends nothing: '${String(values[0])}' is already the select's default`,
        );
    }
    return this.#dispatch(user, message.channelId, INTERACTION.component, {
      data: { custom_id: customId, component_type: 3, values: [...values] },
      message: messageObject(message, this.#guildOf(message.channelId)),
    });
  }

  /** The modal a response opened: its title and inputs as the bot sent them. */
  modalOf(interaction: FakeInteraction): Json | undefined {
    const ack = interaction.acks[0];
    return ack?.type === CALLBACK.modal ? ack.data : undefined;
  }

  /** Submits the modal `opened` showed, with a value per input custom_id. */
  submitModal(user: FakeUser, opened: FakeInteraction, values: Record<string, string>): FakeInteraction {
    const modal = this.modalOf(opened);
    if (!modal) throw new Error("that interaction was not answered with a modal");
    const rows = modal["components"] as Json[];
    const inputOf = (row: Json): Json =>
      row["type"] === 18
        ? ((row["component"] as Json | undefined) ?? {})
        : ((row["components"] as Json[])[0] ?? {});
    const inputs = rows.map(inputOf);
    for (const key of Object.keys(values)) {
      if (!inputs.some((input) => input["custom_id"] === key)) throw new Error(`modal has no input ${key}`);
    }
    const message = opened.messageId ? this.messages.get(opened.messageId) : undefined;
    return this.#dispatch(user, opened.channelId, INTERACTION.modalSubmit, {
      data: {
        custom_id: modal["custom_id"],
        // Submitted in the shape the modal was sent in: action rows, or Label components.
        components: rows.map((row) => {
          const input = inputOf(row);
          const submitted = {
            type: 4,
            custom_id: input["custom_id"],
            value: values[String(input["custom_id"])] ?? "",
          };
          return row["type"] === 18
            ? { type: 18, component: submitted }
            : { type: 1, components: [submitted] };
        }),
      },
      ...(message && opened.type === INTERACTION.component
        ? { message: messageObject(message, this.#guildOf(message.channelId)) }
        : {}),
    });
  }

  /** The message an interaction's responses show (its @original). */
  original(interaction: FakeInteraction): StoredMessage | undefined {
    return interaction.messageId ? this.messages.get(interaction.messageId) : undefined;
  }

  /** Messages in a channel (not ephemeral ones), oldest first. */
  channelMessages(channelId: string): StoredMessage[] {
    return [...this.messages.values()].filter(
      (message) => message.channelId === channelId && message.ephemeralFor === undefined,
    );
  }

  dmChannelOf(userId: string): string | undefined {
    return [...this.channels.values()].find((channel) => channel.recipient === userId)?.id;
  }

  /** Every request body and message the bot produced, as one string (for "never echoed" checks). */
  transcript(): string {
    const httpAnswers = [...this.interactions.values()].flatMap((interaction) =>
      interaction.httpAnswers.map((answer) => answer.body),
    );
    return JSON.stringify([this.calls.map((call) => call.body), [...this.messages.values()], httpAnswers]);
  }

  // ---- dispatching ---------------------------------------------------------------------------

  #pressable(user: FakeUser, messageId: string, forge: boolean): StoredMessage {
    const message = this.messages.get(messageId);
    if (!message) throw new Error(`no message ${messageId}`);
    if (!forge && message.ephemeralFor !== undefined && message.ephemeralFor !== user.id)
      throw new Error(`message ${messageId} is ephemeral for someone else`);
    return message;
  }

  #guildOf(channelId: string): string | undefined {
    return this.channels.get(channelId)?.type === 0 ? GUILD_ID : undefined;
  }

  /** `ageMs`: the click happened this long ago (an interaction held back, e.g. while the bot started). */
  #dispatch(user: FakeUser, channelId: string, type: number, extra: Json, ageMs = 0): FakeInteraction {
    const channel = this.channels.get(channelId);
    if (!channel) throw new Error(`no channel ${channelId}`);
    const id = snowflake(this.now() - ageMs);
    const token = `itoken-${id}-${Math.random().toString(36).slice(2)}`;
    const inGuild = channel.type === 0;
    const payload: Json = {
      id,
      application_id: APPLICATION_ID,
      type,
      token,
      version: 1,
      channel: inGuild
        ? { id: channelId, type: 0, guild_id: GUILD_ID, name: channel.name }
        : { id: channelId, type: 1, recipients: [userObject(user)] },
      channel_id: channelId,
      ...(inGuild ? { guild_id: GUILD_ID, member: memberObject(user) } : { user: userObject(user) }),
      app_permissions: channel.botCanSend ? "2048" : "0",
      locale: "en-US",
      ...(inGuild ? { guild_locale: "en-US" } : {}),
      entitlements: [],
      authorizing_integration_owners: { "0": GUILD_ID },
      context: inGuild ? 0 : 1,
      attachment_size_limit: 10 * 1024 * 1024,
      ...extra,
    };
    const message = extra["message"] as Json | undefined;
    const interaction: FakeInteraction = {
      id,
      token,
      type,
      user,
      channelId,
      dispatchedAt: this.now() - ageMs,
      payload,
      acks: [],
      followUps: [],
      httpAnswers: [],
      ...(message ? { messageId: String(message["id"]) } : {}),
    };
    this.interactions.set(id, interaction);
    this.#byToken.set(token, interaction);
    if (this.#endpoint) void this.#deliver(this.#endpoint, interaction);
    else this.#send({ op: 0, t: "INTERACTION_CREATE", d: payload });
    return interaction;
  }

  // ---- HTTP interactions ----------------------------------------------------------------------

  /**
   * Saves the Interactions Endpoint URL as the Developer Portal does: Discord first POSTs a PING
   * (the answer must be `{"type":1}`) and a request with a bad signature (the answer must be 401),
   * and refuses to save the URL otherwise. From then on interactions are POSTed there, signed.
   */
  async useInteractionsEndpoint(endpoint: InteractionsEndpoint): Promise<void> {
    const ping = await this.#post(endpoint, { id: snowflake(), application_id: APPLICATION_ID, type: 1 });
    const pong = parseJson(ping.body);
    if (ping.status !== 200 || pong?.["type"] !== 1)
      throw new Error(`the endpoint answered the PING with ${ping.status} ${ping.body}, not {"type":1}`);
    const forged = await this.#post(
      endpoint,
      { id: snowflake(), application_id: APPLICATION_ID, type: 1 },
      { forge: true },
    );
    if (forged.status !== 401)
      throw new Error(`the endpoint answered a request with a bad signature with ${forged.status}, not 401`);
    this.#endpoint = endpoint;
  }

  /**
   * Delivers an interaction's payload to the endpoint again, as a retried delivery would (the
   * answer counts as another callback: a second acknowledgement is a violation).
   */
  async redeliver(interaction: FakeInteraction): Promise<{ status: number; body: string }> {
    if (!this.#endpoint) throw new Error("redeliver needs HTTP interactions mode");
    return this.#deliver(this.#endpoint, interaction);
  }

  /**
   * What an attacker could send: this payload POSTed to the endpoint with a signature that is not
   * Discord's (or, with `timestamp`, a valid signature over another timestamp than the one sent).
   * Nothing is recorded as an interaction.
   */
  async forgeDelivery(payload: Json, timestamp?: string): Promise<{ status: number; body: string }> {
    if (!this.#endpoint) throw new Error("forgeDelivery needs HTTP interactions mode");
    return this.#post(
      this.#endpoint,
      payload,
      timestamp ? { timestamp, tamperTimestamp: true } : { forge: true },
    );
  }

  /** POSTs a payload as Discord does; `forge` signs with a key that is not the application's. */
  async #post(
    endpoint: InteractionsEndpoint,
    payload: Json,
    how: { forge?: boolean; timestamp?: string; tamperTimestamp?: boolean } = {},
  ): Promise<{ status: number; body: string }> {
    const raw = JSON.stringify(payload);
    const signedAt = String(Math.floor(this.now() / 1000));
    const timestamp = how.timestamp ?? signedAt;
    const signature = sign(
      null,
      Buffer.from((how.tamperTimestamp ? signedAt : timestamp) + raw),
      endpoint.privateKey,
    );
    if (how.forge) signature[0] = (signature[0] ?? 0) ^ 0xff;
    const response = await fetch(endpoint.url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "x-signature-ed25519": signature.toString("hex"),
        "x-signature-timestamp": timestamp,
      },
      body: raw,
    });
    return { status: response.status, body: await response.text() };
  }

  /** One signed delivery; its answer is the interaction's callback, under the callback's rules. */
  async #deliver(
    endpoint: InteractionsEndpoint,
    interaction: FakeInteraction,
  ): Promise<{ status: number; body: string }> {
    interaction.httpPending = true;
    if (this.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, this.latencyMs));
    let answer: { status: number; body: string };
    try {
      answer = await this.#post(endpoint, interaction.payload);
    } catch (error) {
      // fetch's own message is "fetch failed"; the cause says what (refused, reset, timed out).
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      answer = {
        status: 0,
        body: cause ? `${cause.code ?? ""} ${cause.message ?? ""}`.trim() : String(error),
      };
    }
    if (this.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, this.latencyMs));
    interaction.httpPending = false;
    interaction.httpAnswers.push({ ...answer, at: this.now() });
    const body = parseJson(answer.body);
    const firstDelivery = interaction.httpAnswers.length === 1;
    if (answer.status !== 200 || !body) {
      // A refused delivery of an interaction already answered changes nothing for the user.
      if (firstDelivery) this.#fail(interaction, `the endpoint answered ${answer.status}`);
    } else {
      const result = this.#acknowledge(interaction, body, []);
      if (result.status !== 204 && firstDelivery)
        this.#fail(interaction, `its HTTP answer was refused (${JSON.stringify(result.json)})`);
    }
    this.events.emit("change");
    return answer;
  }

  /** Discord shows "This interaction failed"; the token is dead from now on (10062). */
  #fail(interaction: FakeInteraction, why: string): void {
    interaction.failed ??= why;
  }

  // ---- gateway --------------------------------------------------------------------------------

  /** Closes every live gateway connection with this code (4004: token revoked while running). */
  closeGateway(code: number, reason: string): void {
    for (const socket of this.#sockets) socket.close(code, reason);
  }

  #connect(socket: WebSocket): void {
    socket.send(JSON.stringify({ op: 10, d: { heartbeat_interval: 41_250 } }));
    socket.on("message", (raw: Buffer) => {
      const frame = JSON.parse(raw.toString()) as { op: number; d: Json };
      if (frame.op === 1) socket.send(JSON.stringify({ op: 11 }));
      if (frame.op === 2) {
        if (frame.d["token"] !== BOT_TOKEN) return socket.close(4004, "Authentication failed.");
        if (this.gatewayClose === 4004) return socket.close(4004, "Authentication failed.");
        if (this.gatewayClose === 4014) return socket.close(4014, "Disallowed intent(s).");
        this.#sockets.add(socket);
        const ready = {
          v: 10,
          user: { ...BOT_USER, verified: true, flags: 0, mfa_enabled: false },
          guilds: [{ id: GUILD_ID, unavailable: true }],
          session_id: `session-${snowflake()}`,
          resume_gateway_url: this.apiRoot.replace(/^http/, "ws").replace(/\/api$/, ""),
          shard: [0, 1],
          application: { id: APPLICATION_ID, flags: 0 },
        };
        this.#sendTo(socket, "READY", ready);
        this.#sendTo(socket, "GUILD_CREATE", guildObject([...this.channels.values()], this.roles));
        this.events.emit("change");
      }
    });
    socket.on("close", () => {
      this.#sockets.delete(socket);
      this.events.emit("change");
    });
  }

  #send(frame: { op: number; t: string; d: Json }): void {
    const deliver = () => {
      for (const socket of this.#sockets) this.#sendTo(socket, frame.t, frame.d);
    };
    if (this.latencyMs > 0) setTimeout(deliver, this.latencyMs);
    else deliver();
  }

  #sendTo(socket: WebSocket, event: string, data: Json): void {
    socket.send(JSON.stringify({ op: 0, t: event, s: ++this.#sequence, d: data }));
  }

  // ---- REST -----------------------------------------------------------------------------------

  async #handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    if (this.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, this.latencyMs));
    const method = request.method ?? "GET";
    const url = new URL(request.url ?? "/", "http://fake");
    const path = decodeURIComponent(url.pathname).replace(/^\/api\/v10/, "");
    const { body, files } = await parseBody(request, Buffer.concat(chunks));
    const answer = (status: number, json?: unknown, headers: Record<string, string> = {}): void => {
      this.calls.push({ method, path, body, at: this.now(), status });
      if (json === undefined) response.writeHead(status, headers).end();
      else
        response
          .writeHead(status, { "content-type": "application/json", ...headers })
          .end(JSON.stringify(json));
      this.events.emit("change");
    };
    const failure = this.#failures.find(
      (entry) => entry.count > 0 && entry.pattern.test(`${method} ${path}`),
    );
    if (failure) {
      failure.count -= 1;
      if (failure.status === 429)
        return answer(
          429,
          { message: "You are being rate limited.", retry_after: failure.retryAfterS, global: false },
          { "retry-after": String(failure.retryAfterS), "x-ratelimit-scope": "user" },
        );
      return answer(failure.status, { message: "Internal Server Error", code: 0 });
    }
    const reply = this.#route(method, path, request.headers.authorization, body, files);
    answer(reply.status, reply.json, reply.headers);
  }

  #route(
    method: string,
    path: string,
    auth: string | undefined,
    body: Json,
    files: StoredMessage["attachments"],
  ): { status: number; json?: unknown; headers?: Record<string, string> } {
    let match: RegExpExecArray | null;
    if ((match = /^\/interactions\/(\d+)\/([^/]+)\/callback$/.exec(path)) && method === "POST")
      return this.#callback(match[1] ?? "", match[2] ?? "", body, files);
    if ((match = /^\/webhooks\/(\d+)\/([^/]+)(?:\/messages\/([^/]+))?$/.exec(path)))
      return this.#webhook(method, match[2] ?? "", match[3], body, files);
    if (auth !== `Bot ${BOT_TOKEN}`) return { status: 401, json: { message: "401: Unauthorized", code: 0 } };
    if (path === "/gateway/bot" && method === "GET")
      return {
        status: 200,
        json: {
          url: this.apiRoot.replace(/^http/, "ws").replace(/\/api$/, ""),
          shards: 1,
          session_start_limit: { total: 1000, remaining: 999, reset_after: 0, max_concurrency: 1 },
        },
      };
    if (path === "/users/@me" && method === "GET")
      return { status: 200, json: { ...BOT_USER, verified: true, flags: 0, mfa_enabled: false } };
    if (path === "/applications/@me" && method === "GET")
      return {
        status: 200,
        json: {
          id: APPLICATION_ID,
          name: BOT_USER.username,
          description: "",
          icon: null,
          bot_public: false,
          bot_require_code_grant: false,
          verify_key: "",
          flags: 0,
          bot: BOT_USER,
          ...(this.#endpoint ? { interactions_endpoint_url: this.#endpoint.url } : {}),
        },
      };
    if ((match = /^\/channels\/(\d+)\/messages$/.exec(path)) && method === "POST")
      return this.#createChannelMessage(match[1] ?? "", body, files);
    if ((match = /^\/channels\/(\d+)\/messages\/(\d+)$/.exec(path)) && method === "PATCH")
      return this.#editChannelMessage(match[1] ?? "", match[2] ?? "", body);
    if (path === "/users/@me/channels" && method === "POST")
      return this.#openDm(String(body["recipient_id"]));
    if ((match = /^\/applications\/(\d+)(?:\/guilds\/(\d+))?\/commands$/.exec(path)))
      return this.#applicationCommands(method, match[2], body);
    return { status: 404, json: { message: "404: Not Found", code: 0 } };
  }

  #violation(text: string, status: number, code: number): { status: number; json: Json } {
    this.violations.push(text);
    return { status, json: { message: text, code } };
  }

  #callback(
    id: string,
    token: string,
    body: Json,
    files: StoredMessage["attachments"],
  ): { status: number; json?: unknown } {
    const interaction = this.interactions.get(id);
    if (!interaction || interaction.token !== token)
      return this.#violation("Unknown interaction", 404, 10062);
    if (interaction.failed)
      return this.#violation(`interaction ${id} failed: ${interaction.failed}`, 404, 10062);
    if (interaction.httpAnswers.length > 0 || interaction.httpPending) {
      interaction.acks.push({
        type: Number(body["type"]),
        at: this.now(),
        data: (body["data"] ?? {}) as Json,
      });
      return this.#violation(
        `interaction ${id} answered over HTTP; a REST callback is a second acknowledgement`,
        400,
        40060,
      );
    }
    return this.#acknowledge(interaction, body, files);
  }

  /** The one acknowledgement of an interaction: a REST callback, or the HTTP answer. */
  #acknowledge(
    interaction: FakeInteraction,
    body: Json,
    files: StoredMessage["attachments"],
  ): { status: number; json?: unknown } {
    const id = interaction.id;
    const type = Number(body["type"]);
    const data = (body["data"] ?? {}) as Json;
    if (interaction.acks.length > 0) {
      interaction.acks.push({ type, at: this.now(), data });
      return this.#violation(`interaction ${id} acknowledged twice`, 400, 40060);
    }
    const elapsed = this.now() - interaction.dispatchedAt;
    if (elapsed > this.ackTimeoutMs) {
      this.#fail(interaction, `acknowledged after ${elapsed} ms`);
      return this.#violation(`interaction ${id} acknowledged after ${elapsed} ms`, 404, 10062);
    }
    const allowed: Record<number, readonly number[]> = {
      [INTERACTION.command]: [CALLBACK.reply, CALLBACK.deferReply, CALLBACK.modal],
      [INTERACTION.component]: [
        CALLBACK.reply,
        CALLBACK.deferReply,
        CALLBACK.deferUpdate,
        CALLBACK.update,
        CALLBACK.modal,
      ],
      [INTERACTION.modalSubmit]: [CALLBACK.reply, CALLBACK.deferReply, CALLBACK.deferUpdate, CALLBACK.update],
      [INTERACTION.autocomplete]: [CALLBACK.autocomplete],
    };
    if (!allowed[interaction.type]?.includes(type))
      return this.#violation(
        `callback type ${type} is not valid for interaction type ${interaction.type}`,
        400,
        50035,
      );
    const problems =
      type === CALLBACK.modal
        ? modalProblems(data)
        : type === CALLBACK.autocomplete
          ? choiceProblems((data["choices"] as Json[] | undefined) ?? [])
          : type === CALLBACK.deferReply
            ? deferFlagProblems(data)
            : messageProblems(data);
    if (type === CALLBACK.reply && isEmptyMessage(data, files))
      return this.#violation("Cannot send an empty message", 400, 50006);
    if (problems.length > 0) return this.#violation(`Invalid Form Body: ${problems.join("; ")}`, 400, 50035);
    interaction.acks.push({ type, at: this.now(), data });
    if (type === CALLBACK.reply || type === CALLBACK.deferReply) {
      const flags = Number(data["flags"] ?? 0);
      const message = this.#store({
        channelId: interaction.channelId,
        authorId: BOT_USER.id,
        content: type === CALLBACK.reply ? text(data["content"]) : "",
        components: type === CALLBACK.reply ? ((data["components"] as Json[] | undefined) ?? []) : [],
        flags: type === CALLBACK.deferReply ? flags | LOADING : flags,
        attachments: files,
        interactionId: interaction.id,
        ...(flags & EPHEMERAL ? { ephemeralFor: interaction.user.id } : {}),
      });
      interaction.messageId = message.id;
      if (type === CALLBACK.reply) this.#notePings(message.id, data);
      if (type === CALLBACK.reply) interaction.firstEditAt ??= this.now();
    }
    if (type === CALLBACK.update) {
      const message = interaction.messageId ? this.messages.get(interaction.messageId) : undefined;
      if (message) this.#edit(message, data);
      interaction.firstEditAt ??= this.now();
    }
    return { status: 204 };
  }

  #webhook(
    method: string,
    token: string,
    messageRef: string | undefined,
    body: Json,
    files: StoredMessage["attachments"],
  ): { status: number; json?: unknown } {
    const interaction = this.#byToken.get(token);
    if (!interaction) return { status: 404, json: { message: "Unknown Webhook", code: 10015 } };
    if (interaction.failed)
      return this.#violation(`interaction ${interaction.id} failed: ${interaction.failed}`, 404, 10062);
    if (interaction.httpPending && interaction.acks.length === 0) {
      this.earlyWebhooks += 1;
      return { status: 404, json: { message: "Unknown Webhook", code: 10015 } };
    }
    if (this.now() - interaction.dispatchedAt > this.tokenLifetimeMs)
      return this.#violation(`interaction token used after ${this.tokenLifetimeMs} ms`, 401, 50027);
    if (interaction.acks.length === 0)
      return this.#violation("webhook used before the interaction was acknowledged", 404, 10008);
    const problems = messageProblems(body);
    if (problems.length > 0) return this.#violation(`Invalid Form Body: ${problems.join("; ")}`, 400, 50035);
    if (method === "POST" && messageRef === undefined) {
      if (isEmptyMessage(body, files)) return this.#violation("Cannot send an empty message", 400, 50006);
      // On Discord the first follow-up after deferReply replaces the loading message (its own
      // ephemeral flag is ignored: the message keeps the visibility the defer chose).
      const loading = interaction.messageId ? this.messages.get(interaction.messageId) : undefined;
      if (interaction.acks[0]?.type === CALLBACK.deferReply && loading && (loading.flags & LOADING) !== 0) {
        this.#edit(loading, body, files);
        interaction.firstEditAt ??= this.now();
        this.#notePings(loading.id, body);
        return { status: 200, json: messageObject(loading, this.#guildOf(loading.channelId)) };
      }
      const flags = Number(body["flags"] ?? 0);
      const message = this.#store({
        channelId: interaction.channelId,
        authorId: BOT_USER.id,
        content: text(body["content"]),
        components: (body["components"] as Json[] | undefined) ?? [],
        flags,
        attachments: files,
        interactionId: interaction.id,
        ...(flags & EPHEMERAL ? { ephemeralFor: interaction.user.id } : {}),
      });
      interaction.followUps.push(message.id);
      this.#notePings(message.id, body);
      return { status: 200, json: messageObject(message, this.#guildOf(message.channelId)) };
    }
    const targetId = messageRef === "@original" ? interaction.messageId : messageRef;
    const message = targetId ? this.messages.get(targetId) : undefined;
    if (!message) return { status: 404, json: { message: "Unknown Message", code: 10008 } };
    // A token reaches only its own interaction's messages: its original and its follow-ups.
    if (targetId !== interaction.messageId && !interaction.followUps.includes(targetId ?? ""))
      return this.#violation(
        `interaction ${interaction.id} used on message ${targetId ?? ""} of another`,
        404,
        10008,
      );
    if (method === "PATCH") {
      this.#edit(message, body, files);
      if (messageRef === "@original") interaction.firstEditAt ??= this.now();
      // An edit's content is parsed for mentions as a new message's is (ephemeral ones too).
      this.#notePings(message.id, body);
      return { status: 200, json: messageObject(message, this.#guildOf(message.channelId)) };
    }
    if (method === "DELETE") {
      this.messages.delete(message.id);
      return { status: 204 };
    }
    return { status: 405, json: { message: "405: Method Not Allowed", code: 0 } };
  }

  #createChannelMessage(
    channelId: string,
    body: Json,
    files: StoredMessage["attachments"],
  ): { status: number; json?: unknown; headers?: Record<string, string> } {
    const channel = this.channels.get(channelId);
    if (!channel) return { status: 404, json: { message: "Unknown Channel", code: 10003 } };
    if (!channel.botCanSend) return { status: 403, json: { message: "Missing Permissions", code: 50013 } };
    if (channel.recipient !== undefined && this.dmsClosed.has(channel.recipient))
      return { status: 403, json: { message: "Cannot send messages to this user", code: 50007 } };
    if (channel.archived) return { status: 400, json: { message: "Thread is archived", code: 50083 } };
    if (channel.slowmodeS !== undefined)
      return {
        status: 429,
        json: {
          message: "The channel is in slow mode.",
          retry_after: channel.slowmodeS,
          global: false,
          code: 20016,
        },
        headers: { "retry-after": String(channel.slowmodeS), "x-ratelimit-scope": "shared" },
      };
    const problems = messageProblems(body);
    if (problems.length > 0) return this.#violation(`Invalid Form Body: ${problems.join("; ")}`, 400, 50035);
    if (isEmptyMessage(body, files)) return this.#violation("Cannot send an empty message", 400, 50006);
    const message = this.#store({
      channelId,
      authorId: BOT_USER.id,
      content: text(body["content"]),
      components: (body["components"] as Json[] | undefined) ?? [],
      flags: 0,
      attachments: files,
    });
    this.#notePings(message.id, body);
    return { status: 200, json: messageObject(message, this.#guildOf(channelId)) };
  }

  #notePings(messageId: string, body: Json): void {
    for (const mention of pingsOf(text(body["content"]), body["allowed_mentions"] as Json | undefined))
      this.pings.push({ messageId, mention });
  }

  #editChannelMessage(channelId: string, messageId: string, body: Json): { status: number; json?: unknown } {
    const message = this.messages.get(messageId);
    if (!message || message.channelId !== channelId)
      return { status: 404, json: { message: "Unknown Message", code: 10008 } };
    if (message.authorId !== BOT_USER.id || message.ephemeralFor !== undefined)
      return {
        status: 403,
        json: { message: "Cannot edit a message authored by another user", code: 50005 },
      };
    const problems = messageProblems(body);
    if (problems.length > 0) return this.#violation(`Invalid Form Body: ${problems.join("; ")}`, 400, 50035);
    this.#edit(message, body);
    this.#notePings(message.id, body);
    return { status: 200, json: messageObject(message, this.#guildOf(channelId)) };
  }

  #openDm(recipient: string): { status: number; json: unknown } {
    const existing = this.dmChannelOf(recipient);
    const id = existing ?? snowflake();
    if (!existing) this.channels.set(id, { id, name: "dm", type: 1, botCanSend: true, recipient });
    return { status: 200, json: { id, type: 1, recipients: [{ id: recipient, username: "someone" }] } };
  }

  #applicationCommands(
    method: string,
    guildId: string | undefined,
    body: unknown,
  ): { status: number; json?: unknown } {
    const current = guildId ? (this.commands.guild.get(guildId) ?? []) : this.commands.global;
    if (method === "GET") return { status: 200, json: current };
    if (method !== "PUT" || !Array.isArray(body))
      return { status: 405, json: { message: "bad method", code: 0 } };
    const problems = (body as Json[]).flatMap(commandProblems);
    if ((body as Json[]).length > 100) problems.push(`${(body as Json[]).length} commands (max 100)`);
    if (problems.length > 0) return this.#violation(`Invalid Form Body: ${problems.join("; ")}`, 400, 50035);
    const stored = (body as Json[]).map((command) => ({
      ...command,
      id: current.find((old) => old["name"] === command["name"])?.["id"] ?? snowflake(),
      application_id: APPLICATION_ID,
      version: snowflake(),
      type: command["type"] ?? 1,
      ...(guildId ? { guild_id: guildId } : {}),
    }));
    if (guildId) this.commands.guild.set(guildId, stored);
    else this.commands.global = stored;
    return { status: 200, json: stored };
  }

  #store(fields: Omit<StoredMessage, "id" | "createdAt" | "history">): StoredMessage {
    const message: StoredMessage = {
      ...fields,
      id: snowflake(),
      createdAt: this.now(),
      history: [fields.content],
    };
    this.messages.set(message.id, message);
    return message;
  }

  #edit(message: StoredMessage, body: Json, files: StoredMessage["attachments"] = []): void {
    if (typeof body["content"] === "string") message.content = body["content"];
    if (files.length > 0) message.attachments = files;
    if (Array.isArray(body["components"])) message.components = body["components"] as Json[];
    message.flags &= ~LOADING;
    message.editedAt = this.now();
    message.history.push(message.content);
  }
}

/** `profile new` + {name: "x"} → the subcommand option tree Discord sends. */
function commandOptions(path: string, options: Record<string, string>, focused?: string): Json[] {
  const leaf = Object.entries(options).map(([name, value]) => ({
    name,
    type: 3,
    value,
    ...(name === focused ? { focused: true } : {}),
  }));
  const sub = path.split(" ")[1];
  return sub ? [{ name: sub, type: 1, options: leaf }] : leaf;
}

function findComponent(message: StoredMessage, customId: string, type: number): Json | undefined {
  for (const row of message.components)
    for (const item of (row["components"] as Json[] | undefined) ?? [])
      if (item["custom_id"] === customId && item["type"] === type) return item;
  return undefined;
}

/** JSON bodies, and discord.js's multipart form (payload_json + files[n]) when files ride along. */
async function parseBody(
  request: IncomingMessage,
  raw: Buffer,
): Promise<{ body: Json; files: StoredMessage["attachments"] }> {
  const type = request.headers["content-type"] ?? "";
  if (raw.length === 0) return { body: {}, files: [] };
  if (!type.startsWith("multipart/form-data")) return { body: JSON.parse(raw.toString()) as Json, files: [] };
  const form = await new Response(raw, { headers: { "content-type": type } }).formData();
  const files: StoredMessage["attachments"] = [];
  let body: Json = {};
  for (const [key, value] of form.entries()) {
    if (key === "payload_json" && typeof value === "string") body = JSON.parse(value) as Json;
    else if (typeof value !== "string")
      files.push({ id: snowflake(), filename: value.name, size: value.size, content: await value.text() });
  }
  return { body, files };
}

function parseJson(text: string): Json | undefined {
  try {
    const parsed = JSON.parse(text) as unknown;
    return typeof parsed === "object" && parsed !== null && !Array.isArray(parsed)
      ? (parsed as Json)
      : undefined;
  } catch {
    return undefined;
  }
}

function text(value: unknown): string {
  return typeof value === "string" ? value : "";
}

/** The mentions Discord would notify for this content under these allowed_mentions. */
export function pingsOf(content: string, allowed: Json | undefined): string[] {
  const parse = allowed ? ((allowed["parse"] as string[] | undefined) ?? []) : ["everyone", "users", "roles"];
  const users = allowed ? ((allowed["users"] as string[] | undefined) ?? []) : [];
  const roles = allowed ? ((allowed["roles"] as string[] | undefined) ?? []) : [];
  const found: string[] = [];
  for (const match of content.matchAll(/@everyone|@here|<@!?(\d+)>|<@&(\d+)>/g)) {
    const [whole, user, role] = match;
    if (
      user !== undefined
        ? parse.includes("users") || users.includes(user)
        : role !== undefined
          ? parse.includes("roles") || roles.includes(role)
          : parse.includes("everyone")
    )
      found.push(whole);
  }
  return found;
}
