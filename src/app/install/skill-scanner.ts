// The security scan a hub skill passes before it is installed without Hermes: Hermes 0.19.0's
// tools/skills_guard.py `scan_skill`, rule for rule — its structure checks, its threat pattern
// table on every scannable text file, line by line, and its invisible-character check. Any critical
// finding makes the verdict DANGEROUS, any high one CAUTION; medium and low ones inform only.
// A conformance test runs Hermes' own scan_skill beside this one.
import { readdir, readFile, readlink, realpath, stat } from "node:fs/promises";
import path from "node:path";
import { fromPythonRegex } from "./python-regex.ts";
import { loadSkillIgnore, type IgnoreMatcher } from "./skill-ignore.ts";
import { THREAT_PATTERNS, type Severity, type ThreatCategory } from "./skill-threat-patterns.ts";

export type { Severity, ThreatCategory } from "./skill-threat-patterns.ts";

/** Hermes' MAX_FILE_COUNT: more files than this is a medium finding. */
export const SCAN_MAX_FILES = 50;
/** Hermes' MAX_SINGLE_FILE_KB: a larger file is a medium finding (and is still scanned). */
export const SCAN_MAX_FILE_BYTES = 256 * 1024;
/** Hermes' MAX_TOTAL_SIZE_KB: a larger skill is a high finding. */
export const SCAN_MAX_TOTAL_BYTES = 1024 * 1024;

export type Verdict = "SAFE" | "CAUTION" | "DANGEROUS";

export interface Finding {
  readonly patternId: string;
  readonly severity: Severity;
  readonly category: ThreatCategory;
  readonly file: string;
  /** 1-based; absent for findings about the skill's structure. */
  readonly line?: number;
  readonly what: string;
}

export interface ScanResult {
  readonly verdict: Verdict;
  readonly findings: readonly Finding[];
  readonly files: readonly string[];
}

// Hermes' SCANNABLE_EXTENSIONS; a file named SKILL.md is scanned whatever its case rules say.
const SCANNABLE = new Set(
  ".md .txt .py .sh .bash .js .ts .rb .yaml .yml .json .toml .cfg .ini .conf .html .css .xml .tex .r .jl .pl .php".split(
    " ",
  ),
);
const BINARY = new Set(".exe .dll .so .dylib .bin .dat .com .msi .dmg .app .deb .rpm".split(" "));
const SCRIPT = new Set(".sh .bash .py .rb .pl".split(" "));
// Hermes' INVISIBLE_CHARS: zero-width characters and bidi controls that hide text from a reader.
const INVISIBLE = new Set(
  [
    0x200b, 0x200c, 0x200d, 0x2060, 0x2062, 0x2063, 0x2064, 0xfeff, 0x202a, 0x202b, 0x202c, 0x202d, 0x202e,
    0x2066, 0x2067, 0x2068, 0x2069,
  ].map((code) => String.fromCodePoint(code)),
);

const COMPILED = THREAT_PATTERNS.map(([patternId, severity, category, what, source]) => ({
  patternId,
  severity,
  category,
  what,
  regex: fromPythonRegex(source),
}));

/** Python's Path.suffix: from the last dot, unless the name starts or ends with it. */
function suffixOf(name: string): string {
  const dot = name.lastIndexOf(".");
  return dot > 0 && dot < name.length - 1 ? name.slice(dot).toLowerCase() : "";
}

export async function scanSkill(dir: string): Promise<ScanResult> {
  const root = await realpath(dir);
  const ignore = await loadSkillIgnore(root);
  const entries: Entry[] = [];
  await walk(root, "", entries);
  const findings = [...(await checkStructure(root, entries, ignore))];
  const files: string[] = [];
  for (const entry of entries) {
    // The files list is what the install copies, ignored ones included; only the scan skips them.
    if (!entry.symlink) files.push(entry.rel);
    if (ignore(entry.rel)) continue;
    // Hermes reads through a symlink that leads to a file (is_file follows it).
    if (
      entry.symlink &&
      !(await stat(entry.full).then(
        (s) => s.isFile(),
        () => false,
      ))
    )
      continue;
    findings.push(...(await scanFile(entry.full, entry.rel)));
  }
  const verdict: Verdict = findings.some((f) => f.severity === "critical")
    ? "DANGEROUS"
    : findings.some((f) => f.severity === "high")
      ? "CAUTION"
      : "SAFE";
  return { verdict, findings, files: files.sort() };
}

interface Entry {
  readonly full: string;
  readonly rel: string;
  readonly symlink: boolean;
}

