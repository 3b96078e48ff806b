// The secret-leak ledger (issue 7): while the suite runs, every test file records what the bot
// produced — log lines, fake platforms' transcripts, CLI output, and every file a test's temporary
// folders held when they were removed. Secrets are the values that reached a profile's .env. After
// the whole suite, test/setup/leak-check.ts searches every artifact for every secret.
import { randomBytes } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { readdir, readFile, stat } from "node:fs/promises";
import path from "node:path";
import { parse as parseYaml } from "yaml";

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

/**
 * Values a catalog manifest declares non-secret (`secret: false` with a `default`): the wizard
 * shows them and writes them to .env, so they are not secrets. Read from the manifests themselves.
 */
const NON_SECRET_DEFAULTS: ReadonlySet<string> = new Set(
  ["library/mcps", "test/fixtures/hermes-mcps"].flatMap((folder) => {
    const root = path.resolve(import.meta.dirname, "../..", folder);
    let names: string[] = [];
    try {
      names = readdirSync(root);
    } catch {
      return [];
    }
    return names.flatMap((name) => {
      let manifest: unknown;
      try {
        manifest = parseYaml(readFileSync(path.join(root, name, "manifest.yaml"), "utf8"));
      } catch {
        return [];
      }
      const env =
        (manifest as { auth?: { env?: { secret?: boolean; default?: unknown }[] } }).auth?.env ?? [];
      return env.flatMap((entry) =>
        entry.secret === false && typeof entry.default === "string" ? [entry.default] : [],
      );
    });
  }),
);

/** Secret values of a .env file: every non-empty assignment long enough to be a key. */
export function envSecrets(text: string): string[] {
  return text
    .split("\n")
    .map((line) => /^\s*[A-Za-z_][A-Za-z0-9_]*=(.*)$/.exec(line)?.[1]?.trim() ?? "")
    .filter((value) => value.length >= SECRET_MIN_CHARS && !NON_SECRET_DEFAULTS.has(value));
}

/** A secret that lives outside any .env (a Hermes dashboard token): searched for like the others. */
export function recordSecret(value: string): void {
  if (value.length >= SECRET_MIN_CHARS) secrets.add(value);
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
