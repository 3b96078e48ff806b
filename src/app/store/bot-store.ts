// Open wizards and create records, persisted in DATA_DIR: a snapshot (`store.json`, written by
// lowdb atomically: steno writes a temp file and renames it) and a journal beside it
// (journal.ts). Writes are coalesced: transitions mark their records dirty and one write
// follows after STORE_FLUSH_DELAY_MS, appending only those records to the journal — so a write
// costs what changed, not the size of the store. The journal is folded into a new snapshot at open
// and whenever it outgrows the snapshot (amortised, that too is a constant cost per change).
import { appendFile, copyFile, mkdir, readFile, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { Low } from "lowdb";
import { JSONFile } from "lowdb/node";
import { z } from "zod";
import type { CreateReport } from "../../core/create-report.ts";
import { isGroupFinished, type InstallGroup } from "../../core/install/install-job.ts";
import { SCREENS, type Surface, type WizardState } from "../../core/wizard/index.ts";
import type { Logger } from "../system/logger.ts";
import { salvageStore } from "./salvage.ts";
import { applyBatches, encodeBatch, journalFileOf, parseJournal, type JournalEntry } from "./journal.ts";

/** 1: sessions + creates. 2: adds install groups. 3: adds persona records, chat bindings, persona actions. */
export const STORE_SCHEMA_VERSION = 3;
/** How long a transition may wait before it reaches disk. A crash loses at most this much. */
export const STORE_FLUSH_DELAY_MS = 50;
/** The journal is folded into the snapshot once it is larger than this and than the snapshot. */
export const JOURNAL_COMPACT_MIN_BYTES = 1024 * 1024;
/**
 * Finished creates remembered for repeat presses (each also expires one session TTL after its
 * wizard ends). Past this many, the oldest whose wizard has ended are forgotten first. A record with
 * its report is ~2 KB: at 5,000 the ledger was 10 of the store's 13.6 MB in the load benchmark, and
 * a repeat press comes within seconds, not thousands of creates later.
 */
export const CREATE_LEDGER_MAX = 1000;

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
  readonly kind: "undo" | "confirm-sync" | "confirm-delete";
  readonly profile: string;
  readonly actorId: string;
  readonly at: number;
  /** For undo: config paths (joined with ".") and their previous values (absent = undefined). */
  readonly previous?: Readonly<Record<string, unknown>>;
  readonly records?: Readonly<Record<string, PersonaRecord | null>>;
  /** For confirm-sync: the persona ids to overwrite. */
  readonly personaIds?: readonly string[];
}

type Collection = "sessions" | "creates" | "installs" | "personas" | "bindings" | "actions";
const COLLECTIONS: ReadonlySet<string> = new Set<Collection>([
  "sessions",
  "creates",
  "installs",
  "personas",
  "bindings",
  "actions",
]);

interface StoreData {
  version: number;
  sessions: Record<string, WizardState>;
  creates: Record<string, CreateRecord>;
  installs: Record<string, InstallGroup>;
  personas: Record<string, Record<string, PersonaRecord>>;
  bindings: Record<string, ChatBinding>;
  actions: Record<string, PersonaAction>;
}

const sessionSchema = z
  .object({
    id: z.string(),
    owner: z.object({ id: z.string(), name: z.string() }),
    surface: z.enum(["console", "telegram", "discord"]),
    chat: z.string(),
    rev: z.number().int(),
    step: z.enum(SCREENS),
    draft: z
      .object({ builtinOff: z.array(z.string()), optional: z.array(z.string()), hub: z.array(z.string()) })
      .loose(),
    secrets: z.object({ provided: z.array(z.string()), skipped: z.array(z.string()) }),
    createdAt: z.number(),
    updatedAt: z.number(),
  })
  .loose();

const emptyData = (): StoreData => ({
  version: STORE_SCHEMA_VERSION,
  sessions: {},
  creates: {},
  installs: {},
  personas: {},
  bindings: {},
  actions: {},
});

