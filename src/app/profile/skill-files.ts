// Copying skill folders into a profile, and the `skills/.bundled_manifest` Hermes keeps to tell
// pristine bundled skills from ones the user changed (`name:hash` lines, MD5 like Hermes').
import { createHash, type Hash } from "node:crypto";
import { constants } from "node:fs";
import { chmod, copyFile, cp, lstat, mkdir, readdir, readFile, stat, writeFile } from "node:fs/promises";
import path from "node:path";

/** Copies a skill or skills tree. Symlinks are skipped (never followed): they could point outside. */
export async function copyTree(source: string, destination: string): Promise<{ skippedLinks: number }> {
  let skippedLinks = 0;
  await cp(source, destination, {
    recursive: true,
    errorOnExist: true,
    force: false,
    filter: async (file) => {
      if ((await lstat(file)).isSymbolicLink()) {
        skippedLinks += 1;
        return false;
      }
      return true;
    },
  });
  return { skippedLinks };
}

/**
 * Copies one built-in skill folder to `to` and returns `hashSkillDir(from)` of what it copied, in
 * one pass that reads each file once. `to` must not exist (its parent is made). As in copyTree,
 * symlinks are skipped and counted, never followed; directories and files keep their modes.
 *
 * Not fs.cp: per entry cp stats every parent up to `/`, stats source and destination, throws and
 * catches an ENOENT and chmods, our filter lstats once more, and the hash then read every file
 * again: 8-9 % of the main thread when 1001 users created profiles. Here readdir's Dirent types
 * stand in for the stats: bench/skill-copy.ts measured 0.33-0.4x the main-thread and wall time of
 * cp + hash.
 */
export async function copySkillDir(
  from: string,
  to: string,
): Promise<{ hash: string; skippedLinks: number }> {
  const walk: SkillWalk = { hash: createHash("md5"), skippedLinks: 0 };
  await copyDirOnce(from, to, [], walk);
  return { hash: walk.hash.digest("hex"), skippedLinks: walk.skippedLinks };
}

interface SkillWalk {
  readonly hash: Hash;
  skippedLinks: number;
}

/**
 * Depth first, one entry at a time, siblings in name order: that is the hash's path order (part by
 * part), so each file is hashed as it is copied and its bytes let go, and a Create holds at most
 * two file descriptors whatever the skill's size (many Creates run at once under load).
 * The folder is read before anything is made, so a source that is gone leaves nothing behind (as
 * with cp); then a plain mkdir, so an existing destination is an error (EEXIST), never merged into.
 */
async function copyDirOnce(
  from: string,
  to: string,
  parts: readonly string[],
  walk: SkillWalk,
): Promise<void> {
  const [{ mode }, entries] = await Promise.all([stat(from), readdir(from, { withFileTypes: true })]);
  if (parts.length === 0) await mkdir(path.dirname(to), { recursive: true });
  await mkdir(to);
  for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const source = path.join(from, entry.name);
    const target = path.join(to, entry.name);
    const entryParts = [...parts, entry.name];
    if (entry.isSymbolicLink()) walk.skippedLinks += 1;
    else if (entry.isDirectory()) await copyDirOnce(source, target, entryParts, walk);
    else if (entry.isFile()) {
      walk.hash.update(entryParts.join("/"));
      walk.hash.update(await copyFileOnce(source, target));
    }
    // A FIFO, socket or device: cp and Hermes' copytree fail on the first two (and read a device's
    // contents); a skill has no business holding one, so the skill fails, as it did with cp.
    else throw new Error(`not a file or folder: ${entryParts.join("/")}`);
  }
  // After the contents, as cp and copytree do: a read-only source folder still gets its files.
  await chmod(to, mode);
}

/**
 * The bytes, read once for the hash, while copyFile copies them inside the kernel and keeps the
 * source's mode whatever the umask, as cp and Hermes' copytree do. readFile + writeFile would need
 * a stat and a chmod more for the mode: measured about twice the main-thread time per file.
 */
async function copyFileOnce(from: string, to: string): Promise<Buffer> {
  // Both settle before either's error is thrown: nothing keeps writing into a folder the caller
  // is about to report on or remove.
  const [read, copied] = await Promise.allSettled([
    readFile(from),
    copyFile(from, to, constants.COPYFILE_EXCL),
  ]);
  if (read.status === "rejected") throw read.reason;
  if (copied.status === "rejected") throw copied.reason;
  return read.value;
}

/**
 * Hermes' `_dir_hash` (tools/skills_sync.py): MD5 over every file in path order, each file's relative
 * path then its bytes, with no separator. Paths are ordered part by part, as Python orders `Path`s
 * (`a/b` before `a-b`), not as plain strings. Create hashes inside copySkillDir's pass; this plain
 * form is what the tests and bench/skill-copy.ts hold that pass to.
 */
export async function hashSkillDir(dir: string): Promise<string> {
  const hash = createHash("md5");
  for (const parts of await filesInPathOrder(dir)) {
    hash.update(parts.join("/"));
    hash.update(await readFile(path.join(dir, ...parts)));
  }
  return hash.digest("hex");
}

/**
 * Hermes' hub `content_hash` (tools/skills_guard.py): SHA-256 over each file's relative path, a NUL,
 * and its bytes, in path order; the lock keeps `sha256:` and the first 16 hex digits.
 */
export async function hermesContentHash(dir: string): Promise<string> {
  const hash = createHash("sha256");
  for (const parts of await filesInPathOrder(dir)) {
    hash.update(`${parts.join("/")}\0`);
    hash.update(await readFile(path.join(dir, ...parts)));
  }
  return `sha256:${hash.digest("hex").slice(0, 16)}`;
}

/** Every file under `dir` as relative path parts, in the order Python sorts `Path`s (part by part). */
async function filesInPathOrder(dir: string): Promise<string[][]> {
  const files = (await listFiles(dir)).map((file) => path.relative(dir, file).split(path.sep));
  return files.sort(comparePathParts);
}

function comparePathParts(a: readonly string[], b: readonly string[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const left = a[i] ?? "";
    const right = b[i] ?? "";
    if (left !== right) return left < right ? -1 : 1;
  }
  return a.length - b.length;
}

async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const files = await Promise.all(
    entries.map(async (entry) => {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) return listFiles(full);
      return entry.isFile() ? [full] : [];
    }),
  );
  return files.flat();
}

export const BUNDLED_MANIFEST_MODE = 0o600;

export async function writeBundledManifest(
  skillsDir: string,
  entries: ReadonlyArray<readonly [string, string]>,
): Promise<void> {
  // Hermes writes the manifest sorted by skill name (`_write_manifest`).
  const lines = [...entries]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, hash]) => `${name}:${hash}`);
  // Mode 0600: Hermes writes the manifest through a temporary file (mkstemp), which is owner-only.
  const file = path.join(skillsDir, ".bundled_manifest");
  // Python's `"\n".join(...) + "\n"`: a lone newline when there is nothing to list.
  await writeFile(file, `${lines.join("\n")}\n`, { mode: BUNDLED_MANIFEST_MODE });
  await chmod(file, BUNDLED_MANIFEST_MODE);
}
