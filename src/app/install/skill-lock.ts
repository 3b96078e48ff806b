// skills/.hub/lock.json, Hermes' record of hub installs:
// {"version": 1, "installed": {"<name>": {source, identifier, trust_level, scan_verdict, content_hash,
//  install_path, files, installed_at, updated_at}}}
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
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