export class BotStore {
  #timer: NodeJS.Timeout | undefined;
  /** The write in progress: writes run one after another, never two at once. */
  #pending: Promise<void> = Promise.resolve();
  /** Records changed since the last write, by "collection\0key". */
  readonly #dirty = new Map<string, readonly [Collection, string]>();
  /** Open wizards by surface, chat and owner, so routing a typed message looks at that person's only. */
  readonly #openByOwner = new Map<string, Set<string>>();
  #createCount: number;
  #journalBytes = 0;
  #snapshotBytes = 0;
  /** Writes so far, journal appends and compactions both (for benchmarks and tests of coalescing). */
  writes = 0;
  /** Times the journal was folded into a new snapshot. */
  compactions = 0;

  private constructor(
    private readonly db: Low<StoreData>,
    private readonly file: string,
    private readonly flushDelayMs: number,
    private readonly logger: Logger,
  ) {
    for (const state of Object.values(db.data.sessions)) this.#index(state);
    this.#createCount = Object.keys(db.data.creates).length;
  }

  /**
   * Opens (or creates) the store: the snapshot, then the journal replayed over it, then both folded
   * into a new snapshot. A damaged snapshot or journal is kept aside as `<file>.bad-<time>` and every
   * record that still parses is kept.
   */
  static async open(
    file: string,
    logger: Logger,
    options: { flushDelayMs?: number; now?: number } = {},
  ): Promise<BotStore> {
    await mkdir(path.dirname(file), { recursive: true });
    const now = options.now ?? Date.now();
    const db = new Low<StoreData>(new JSONFile<StoreData>(file), emptyData());
    try {
      await db.read();
    } catch (error) {
      // Truncated, emptied or garbage: keep the file as it was, then carry on with what still parses.
      const aside = `${file}.bad-${now}`;
      await copyFile(file, aside);
      const salvage = salvageStore(await readFile(file, "utf8").catch(() => ""));
      logger.error(
        { file, aside, reason: (error as Error).message, recoveredRecords: salvage.records },
        `session store unreadable; kept a copy at ${aside} and recovered ${salvage.records} record(s)`,
      );
      db.data =
        salvage.version === undefined
          ? emptyData()
          : { ...emptyData(), ...salvage.collections, version: salvage.version };
    }
    db.data = migrate(db.data, file, logger);
    await replayJournal(db.data, file, logger, now);
    const store = new BotStore(db, file, options.flushDelayMs ?? STORE_FLUSH_DELAY_MS, logger);
    try {
      await store.#compact();
    } catch (error) {
      // The journal stays as it is and later writes append to it; nothing is lost.
      logger.error(
        { file, reason: (error as Error).message },
        "session store could not be rewritten at open",
      );
    }
    return store;
  }

  get(id: string): WizardState | undefined {
    return this.db.data.sessions[id];
  }

  all(): WizardState[] {
    return Object.values(this.db.data.sessions);
  }

  /** The newest open wizard of this person in this chat, for routing their typed text. */
  findOpen(surface: Surface, chat: string, ownerId: string): WizardState | undefined {
    let newest: WizardState | undefined;
    for (const id of this.#openByOwner.get(ownerKey(surface, chat, ownerId)) ?? []) {
      const state = this.db.data.sessions[id];
      if (state && (!newest || state.updatedAt > newest.updatedAt)) newest = state;
    }
    return newest;
  }

  put(state: WizardState): void {
    this.db.data.sessions[state.id] = state;
    this.#index(state);
    this.#changed("sessions", state.id);
  }

  delete(id: string): void {
    const state = this.db.data.sessions[id];
    if (!state) return;
    this.#drop(state);
    this.#changed("sessions", id);
  }

  getCreate(sessionId: string): CreateRecord | undefined {
    return this.db.data.creates[sessionId];
  }

