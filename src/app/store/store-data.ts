// The store's data as it is kept in store.json: the schema version, the six collections, and how
// an older or damaged file is brought to the current shape (migrate, and the check every wizard
// record passes before it is kept). Apart from the engine that reads and writes it (store-file.ts)
// and from the accessors the app calls (bot-store.ts).
import { z } from "zod";
import type { InstallGroup } from "../../core/install/install-job.ts";
import { SCREENS, type WizardState } from "../../core/wizard/index.ts";
import type { ChatBinding, CreateRecord, PersonaAction, PersonaRecord } from "../ports/store.ts";
import type { Logger } from "../system/logger.ts";
import type { JournalEntry } from "./journal.ts";

/** 1: sessions + creates. 2: adds install groups. 3: adds persona records, chat bindings, persona actions. */
export const STORE_SCHEMA_VERSION = 3;

export type Collection = "sessions" | "creates" | "installs" | "personas" | "bindings" | "actions";
export const COLLECTIONS: ReadonlySet<string> = new Set<Collection>([
  "sessions",
  "creates",
  "installs",
  "personas",
  "bindings",
  "actions",
]);

export interface StoreData {
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

export const emptyData = (): StoreData => ({
  version: STORE_SCHEMA_VERSION,
  sessions: {},
  creates: {},
  installs: {},
  personas: {},
  bindings: {},
  actions: {},
});

export function migrate(data: StoreData, file: string, logger: Logger): StoreData {
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

/**
 * Whether a journal entry is replayed over the snapshot: a known collection, and a session put only
 * when it passes the schema (a deletion always).
 */
export function replayableEntry(file: string, logger: Logger): (entry: JournalEntry) => boolean {
  return ([collection, key, ...value]) =>
    COLLECTIONS.has(collection) &&
    (collection !== "sessions" || value.length === 0 || validSession(key, value[0], file, logger));
}

export function validSession(id: string, raw: unknown, file: string, logger: Logger): raw is WizardState {
  const parsed = sessionSchema.safeParse(raw);
  if (parsed.success && parsed.data.id === id) return true;
  logger.warn({ file, session: id }, "dropped a session record that does not match the schema");
  return false;
}
