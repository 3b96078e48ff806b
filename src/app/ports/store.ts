// What the app keeps between restarts, as the app uses it: open wizards, the create ledger, install
// groups, persona records, chat bindings and persona buttons. The app depends on this interface
// only; store/bot-store.ts (lowdb snapshot + journal in DATA_DIR) is the one implementation, and
// another (a database) can stand behind the same port. Writes are the store's business: a change
// is made in memory at once and reaches disk shortly after; `flush` waits for it.
import type { CreateReport } from "../../core/create-report.ts";
import type { InstallGroup } from "../../core/install/install-job.ts";
import type { Surface, WizardState } from "../../core/wizard/index.ts";

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
  get(id: string): WizardState | undefined;
  all(): WizardState[];
  /** The newest open wizard of this person in this chat, for routing their typed text. */
  findOpen(surface: Surface, chat: string, ownerId: string): WizardState | undefined;
  put(state: WizardState): void;
  delete(id: string): void;
}

/** What Create did per session (kept a while after the wizard ends, for late repeat presses). */
export interface CreateLedger {
  getCreate(sessionId: string): CreateRecord | undefined;
  putCreate(sessionId: string, record: CreateRecord): void;
  deleteCreate(sessionId: string): void;
}

/** Hub-skill install groups, by group id. */
export interface InstallGroups {
  getInstallGroup(id: string): InstallGroup | undefined;
  allInstallGroups(): InstallGroup[];
  putInstallGroup(group: InstallGroup): void;
}

/** The personas applied to each profile, by persona id. */
export interface PersonaRecords {
  personaRecords(profile: string): Readonly<Record<string, PersonaRecord>>;
  /** `null` forgets the persona's record. */
  setPersonaRecord(profile: string, personaId: string, record: PersonaRecord | null): void;
}

/** Which profile a chat is bound to, by "<surface>:<chat>". */
export interface ChatBindings {
  binding(chatKey: string): ChatBinding | undefined;
  setBinding(chatKey: string, binding: ChatBinding): void;
}

/** The Undo and confirmation buttons persona and profile commands offered, by button id. */
export interface PersonaActions {
  action(id: string): PersonaAction | undefined;
  putAction(id: string, action: PersonaAction): void;
  deleteAction(id: string): void;
}

export interface Store
  extends WizardSessions, CreateLedger, InstallGroups, PersonaRecords, ChatBindings, PersonaActions {
  /** After a profile is deleted: its persona records and every chat bound to it go too. */
  forgetProfile(profile: string): void;
  /**
   * Removes wizards untouched for longer than `ttlMs` (returns their ids), and what outlived its
   * use by as long: create records of ended wizards, finished install groups, persona buttons.
   */
  sweepExpired(now: number, ttlMs: number): string[];
  /** Resolves once every change made so far is on disk; rejects if that write fails. */
  flush(): Promise<void>;
}
