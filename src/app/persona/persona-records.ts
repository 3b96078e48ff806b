// What the bot remembers of each persona it applied to a profile (version, hash, who, when), and the
// drift that memory reveals against the profile's copy and the library: current, outdated, edited
// by hand, or gone from the library. Bringing copies back to the library version lives here too,
// since it is the one change that both rewrites the copies and renews their records.
import type { Document } from "yaml";
import { driftOf, type DriftState } from "../../core/persona/persona-drift.ts";
import type { Persona } from "../../core/persona/persona.ts";
import type { Actor } from "../../core/wizard/state.ts";
import type { PersonaRecord, Store } from "../ports/store.ts";
import type { PersonaCatalog } from "./persona-catalog.ts";
import { bodyHash } from "./persona-loader.ts";
import {
  ACTIVE_PERSONALITY as ACTIVE,
  activatePersonality,
  PERSONALITY,
  personalityPreset,
  renderPersonality,
  SYSTEM_PROMPT,
} from "./personality.ts";
import { snapshot } from "./profile-config.ts";

export interface DriftEntry {
  readonly id: string;
  readonly state: DriftState;
  readonly note?: string;
}

/** Prior records by persona id; null where there was none. An Undo puts them back. */
export type PriorRecords = Record<string, PersonaRecord | null>;

export class PersonaRecords {
  constructor(
    private readonly store: Store,
    private readonly catalog: PersonaCatalog,
    private readonly now: () => number,
  ) {}

  /** Records a persona a create wrote into a new profile, so drift is tracked from the start. */
  async recordApplied(profile: string, id: string, actor: Actor): Promise<void> {
    const persona = this.catalog.get(id);
    if (persona)
      await this.store.setPersonaRecord(profile, persona.meta.id, this.#record(persona, { actor }));
  }

  /** Records the persona as just applied by this actor; returns the record it replaced. */
  async renew(profile: string, persona: Persona, ctx: { actor: Actor }): Promise<PersonaRecord | null> {
    const prior = (await this.store.personaRecords(profile))[persona.meta.id] ?? null;
    await this.store.setPersonaRecord(profile, persona.meta.id, this.#record(persona, ctx));
    return prior;
  }

  /** Puts records back as an Undo found them. */
  async restore(profile: string, records: Readonly<Record<string, PersonaRecord | null>>): Promise<void> {
    for (const [id, record] of Object.entries(records))
      await this.store.setPersonaRecord(profile, id, record);
  }

  /** Each recorded persona's state: the profile's copy against the record and the library's copy. */
  async drift(profile: string, doc: Document): Promise<DriftEntry[]> {
    return Object.entries(await this.store.personaRecords(profile)).map(([id, recorded]) => {
      const library = this.catalog.get(id);
      const prompt = doc.getIn([...PERSONALITY(id), "system_prompt"]);
      const state = driftOf({
        recorded,
        profileHash: typeof prompt === "string" ? bodyHash(prompt) : undefined,
        library,
      });
      const note =
        state === "outdated"
          ? `library has v${library?.meta.version ?? "?"}, the profile v${recorded.version}`
          : state === "modified"
            ? "the profile's copy was edited by hand"
            : state === "missing"
              ? "no longer in the library"
              : `v${recorded.version}`;
      return { id, state, note };
    });
  }

  /**
   * Writes the library's copy of each persona into agent.personalities, and into agent.system_prompt
   * where that persona is the one in effect; returns the prior records.
   */
  async writeLibraryCopies(
    doc: Document,
    profile: string,
    ids: readonly string[],
    ctx: { actor: Actor },
  ): Promise<PriorRecords> {
    const prior: PriorRecords = {};
    for (const id of ids) {
      const persona = this.catalog.get(id);
      if (!persona) continue;
      prior[id] = (await this.store.personaRecords(profile))[id] ?? null;
      const inEffect =
        snapshot(doc, ACTIVE) === id &&
        renderPersonality(snapshot(doc, PERSONALITY(id))) === snapshot(doc, SYSTEM_PROMPT);
      if (inEffect) activatePersonality(doc, persona);
      else doc.setIn(PERSONALITY(id), doc.createNode(personalityPreset(persona)));
      await this.store.setPersonaRecord(profile, id, this.#record(persona, ctx));
    }
    return prior;
  }

  #record(persona: Persona, ctx: { actor: Actor }): PersonaRecord {
    return {
      version: persona.meta.version,
      hash: persona.hash,
      mode: "overlay",
      appliedBy: ctx.actor.id,
      appliedAt: this.now(),
    };
  }
}
