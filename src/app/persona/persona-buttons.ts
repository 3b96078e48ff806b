// The buttons persona commands offer and what pressing them does: Undo (put back the config values
// and records from before the command) and Overwrite (replace hand-edited copies with the library's
// after sync asked). An offer is an action kept in the store under a random id, so a press works
// from any surface and after a restart; only the person who got the button may press it, once.
import { randomBytes } from "node:crypto";
import { describe } from "../../core/messages.ts";
import { refusal, reply, type Reply } from "../../core/reply.ts";
import { encodePersonaToken, parsePersonaToken } from "../../core/tokens/persona-token.ts";
import type { ViewButton } from "../../core/view.ts";
import type { Actor } from "../../core/wizard/state.ts";
import type { Store } from "../ports/store.ts";
import { snapshots, type ConfigEdits } from "./config-edits.ts";
import type { PersonaCatalog } from "./persona-catalog.ts";
import type { PersonaRecords, PriorRecords } from "./persona-records.ts";
import { PERSONALITY, SYSTEM_PROMPT } from "./personality.ts";
import { restore } from "./profile-config.ts";

export interface PersonaButtonsDeps {
  readonly store: Store;
  readonly catalog: PersonaCatalog;
  readonly records: PersonaRecords;
  readonly edits: ConfigEdits;
  readonly now: () => number;
}

export class PersonaButtons {
  constructor(private readonly deps: PersonaButtonsDeps) {}

  /** An Undo button that puts back `previous` (config paths) and `records` on the profile. */
  async offerUndo(
    ctx: { actor: Actor },
    profile: string,
    previous: Record<string, unknown>,
    records: PriorRecords,
  ): Promise<ViewButton> {
    const id = newId();
    await this.deps.store.putAction(id, {
      kind: "undo",
      profile,
      actorId: ctx.actor.id,
      at: this.deps.now(),
      previous,
      records,
    });
    return { label: "Undo", token: encodePersonaToken(id, "undo") };
  }

  /** An Overwrite button for the personas sync left alone because they were edited by hand. */
  async offerOverwrite(
    ctx: { actor: Actor },
    profile: string,
    personaIds: readonly string[],
  ): Promise<ViewButton> {
    const confirmId = newId();
    await this.deps.store.putAction(confirmId, {
      kind: "confirm-sync",
      profile,
      actorId: ctx.actor.id,
      at: this.deps.now(),
      personaIds,
    });
    return {
      label: `Overwrite ${personaIds.length} edited`,
      token: encodePersonaToken(confirmId, "confirm"),
      style: "danger" as const,
    };
  }

  /** Undo and confirmation buttons. Only the person who got the button may press it. */
  async press(actor: Actor, token: string): Promise<Reply> {
    const ctx = { actor };
    const parsed = parsePersonaToken(token);
    if (!parsed.ok) return refusal(describe(parsed.error));
    const { actionId, button } = parsed.value;
    const { store, edits, records } = this.deps;
    const action = await store.action(actionId);
    if (!action) return refusal("That button has expired or was already used.");
    if (action.actorId !== actor.id) return refusal("Only the person who ran the command can press this.");
    return edits.run(action.profile, async (read) => {
      // Taken once: of two presses (or two replicas) only one acts on the button.
      if (!(await store.takeAction(actionId))) return refusal("That button has expired or was already used.");
      if (button === "undo" && action.kind === "undo") {
        for (const [key, value] of Object.entries(action.previous ?? {}))
          restore(read.doc, key.split("."), value);
        await edits.save(action.profile, read.doc);
        await records.restore(action.profile, action.records ?? {});
        return reply(
          `Undone on profile '${action.profile}': ${Object.keys(action.previous ?? {}).join(", ")} restored.`,
        );
      }
      if (button === "confirm" && action.kind === "confirm-sync") {
        const ids = (action.personaIds ?? []).filter((id) => this.deps.catalog.get(id));
        const previous = snapshots(read.doc, [...ids.map(PERSONALITY), SYSTEM_PROMPT]);
        const prior = await records.writeLibraryCopies(read.doc, action.profile, ids, ctx);
        await edits.save(action.profile, read.doc);
        const undo = await this.offerUndo(ctx, action.profile, previous, prior);
        return reply(`Replaced with the library version on profile '${action.profile}': ${ids.join(", ")}.`, {
          buttons: [undo],
        });
      }
      return refusal("That button does not fit this action.");
    });
  }
}

function newId(): string {
  return randomBytes(6).toString("hex");
}
