// The store's persistence, whatever records it holds: a snapshot (`store.json`, written by lowdb
// atomically: steno writes a temp file and renames it) and a journal beside it (journal.ts).
// Writes are coalesced: a change marks its record dirty and one write follows after
// STORE_FLUSH_DELAY_MS, appending only those records to the journal — so a write costs what
// changed, not the size of the store. The journal is folded into a new snapshot at open and
// whenever it outgrows the snapshot (amortised, that too is a constant cost per change). The
// records themselves are read and changed through bot-store.ts.
import { appendFile, copyFile, mkdir, readFile, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { Low } from "lowdb";
import { JSONFile } from "lowdb/node";
import type { Logger } from "../system/logger.ts";
import { salvageStore } from "./salvage.ts";
import { applyBatches, encodeBatch, journalFileOf, parseJournal, type JournalEntry } from "./journal.ts";
import { emptyData, migrate, replayableEntry, type Collection, type StoreData } from "./store-data.ts";

/** How long a transition may wait before it reaches disk. A crash loses at most this much. */
export const STORE_FLUSH_DELAY_MS = 50;
/** The journal is folded into the snapshot once it is larger than this and than the snapshot. */
export const JOURNAL_COMPACT_MIN_BYTES = 1024 * 1024;

export interface StoreFileOptions {
  readonly flushDelayMs?: number;
  /** The time stamped on copies of damaged files (`.bad-<now>`). */
  readonly now?: number;
}

export class StoreFile {
  #timer: NodeJS.Timeout | undefined;
  /** The write in progress: writes run one after another, never two at once. */
  #pending: Promise<void> = Promise.resolve();
  /** Records changed since the last write, by "collection\0key". */
  readonly #dirty = new Map<string, readonly [Collection, string]>();
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
  ) {}

  /** Every record, in memory; change one, then call `changed` so it reaches disk. */
  get data(): StoreData {
    return this.db.data;
  }

  /**
   * Opens (or creates) the store: the snapshot, then the journal replayed over it, then both folded
   * into a new snapshot. A damaged snapshot or journal is kept aside as `<file>.bad-<time>` and every
   * record that still parses is kept.
   */
  static async open(file: string, logger: Logger, options: StoreFileOptions = {}): Promise<StoreFile> {
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
    const store = new StoreFile(db, file, options.flushDelayMs ?? STORE_FLUSH_DELAY_MS, logger);
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

  /** The record at `key` was put or deleted: it is written with the next coalesced write. */
  changed(collection: Collection, key: string): void {
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
    replayableEntry(file, logger),
  );
}