/** Every file and symlink under the skill, as Python's rglob: symlinked folders are not entered. */
async function walk(root: string, rel: string, entries: Entry[]): Promise<void> {
  const dir = path.join(root, rel);
  for (const entry of (await readdir(dir, { withFileTypes: true })).sort((a, b) =>
    a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
  )) {
    const child = rel ? `${rel}/${entry.name}` : entry.name;
    if (entry.isSymbolicLink()) entries.push({ full: path.join(dir, entry.name), rel: child, symlink: true });
    else if (entry.isDirectory()) await walk(root, child, entries);
    else if (entry.isFile()) entries.push({ full: path.join(dir, entry.name), rel: child, symlink: false });
  }
}

function structural(
  patternId: string,
  severity: Severity,
  file: string,
  what: string,
  category: ThreatCategory = "structural",
): Finding {
  return { patternId, severity, category, file, what };
}

async function checkStructure(root: string, entries: readonly Entry[], ignore: IgnoreMatcher) {
  const findings: Finding[] = [];
  let count = 0;
  let total = 0;
  for (const entry of entries) {
    if (ignore(entry.rel)) continue;
    count++;
    if (entry.symlink) {
      const target = await symlinkTarget(entry.full);
      if (target === undefined || (target !== root && !target.startsWith(`${root}${path.sep}`)))
        findings.push(
          structural(
            "symlink_escape",
            "critical",
            entry.rel,
            "symlink points outside the skill directory",
            "traversal",
          ),
        );
      continue;
    }
    const info = await stat(entry.full);
    total += info.size;
    if (info.size > SCAN_MAX_FILE_BYTES)
      findings.push(
        structural(
          "oversized_file",
          "medium",
          entry.rel,
          `file is ${Math.floor(info.size / 1024)}KB (limit: ${SCAN_MAX_FILE_BYTES / 1024}KB)`,
        ),
      );
    const ext = suffixOf(path.basename(entry.rel));
    if (BINARY.has(ext))
      findings.push(
        structural(
          "binary_file",
          "critical",
          entry.rel,
          `binary/executable file (${ext}) should not be in a skill`,
        ),
      );
    if (!SCRIPT.has(ext) && (info.mode & 0o111) !== 0)
      findings.push(
        structural(
          "unexpected_executable",
          "medium",
          entry.rel,
          "file has executable permission but is not a recognized script type",
        ),
      );
  }
  if (count > SCAN_MAX_FILES)
    findings.push(
      structural(
        "too_many_files",
        "medium",
        "(directory)",
        `skill has ${count} files (limit: ${SCAN_MAX_FILES})`,
      ),
    );
  if (total > SCAN_MAX_TOTAL_BYTES)
    findings.push(
      structural(
        "oversized_skill",
        "high",
        "(directory)",
        `skill is ${Math.floor(total / 1024)}KB total (limit: ${SCAN_MAX_TOTAL_BYTES / 1024}KB)`,
      ),
    );
  return findings;
}

/**
 * Where a symlink leads, as Python's non-strict Path.resolve: a dangling link still names its
 * target. A loop has no target; Hermes' scan fails on one, so it counts as escaping here.
 */
async function symlinkTarget(full: string): Promise<string | undefined> {
  try {
    return await realpath(full);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ELOOP") return undefined;
    const link = await readlink(full).catch(() => undefined);
    if (link === undefined) return undefined;
    const parent = await realpath(path.dirname(full));
    return path.resolve(parent, link);
  }
}

async function scanFile(full: string, rel: string): Promise<Finding[]> {
  const name = path.basename(rel);
  if (!SCANNABLE.has(suffixOf(name)) && name !== "SKILL.md") return [];
  let content: string;
  try {
    // Python's read_text: strict UTF-8 (undecodable files are skipped), a BOM kept as a
    // character, and universal newlines.
    const bytes = await readFile(full);
    content = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true })
      .decode(bytes)
      .replace(/\r\n?/g, "\n");
  } catch {
    return [];
  }
  const lines = content.split("\n");
  const findings: Finding[] = [];
  for (const { regex, ...pattern } of COMPILED) {
    lines.forEach((line, index) => {
      if (regex.test(line)) findings.push({ ...pattern, file: rel, line: index + 1 });
    });
  }
  lines.forEach((line, index) => {
    const char = [...line].find((c) => INVISIBLE.has(c));
    if (char !== undefined)
      findings.push({
        patternId: "invisible_unicode",
        severity: "high",
        category: "injection",
        file: rel,
        line: index + 1,
        what: `invisible unicode character U+${char.codePointAt(0)?.toString(16).toUpperCase().padStart(4, "0")} (possible text hiding/injection)`,
      });
  });
  return findings;
}
