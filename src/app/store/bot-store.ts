// The bot's store (ports/store.ts) over a snapshot and journal in DATA_DIR: the record accessors
// the app calls — open wizards (indexed by owner for routing typed text), the create ledger and its
// bound, install groups, persona records, chat bindings and persona buttons — and the sweep of
// expired ones. Each change is made in memory and handed to the persistence engine
// (store-file.ts), which coalesces writes, journals them and compacts; the on-disk shape and its
// migration are in store-data.ts.
import { isGroupFinished, type InstallGroup } from "../../core/install/install-job.ts";
import type { Surface, WizardState } from "../../core/wizard/index.ts";
import type { ChatBinding, CreateRecord, PersonaAction, PersonaRecord, Store } from "../ports/store.ts";
import type { Logger } from "../system/logger.ts";
import { StoreFile, type StoreFileOptions } from "./store-file.ts";

export type { ChatBinding, CreateRecord, PersonaAction, PersonaRecord } from "../ports/store.ts";
export { STORE_SCHEMA_VERSION } from "./store-data.ts";
export { JOURNAL_COMPACT_MIN_BYTES, STORE_FLUSH_DELAY_MS } from "./store-file.ts";

/**
 * Finished creates remembered for repeat presses (each also expires one session TTL after its
 * wizard ends). Past this many, the oldest whose wizard has ended are forgotten first. A record with
 * its report is ~2 KB: at 5,000 the ledger was 10 of the store's 13.6 MB in the load benchmark, and
 * a repeat press comes within seconds, not thousands of creates later.
 */
export const CREATE_LEDGER_MAX = 1000;

export class BotStore implements Store {
  /** Open wizards by surface, chat and owner, so routing a typed message looks at that person's only. */
  readonly #openByOwner = new Map<string, Set<string>>();
  #createCount: number;

  private constructor(private readonly file: StoreFile) {
    for (const state of Object.values(file.data.sessions)) this.#index(state);
    this.#createCount = Object.keys(file.data.creates).length;
  }

  /**
   * Opens (or creates) the store: the snapshot, then the journal replayed over it, then both folded
   * into a new snapshot. A damaged snapshot or journal is kept aside as `<file>.bad-<time>` and every
   * record that still parses is kept.
   */
  static async open(file: string, logger: Logger, options: StoreFileOptions = {}): Promise<BotStore> {
    return new BotStore(await StoreFile.open(file, logger, options));
  }

  /** Writes so far, journal appends and compactions both (for benchmarks and tests of coalescing). */
  get writes(): number {
    return this.file.writes;
  }

  /** Times the journal was folded into a new snapshot. */
  get compactions(): number {
    return this.file.compactions;
  }

  get(id: string): WizardState | undefined {
    return this.file.data.sessions[id];
  }

  all(): WizardState[] {
    return Object.values(this.file.data.sessions);
  }

  /** The newest open wizard of this person in this chat, for routing their typed text. */
  findOpen(surface: Surface, chat: string, ownerId: string): WizardState | undefined {
    let newest: WizardState | undefined;
    for (const id of this.#openByOwner.get(ownerKey(surface, chat, ownerId)) ?? []) {
      const state = this.file.data.sessions[id];
      if (state && (!newest || state.updatedAt > newest.updatedAt)) newest = state;
    }
    return newest;
  }

  put(state: WizardState): void {
    this.file.data.sessions[state.id] = state;
    this.#index(state);
    this.file.changed("sessions", state.id);
  }

  delete(id: string): void {
    const state = this.file.data.sessions[id];
    if (!state) return;
    this.#drop(state);
    this.file.changed("sessions", id);
  }

  getCreate(sessionId: string): CreateRecord | undefined {
    return this.file.data.creates[sessionId];
  }

