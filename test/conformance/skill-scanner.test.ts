// The bundled skill scanner judged by Hermes 0.19.0's own tools/skills_guard.py: its threat table
// is Hermes' table entry for entry, and on every skill in library/hub/, a synthetic skill per
// threat category (with benign look-alikes) and skills built to trip each structure rule,
// `scanSkill` gives the verdict and the findings (severity, pattern id, file, line) that Hermes'
// `scan_skill` gives for the same folder.
import { chmod, mkdir, readdir, stat, symlink, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { fromPythonRegex } from "../../src/app/install/python-regex.ts";
import {
  scanSkill,
  SCAN_MAX_FILE_BYTES,
  SCAN_MAX_FILES,
  SCAN_MAX_TOTAL_BYTES,
} from "../../src/app/install/skill-scanner.ts";
import { THREAT_PATTERNS } from "../../src/app/install/skill-threat-patterns.ts";
import { REPO_ROOT } from "../helpers/cli.ts";
import { hermesPython } from "../helpers/hermes.ts";
import { useTempDirs } from "../helpers/temp-dir.ts";
import { SCAN_CORPUS } from "../fixtures/scan-corpus.ts";

const tempDir = useTempDirs();
/** Hermes scans a few dozen small folders in one python process well within this. */
const SCAN_CONFORMANCE_TIMEOUT_MS = 120_000;

const HERMES_TABLE = `
import json
from tools import skills_guard as g
print(json.dumps({
  "patterns": [[pid, sev, cat, desc, p] for p, pid, sev, cat, desc in g.THREAT_PATTERNS],
  "limits": [g.MAX_FILE_COUNT, g.MAX_SINGLE_FILE_KB * 1024, g.MAX_TOTAL_SIZE_KB * 1024],
}))
`;

const hermesScans = (dirs: readonly string[]) => `
import json
from pathlib import Path
from tools.skills_guard import scan_skill
out = {}
for d in ${JSON.stringify(dirs)}:
    r = scan_skill(Path(d))
    out[d] = {"verdict": r.verdict, "findings": sorted(f"{f.severity} {f.pattern_id} {f.category} {f.file}:{f.line}" for f in r.findings)}
print(json.dumps(out))
`;

async function ourScans(dirs: readonly string[]) {
  return Object.fromEntries(
    await Promise.all(
      dirs.map(async (dir) => {
        const scan = await scanSkill(dir);
        return [
          dir,
          {
            verdict: scan.verdict.toLowerCase(),
            findings: scan.findings
              .map((f) => `${f.severity} ${f.patternId} ${f.category} ${f.file}:${f.line ?? 0}`)
              .sort(),
          },
        ] as const;
      }),
    ),
  );
}

async function writeSkill(root: string, name: string, files: Readonly<Record<string, string | Buffer>>) {
  const dir = path.join(root, name);
  for (const [rel, content] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, rel)), { recursive: true });
    await writeFile(path.join(dir, rel), content);
  }
  return dir;
}

/** Skills that trip (or just miss) each of Hermes' structure rules. */
async function structureSkills(root: string): Promise<string[]> {
  const skill = "---\nname: s\ndescription: structure\n---\n";
  const many = Object.fromEntries(
    Array.from({ length: SCAN_MAX_FILES }, (_, index) => [`refs/r${index}.md`, "ok"]),
  );
  const dirs = [
    await writeSkill(root, "at-file-limit", { ...many, "SKILL.md": skill }),
    await writeSkill(root, "over-file-limit", { ...many, "SKILL.md": skill, "extra.md": "x" }),
    await writeSkill(root, "binary", { "SKILL.md": skill, "tool.bin": Buffer.from([0x7f, 0x45, 0, 1]) }),
    await writeSkill(root, "big-file", {
      "SKILL.md": skill,
      "data.csv": "x".repeat(SCAN_MAX_FILE_BYTES + 1),
    }),
    await writeSkill(root, "big-skill", {
      "SKILL.md": skill,
      ...Object.fromEntries(
        Array.from({ length: 5 }, (_, index) => [`d${index}.txt`, "y".repeat(SCAN_MAX_TOTAL_BYTES / 4)]),
      ),
    }),
    await writeSkill(root, "not-utf8", {
      "SKILL.md": skill,
      "x.md": Buffer.from([0xff, 0xfe, 0x20, 0x73, 0x75, 0x64, 0x6f, 0x20]),
    }),
    await writeSkill(root, "unscanned-ext", {
      "SKILL.md": skill,
      "x.csv": "sudo rm -rf /",
      ".bashrc": "sudo x",
    }),
    await writeSkill(root, "ignored", {
      "SKILL.md": `${skill}sudo ok`,
      ".skillignore": "# dev files\ndocs/\n*.orig\n/SKILL.md\n",
      "docs/plan.md": "rm -rf /",
      "x.md.orig": "rm -rf /",
      "kept.md": "chmod 777 x",
    }),
  ];
  const links = await writeSkill(root, "symlinks", { "SKILL.md": skill, "refs/a.md": "sudo a" });
  await symlink("refs/a.md", path.join(links, "inside.md"));
  await symlink("refs", path.join(links, "inside-dir"));
  await symlink("../../outside.md", path.join(links, "escape.md"));
  await symlink("missing.md", path.join(links, "dangling.md"));
  await writeFile(path.join(root, "outside.md"), "rm -rf /");
  const exec = await writeSkill(root, "executable", { "SKILL.md": skill, "run.sh": "ls", "tool.md": "x" });
  await chmod(path.join(exec, "run.sh"), 0o755);
  await chmod(path.join(exec, "tool.md"), 0o755);
  return [...dirs, links, exec];
}

