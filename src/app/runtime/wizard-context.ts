// What a chat's wizard steps against: the catalogs (with the persona library's current list) and
// the profile names where that chat creates — this machine, or with several Hermes hosts the host
// of the profile the chat is bound to. Names are listed through one ProfileNames per place, and a
// step waits for a slow host's listing only so long (WIZARD_LISTING_WAIT_MS), then goes on and
// tells the wizard's owner so.
import type { Surface, WizardContext, WizardState } from "../../core/wizard/index.ts";
import type { HubScans } from "../../core/install/hub-scan.ts";
import type { LoadedLibrary } from "../library/library-loader.ts";
import type { PersonaLookup } from "../ports/persona-lookup.ts";
import type { ChatTarget, HostCatalog, ProfileBackend } from "../ports/profile-backend.ts";
import type { ChatBindings } from "../ports/store.ts";
import type { WizardOutput } from "../ports/wizard-output.ts";
import { ProfileNames } from "../profile/profile-names.ts";
import type { Logger } from "../system/logger.ts";

/**
 * The longest a wizard step waits for the profile listing of a Hermes host (every event checks
 * names against it): then it goes on with the names known so far and says which host is slow.
 * Create itself lists again and refuses when that fails, so a name clash is still caught there.
 */
export const WIZARD_LISTING_WAIT_MS = 2_000;

export interface WizardContextDeps {
  readonly store: ChatBindings;
  readonly library: LoadedLibrary;
  readonly backend: ProfileBackend;
  readonly personas?: Pick<PersonaLookup, "summaries"> | undefined;
  readonly now: () => number;
  readonly logger: Logger;
  /** Where the owner of a wizard on this surface is told that a host is slow. */
  readonly outputFor: (surface: Surface) => WizardOutput | undefined;
  /** The scan before Create's results, when hub skills are scanned (profiles made on this machine). */
  readonly hubScans?: (() => HubScans) | undefined;
}

/**
 * The most wizard sessions whose host lists are pinned at once; past it the oldest pin goes (that
 * session reads the host's lists again: still one list per screen, at worst a newer one).
 */
export const HOST_LIST_PINS_MAX = 10_000;

/**
 * A chat's place; `edit` set for a `/profile edit` session (it edits with the bot's lists); `id`
 * the wizard session, whose host lists are pinned from its first step to its end.
 */
type ChatPlace = { surface: Surface; chat: string; edit?: unknown; id?: string };

export class WizardContexts {
  #catalog: WizardContext["catalog"] | undefined;
  /** The catalog with a host's own lists, one object per (catalog, host lists) pair. */
  readonly #hostCatalogs = new WeakMap<HostCatalog, WizardContext["catalog"]>();
  /**
   * The host lists each wizard session steps against, read at its first step and kept until it
   * ends: list items are pressed by position, so a list that changed under an open screen (a
   * re-read after HOST_CATALOG_TTL_MS, or after a failed read) would turn a press into another entry.
   */
  readonly #pinned = new Map<string, { backend: ProfileBackend; lists: Promise<HostCatalog> }>();
  /** Profile names per place a wizard may create (one, or one per Hermes host). */
  readonly #profileNames = new Map<ProfileBackend, ProfileNames>();

  /** Each open session's target, fixed at its first step (bounded as the list pins are). */
  readonly #targets = new Map<string, ChatTarget>();

  /** `names`: the names the profile commands already keep for the default backend, shared. */
  constructor(
    private readonly deps: WizardContextDeps,
    names?: ProfileNames,
  ) {
    if (names) this.#profileNames.set(deps.backend, names);
  }

