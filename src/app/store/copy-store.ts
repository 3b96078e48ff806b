// Copies the embedded store's records (read by read-store-files.ts) into another store through the
// store port: `blueprint store copy-to-postgres`. A record the target already holds under the same
// key is left as it is, never overwritten: a second run copies nothing twice, and a record the
// replicas have moved on since the first run is not rolled back to the file's older copy.
// Sessions are written with `put`, so each starts at the target's first version (the embedded
// store's versions lived only in its process's memory). Inbound dedupe records are not in the file
// (the embedded store keeps them in memory), so there are none to copy.
import type { Store } from "../ports/store.ts";
import type { Collection, StoreData } from "./store-data.ts";

/** The kinds in the order they are copied, and how a person calls them. */
export const RECORD_KINDS: readonly (readonly [Collection, string])[] = [
  // Sessions before creates: the target prunes finished creates whose wizard it does not hold.
  ["sessions", "open wizards"],
  ["creates", "create ledger entries"],
  ["installs", "install groups"],
  ["personas", "persona records"],
  ["bindings", "chat bindings"],
  ["actions", "persona buttons"],
];

export interface KindCount {
  /** Records the file holds of this kind. */
  readonly inFile: number;
  /** Written now (in a dry run: would be). */
  readonly copied: number;
  /** The target already held one under the same key: left as it was. */
  readonly present: number;
}

export type CopyCounts = Readonly<Record<Collection, KindCount>>;

export interface CopyResult {
  readonly counts: CopyCounts;
  /** Why the copy stopped part-way (the target failed); the counts say how far it got. */
  readonly failure?: string;
}

/** One record of the file, as the port reads and writes it. */
interface RecordCopy {
  readonly kind: Collection;
  present(target: Store): Promise<boolean>;
  /** Writes the record unless the target holds one under its key; true when written. */
  copy(target: Store): Promise<boolean>;
}

/**
 * Copies every record of `data` the target lacks. `target` undefined: a target known to hold no
 * record (a database the bot never used), for a dry run that must not make its tables.
 */
export async function copyStoreData(
  data: StoreData,
  target: Store | undefined,
  options: { readonly dryRun: boolean },
): Promise<CopyResult> {
  const counts = Object.fromEntries(
    RECORD_KINDS.map(([kind]) => [kind, { inFile: 0, copied: 0, present: 0 }]),
  ) as Record<Collection, { inFile: number; copied: number; present: number }>;
  const records = recordCopies(data);
  for (const record of records) counts[record.kind].inFile += 1;
  for (const record of records) {
    const count = counts[record.kind];
    try {
      const written = !target
        ? true
        : options.dryRun
          ? !(await record.present(target))
          : await record.copy(target);
      if (written) count.copied += 1;
      else count.present += 1;
    } catch (error) {
      return { counts, failure: (error as Error).message };
    }
  }
  return { counts };
}

function recordCopies(data: StoreData): RecordCopy[] {
  const sessions = Object.values(data.sessions).map((state): RecordCopy => ({
    kind: "sessions",
    present: async (target) => (await target.get(state.id)) !== undefined,
    copy: async (target) => {
      if ((await target.get(state.id)) !== undefined) return false;
      await target.put(state);
      return true;
    },
  }));
  const creates = Object.entries(data.creates).map(([sessionId, record]): RecordCopy => ({
    kind: "creates",
    present: async (target) => (await target.getCreate(sessionId)) !== undefined,
    // The port's claim is exactly "write unless there": one statement on Postgres.
    copy: async (target) => (await target.claimCreate(sessionId, record)) === undefined,
  }));
  const installs = Object.values(data.installs).map((group): RecordCopy => ({
    kind: "installs",
    present: async (target) => (await target.getInstallGroup(group.id)) !== undefined,
    copy: async (target) => {
      if ((await target.getInstallGroup(group.id)) !== undefined) return false;
      await target.putInstallGroup(group);
      return true;
    },
  }));
  const personas = Object.entries(data.personas).flatMap(([profile, records]) =>
    Object.entries(records).map(([personaId, record]): RecordCopy => ({
      kind: "personas",
      present: async (target) => personaId in (await target.personaRecords(profile)),
      copy: async (target) => {
        if (personaId in (await target.personaRecords(profile))) return false;
        await target.setPersonaRecord(profile, personaId, record);
        return true;
      },
    })),
  );
  const bindings = Object.entries(data.bindings).map(([chatKey, binding]): RecordCopy => ({
    kind: "bindings",
    present: async (target) => (await target.binding(chatKey)) !== undefined,
    copy: async (target) => {
      if ((await target.binding(chatKey)) !== undefined) return false;
      await target.setBinding(chatKey, binding);
      return true;
    },
  }));
  const actions = Object.entries(data.actions).map(([id, action]): RecordCopy => ({
    kind: "actions",
    present: async (target) => (await target.action(id)) !== undefined,
    copy: async (target) => {
      if ((await target.action(id)) !== undefined) return false;
      await target.putAction(id, action);
      return true;
    },
  }));
  return [...sessions, ...creates, ...installs, ...personas, ...bindings, ...actions];
}
