// The secret-leak ledger (issue 7): while the suite runs, every test file records what the bot
// produced — log lines, fake platforms' transcripts, CLI output, and every file a test's temporary
// folders held when they were removed. Secrets are the values that reached a profile's .env. After
// the whole suite, test/setup/leak-check.ts searches every artifact for every secret.
import { randomBytes } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { readdir, readFile, stat } from "node:fs/promises";
import path from "node:path";

export const LEAK_DIR_ENV = "BLUEPRINT_LEAK_DIR";
/** Files bigger than this are not read into the ledger (none of ours come close). */
const ARTIFACT_MAX_BYTES = 4 * 1024 * 1024;
/** Shorter .env values are too likely to occur by chance to count as secrets. */
export const SECRET_MIN_CHARS = 8;

const artifacts: { label: string; text: string }[] = [];
const secrets = new Set<string>();

const logs: string[][] = [];

/** A log's lines, read when the test file ends (they keep growing until then). */
export function recordLog(lines: string[]): void {
  logs.push(lines);
}

export function recordArtifact(label: string, text: string): void {
  if (text.length > 0) artifacts.push({ label, text });
}

/** Secret values of a .env file: every non-empty assignment long enough to be a key. */
export function envSecrets(text: string): string[] {
  return text
    .split("\n")
    .map((line) => /^\s*[A-Za-z_][A-Za-z0-9_]*=(.*)$/.exec(line)?.[1]?.trim() ?? "")
    .filter((value) => value.length >= SECRET_MIN_CHARS);
}

/** Records every file under `dir`: .env files as secrets, everything else as artifacts. */
export async function recordFolder(dir: string): Promise<void> {
  let entries: string[];
  try {
    entries = await readdir(dir, { recursive: true });
  } catch {
    return;
  }
  for (const entry of entries) {
    const file = path.join(dir, entry);
    try {
      const info = await stat(file);
      if (!info.isFile() || info.size > ARTIFACT_MAX_BYTES) continue;
      const text = await readFile(file, "utf8");
      if (path.basename(file) === ".env") for (const value of envSecrets(text)) secrets.add(value);
      else recordArtifact(`file ${entry}`, text);
    } catch {
      // Gone meanwhile or unreadable: nothing to record.
    }
  }
}

/** Writes this test file's ledger for the check after the suite (no-op outside the full config). */
export function flushLedger(testFile: string): void {
  const dir = process.env[LEAK_DIR_ENV];
  if (!dir) return;
  for (const [index, lines] of logs.splice(0).entries()) recordArtifact(`log ${index}`, lines.join("\n"));
  mkdirSync(dir, { recursive: true });
  const name = `${path.basename(testFile)}-${randomBytes(4).toString("hex")}.json`;
  writeFileSync(path.join(dir, name), JSON.stringify({ testFile, secrets: [...secrets], artifacts }));
  artifacts.length = 0;
  secrets.clear();
}