  putCreate(sessionId: string, record: CreateRecord): void {
    if (!(sessionId in this.db.data.creates)) this.#createCount += 1;
    this.db.data.creates[sessionId] = record;
    this.#changed("creates", sessionId);
    // Pruned in steps of a tenth, so the sort is paid once per CREATE_LEDGER_MAX / 10 creates.
    if (this.#createCount > CREATE_LEDGER_MAX * 1.1) this.#pruneCreates();
  }

  getInstallGroup(id: string): InstallGroup | undefined {
    return this.db.data.installs[id];
  }

  allInstallGroups(): InstallGroup[] {
    return Object.values(this.db.data.installs);
  }

  putInstallGroup(group: InstallGroup): void {
    this.db.data.installs[group.id] = group;
    this.#changed("installs", group.id);
  }

  personaRecords(profile: string): Readonly<Record<string, PersonaRecord>> {
    return this.db.data.personas[profile] ?? {};
  }

  setPersonaRecord(profile: string, personaId: string, record: PersonaRecord | null): void {
    const records = { ...(this.db.data.personas[profile] ?? {}) };
    if (record === null) delete records[personaId];
    else records[personaId] = record;
    this.db.data.personas[profile] = records;
    this.#changed("personas", profile);
  }

  binding(chatKey: string): ChatBinding | undefined {
    return this.db.data.bindings[chatKey];
  }

  setBinding(chatKey: string, binding: ChatBinding): void {
    this.db.data.bindings[chatKey] = binding;
    this.#changed("bindings", chatKey);
  }

  /** After a profile is deleted: its persona records and every chat bound to it go too. */
  forgetProfile(profile: string): void {
    delete this.db.data.personas[profile];
    this.#changed("personas", profile);
    for (const [key, binding] of Object.entries(this.db.data.bindings))
      if (binding.profile === profile) {
        delete this.db.data.bindings[key];
        this.#changed("bindings", key);
      }
  }

  action(id: string): PersonaAction | undefined {
    return this.db.data.actions[id];
  }

  putAction(id: string, action: PersonaAction): void {
    this.db.data.actions[id] = action;
    this.#changed("actions", id);
  }

  deleteAction(id: string): void {
    delete this.db.data.actions[id];
    this.#changed("actions", id);
  }

  deleteCreate(sessionId: string): void {
    if (!(sessionId in this.db.data.creates)) return;
    delete this.db.data.creates[sessionId];
    this.#createCount -= 1;
    this.#changed("creates", sessionId);
  }

  /** Removes wizards untouched for longer than `ttlMs`; returns their ids. */
  sweepExpired(now: number, ttlMs: number): string[] {
    const expired = this.all().filter((state) => now - state.updatedAt > ttlMs);
    for (const state of expired) this.delete(state.id);
    // Create records outlive their wizard by one TTL, long enough to answer any late repeat press.
    for (const [id, record] of Object.entries(this.db.data.creates))
      if (!(id in this.db.data.sessions) && now - record.at > ttlMs) this.deleteCreate(id);
    for (const group of this.allInstallGroups())
      if (isGroupFinished(group) && now - group.updatedAt > ttlMs) {
        delete this.db.data.installs[group.id];
        this.#changed("installs", group.id);
      }
    for (const [id, action] of Object.entries(this.db.data.actions))
      if (now - action.at > ttlMs) this.deleteAction(id);
    return expired.map((state) => state.id);
  }

  /** Writes now if anything is waiting, and rejects if that write fails. Call before exit. */
  async flush(): Promise<void> {
    if (this.#timer) {
      clearTimeout(this.#timer);
      this.#timer = undefined;
      const write = this.#pending.then(() => this.#write());
      this.#pending = write.catch(() => undefined);
      await write;
    } else await this.#pending;
  }

  #changed(collection: Collection, key: string): void {
    this.#dirty.set(`${collection}\0${key}`, [collection, key]);
    if (this.#timer) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      // A failed background write is logged and the records stay dirty; the next write retries them.
      this.#pending = this.#pending
        .then(() => this.#write())
        .catch((error: unknown) => {
          this.logger.error({ reason: (error as Error).message }, "session store write failed");
        });
    }, this.flushDelayMs);
  }

  async #write(): Promise<void> {
    if (this.#dirty.size === 0) return;
    this.writes += 1;
    if (this.#journalBytes > Math.max(JOURNAL_COMPACT_MIN_BYTES, this.#snapshotBytes)) {
      const taken = new Map(this.#dirty);
      this.#dirty.clear();
      try {
        return await this.#compact();
      } catch (error) {
        for (const [id, entry] of taken) if (!this.#dirty.has(id)) this.#dirty.set(id, entry);
        throw error;
      }
    }
    const taken = [...this.#dirty.values()];
    this.#dirty.clear();
    const data = this.db.data as unknown as Record<Collection, Record<string, unknown>>;
    const entries: JournalEntry[] = taken.map(([collection, key]) =>
      key in data[collection] ? [collection, key, data[collection][key]] : [collection, key],
    );
    const line = encodeBatch(entries);
    try {
      await appendFile(journalFileOf(this.file), line, { mode: 0o600 });
    } catch (error) {
      for (const [collection, key] of taken) this.#dirty.set(`${collection}\0${key}`, [collection, key]);
      throw error;
    }
    this.#journalBytes += Buffer.byteLength(line);
  }

  /** Everything into a new snapshot (atomic rename), then an empty journal. */
  async #compact(): Promise<void> {
    await this.db.write();
    await writeFile(journalFileOf(this.file), "", { mode: 0o600 });
    this.#snapshotBytes = (await stat(this.file)).size;
    this.#journalBytes = 0;
    this.compactions += 1;
  }

  /** Forgets the oldest finished creates whose wizard has ended, down to CREATE_LEDGER_MAX. */
  #pruneCreates(): void {
    const removable = Object.entries(this.db.data.creates)
      .filter(([id, record]) => record.state === "done" && !(id in this.db.data.sessions))
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
    delete this.db.data.sessions[state.id];
    const key = ownerKey(state.surface, state.chat, state.owner.id);
    const ids = this.#openByOwner.get(key);
    ids?.delete(state.id);
    if (ids?.size === 0) this.#openByOwner.delete(key);
  }
}

function ownerKey(surface: Surface, chat: string, ownerId: string): string {
  return `${surface}\n${chat}\n${ownerId}`;
}

/** Applies the journal's whole lines to `data`; a damaged journal is kept aside and reported. */
async function replayJournal(data: StoreData, file: string, logger: Logger, now: number): Promise<void> {
  const journal = journalFileOf(file);
  let text: string;
  try {
    text = await readFile(journal, "utf8");
  } catch {
    return;
  }
  const parsed = parseJournal(text);
  if (parsed.torn)
    logger.warn({ file: journal }, "session store journal ends in a write cut short; that write is dropped");
  if (parsed.damaged > 0) {
    const aside = `${journal}.bad-${now}`;
    await copyFile(journal, aside);
    logger.error(
      { file: journal, aside, damagedWrites: parsed.damaged },
      `session store journal has ${parsed.damaged} unreadable write(s); kept a copy at ${aside}`,
    );
  }
  applyBatches(
    data as unknown as Record<string, Record<string, unknown>>,
    parsed.batches,
    ([collection, key, ...value]) =>
      COLLECTIONS.has(collection) &&
      (collection !== "sessions" || value.length === 0 || validSession(key, value[0], file, logger)),
  );
}

function migrate(data: StoreData, file: string, logger: Logger): StoreData {
  if (typeof data !== "object" || data === null || typeof data.version !== "number") {
    logger.error({ file }, "session store has no schema version; starting empty");
    return emptyData();
  }
  if (data.version > STORE_SCHEMA_VERSION) {
    throw new Error(
      `${file} was written by a newer agent-blueprint (schema ${data.version}); upgrade the bot or move the file away.`,
    );
  }
  const sessions: Record<string, WizardState> = {};
  for (const [id, raw] of Object.entries(data.sessions ?? {}))
    if (validSession(id, raw, file, logger)) sessions[id] = raw;
  // Versions 1 and 2 lack the newer collections; every other field is unchanged.
  return {
    version: STORE_SCHEMA_VERSION,
    sessions,
    creates: data.creates ?? {},
    installs: data.installs ?? {},
    personas: data.personas ?? {},
    bindings: data.bindings ?? {},
    actions: data.actions ?? {},
  };
}

function validSession(id: string, raw: unknown, file: string, logger: Logger): raw is WizardState {
  const parsed = sessionSchema.safeParse(raw);
  if (parsed.success && parsed.data.id === id) return true;
  logger.warn({ file, session: id }, "dropped a session record that does not match the schema");
  return false;
}
