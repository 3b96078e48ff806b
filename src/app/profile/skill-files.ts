// Copying skill folders into a profile, and the `skills/.bundled_manifest` Hermes keeps to tell
// pristine bundled skills from ones the user changed (`name:hash` lines, MD5 like Hermes').
import { createHash } from "node:crypto";
import { chmod, cp, lstat, readdir, readFile, writeFile } from "node:fs/promises";
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
 * Hermes' `_dir_hash` (tools/skills_sync.py): MD5 over every file in path order, each file's relative
 * path then its bytes, with no separator. Paths are ordered part by part, as Python orders `Path`s
 * (`a/b` before `a-b`), not as plain strings.
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
