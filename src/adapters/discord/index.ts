// The Discord adapter, wired: it builds the discord.js Client and the second REST client, hands
// them to the pieces that do the work, and is what main attaches as the Discord WizardOutput.
// gateway.ts logs in and serves; interactions.ts answers what users do; wizard-message.ts draws the
// wizard in an ephemeral reply; status.ts posts install status with the bot token; the interactions
// they share live in one LiveInteractions object. With a public key set, http-mode.ts replaces
// gateway.ts: Discord POSTs interactions to interactionsEndpoint() (HTTP interactions mode).
import { Client, Events, GatewayIntentBits, REST } from "discord.js";
import { Agent } from "undici";
import type { IngressHandler } from "../http/ingress-types.ts";
import type { ChatRuntime } from "../../app/ports/chat-runtime.ts";
import type { PortResult, WizardOutput } from "../../app/ports/wizard-output.ts";
import type { Logger } from "../../app/system/logger.ts";
import type { View } from "../../core/view.ts";
import type { Actor, WizardState } from "../../core/wizard/index.ts";
import type { Redactor } from "../shared/outbound-text.ts";
import type { DiscordAccess } from "./access.ts";
import { DiscordGateway } from "./gateway.ts";
import { HttpAnswers } from "./http-answers.ts";
import { DiscordHttpMode } from "./http-mode.ts";
import { interactionFromPayload } from "./interaction-from-payload.ts";
import { discordSignatureCheck } from "./interaction-signature.ts";
import { interactionsEndpoint } from "./interactions-endpoint.ts";
import { InteractionHandlers } from "./interactions.ts";
import * as limits from "./limits.ts";
import { LiveInteractions } from "./live-interactions.ts";
import { guardedMakeRequest, sendToDiscord } from "./outbound-guard.ts";
import { STATUS_MAX_RATE_LIMIT_WAIT_MS, StatusMessages } from "./status.ts";
import { WizardMessages } from "./wizard-message.ts";

// Names tests and main import from the adapter's entry point.
export { discordActor } from "./inbound.ts";
export { STATUS_MAX_RATE_LIMIT_WAIT_MS } from "./status.ts";

export interface DiscordOptions extends DiscordAccess {
  readonly token: string;
  /** discord.js's REST base URL (`DISCORD_API_ROOT`); unset: Discord's own. */
  readonly apiRoot?: string;
  /** The clock interaction tokens are aged by (tests pass the fake Discord's). */
  readonly now?: () => number;
  /** The bot's secrets: redacted from everything sent to Discord. */
  readonly secrets?: Redactor;
  /**
   * The application's public key (`DISCORD_PUBLIC_KEY`, 64 hex characters): HTTP interactions mode,
   * no gateway. Unset: the gateway mode.
   */
  readonly publicKey?: string;
}

export class DiscordAdapter implements WizardOutput {
  readonly client: Client;
  readonly #life: DiscordGateway | DiscordHttpMode;
  readonly #endpoint: IngressHandler | undefined;
  /**
   * In HTTP interactions mode, the same endpoint for the bot's HTTP server (assemble-bot.ts mounts
   * the `ingress` of each adapter): without it a replica started with DISCORD_PUBLIC_KEY served
   * no POST /discord/interactions at all.
   */
  readonly ingress?: IngressHandler;
  readonly #wizards: WizardMessages;
  readonly #status: StatusMessages;

  constructor(runtime: ChatRuntime, options: DiscordOptions, logger: Logger) {
    const now = options.now ?? Date.now;
    const live = new LiveInteractions(now);
    const api = options.apiRoot ? { api: options.apiRoot } : {};
    // In HTTP mode an interaction's first response is the answer to Discord's POST, not a request.
    const answers = options.publicKey ? new HttpAnswers({ logger, now }) : undefined;
    // Both REST clients send through the guard: nothing reaches Discord that was not made safe.
    const makeRequest = guardedMakeRequest(
      options.secrets,
      answers ? answers.wrap(sendToDiscord) : sendToDiscord,
    );
    // One bounded socket pool for both REST clients.
    const agent = new Agent({
      connections: limits.DISCORD_REST_MAX_CONNECTIONS,
      keepAliveTimeout: limits.DISCORD_REST_KEEP_ALIVE_MS,
    });
    // Interactions go through the client's REST; status messages through a second REST that keeps
    // Discord's 50/s global limit (interactions are exempt from it, bot-token routes are not).
    this.client = new Client({
      intents: [GatewayIntentBits.Guilds],
      // Replies quote what users and installers wrote: nothing in them may ping anyone.
      allowedMentions: { parse: [] },
      rest: {
        ...api,
        agent,
        makeRequest,
        globalRequestsPerSecond: limits.INTERACTION_REQUESTS_PER_SECOND,
        handlerSweepInterval: limits.REST_HANDLER_SWEEP_MS,
        hashSweepInterval: limits.REST_HANDLER_SWEEP_MS,
        hashLifetime: limits.REST_HASH_LIFETIME_MS,
      },
    });
    const botRest = new REST({
      ...api,
      agent,
      makeRequest,
      globalRequestsPerSecond: limits.DISCORD_GLOBAL_REQUESTS_PER_SECOND,
      // A wait longer than this (slow mode answers 429 with retry_after up to six hours) is not
      // slept through: the call fails and the status message goes elsewhere.
      rejectOnRateLimit: (limit) => limit.retryAfter > STATUS_MAX_RATE_LIMIT_WAIT_MS,
    }).setToken(options.token);
    this.#wizards = new WizardMessages(live, logger);
    this.#status = new StatusMessages(botRest, live, logger);
    const handlers = new InteractionHandlers(runtime, options, live, logger);
    if (answers && options.publicKey) {
      this.#life = new DiscordHttpMode(this.client, botRest, agent, options, logger);
      this.#endpoint = interactionsEndpoint({
        signedByDiscord: discordSignatureCheck(options.publicKey, now),
        answers,
        dispatch: async (payload) => {
          const interaction = interactionFromPayload(this.client, payload);
          if (interaction) await handlers.handle(interaction);
        },
        inbound: runtime,
        logger,
      });
      this.ingress = this.#endpoint;
    } else {
      this.#life = new DiscordGateway(this.client, botRest, agent, options, logger);
      this.#endpoint = undefined;
      this.client.on(Events.InteractionCreate, (interaction) => void handlers.handle(interaction));
    }
    this.client.on(Events.Error, (error) => logger.error({ reason: error.message }, "discord client error"));
  }

  /** Logs in (gateway) or checks the token (HTTP interactions) and serves until stopped. */
  run(): Promise<void> {
    return this.#life.run();
  }

  stop(): Promise<void> {
    return this.#life.stop();
  }

  /**
   * `POST /discord/interactions` for the HTTP server, in HTTP interactions mode; undefined in the
   * gateway mode, where interactions arrive over the gateway.
   */
  interactionsEndpoint(): IngressHandler | undefined {
    return this.#endpoint;
  }

  render(state: WizardState, view: View): Promise<void> {
    return this.#wizards.render(state, view);
  }

  notify(state: WizardState, actorId: string, text: string): Promise<void> {
    return this.#wizards.notify(state, actorId, text);
  }

  sendStatus(chat: string, view: View, owner?: Actor): Promise<PortResult> {
    return this.#status.sendStatus(chat, view, owner);
  }

  editStatus(chat: string, ref: string, view: View): Promise<PortResult> {
    return this.#status.editStatus(chat, ref, view);
  }
}
