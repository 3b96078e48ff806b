// The session store's journal (`store.json.journal`): each coalesced write appends ONE line, a JSON
// array of the records that changed since the last write — `[collection, key, value]` for a record
// put, `[collection, key]` for one deleted. Its cost depends on what changed, never on how big the
// store is. At open the lines are replayed over the snapshot (`store.json`); a line cut short by a
// crash is the last one and is dropped whole, so a write lands entirely or not at all.

/** A record put (with its value) or deleted (without). */
export type JournalEntry = readonly [collection: string, key: string, value?: unknown];

export interface ParsedJournal {
  /** Every whole line's entries, in the order they were written. */
  readonly batches: readonly (readonly JournalEntry[])[];
  /** The last line did not end (the process stopped mid-append): it was dropped. */
  readonly torn: boolean;
  /** Whole lines that did not parse as a batch (damage, not a crash): each was dropped. */
  readonly damaged: number;
}

/** The journal beside a store file. */
export function journalFileOf(storeFile: string): string {
  return `${storeFile}.journal`;
}

/** One line for one write. */
export function encodeBatch(entries: readonly JournalEntry[]): string {
  return `${JSON.stringify(entries)}\n`;
}

export function parseJournal(text: string): ParsedJournal {
  const lines = text.split("\n");
  // A journal written whole ends with "\n", so the last piece is empty; anything else was cut short.
  const last = lines.pop() ?? "";
  const batches: JournalEntry[][] = [];
  let damaged = 0;
  for (const line of lines) {
    if (line === "") continue;
    const batch = parseBatch(line);
    if (batch) batches.push(batch);
    else damaged += 1;
  }
  return { batches, torn: last !== "", damaged };
}

/**
 * Applies whole writes in order: a put sets its record, a delete removes it. An entry `accept`
 * refuses (an unknown collection, a record failing its schema) is left out.
 */
export function applyBatches(
  collections: Record<string, Record<string, unknown>>,
  batches: ParsedJournal["batches"],
  accept: (entry: JournalEntry) => boolean = () => true,
): void {
  for (const batch of batches)
    for (const entry of batch) {
      if (!accept(entry)) continue;
      const [collection, key, ...value] = entry;
      const records = (collections[collection] ??= {});
      if (value.length === 0) delete records[key];
      else records[key] = value[0];
    }
}

function parseBatch(line: string): JournalEntry[] | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (!Array.isArray(parsed)) return undefined;
  const entries: JournalEntry[] = [];
  for (const entry of parsed as unknown[]) {
    if (!Array.isArray(entry) || entry.length < 2 || entry.length > 3) return undefined;
    const [collection, key] = entry as unknown[];
    if (typeof collection !== "string" || typeof key !== "string") return undefined;
    entries.push(entry as unknown as JournalEntry);
  }
  return entries;
}