describe("GIVEN Hermes 0.19's skills_guard", () => {
  it("WHEN its threat table and limits are read THEN ours is the same table, and every pattern ports to a JavaScript RegExp", async () => {
    const home = path.join(await tempDir(), "hermes");
    const hermes = (await hermesPython(home, home, HERMES_TABLE)) as {
      patterns: unknown[];
      limits: number[];
    };
    expect(THREAT_PATTERNS).toEqual(hermes.patterns);
    expect([SCAN_MAX_FILES, SCAN_MAX_FILE_BYTES, SCAN_MAX_TOTAL_BYTES]).toEqual(hermes.limits);
    for (const [, , , , source] of THREAT_PATTERNS) expect(fromPythonRegex(source)).toBeInstanceOf(RegExp);
  });

  it(
    "WHEN the hub's skills, a skill per threat category, look-alikes and structure cases are scanned THEN our verdicts and findings are Hermes'",
    async () => {
      const root = await tempDir();
      const hub = path.join(REPO_ROOT, "library/hub");
      const hubSkills: string[] = [];
      const find = async (dir: string): Promise<void> => {
        const names = await readdir(dir);
        if (names.includes("SKILL.md")) hubSkills.push(dir);
        for (const name of names) {
          const full = path.join(dir, name);
          if ((await stat(full).catch(() => undefined))?.isDirectory()) await find(full);
        }
      };
      await find(hub);
      const corpus = await Promise.all(
        Object.entries(SCAN_CORPUS).map(([name, files]) =>
          writeSkill(path.join(root, "corpus"), name, files),
        ),
      );
      const dirs = [...hubSkills, ...corpus, ...(await structureSkills(path.join(root, "structure")))];
      const home = path.join(root, "hermes");
      const hermes = (await hermesPython(home, home, hermesScans(dirs))) as Record<string, unknown>;
      const ours = await ourScans(dirs);
      for (const dir of dirs) expect({ dir, ...ours[dir] }).toEqual({ dir, ...(hermes[dir] as object) });
      // The corpus does what it is for: every category trips, every look-alike is safe.
      const verdicts = Object.fromEntries(dirs.map((dir) => [path.relative(root, dir), ours[dir]?.verdict]));
      expect(verdicts).toMatchObject({
        "corpus/exfiltration-lookalike": "safe",
        "corpus/injection-lookalike": "safe",
        "corpus/destructive-lookalike": "safe",
        "corpus/network-lookalike": "safe",
        "corpus/supply-chain-lookalike": "safe",
        "corpus/exfiltration": "dangerous",
        "corpus/injection": "dangerous",
      });
      const ids = new Set(dirs.flatMap((dir) => ours[dir]?.findings.map((f) => f.split(" ")[1]) ?? []));
      // Ignored files are left out of the scan but not out of the install's files list.
      const ignored = dirs.find((dir) => dir.endsWith(`${path.sep}ignored`)) ?? "";
      expect((await scanSkill(ignored)).files).toEqual([
        ".skillignore",
        "SKILL.md",
        "docs/plan.md",
        "kept.md",
        "x.md.orig",
      ]);
      const untested = THREAT_PATTERNS.map(([id]) => id).filter((id) => !ids.has(id));
      expect(untested).toEqual([]);
    },
    SCAN_CONFORMANCE_TIMEOUT_MS,
  );
});
