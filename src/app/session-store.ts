// Open wizards and create records, persisted with lowdb in DATA_DIR/store.json. Writes are atomic
// (steno writes a temp file and renames it) and coalesced: transitions mark the store dirty and one
// write follows after STORE_FLUSH_DELAY_MS, however many transitions happened meanwhile.
import { copyFile, mkdir, readFile } from "node:fs/promises";
import path from "node:path";
import { Low } from "lowdb";
import { JSONFile } from "lowdb/node";
import { z } from "zod";
import type { CreateReport } from "../core/create-report.ts";
import { isGroupFinished, type InstallGroup } from "../core/install/install-job.ts";
import { SCREENS, type Surface, type WizardState } from "../core/wizard/index.ts";
import type { Logger } from "./logger.ts";
import { salvageStore } from "./store-salvage.ts";

/** 1: sessions + creates. 2: adds install groups. 3: adds persona records, chat bindings, persona actions. */
export const STORE_SCHEMA_VERSION = 3;
/** How long a transition may wait before it reaches disk. A crash loses at most this much. */
export const STORE_FLUSH_DELAY_MS = 50;

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

export class SessionStore {
  #timer: NodeJS.Timeout | undefined;
  #pending: Promise<void> | undefined;
  /** Full-file writes so far (for benchmarks and tests of coalescing). */
  writes = 0;

  private constructor(
    private readonly db: Low<StoreData>,
    private readonly flushDelayMs: number,
    private readonly logger: Logger,
  ) {}

  /** Opens (or creates) the store. A damaged file is kept aside as `<file>.bad-<time>` and the bot starts empty. */
  static async open(
    file: string,
    logger: Logger,
    options: { flushDelayMs?: number; now?: number } = {},
  ): Promise<SessionStore> {
    await mkdir(path.dirname(file), { recursive: true });
    const db = new Low<StoreData>(new JSONFile<StoreData>(file), emptyData());
    try {
      await db.read();
    } catch (error) {
      // Truncated, emptied or garbage: keep the file as it was, then carry on with what still parses.
      const aside = `${file}.bad-${options.now ?? Date.now()}`;
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
    return new SessionStore(db, options.flushDelayMs ?? STORE_FLUSH_DELAY_MS, logger);
  }

  get(id: string): WizardState | undefined {
    return this.db.data.sessions[id];
  }

  all(): WizardState[] {
    return Object.values(this.db.data.sessions);
  }

  /** The newest open wizard of this person in this chat, for routing their typed text. */
  findOpen(surface: Surface, chat: string, ownerId: string): WizardState | undefined {
    return this.all()
      .filter((state) => state.surface === surface && state.chat === chat && state.owner.id === ownerId)
      .sort((a, b) => b.updatedAt - a.updatedAt)[0];
  }

  put(state: WizardState): void {
    this.db.data.sessions[state.id] = state;
    this.#schedule();
  }

  delete(id: string): void {
    if (!(id in this.db.data.sessions)) return;
    delete this.db.data.sessions[id];
    this.#schedule();
  }

  getCreate(sessionId: string): CreateRecord | undefined {
    return this.db.data.creates[sessionId];
  }

  putCreate(sessionId: string, record: CreateRecord): void {
    this.db.data.creates[sessionId] = record;
    this.#schedule();
  }

  getInstallGroup(id: string): InstallGroup | undefined {
    return this.db.data.installs[id];
  }

  allInstallGroups(): InstallGroup[] {
    return Object.values(this.db.data.installs);
  }

  putInstallGroup(group: InstallGroup): void {
    this.db.data.installs[group.id] = group;
    this.#schedule();
  }

  personaRecords(profile: string): Readonly<Record<string, PersonaRecord>> {
    return this.db.data.personas[profile] ?? {};
  }

  setPersonaRecord(profile: string, personaId: string, record: PersonaRecord | null): void {
    const records = { ...(this.db.data.personas[profile] ?? {}) };
    if (record === null) delete records[personaId];
    else records[personaId] = record;
    this.db.data.personas[profile] = records;
    this.#schedule();
  }

  binding(chatKey: string): ChatBinding | undefined {
    return this.db.data.bindings[chatKey];
  }

  setBinding(chatKey: string, binding: ChatBinding): void {
    this.db.data.bindings[chatKey] = binding;
    this.#schedule();
  }

  /** After a profile is deleted: its persona records and every chat bound to it go too. */
  forgetProfile(profile: string): void {
    delete this.db.data.personas[profile];
    for (const [key, binding] of Object.entries(this.db.data.bindings))
      if (binding.profile === profile) delete this.db.data.bindings[key];
    this.#schedule();
  }

  action(id: string): PersonaAction | undefined {
    return this.db.data.actions[id];
  }

  putAction(id: string, action: PersonaAction): void {
    this.db.data.actions[id] = action;
    this.#schedule();
  }

  deleteAction(id: string): void {
    delete this.db.data.actions[id];
    this.#schedule();
  }

  deleteCreate(sessionId: string): void {
    delete this.db.data.creates[sessionId];
    this.#schedule();
  }

  /** Removes wizards untouched for longer than `ttlMs`; returns their ids. */
  sweepExpired(now: number, ttlMs: number): string[] {
    const expired = this.all()
      .filter((state) => now - state.updatedAt > ttlMs)
      .map((state) => state.id);
    for (const id of expired) delete this.db.data.sessions[id];
    // Create records outlive their wizard by one TTL, long enough to answer any late repeat press.
    const oldCreates = Object.entries(this.db.data.creates).filter(
      ([id, record]) => !(id in this.db.data.sessions) && now - record.at > ttlMs,
    );
    for (const [id] of oldCreates) delete this.db.data.creates[id];
    const oldInstalls = this.allInstallGroups().filter(
      (group) => isGroupFinished(group) && now - group.updatedAt > ttlMs,
    );
    for (const group of oldInstalls) delete this.db.data.installs[group.id];
    const oldActions = Object.entries(this.db.data.actions).filter(([, action]) => now - action.at > ttlMs);
    for (const [id] of oldActions) delete this.db.data.actions[id];
    if (expired.length + oldCreates.length + oldInstalls.length + oldActions.length > 0) this.#schedule();
    return expired;
  }

  /** Writes now if anything is waiting, and rejects if that write fails. Call before exit. */
  async flush(): Promise<void> {
    await this.#pending;
    if (this.#timer) {
      clearTimeout(this.#timer);
      this.#timer = undefined;
      await this.#write();
    }
  }

  #schedule(): void {
    if (this.#timer) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      // A failed background write is logged and the data stays in memory; the next write retries it.
      this.#pending = this.#write().catch((error: unknown) => {
        this.logger.error({ reason: (error as Error).message }, "session store write failed");
      });
    }, this.flushDelayMs);
  }

  async #write(): Promise<void> {
    this.writes += 1;
    await this.db.write();
  }
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
  for (const [id, raw] of Object.entries(data.sessions ?? {})) {
    const parsed = sessionSchema.safeParse(raw);
    if (parsed.success && parsed.data.id === id) sessions[id] = raw;
    else logger.warn({ file, session: id }, "dropped a session record that does not match the schema");
  }
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
