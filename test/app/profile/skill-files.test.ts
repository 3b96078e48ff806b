import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { chmod, lstat, mkdir, readdir, readFile, stat, symlink, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { copySkillDir, hashSkillDir } from "../../../src/app/profile/skill-files.ts";
import { useTempDirs } from "../../helpers/temp-dir.ts";

const tempDir = useTempDirs();

/** Writes each relative path's text under `root`, making the folders. */
async function writeTree(root: string, files: Record<string, string>): Promise<void> {
  for (const [relative, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(root, relative)), { recursive: true });
    await writeFile(path.join(root, relative), text);
  }
}

/** Every entry below `root`: relative path, kind, mode, and a file's text. */
async function listing(root: string): Promise<string[]> {
  const lines: string[] = [];
  for (const relative of (await readdir(root, { recursive: true })).sort()) {
    const info = await lstat(path.join(root, relative));
    const kind = info.isDirectory() ? "d" : info.isSymbolicLink() ? "l" : "f";
    const text = info.isFile() ? ` ${await readFile(path.join(root, relative), "utf8")}` : "";
    lines.push(`${kind}${(info.mode & 0o7777).toString(8)} ${relative}${text}`);
  }
  return lines;
}

/** The same MD5 with the paths sorted as plain strings: what a wrong order would give. */
async function stringOrderHash(root: string, relatives: readonly string[]): Promise<string> {
  const hash = createHash("md5");
  for (const relative of [...relatives].sort()) {
    hash.update(relative);
    hash.update(await readFile(path.join(root, relative)));
  }
  return hash.digest("hex");
}

const NESTED: Record<string, string> = {
  "SKILL.md": "---\nname: nested\ndescription: Nested.\n---\n",
  // `a/b` before `a-b` part by part, after it as strings ("/" sorts after "-").
  "a/b": "inside a\n",
  "a-b": "beside a\n",
  "a/c/deep.md": "two levels down\n",
  "references/guide.md": "# Guide\n",
  "references/z/last.txt": "last\n",
  "scripts/run.sh": "#!/bin/sh\necho run\n",
};

describe("GIVEN a skill folder copied by copySkillDir", () => {
  it("WHEN the tree is nested and names sort differently by parts and as strings THEN the copy is the same tree and the hash is hashSkillDir's", async () => {
    const dir = await tempDir();
    const from = path.join(dir, "library", "nested");
    const to = path.join(dir, "profile", "skills", "category", "nested");
    await writeTree(from, NESTED);
    const result = await copySkillDir(from, to);
    expect(result).toEqual({ hash: await hashSkillDir(from), skippedLinks: 0 });
    expect(await listing(to)).toEqual(await listing(from));
    // The fixture does tell the orders apart, so the equality above checks the order too.
    expect(result.hash).not.toBe(await stringOrderHash(from, Object.keys(NESTED)));
  });

  it("WHEN the source holds symlinks THEN they are skipped, counted and not followed, and the hash is hashSkillDir's", async () => {
    const dir = await tempDir();
    const from = path.join(dir, "skill");
    const to = path.join(dir, "copy");
    await writeTree(from, { "SKILL.md": "# Linked\n", "references/real.md": "real\n" });
    await writeTree(dir, { "outside/secret.txt": "not for the profile\n" });
    await symlink(path.join(dir, "outside", "secret.txt"), path.join(from, "secret.txt"));
    await symlink(path.join(dir, "outside"), path.join(from, "references", "outside"));
    const result = await copySkillDir(from, to);
    expect(result).toEqual({ hash: await hashSkillDir(from), skippedLinks: 2 });
    expect((await readdir(to, { recursive: true })).sort()).toEqual([
      "SKILL.md",
      "references",
      "references/real.md",
    ]);
    expect(await readFile(path.join(to, "references", "real.md"), "utf8")).toBe("real\n");
  });

  it("WHEN files and folders have their own modes THEN the copies keep them", async () => {
    const dir = await tempDir();
    const from = path.join(dir, "skill");
    const to = path.join(dir, "copy");
    await writeTree(from, {
      "SKILL.md": "# Modes\n",
      "scripts/run.sh": "#!/bin/sh\n",
      "private/key.txt": "k\n",
    });
    await chmod(path.join(from, "scripts", "run.sh"), 0o755);
    await chmod(path.join(from, "private", "key.txt"), 0o600);
    await chmod(path.join(from, "private"), 0o700);
    // Read-only: its mode is set once its file is in, as cp and Hermes' copytree do (for a user other
    // than root a folder made read-only first would refuse the file).
    await chmod(path.join(from, "scripts"), 0o555);
    try {
      await copySkillDir(from, to);
      expect((await stat(path.join(to, "scripts", "run.sh"))).mode & 0o777).toBe(0o755);
      expect(await listing(to)).toEqual(await listing(from));
    } finally {
      // Writable again, so the temporary folders can be removed by any user.
      await chmod(path.join(from, "scripts"), 0o755);
      await chmod(path.join(to, "scripts"), 0o755).catch(() => undefined);
    }
  });

  it("WHEN the destination already exists THEN it is refused (EEXIST) and left as it was", async () => {
    const dir = await tempDir();
    const from = path.join(dir, "skill");
    const to = path.join(dir, "copy");
    await writeTree(from, { "SKILL.md": "# New\n", "extra.md": "new\n" });
    await writeTree(to, { "SKILL.md": "# Mine\n" });
    const before = await listing(to);
    await expect(copySkillDir(from, to)).rejects.toMatchObject({ code: "EEXIST" });
    expect(await listing(to)).toEqual(before);
  });

  it("WHEN the source folder is gone THEN it fails (ENOENT) and makes nothing, not even the parent", async () => {
    const dir = await tempDir();
    await expect(
      copySkillDir(path.join(dir, "gone"), path.join(dir, "skills", "cat", "gone")),
    ).rejects.toMatchObject({
      code: "ENOENT",
    });
    expect(await readdir(dir)).toEqual([]);
  });

  it.skipIf(process.platform === "win32")(
    "WHEN the source holds a FIFO THEN the copy fails, as fs.cp and Hermes' copytree refuse one",
    async () => {
      const dir = await tempDir();
      const from = path.join(dir, "skill");
      await writeTree(from, { "SKILL.md": "# Pipe\n" });
      execFileSync("mkfifo", [path.join(from, "pipe")]);
      await expect(copySkillDir(from, path.join(dir, "copy"))).rejects.toThrow("not a file or folder: pipe");
    },
  );
});
