// Recovers what it can from a damaged store file (truncated, or garbage part-way). The store is
// written by JSON.stringify(data, null, 2), so each collection is a 2-space-indented key and each
// record a 4-space-indented key beneath it; every record that still parses on its own is kept.
// The caller checks the records against the schema, as for any store it opens.

export interface Salvage {
  readonly version?: number;
  readonly collections: Record<string, Record<string, unknown>>;
  readonly records: number;
}

const VERSION_LINE = /^ {2}"version": (\d+),?$/;
const COLLECTION_LINE = /^ {2}"([A-Za-z]+)": \{\}?,?$/;
const RECORD_LINE = /^ {4}"((?:[^"\\]|\\.)+)": (.*)$/;
const RECORD_END = /^ {4}[}\]],?$/;

function parseRecord(lines: readonly string[]): [string, unknown] | undefined {
  const body = lines.join("\n").replace(/,\s*$/, "");
  try {
    const parsed = JSON.parse(`{${body}}`) as Record<string, unknown>;
    const entries = Object.entries(parsed);
    return entries.length === 1 ? entries[0] : undefined;
  } catch {
    return undefined;
  }
}

export function salvageStore(text: string): Salvage {
  const collections: Record<string, Record<string, unknown>> = {};
  let version: number | undefined;
  let collection: string | undefined;
  let record: string[] | undefined;
  let records = 0;
  const keep = (lines: readonly string[]): void => {
    const entry = collection ? parseRecord(lines) : undefined;
    if (!entry || !collection) return;
    (collections[collection] ??= {})[entry[0]] = entry[1];
    records += 1;
  };
  for (const line of text.split("\n")) {
    if (record) {
      record.push(line);
      if (RECORD_END.test(line)) {
        keep(record);
        record = undefined;
      }
      continue;
    }
    const versionMatch = VERSION_LINE.exec(line);
    if (versionMatch) {
      version = Number(versionMatch[1]);
      continue;
    }
    const collectionMatch = COLLECTION_LINE.exec(line);
    if (collectionMatch) {
      collection = collectionMatch[1];
      continue;
    }
    const recordMatch = RECORD_LINE.exec(line);
    if (recordMatch && collection) {
      // A record on one line (`"id": {}` or a scalar), or the first line of a multi-line one.
      if (/^[[{]$/.test(recordMatch[2] ?? "")) record = [line];
      else keep([line]);
    }
  }
  return { ...(version === undefined ? {} : { version }), collections, records };
}
