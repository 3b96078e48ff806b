// The wizard as one ephemeral message, edited in place through the token of the newest interaction
// of that wizard (LiveInteractions). Ephemeral messages can be edited only through an interaction
// token, so with no usable token (after a restart, or 14 minutes idle) nothing is drawn: the next
// press or /show draws it again through its own interaction.
import { MessageFlags } from "discord.js";
import type { Logger } from "../../app/system/logger.ts";
import type { View } from "../../core/view.ts";
import type { WizardState } from "../../core/wizard/index.ts";
import { discordActor } from "./inbound.ts";
import type { LiveInteractions } from "./live-interactions.ts";
import { editOriginalResponse } from "./original-response.ts";
import { renderDiscordView } from "./outbound.ts";

export class WizardMessages {
  constructor(
    private readonly live: LiveInteractions,
    private readonly logger: Logger,
  ) {}

  async render(state: WizardState, view: View): Promise<void> {
    const live = this.live.usable(state.id);
    if (!live) {
      this.logger.debug({ session: state.id }, "no live interaction to show the wizard on");
      return;
    }
    try {
      await editOriginalResponse(live, renderDiscordView(view));
    } catch (error) {
      this.logger.warn({ session: state.id, reason: (error as Error).message }, "could not edit the wizard");
    }
    if (view.final) this.live.forget(state.id);
  }

  /** A private word to the wizard's owner, through the interaction showing it. */
  async notify(state: WizardState, actorId: string, text: string): Promise<void> {
    const live = this.live.showing(state.id);
    if (live && discordActor(live.user).id === actorId)
      await live.followUp({ content: text, flags: MessageFlags.Ephemeral }).catch(() => undefined);
  }
}
