// A discord.js Interaction built from an interaction's raw payload, as the client builds one from a
// gateway INTERACTION_CREATE: the same action picks the class (command, button, select, form,
// autocomplete) and caches the user and channel, so the handlers get exactly what the gateway mode
// gives them. Nothing in it needs a login: the interaction carries its application id and token.
import { Events, type BaseInteraction, type Client } from "discord.js";

/** discord.js's gateway action, which the Client keeps to itself (typed `private actions`). */
interface InteractionCreateAction {
  handle(data: unknown): void;
}

/** The Interaction discord.js makes of this payload, or undefined for a kind it does not build. */
export function interactionFromPayload(client: Client, payload: unknown): BaseInteraction | undefined {
  const action = (client as unknown as { actions: { InteractionCreate: InteractionCreateAction } }).actions
    .InteractionCreate;
  let built: BaseInteraction | undefined;
  // The action reports what it built only by emitting it, synchronously: caught here and nowhere
  // else (HTTP mode registers no other interactionCreate listener).
  const capture = (interaction: BaseInteraction): void => void (built = interaction);
  client.on(Events.InteractionCreate, capture);
  try {
    action.handle(payload);
  } finally {
    client.off(Events.InteractionCreate, capture);
  }
  return built;
}
