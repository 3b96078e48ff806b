// `POST /discord/interactions` in HTTP interactions mode, as an IngressHandler the HTTP server
// mounts: every request's signature checked (401 otherwise, which Discord also tests on purpose),
// PING answered with PONG, and every other interaction handed to the bot's handlers, whose first
// response becomes the HTTP answer (http-answers.ts).
import type { ChatRuntime } from "../../app/ports/chat-runtime.ts";
import type { Logger } from "../../app/system/logger.ts";
import type { IngressHandler, IngressResponse } from "../http/ingress-types.ts";
import type { HttpAnswers, InteractionPayload } from "./http-answers.ts";
import type { SignatureCheck } from "./interaction-signature.ts";

const JSON_HEADERS = { "content-type": "application/json" } as const;
const PING = 1;
const SNOWFLAKE = /^\d{1,20}$/;

export interface EndpointParts {
  readonly signedByDiscord: SignatureCheck;
  readonly answers: HttpAnswers;
  /** Runs the bot's handler for one interaction; resolves when the handler is done. */
  readonly dispatch: (payload: InteractionPayload) => Promise<void>;
  /** Takes an interaction once across replicas (the runtime's inbound dedupe). */
  readonly inbound: Pick<ChatRuntime, "claimInbound" | "finishInbound">;
  readonly logger: Logger;
}

export function interactionsEndpoint(parts: EndpointParts): IngressHandler {
  return async (request) => {
    if (request.method !== "POST")
      return { ...answer(405, { message: "Only POST is served here." }), headers: { allow: "POST" } };
    if (!parts.signedByDiscord(request)) {
      parts.logger.info("discord interaction refused: missing or invalid signature");
      return answer(401, { message: "invalid request signature" });
    }
    const payload = parsePayload(request.body);
    if (payload === "not-json") return answer(400, { message: "The body is not JSON." });
    if (payload?.type === PING) return answer(200, { type: PING });
    if (!isInteraction(payload)) return answer(400, { message: "The body is not an interaction." });
    // Checked after the signature, so a forged request cannot mark a real interaction as seen.
    const key = `discord:${payload.id}`;
    const claimed = await parts.inbound.claimInbound(key);
    if (claimed === "unavailable")
      return answer(503, { message: "The bot's store is unavailable; try again." });
    if (!claimed) return answer(409, { message: "This interaction is already being answered." });
    return parts.answers.answer(payload, async () => {
      try {
        await parts.dispatch(payload);
      } finally {
        await parts.inbound.finishInbound(key);
      }
    });
  };
}

function answer(status: number, body: unknown): IngressResponse {
  return { status, headers: JSON_HEADERS, body: JSON.stringify(body) };
}

function parsePayload(body: Buffer): Partial<InteractionPayload> | undefined | "not-json" {
  try {
    const parsed = JSON.parse(body.toString("utf8")) as unknown;
    return typeof parsed === "object" && parsed !== null && !Array.isArray(parsed) ? parsed : undefined;
  } catch {
    return "not-json";
  }
}

function isInteraction(payload: Partial<InteractionPayload> | undefined): payload is InteractionPayload {
  return (
    payload !== undefined &&
    typeof payload.type === "number" &&
    typeof payload.id === "string" &&
    SNOWFLAKE.test(payload.id) &&
    typeof payload.token === "string" &&
    payload.token.length > 0 &&
    typeof payload.application_id === "string" &&
    SNOWFLAKE.test(payload.application_id)
  );
}