  putCreate(sessionId: string, record: CreateRecord): void {
    if (!(sessionId in this.file.data.creates)) this.#createCount += 1;
    this.file.data.creates[sessionId] = record;
    this.file.changed("creates", sessionId);
    // Pruned in steps of a tenth, so the sort is paid once per CREATE_LEDGER_MAX / 10 creates.
    if (this.#createCount > CREATE_LEDGER_MAX * 1.1) this.#pruneCreates();
  }

  getInstallGroup(id: string): InstallGroup | undefined {
    return this.file.data.installs[id];
  }

  allInstallGroups(): InstallGroup[] {
    return Object.values(this.file.data.installs);
  }

  putInstallGroup(group: InstallGroup): void {
    this.file.data.installs[group.id] = group;
    this.file.changed("installs", group.id);
  }

  personaRecords(profile: string): Readonly<Record<string, PersonaRecord>> {
    return this.file.data.personas[profile] ?? {};
  }

  setPersonaRecord(profile: string, personaId: string, record: PersonaRecord | null): void {
    const records = { ...(this.file.data.personas[profile] ?? {}) };
    if (record === null) delete records[personaId];
    else records[personaId] = record;
    this.file.data.personas[profile] = records;
    this.file.changed("personas", profile);
  }

  binding(chatKey: string): ChatBinding | undefined {
    return this.file.data.bindings[chatKey];
  }

  setBinding(chatKey: string, binding: ChatBinding): void {
    this.file.data.bindings[chatKey] = binding;
    this.file.changed("bindings", chatKey);
  }

  /** After a profile is deleted: its persona records and every chat bound to it go too. */
  forgetProfile(profile: string): void {
    delete this.file.data.personas[profile];
    this.file.changed("personas", profile);
    for (const [key, binding] of Object.entries(this.file.data.bindings))
      if (binding.profile === profile) {
        delete this.file.data.bindings[key];
        this.file.changed("bindings", key);
      }
  }

  action(id: string): PersonaAction | undefined {
    return this.file.data.actions[id];
  }

  putAction(id: string, action: PersonaAction): void {
    this.file.data.actions[id] = action;
    this.file.changed("actions", id);
  }

  deleteAction(id: string): void {
    delete this.file.data.actions[id];
    this.file.changed("actions", id);
  }

  deleteCreate(sessionId: string): void {
    if (!(sessionId in this.file.data.creates)) return;
    delete this.file.data.creates[sessionId];
    this.#createCount -= 1;
    this.file.changed("creates", sessionId);
  }

  /** Removes wizards untouched for longer than `ttlMs`; returns their ids. */
  sweepExpired(now: number, ttlMs: number): string[] {
    const expired = this.all().filter((state) => now - state.updatedAt > ttlMs);
    for (const state of expired) this.delete(state.id);
    // Create records outlive their wizard by one TTL, long enough to answer any late repeat press.
    for (const [id, record] of Object.entries(this.file.data.creates))
      if (!(id in this.file.data.sessions) && now - record.at > ttlMs) this.deleteCreate(id);
    for (const group of this.allInstallGroups())
      if (isGroupFinished(group) && now - group.updatedAt > ttlMs) {
        delete this.file.data.installs[group.id];
        this.file.changed("installs", group.id);
      }
    for (const [id, action] of Object.entries(this.file.data.actions))
      if (now - action.at > ttlMs) this.deleteAction(id);
    return expired.map((state) => state.id);
  }

  /** Writes now if anything is waiting, and rejects if that write fails. Call before exit. */
  flush(): Promise<void> {
    return this.file.flush();
  }

  /** Forgets the oldest finished creates whose wizard has ended, down to CREATE_LEDGER_MAX. */
  #pruneCreates(): void {
    const removable = Object.entries(this.file.data.creates)
      .filter(([id, record]) => record.state === "done" && !(id in this.file.data.sessions))
      .sort(([, a], [, b]) => a.at - b.at);
    for (const [id] of removable.slice(0, Math.max(0, this.#createCount - CREATE_LEDGER_MAX)))
      this.deleteCreate(id);
  }

  #index(state: WizardState): void {
    const key = ownerKey(state.surface, state.chat, state.owner.id);
    const ids = this.#openByOwner.get(key) ?? new Set<string>();
    ids.add(state.id);
    this.#openByOwner.set(key, ids);
  }

  #drop(state: WizardState): void {
    delete this.file.data.sessions[state.id];
    const key = ownerKey(state.surface, state.chat, state.owner.id);
    const ids = this.#openByOwner.get(key);
    ids?.delete(state.id);
    if (ids?.size === 0) this.#openByOwner.delete(key);
  }
}

function ownerKey(surface: Surface, chat: string, ownerId: string): string {
  return `${surface}\n${chat}\n${ownerId}`;
}
