// skills/.hub/lock.json, Hermes' record of hub installs:
// {"version": 1, "installed": {"<name>": {source, identifier, trust_level, scan_verdict, content_hash,
//  install_path, files, installed_at, updated_at}}}
import { appendFile, mkdir, readFile, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";

const lockEntrySchema = z
  .object({
    source: z.string(),
    identifier: z.string(),
    trust_level: z.string(),
    scan_verdict: z.string(),
    content_hash: z.string(),
    install_path: z.string(),
    files: z.array(z.string()),
    installed_at: z.string(),
    updated_at: z.string(),
  })
  .loose();

const lockSchema = z
  .object({ version: z.literal(1), installed: z.record(z.string(), lockEntrySchema) })
  .loose();

export type LockEntry = z.infer<typeof lockEntrySchema>;
export type SkillLock = z.infer<typeof lockSchema>;

export function lockPath(profileDir: string): string {
  return path.join(profileDir, "skills", ".hub", "lock.json");
}

export async function readLock(profileDir: string): Promise<SkillLock> {
  const text = await readFile(lockPath(profileDir), "utf8").catch(() => undefined);
  if (text === undefined) return { version: 1, installed: {} };
  const parsed = lockSchema.safeParse(JSON.parse(text));
  if (!parsed.success)
    throw new Error(`${lockPath(profileDir)} is not a Hermes skills lock file; fix or move it away`);
  return parsed.data;
}

/** Writes the lock atomically (temp file + rename), so a killed install never leaves half a file. */
export async function writeLock(profileDir: string, lock: SkillLock): Promise<void> {
  const file = lockPath(profileDir);
  await mkdir(path.dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.tmp`;
  await writeFile(temp, `${JSON.stringify(lock, null, 2)}\n`);
  await rename(temp, file);
}

/** One install as Hermes' installer records it (tools/skills_hub.py). */
export interface HubInstallRecord {
  readonly name: string;
  readonly source: string;
  readonly identifier: string;
  readonly trust: string;
  /** Lower case, as Hermes writes it: safe, caution, dangerous. */
  readonly verdict: string;
  readonly contentHash: string;
  /** Relative to skills/, e.g. security/password-audit. */
  readonly installPath: string;
  readonly files: readonly string[];
  readonly at: Date;
}

/** Hermes' audit line: `<UTC second> <ACTION> <name> <source>:<trust> <verdict> <extra>`. */
export async function appendAudit(
  profileDir: string,
  entry: Pick<HubInstallRecord, "name" | "source" | "trust" | "verdict" | "at">,
  action: "INSTALL" | "BLOCKED",
  extra: string,
): Promise<void> {
  const second = entry.at.toISOString().replace(/\.\d+Z$/, "Z");
  const line = `${second} ${action} ${entry.name} ${entry.source}:${entry.trust} ${entry.verdict} ${extra}\n`;
  await mkdir(path.dirname(lockPath(profileDir)), { recursive: true });
  await appendFile(path.join(path.dirname(lockPath(profileDir)), "audit.log"), line);
}

/** The lock entry and audit line of a finished install, written into `lock` (already read by the caller). */
export async function recordHubInstall(
  profileDir: string,
  lock: SkillLock,
  record: HubInstallRecord,
): Promise<void> {
  const stamp = record.at.toISOString();
  lock.installed[record.name] = {
    source: record.source,
    identifier: record.identifier,
    trust_level: record.trust,
    scan_verdict: record.verdict,
    content_hash: record.contentHash,
    install_path: record.installPath,
    files: [...record.files],
    metadata: {},
    installed_at: stamp,
    updated_at: stamp,
  };
  await writeLock(profileDir, lock);
  await appendAudit(profileDir, record, "INSTALL", record.contentHash);
}
