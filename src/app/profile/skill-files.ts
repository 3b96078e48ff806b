// Copying skill folders into a profile, and the `skills/.bundled_manifest` Hermes keeps to tell
// pristine bundled skills from ones the user changed (`name:hash` lines, MD5 like Hermes').
import { createHash } from "node:crypto";
import { cp, lstat, readdir, readFile, writeFile } from "node:fs/promises";
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

/** MD5 over every file of a skill folder, in sorted path order, paths included. */
export async function hashSkillDir(dir: string): Promise<string> {
  const hash = createHash("md5");
  for (const file of await listFiles(dir)) {
    hash.update(path.relative(dir, file).split(path.sep).join("/"));
    hash.update("\0");
    hash.update(await readFile(file));
    hash.update("\0");
  }
  return hash.digest("hex");
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
  return files.flat().sort();
}

export async function writeBundledManifest(
  skillsDir: string,
  entries: ReadonlyArray<readonly [string, string]>,
): Promise<void> {
  const lines = entries.map(([name, hash]) => `${name}:${hash}`);
  await writeFile(path.join(skillsDir, ".bundled_manifest"), lines.length > 0 ? `${lines.join("\n")}\n` : "");
}
