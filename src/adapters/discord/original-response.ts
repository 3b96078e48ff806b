// Editing an interaction's original response (the wizard message) with the screen's JSON as it is.
// discord.js's `editReply` sends the same request, but first runs the body through MessagePayload
// (each component through its JSON transformer) and afterwards builds, caches and clones a Message
// from Discord's answer, which the wizard never reads: in a CPU profile of the load benchmark (1001
// wizards) that work was ≈ 4 % of the bot's main-thread samples. The request still goes through the
// client's REST, so its rate limits, its socket pool and the outbound guard (outbound-guard.ts)
// apply as to every other request.
import { Routes, type RepliableInteraction } from "discord.js";
import type { DiscordScreen } from "./outbound.ts";

/** Replies quote what users and installers wrote: nothing in them may ping anyone. */
const NO_MENTIONS = { parse: [] } as const;

/**
 * PATCHes `@original` with the screen; Discord's errors (an expired token, an unknown message)
 * reject as they do from `editReply`. Like `editReply`, refuses an interaction not answered yet.
 */
export async function editOriginalResponse(
  interaction: RepliableInteraction,
  screen: DiscordScreen,
): Promise<void> {
  // discord.js's own refusal (InteractionNotReplied), so callers see one error for one mistake.
  if (!interaction.deferred && !interaction.replied) return void (await interaction.editReply(screen));
  await interaction.client.rest.patch(
    Routes.webhookMessage(interaction.applicationId, interaction.token, "@original"),
    {
      body: { content: screen.content, components: screen.components, allowed_mentions: NO_MENTIONS },
      auth: false,
    },
  );
  interaction.replied = true;
}
