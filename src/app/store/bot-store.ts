// The bot's store (ports/store.ts) over a snapshot and journal in DATA_DIR: the record accessors
// the app calls — open wizards (indexed by owner for routing typed text), the create ledger and its
// bound, install groups, persona records, chat bindings and persona buttons — and the sweep of
// expired ones. Each change is made in memory and handed to the persistence engine
// (store-file.ts), which coalesces writes, journals them and compacts; the on-disk shape and its
// migration are in store-data.ts.
/* eslint-disable @typescript-eslint/require-await -- the embedded store answers from memory; its
   methods are async only to meet the port the shared (Postgres) store also implements. */
import { isGroupFinished, type InstallGroup } from "../../core/install/install-job.ts";
import type { Screen, Surface, WizardState } from "../../core/wizard/index.ts";
import type {
  ChatBinding,
  CreateRecord,
  PersonaAction,
  PersonaRecord,
  Store,
  Versioned,
} from "../ports/store.ts";
import { INBOUND_DEDUPE_KEEP_MS } from "../ports/store.ts";
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

/** Inbound updates remembered in memory at most (the oldest go first): about a day of a busy bot. */
export const INBOUND_MEMORY_MAX = 100_000;

export class BotStore implements Store {
  /** One process alone: the embedded mode. */
  readonly shared = false;
  /** Open wizards by surface, chat and owner, so routing a typed message looks at that person's only. */
  readonly #openByOwner = new Map<string, Set<string>>();
  #createCount: number;
  /**
   * Each session's version, counted from the process's start: one process is the only writer, so
   * versions need not outlive it (a restored session starts again at 0).
   */
  readonly #versions = new Map<string, number>();
  /**
   * Inbound updates taken, in memory only: in the embedded mode one poller (or one gateway) feeds
   * this process and its confirmed offset already drops repeats across restarts; this catches a
   * duplicate delivery while the process runs.
   */
  readonly #inbound = new Map<string, { at: number; done: boolean }>();

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

  async get(id: string): Promise<WizardState | undefined> {
    return this.file.data.sessions[id];
  }

  async getVersioned(id: string): Promise<Versioned<WizardState> | undefined> {
    const state = this.file.data.sessions[id];
    return state ? { value: state, version: this.#versions.get(id) ?? 0 } : undefined;
  }

  async all(): Promise<WizardState[]> {
    return this.#all();
  }

  #all(): WizardState[] {
    return Object.values(this.file.data.sessions);
  }

  async stalled(steps: readonly Screen[], updatedBefore: number): Promise<WizardState[]> {
    return this.#all().filter((state) => steps.includes(state.step) && state.updatedAt < updatedBefore);
  }

  /** The newest open wizard of this person in this chat, for routing their typed text. */
  async findOpen(surface: Surface, chat: string, ownerId: string): Promise<WizardState | undefined> {
    let newest: WizardState | undefined;
    for (const id of this.#openByOwner.get(ownerKey(surface, chat, ownerId)) ?? []) {
      const state = this.file.data.sessions[id];
      if (state && (!newest || state.updatedAt > newest.updatedAt)) newest = state;
    }
    return newest;
  }

  async ownedBy(surface: Surface, ownerId: string): Promise<WizardState[]> {
    return Object.values(this.file.data.sessions)
      .filter((state) => state.surface === surface && state.owner.id === ownerId)
      .sort((a, b) => b.updatedAt - a.updatedAt);
  }

  async put(state: WizardState): Promise<void> {
    this.#put(state);
  }

  async replace(state: WizardState, version: number): Promise<boolean> {
    if (!(state.id in this.file.data.sessions) || (this.#versions.get(state.id) ?? 0) !== version)
      return false;
    this.#put(state);
    return true;
  }

  #put(state: WizardState): void {
    this.#versions.set(state.id, (this.#versions.get(state.id) ?? 0) + 1);
    // A session now under another owner, chat or surface leaves the old one's index.
    const before = this.file.data.sessions[state.id];
    if (before) this.#unindex(before);
    this.file.data.sessions[state.id] = state;
    this.#index(state);
    this.file.changed("sessions", state.id);
  }

  async delete(id: string): Promise<void> {
    this.#delete(id);
  }

  #delete(id: string): void {
    const state = this.file.data.sessions[id];
    if (!state) return;
    this.#drop(state);
    this.#versions.delete(id);
    this.file.changed("sessions", id);
  }

  async getCreate(sessionId: string): Promise<CreateRecord | undefined> {
    return this.file.data.creates[sessionId];
  }

  async claimCreate(sessionId: string, record: CreateRecord): Promise<CreateRecord | undefined> {
    const found = this.file.data.creates[sessionId];
    if (found) return found;
    this.#putCreate(sessionId, record);
    return undefined;
  }

  async putCreate(sessionId: string, record: CreateRecord): Promise<void> {
    this.#putCreate(sessionId, record);
  }

  #putCreate(sessionId: string, record: CreateRecord): void {
    if (!(sessionId in this.file.data.creates)) this.#createCount += 1;
    this.file.data.creates[sessionId] = record;
    this.file.changed("creates", sessionId);
    // Pruned in steps of a tenth, so the sort is paid once per CREATE_LEDGER_MAX / 10 creates.
    if (this.#createCount > CREATE_LEDGER_MAX * 1.1) this.#pruneCreates();
  }

  async getInstallGroup(id: string): Promise<InstallGroup | undefined> {
    return this.file.data.installs[id];
  }

  async allInstallGroups(): Promise<InstallGroup[]> {
    return Object.values(this.file.data.installs);
  }

