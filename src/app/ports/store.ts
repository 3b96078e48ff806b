// What the app keeps between restarts, as the app uses it: open wizards, the create ledger, install
// groups, persona records, chat bindings, persona buttons and the inbound updates already taken.
// The app depends on this interface only. Two implementations stand behind it and pass one
// contract suite: store/bot-store.ts (the embedded default: a lowdb snapshot + journal in DATA_DIR,
// one process) and store/postgres/ (DATABASE_URL: shared by several replicas). Every call is async
// because the shared one is a round trip away; the embedded one answers from memory and writes to
// disk shortly after (`flush` waits for that). What several replicas race on is decided by the
// store in one step: a session replaced only at the version it was read at, a create claimed once,
// a button taken once, an inbound update claimed once.
import type { CreateReport } from "../../core/create-report.ts";
import type { InstallGroup } from "../../core/install/install-job.ts";
import type { Screen, Surface, WizardState } from "../../core/wizard/index.ts";
import type { Handoffs } from "./handoffs.ts";

/** Remembers what Create did for a session, so a repeat (double press, crash, retry) creates nothing twice. */
export interface CreateRecord {
  readonly name: string;
  readonly state: "started" | "done";
  readonly at: number;
  readonly report?: CreateReport;
}

/** A persona applied to a profile: what the library held then, to tell drift later. */
export interface PersonaRecord {
  readonly version: string;
  /** Hash of the body that was written into the profile. */
  readonly hash: string;
  /** Always "overlay" now; "ref" records (agent.persona_ref, which Hermes ignores) are read, never written. */
  readonly mode: "overlay" | "ref";
  readonly appliedBy: string;
  readonly appliedAt: number;
}

/** A chat or channel bound to a profile with `profile use`. */
export interface ChatBinding {
  readonly profile: string;
  readonly by: string;
  readonly at: number;
}

/** A button a persona command offered: Undo (previous config values) or a confirmation. */
export interface PersonaAction {
  readonly kind: "undo" | "confirm-sync" | "confirm-delete" | "undo-edit";
  readonly profile: string;
  readonly actorId: string;
  readonly at: number;
  /** For undo: config paths (joined with ".") and their previous values (absent = undefined). */
  readonly previous?: Readonly<Record<string, unknown>>;
  readonly records?: Readonly<Record<string, PersonaRecord | null>>;
  /** For undo-edit: the fingerprint of the profile's files right after the Apply it undoes. */
  readonly fingerprint?: string;
  /** For confirm-sync: the persona ids to overwrite. */
  readonly personaIds?: readonly string[];
}

/** Open wizards, by session id. */
export interface WizardSessions {
  get(id: string): Promise<WizardState | undefined>;
  /** The session with the version a later `replace` must name. */
  getVersioned(id: string): Promise<Versioned<WizardState> | undefined>;
  all(): Promise<WizardState[]>;
  /** The newest open wizard of this person in this chat, for routing their typed text. */
  findOpen(surface: Surface, chat: string, ownerId: string): Promise<WizardState | undefined>;
  /** Every open wizard of this person on this surface, in any chat, newest first. */
  ownedBy(surface: Surface, ownerId: string): Promise<WizardState[]>;
  /** Writes the session whatever its version (a new session); its version moves on. */
  put(state: WizardState): Promise<void>;
  /**
   * Compare-and-set: writes the session only if its version is still `version` (what the caller
   * read), in one step. False: another press (on this replica or another) changed it first, or it
   * was deleted; the caller reads it again.
   */
  replace(state: WizardState, version: number): Promise<boolean>;
  delete(id: string): Promise<void>;
  /**
   * Sessions in one of `steps` not written since `updatedBefore`: with replicas, a wizard whose
   * replica died while it worked (Create, Apply, a model list) waits there for another to resume it.
   */
  stalled(steps: readonly Screen[], updatedBefore: number): Promise<WizardState[]>;
}

/** What Create did per session (kept a while after the wizard ends, for late repeat presses). */
export interface CreateLedger {
  getCreate(sessionId: string): Promise<CreateRecord | undefined>;
  /**
   * Records a "started" create only if the session has no record: undefined when this caller won
   * (it creates), else the record found (a create that started or finished elsewhere).
   */
  claimCreate(sessionId: string, record: CreateRecord): Promise<CreateRecord | undefined>;
  putCreate(sessionId: string, record: CreateRecord): Promise<void>;
  deleteCreate(sessionId: string): Promise<void>;
}

/** Hub-skill install groups, by group id. */
export interface InstallGroups {
  getInstallGroup(id: string): Promise<InstallGroup | undefined>;
  allInstallGroups(): Promise<InstallGroup[]>;
  putInstallGroup(group: InstallGroup): Promise<void>;
}

/** The personas applied to each profile, by persona id. */
export interface PersonaRecords {
  personaRecords(profile: string): Promise<Readonly<Record<string, PersonaRecord>>>;
  /** `null` forgets the persona's record. */
  setPersonaRecord(profile: string, personaId: string, record: PersonaRecord | null): Promise<void>;
}

/** Which profile a chat is bound to, by "<surface>:<chat>". */
export interface ChatBindings {
  binding(chatKey: string): Promise<ChatBinding | undefined>;
  setBinding(chatKey: string, binding: ChatBinding): Promise<void>;
}

/** The Undo and confirmation buttons persona and profile commands offered, by button id. */
export interface PersonaActions {
  action(id: string): Promise<PersonaAction | undefined>;
  putAction(id: string, action: PersonaAction): Promise<void>;
  /** Removes the button and returns what it was, once: of two presses (or replicas) one gets it. */
  takeAction(id: string): Promise<PersonaAction | undefined>;
  deleteAction(id: string): Promise<void>;
}

/**
 * Inbound updates (a Telegram update_id, a Discord interaction id) already taken, so a retried
 * webhook or a duplicate delivery has one effect.
 */
export interface InboundDedupe {
  /**
   * True when this caller takes the update: never seen, or claimed more than `leaseMs` ago by a
   * handler that never finished (its replica died mid-way, the platform retried). False: done, or
   * being handled now.
   */
  claimInbound(key: string, now: number, leaseMs: number): Promise<boolean>;
  /** The update was handled: a later delivery of it is dropped until the record is pruned. */
  finishInbound(key: string, now: number): Promise<void>;
}

export interface Versioned<T> {
  readonly value: T;
  readonly version: number;
}

export interface Store
  extends
    WizardSessions,
    CreateLedger,
    InstallGroups,
    PersonaRecords,
    ChatBindings,
    PersonaActions,
    InboundDedupe {
  /** Other processes (replicas) read and write this store at the same time. */
  readonly shared: boolean;
  /** With replicas: how a Create or Apply reaches the replica holding the keys typed into its wizard. */
  readonly handoffs?: Handoffs;
  /** After a profile is deleted: its persona records and every chat bound to it go too. */
  forgetProfile(profile: string): Promise<void>;
  /**
   * Removes wizards untouched for longer than `ttlMs` (returns their ids), and what outlived its
   * use by as long: create records of ended wizards, finished install groups, persona buttons.
   */
  sweepExpired(now: number, ttlMs: number): Promise<string[]>;
  /** Resolves once every change made so far is on disk; rejects if that write fails. */
  flush(): Promise<void>;
  /** Whether the store answers now (GET /readyz). */
  ready(): Promise<boolean>;
  /** Flushes and lets go of files or connections. */
  close(): Promise<void>;
}

/** Inbound records older than this are pruned by the sweep: platforms retry within minutes. */
export const INBOUND_DEDUPE_KEEP_MS = 24 * 60 * 60 * 1000;
