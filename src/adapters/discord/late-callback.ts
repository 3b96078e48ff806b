// What becomes of the handler's first response when it comes after the bot already answered the
// interaction's HTTP request with a deferred type (the handler missed DISCORD_HTTP_ACK_BUDGET_MS).
// The interaction is acknowledged once and for all, so the response is never sent as a callback:
// - the same deferral again (deferUpdate after 6, deferReply after 5, autocomplete after 8) is
//   harmless and dropped (a public command's reply then stays ephemeral, as the fallback made it);
// - a message (`update` after 6, `reply` after 5) edits the original response, which is what the
//   callback would have shown;
// - `reply` after 6 (a refusal, "something went wrong") becomes a follow-up, with its own flags;
// - what no webhook can do any more (a modal, deferReply after 6, anything after 5 but a reply or
//   deferReply) is refused with 40060, as Discord refuses a second acknowledgement: the handler's
//   failure path then tells the user, through a follow-up, to try again.
import { InteractionResponseType } from "discord.js";

type Json = Record<string, unknown>;

// Callback types as plain numbers: a callback body read off the wire is not discord.js's enum.
const REPLY: number = InteractionResponseType.ChannelMessageWithSource;
const DEFER_REPLY: number = InteractionResponseType.DeferredChannelMessageWithSource;
const DEFER_UPDATE: number = InteractionResponseType.DeferredMessageUpdate;
const UPDATE: number = InteractionResponseType.UpdateMessage;

export interface CallbackBody {
  readonly type: number;
  readonly data?: Json;
}

export type LateCallback =
  | { readonly kind: "drop" }
  | { readonly kind: "edit-original"; readonly body: Json }
  | { readonly kind: "follow-up"; readonly body: Json }
  | { readonly kind: "refuse"; readonly reason: string };

export function lateCallback(fallbackType: number, callback: CallbackBody): LateCallback {
  const data = callback.data ?? {};
  if (callback.type === fallbackType) return { kind: "drop" };
  if (fallbackType === DEFER_UPDATE) {
    if (callback.type === UPDATE) return { kind: "edit-original", body: withoutFlags(data) };
    if (callback.type === REPLY) return { kind: "follow-up", body: data };
  }
  if (fallbackType === DEFER_REPLY && callback.type === REPLY)
    return { kind: "edit-original", body: withoutFlags(data) };
  return {
    kind: "refuse",
    reason: `Interaction has already been acknowledged (answered over HTTP with type ${fallbackType}; a type ${callback.type} response can no longer be given).`,
  };
}

/** An edit keeps the visibility the first response chose: its flags cannot change it. */
function withoutFlags(data: Json): Json {
  const { flags: _flags, ...rest } = data;
  return rest;
}
