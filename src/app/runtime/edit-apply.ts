// The editor's Apply, run for the wizard runner: the backend applies the changed keys with the keys
// typed in the wizard, the persona record follows a persona change, and the result comes back as
// the wizard's `editFinished`; after a successful Apply, its Undo is offered as a message of its
// own (the wizard has ended by then).
import type { WizardEffect, WizardEvent, WizardState } from "../../core/wizard/index.ts";
import type { Surface } from "../../core/wizard/state.ts";
import type { PersonaService } from "../persona/persona-service.ts";
import type { ProfileBackend } from "../ports/profile-backend.ts";
import type { WizardOutput } from "../ports/wizard-output.ts";
import type { ProfileService } from "../profile/profile-service.ts";
import type { Logger } from "../system/logger.ts";
import { editedLines } from "./edited-lines.ts";

export interface EditApplyDeps {
  readonly backend: ProfileBackend;
  readonly personas?: PersonaService;
  readonly profiles?: ProfileService;
  readonly logger: Logger;
  readonly now: () => number;
  /** The keys typed in a session's wizard (the vault's, in memory only). */
  /** The keys typed into this wizard that Apply writes: the ones it records as given, as given then. */
  readonly secretsOf: (state: WizardState) => ReadonlyMap<string, string>;
  readonly outputFor: (surface: Surface) => WizardOutput | undefined;
}

export class EditApply {
  constructor(private readonly deps: EditApplyDeps) {}

  /** The Undo of an Apply, as a message of its own: it outlives the wizard, which has ended. */
  async offerUndo(state: WizardState, profile: string, fingerprint: string): Promise<void> {
    const button = await this.deps.profiles?.offerEditUndo(profile, state.owner, fingerprint);
    const output = this.deps.outputFor(state.surface);
    if (!button || !output) return;
    const sent = await output.sendStatus(
      state.chat,
      {
        sessionId: state.id,
        rev: 0,
        title: "Undo",
        body: [
          `Undo this edit of profile '${profile}'? The files it changed are put back as they were (keys set and skills installed stay).`,
        ],
        buttons: [[button]],
        final: false,
      },
      state.owner,
    );
    if (!sent.ok) this.deps.logger.warn({ session: state.id }, "the Undo button could not be sent");
  }

  async apply(
    state: WizardState,
    effect: Extract<WizardEffect, { type: "applyEdit" }>,
  ): Promise<{ event: WizardEvent; undo?: string }> {
    const { backend, personas } = this.deps;
    const result = await backend.applyEdit(effect.profile, {
      blueprint: effect.blueprint,
      keys: new Set(effect.keys),
      fingerprint: effect.fingerprint,
      secrets: this.deps.secretsOf(state),
      keptServers: effect.keptServers,
      deleteKeys: effect.deleteKeys,
      ...(personas ? { personas } : {}),
    });
    const at = this.deps.now();
    if (!result.ok)
      return {
        event: {
          type: "editFinished",
          ok: false,
          lines: [
            `Not applied: ${result.reason}.`,
            `Open the editor again to start from the profile as it is now: /profile edit ${effect.profile}`,
          ],
          installs: [],
          at,
        },
      };
    const persona = effect.blueprint.persona;
    if (personas && effect.keys.includes("persona") && persona?.mode === "overlay")
      await personas.recordApplied(effect.profile, persona.id, state.owner);
    return {
      event: {
        type: "editFinished",
        ok: true,
        lines: editedLines(effect.profile, result.value),
        installs: result.value.installs,
        at,
      },
      ...(result.value.undoFingerprint ? { undo: result.value.undoFingerprint } : {}),
    };
  }
}
