// The bot's store as it is on disk: the snapshot (store.json) and its journal, read without
// opening the store (opening rewrites the snapshot). For tests that look at what reached disk.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { applyBatches, journalFileOf, parseJournal } from "../../src/app/store/journal.ts";

/** Both files' text, for "this never reached disk" checks. */
export function storeFilesText(dataDir: string): string {
  const file = path.join(dataDir, "store.json");
  return [file, journalFileOf(file)]
    .filter((candidate) => existsSync(candidate))
    .map((candidate) => readFileSync(candidate, "utf8"))
    .join("\n");
}

/** The collections as a restart would see them: the snapshot with every whole journal write applied. */
export function storedCollections(dataDir: string): Record<string, Record<string, unknown>> | undefined {
  const file = path.join(dataDir, "store.json");
  if (!existsSync(file)) return undefined;
  const data = JSON.parse(readFileSync(file, "utf8")) as Record<string, Record<string, unknown>>;
  const journal = journalFileOf(file);
  const text = existsSync(journal) ? readFileSync(journal, "utf8") : "";
  applyBatches(data, parseJournal(text).batches);
  return data;
}
