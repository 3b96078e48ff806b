// The /persona commands, platform-free: every surface calls these and renders the Reply. This is
// the one object main builds (`PersonaService.open`) and the runtime, router and wizard hold; it
// wires the parts over one store and backend and forwards to them, so callers keep one name while
// each concern stays in its own file: the library commands (persona-catalog.ts), a persona on a
// profile (persona-apply.ts), the personas plugin (persona-plugin.ts), records and drift
// (persona-records.ts), buttons (persona-buttons.ts),
// and the serialised config edits they all write through (config-edits.ts).
import type { PersonaSummary } from "../../core/catalog.ts";
import type { PersonaLibrary } from "../../core/persona/persona-library.ts";
import type { Persona } from "../../core/persona/persona.ts";
import type { Reply } from "../../core/reply.ts";
import type { Actor } from "../../core/wizard/state.ts";
import type { CommandContext } from "../ports/command-context.ts";
import type { ProfileBackend } from "../ports/profile-backend.ts";
import type { Store } from "../ports/store.ts";
import type { Logger } from "../system/logger.ts";
import { ConfigEdits } from "./config-edits.ts";
import { PersonaApply } from "./persona-apply.ts";
import { PersonaButtons } from "./persona-buttons.ts";
import { PersonaCatalog } from "./persona-catalog.ts";
import type { PersonaProblem } from "./persona-loader.ts";
import { PersonaPlugin } from "./persona-plugin.ts";
import { PersonaRecords } from "./persona-records.ts";

// Callers outside app/persona take the wizard's summary shape from here, where they take the service.
export { summarize } from "./persona-catalog.ts";

export interface PersonaServiceDeps {
  readonly store: Store;
  /** Where the profiles are (this machine's Hermes home or a Hermes host's dashboard). */
  readonly backend: ProfileBackend;
  readonly personasDir: string;
  readonly logger: Logger;
  readonly now?: () => number;
}

export class PersonaService {
  private constructor(
    private readonly catalog: PersonaCatalog,
    private readonly records: PersonaRecords,
    private readonly onProfile: PersonaApply,
    private readonly buttons: PersonaButtons,
    private readonly pluginCommand: PersonaPlugin,
  ) {}

  static async open(deps: PersonaServiceDeps): Promise<PersonaService> {
    const { store, backend } = deps;
    const now = deps.now ?? Date.now;
    const catalog = await PersonaCatalog.open(deps.personasDir, deps.logger);
    const edits = new ConfigEdits(backend);
    const records = new PersonaRecords(store, catalog, now);
    const buttons = new PersonaButtons({ store, catalog, records, edits, now });
    const plugin = new PersonaPlugin({ store, backend, catalog, edits });
    const onProfile = new PersonaApply({ store, backend, catalog, records, edits, buttons, plugin });
    return new PersonaService(catalog, records, onProfile, buttons, plugin);
  }

  /** The folder the library is loaded from (a Create copies the personas plugin's library from it). */
  get root(): string {
    return this.catalog.root;
  }

  get library(): PersonaLibrary {
    return this.catalog.library;
  }

  get problems(): readonly PersonaProblem[] {
    return this.catalog.problems;
  }

  get(id: string): Persona | undefined {
    return this.catalog.get(id);
  }

  summaries(): readonly PersonaSummary[] {
    return this.catalog.summaries();
  }

  recordApplied(profile: string, id: string, actor: Actor): Promise<void> {
    return this.records.recordApplied(profile, id, actor);
  }

  reload(): Promise<Reply> {
    return this.catalog.reload();
  }

  list(category?: string): Reply {
    return this.catalog.list(category);
  }

  categories(): Reply {
    return this.catalog.categories();
  }

  show(id: string): Reply {
    return this.catalog.show(id);
  }

  apply(ctx: CommandContext, id: string, profile?: string, modeArg?: string): Promise<Reply> {
    return this.onProfile.apply(ctx, id, profile, modeArg);
  }

  clear(ctx: CommandContext, profile?: string): Promise<Reply> {
    return this.onProfile.clear(ctx, profile);
  }

  status(ctx: CommandContext, profile?: string): Promise<Reply> {
    return this.onProfile.status(ctx, profile);
  }

  sync(ctx: CommandContext, profile?: string): Promise<Reply> {
    return this.onProfile.sync(ctx, profile);
  }

  /** /persona plugin install|update|remove: the persona library as the agent's tools. */
  plugin(ctx: CommandContext, action: string, profile?: string, personaId?: string): Promise<Reply> {
    return this.pluginCommand.run(ctx, action, profile, personaId);
  }

  press(actor: Actor, token: string): Promise<Reply> {
    return this.buttons.press(actor, token);
  }
}
