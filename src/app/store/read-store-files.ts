// The embedded store's records as the bot would open them (the snapshot, migrated to the current
// shape, with the journal's whole writes replayed over it), read WITHOUT writing anything: opening
// the store (store-file.ts) folds the journal into a new snapshot and moves damaged files aside,
// which a command that only reads it (copying it into Postgres) must not do behind the bot's back.
// A damaged file is refused rather than salvaged here: the bot's own open salvages it properly.
import { readFile } from "node:fs/promises";
import type { Outcome } from "../ports/outcome.ts";
import type { Logger } from "../system/logger.ts";
import { applyBatches, journalFileOf, parseJournal } from "./journal.ts";
import { migrate, replayableEntry, type StoreData } from "./store-data.ts";

export interface StoreFilesRead {
  readonly data: StoreData;
  /** What the reader should know that did not stop the read (a write cut short by a crash). */
  readonly notes: readonly string[];
}

/** What to do about a damaged store: the bot's open keeps a copy aside and recovers what parses. */
const SALVAGE_FIRST =
  "Start the bot once on this DATA_DIR without DATABASE_URL (it keeps the damaged file aside as .bad-<time> and recovers every record that still parses), stop it, then run this again.";

export async function readStoreFiles(file: string, logger: Logger): Promise<Outcome<StoreFilesRead>> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "ENOENT"
      ? { ok: false, reason: `There is no embedded store at ${file}: check DATA_DIR.` }
      : { ok: false, reason: `${file} cannot be read: ${(error as Error).message}.` };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { ok: false, reason: `${file} is damaged (not JSON). ${SALVAGE_FIRST}` };
  }
  if (typeof parsed !== "object" || parsed === null || typeof (parsed as StoreData).version !== "number")
    return { ok: false, reason: `${file} is not a store (no schema version). ${SALVAGE_FIRST}` };
  let data: StoreData;
  try {
    data = migrate(parsed as StoreData, file, logger);
  } catch (error) {
    // A store written by a newer bot: its message says to upgrade.
    return { ok: false, reason: (error as Error).message };
  }
  const journal = await readJournal(journalFileOf(file));
  if (!journal.ok) return journal;
  const replay = parseJournal(journal.value);
  if (replay.damaged > 0)
    return {
      ok: false,
      reason: `${journalFileOf(file)} has ${replay.damaged} unreadable write(s). ${SALVAGE_FIRST}`,
    };
  applyBatches(
    data as unknown as Record<string, Record<string, unknown>>,
    replay.batches,
    replayableEntry(file, logger),
  );
  const notes = replay.torn
    ? [
        "The journal's last write was cut short (the bot stopped mid-write): it was left out, as the bot does.",
      ]
    : [];
  return { ok: true, value: { data, notes } };
}

/** The journal's text; none yet is an empty journal. */
async function readJournal(journal: string): Promise<Outcome<string>> {
  try {
    return { ok: true, value: await readFile(journal, "utf8") };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return { ok: true, value: "" };
    return { ok: false, reason: `${journal} cannot be read: ${(error as Error).message}.` };
  }
}
