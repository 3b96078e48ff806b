// The persona library as Create reads it: the wizard's Persona step offered these, so the profile
// written must get the same text (persona/persona-service.ts is the one implementation).
import type { PersonaSummary } from "../../core/catalog.ts";
import type { Persona } from "../../core/persona/persona.ts";

export interface PersonaLookup {
  summaries(): readonly PersonaSummary[];
  get(id: string): Persona | undefined;
  /** The folder the personas' files are in (`Persona.file` is relative to it). */
  readonly root?: string;
}