  /** The context, and the host whose listing this step waited for in vain (the step says so). */
  async of(chat: ChatPlace): Promise<{ context: WizardContext; slowHost?: string }> {
    const { catalog } = this.deps.library;
    const personas = this.deps.personas?.summaries() ?? catalog.personas;
    // One catalog object per persona list, not one per event.
    if (this.#catalog?.personas !== personas) this.#catalog = { ...catalog, personas };
    const { backend } = await this.target(chat);
    // A create on a Hermes host offers its lists (each read bounded, kept, and never failing:
    // a list it does not give is the bot's and the step says so); an edit keeps the bot's.
    const [listed, lists] = await Promise.all([
      this.namesOf(backend).within(WIZARD_LISTING_WAIT_MS),
      chat.edit ? undefined : this.#listsFor(chat.id, backend),
    ]);
    const cg = backend.commonground;
    const context: WizardContext = {
      catalog: lists ? this.#withHostLists(this.#catalog, lists) : this.#catalog,
      profiles: listed.names,
      // A CommonGround project asks its own questions; the Hermes host lines do not apply there.
      ...(cg
        ? { commonground: { target: cg.label, workerTarget: cg.workerTarget, profiles: listed.names } }
        : {}),
      ...(backend.host && !cg ? { remote: { host: backend.host, cannotSet: backend.cannotSet } } : {}),
      ...(lists ? { catalogOrigin: lists.origin } : {}),
      // A Hermes host installs with its own scanner, which the bot cannot ask before Create.
      ...(this.deps.hubScans && !backend.host && !cg ? { hubScans: this.deps.hubScans() } : {}),
    };
    return listed.late === true && backend.host ? { context, slowHost: backend.host } : { context };
  }

  /** The host lists a session steps against (pinned at its first step); none for this machine. */
  #listsFor(session: string | undefined, backend: ProfileBackend): Promise<HostCatalog> | undefined {
    if (!backend.catalogs) return undefined;
    if (session === undefined) return backend.catalogs();
    const pin = this.#pinned.get(session);
    if (pin?.backend === backend) return pin.lists;
    const lists = backend.catalogs();
    this.#pinned.delete(session);
    this.#pinned.set(session, { backend, lists });
    if (this.#pinned.size > HOST_LIST_PINS_MAX) {
      const oldest = this.#pinned.keys().next().value;
      if (oldest !== undefined) this.#pinned.delete(oldest);
    }
    return lists;
  }

  /** The host lists a session's wizard was shown, for its Create to check against the same ones. */
  pinnedLists(session: string, backend: ProfileBackend): Promise<HostCatalog> | undefined {
    const pin = this.#pinned.get(session);
    return pin?.backend === backend ? pin.lists : undefined;
  }

  /** A session ended or was swept: its pin goes. */
  forget(session: string): void {
    this.#pinned.delete(session);
  }

  #withHostLists(catalog: WizardContext["catalog"], lists: HostCatalog): WizardContext["catalog"] {
    const known = this.#hostCatalogs.get(lists);
    if (known?.personas === catalog.personas) return known;
    const merged = { ...catalog, builtinSkills: lists.builtinSkills, mcps: lists.mcps };
    this.#hostCatalogs.set(lists, merged);
    return merged;
  }

  /**
   * Where a chat's wizard creates: the one place, or with several Hermes hosts the host of the
   * profile the chat is bound to (`/profile use <host>:<profile>`), else the first.
   */
  /**
   * Where a chat's wizard creates: the target of the profile the chat is bound to, read at the
   * session's first step and kept for the session — a `/profile use` mid-wizard must not turn a
   * Hermes draft into a CommonGround one (or back) between its steps and its Create.
   */
  async target(chat: ChatPlace): Promise<ChatTarget> {
    const pinned = chat.id === undefined ? undefined : this.#targets.get(chat.id);
    if (pinned) return pinned;
    const target = this.deps.backend.forChat(
      (await this.deps.store.binding(`${chat.surface}:${chat.chat}`))?.profile,
    );
    if (chat.id !== undefined) {
      this.#targets.set(chat.id, target);
      if (this.#targets.size > HOST_LIST_PINS_MAX) {
        const oldest = this.#targets.keys().next().value;
        if (oldest !== undefined) this.#targets.delete(oldest);
      }
    }
    return target;
  }

  namesOf(backend: ProfileBackend): ProfileNames {
    let names = this.#profileNames.get(backend);
    if (!names) this.#profileNames.set(backend, (names = new ProfileNames(backend, this.deps.now)));
    return names;
  }

  /** After a step that waited in vain for a host's listing: the owner is told, the log says so too. */
  async sayHostSlow(state: WizardState, host: string | undefined): Promise<void> {
    if (host === undefined) return;
    this.deps.logger.warn(
      { session: state.id, hermes: host, waitedMs: WIZARD_LISTING_WAIT_MS },
      "Hermes host slow to list its profiles; the wizard went on with the names known so far",
    );
    await this.deps
      .outputFor(state.surface)
      ?.notify(
        state,
        state.owner.id,
        `Hermes at ${host} is slow: it has not listed its profiles within ${WIZARD_LISTING_WAIT_MS / 1000} s, so this step went on with the names known so far. Create still checks the name on that host.`,
      );
  }
}