  async putInstallGroup(group: InstallGroup): Promise<void> {
    this.file.data.installs[group.id] = group;
    this.file.changed("installs", group.id);
  }

  async personaRecords(profile: string): Promise<Readonly<Record<string, PersonaRecord>>> {
    return this.file.data.personas[profile] ?? {};
  }

  async setPersonaRecord(profile: string, personaId: string, record: PersonaRecord | null): Promise<void> {
    const records = { ...(this.file.data.personas[profile] ?? {}) };
    if (record === null) delete records[personaId];
    else records[personaId] = record;
    this.file.data.personas[profile] = records;
    this.file.changed("personas", profile);
  }

  async binding(chatKey: string): Promise<ChatBinding | undefined> {
    return this.file.data.bindings[chatKey];
  }

  async setBinding(chatKey: string, binding: ChatBinding): Promise<void> {
    this.file.data.bindings[chatKey] = binding;
    this.file.changed("bindings", chatKey);
  }

  /** After a profile is deleted: its persona records and every chat bound to it go too. */
  async forgetProfile(profile: string): Promise<void> {
    delete this.file.data.personas[profile];
    this.file.changed("personas", profile);
    for (const [key, binding] of Object.entries(this.file.data.bindings))
      if (binding.profile === profile) {
        delete this.file.data.bindings[key];
        this.file.changed("bindings", key);
      }
  }

  async action(id: string): Promise<PersonaAction | undefined> {
    return this.file.data.actions[id];
  }

  async putAction(id: string, action: PersonaAction): Promise<void> {
    this.file.data.actions[id] = action;
    this.file.changed("actions", id);
  }

  async takeAction(id: string): Promise<PersonaAction | undefined> {
    const action = this.file.data.actions[id];
    if (action) this.#deleteAction(id);
    return action;
  }

  async deleteAction(id: string): Promise<void> {
    this.#deleteAction(id);
  }

  #deleteAction(id: string): void {
    delete this.file.data.actions[id];
    this.file.changed("actions", id);
  }

  async deleteCreate(sessionId: string): Promise<void> {
    this.#deleteCreate(sessionId);
  }

  #deleteCreate(sessionId: string): void {
    if (!(sessionId in this.file.data.creates)) return;
    delete this.file.data.creates[sessionId];
    this.#createCount -= 1;
    this.file.changed("creates", sessionId);
  }

  /** Removes wizards untouched for longer than `ttlMs`; returns their ids. */
  async sweepExpired(now: number, ttlMs: number): Promise<string[]> {
    const expired = this.#all().filter((state) => now - state.updatedAt > ttlMs);
    for (const state of expired) this.#delete(state.id);
    // Create records outlive their wizard by one TTL, long enough to answer any late repeat press.
    for (const [id, record] of Object.entries(this.file.data.creates))
      if (!(id in this.file.data.sessions) && now - record.at > ttlMs) this.#deleteCreate(id);
    for (const group of Object.values(this.file.data.installs))
      if (isGroupFinished(group) && now - group.updatedAt > ttlMs) {
        delete this.file.data.installs[group.id];
        this.file.changed("installs", group.id);
      }
    for (const [id, action] of Object.entries(this.file.data.actions))
      if (now - action.at > ttlMs) this.#deleteAction(id);
    for (const [key, seen] of this.#inbound)
      if (now - seen.at > INBOUND_DEDUPE_KEEP_MS) this.#inbound.delete(key);
    return expired.map((state) => state.id);
  }

  /** Writes now if anything is waiting, and rejects if that write fails. Call before exit. */
  flush(): Promise<void> {
    return this.file.flush();
  }

  /** Memory answers while the process lives; a failing disk shows in `flush`, not here. */
  async ready(): Promise<boolean> {
    return true;
  }

  close(): Promise<void> {
    return this.file.flush();
  }

  async claimInbound(key: string, now: number, leaseMs: number): Promise<boolean> {
    const seen = this.#inbound.get(key);
    if (seen && (seen.done || now - seen.at <= leaseMs)) return false;
    this.#inbound.set(key, { at: now, done: false });
    if (this.#inbound.size > INBOUND_MEMORY_MAX)
      this.#inbound.delete(this.#inbound.keys().next().value as string);
    return true;
  }

  async finishInbound(key: string, now: number): Promise<void> {
    this.#inbound.set(key, { at: now, done: true });
  }

  /** Forgets the oldest finished creates whose wizard has ended, down to CREATE_LEDGER_MAX. */
  #pruneCreates(): void {
    const removable = Object.entries(this.file.data.creates)
      .filter(([id, record]) => record.state === "done" && !(id in this.file.data.sessions))
      .sort(([, a], [, b]) => a.at - b.at);
    for (const [id] of removable.slice(0, Math.max(0, this.#createCount - CREATE_LEDGER_MAX)))
      this.#deleteCreate(id);
  }

  #index(state: WizardState): void {
    const key = ownerKey(state.surface, state.chat, state.owner.id);
    const ids = this.#openByOwner.get(key) ?? new Set<string>();
    ids.add(state.id);
    this.#openByOwner.set(key, ids);
  }

  #drop(state: WizardState): void {
    delete this.file.data.sessions[state.id];
    this.#unindex(state);
  }

  #unindex(state: WizardState): void {
    const key = ownerKey(state.surface, state.chat, state.owner.id);
    const ids = this.#openByOwner.get(key);
    ids?.delete(state.id);
    if (ids?.size === 0) this.#openByOwner.delete(key);
  }
}

function ownerKey(surface: Surface, chat: string, ownerId: string): string {
  return `${surface}\n${chat}\n${ownerId}`;
}
