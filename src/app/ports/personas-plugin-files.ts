// The personas plugin's folder in a profile, for a backend that can write a profile's files (this
// machine's Hermes home; Hermes 0.19's dashboard cannot place a plugin, so a host has none).
import type { Outcome } from "./outcome.ts";
import type { PersonaLookup } from "./persona-lookup.ts";

/** How a profile's copy of the plugin stands against this bot's plugin and persona library. */
export interface PluginCopyDrift {
  readonly installed: boolean;
  /** The default persona in the plugin's state (the agent may have changed it with persona_apply). */
  readonly defaultPersona: string | null;
  /** The plugin's own code differs from this bot's. */
  readonly codeOutdated: boolean;
  /** Library files (category/id.md): new in the bot's library, changed, or gone from it. */
  readonly added: readonly string[];
  readonly changed: readonly string[];
  readonly removed: readonly string[];
  /** The default persona's file is gone from the bot's library (the copy keeps it). */
  readonly defaultGone: boolean;
  /** The copy's persona files. */
  readonly personas: number;
}

export interface PersonasPluginFiles {
  drift(name: string, personas: PersonaLookup): Promise<Outcome<PluginCopyDrift>>;
  /**
   * Installs the plugin, or brings its code and library copy up to this bot's, file by file (each
   * file replaced whole). The plugin's state is kept; `defaultPersona`, when given, is written to it.
   * Returns the drift there was before.
   */
  place(
    name: string,
    personas: PersonaLookup,
    defaultPersona?: string | null,
  ): Promise<Outcome<PluginCopyDrift>>;
  /** Removes the plugin's folder (its state with it). */
  remove(name: string): Promise<Outcome<true>>;
}

/** True when a copy differs from the bot's in any way `place` would change. */
export function driftCount(drift: PluginCopyDrift): number {
  return drift.added.length + drift.changed.length + drift.removed.length + (drift.codeOutdated ? 1 : 0);
}
