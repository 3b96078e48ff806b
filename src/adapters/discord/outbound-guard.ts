// Every request the bot makes to Discord passes this, so nothing reaches a channel, a DM, a modal or
// an autocomplete list that has not been made safe (../outbound-text.ts): not the wizard, not a
// command's reply or its attached file, not a status message, whichever code path built it. It sits
// where discord.js hands a finished request to the network (REST's makeRequest), after all of
// discord.js's own building, for both of the adapter's REST clients.
import { DefaultRestOptions, type RESTOptions } from "discord.js";
import { capChars } from "../../core/outside-text.ts";
import { DISCORD_MESSAGE_MAX_CHARS } from "./limits.ts";
import { safeOutboundPayload, safeOutboundText, type Redactor } from "../shared/outbound-text.ts";

type MakeRequest = RESTOptions["makeRequest"];
type RequestBody = Parameters<MakeRequest>[1]["body"];

/** discord.js's own request function, with every body made safe first. */
export function guardedMakeRequest(
  secrets: Redactor | undefined,
  send: MakeRequest = sendToDiscord,
): MakeRequest {
  return async (url, init) => {
    if (init.body === undefined) return send(url, init);
    const body = await guardDiscordBody(init.body, secrets);
    return send(url, body === undefined ? init : { ...init, body });
  };
}

/** discord.js's own request function: what finally reaches the network. */
export const sendToDiscord: MakeRequest = (url, init) => DefaultRestOptions.makeRequest(url, init);

/**
 * A request body as it may go to Discord: JSON with every string safe; a multipart form (a message
 * with files) with its payload_json safe and each file — the bot sends only text files — too.
 */
export async function guardDiscordBody(
  body: RequestBody,
  secrets: Redactor | undefined,
): Promise<RequestBody> {
  if (typeof body === "string") return guardJson(body, secrets);
  if (!(body instanceof FormData)) return body;
  const safe = new FormData();
  for (const [key, value] of body.entries()) {
    if (typeof value === "string")
      safe.append(key, key === "payload_json" ? guardJson(value, secrets) : value);
    else
      safe.append(
        key,
        new Blob([safeOutboundText(await value.text(), secrets)], { type: value.type }),
        value.name,
      );
  }
  return safe as RequestBody;
}

function guardJson(text: string, secrets: Redactor | undefined): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    // Not JSON after all: made safe as text, which it then is.
    return safeOutboundText(text, secrets);
  }
  return JSON.stringify(withinContentLimit(safeOutboundPayload(parsed, secrets)));
}

/**
 * A message's `content` (at the top of a message body, or in an interaction callback's `data`) cut
 * to Discord's limit: a redaction marker is longer than a short secret, and a text that fit before
 * must not be refused after.
 */
function withinContentLimit(body: unknown): unknown {
  if (!isRecord(body)) return body;
  const capped = { ...body };
  if (typeof capped["content"] === "string")
    capped["content"] = capChars(capped["content"], DISCORD_MESSAGE_MAX_CHARS);
  if (isRecord(capped["data"])) capped["data"] = withinContentLimit(capped["data"]);
  return capped;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
