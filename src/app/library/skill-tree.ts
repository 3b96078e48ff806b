// A skills tree read the way Hermes 0.19 reads one (tools/skills_sync.py `_discover_bundled_skills`,
// agent/skill_utils.py): every SKILL.md below the root, at any depth, except under dependency, VCS
// and cache folders and except inside a skill's own support folders; the skill is its folder, kept
// at the same relative path, and named by its frontmatter `name:` (else the folder's name).
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import matter from "gray-matter";
import { z } from "zod";
import type { SkillInfo } from "../../core/catalog.ts";
import { isFile } from "../system/file-kind.ts";
import { skillEnvVars } from "../profile/keys/skill-env-vars.ts";

/** Hermes' EXCLUDED_SKILL_DIRS: a SKILL.md with one of these anywhere in its path is not a skill. */
export const EXCLUDED_SKILL_DIRS: ReadonlySet<string> = new Set([
  ".git",
  ".github",
  ".hub",
  ".archive",
  ".venv",
  "venv",
  "node_modules",
  "site-packages",
  "__pycache__",
  ".tox",
  ".nox",
  ".pytest_cache",
  ".mypy_cache",
  ".ruff_cache",
]);
/** Hermes' SKILL_SUPPORT_DIRS: folders of a skill that hold its files, never further skills. */
export const SKILL_SUPPORT_DIRS: ReadonlySet<string> = new Set([
  "references",
  "templates",
  "assets",
  "scripts",
]);
/** Hermes reads a skill's name from the first 4,000 characters of its SKILL.md. */
const NAME_SCAN_CHARS = 4000;

const skillFrontmatterSchema = z
  .object({ name: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/), description: z.string().min(1).max(1024) })
  .loose();

export interface SkillTree {
  readonly skills: SkillInfo[];
  /** Each skill's folder, by id. */
  readonly dirs: Map<string, string>;
}

/** Sub-folders of `dir` (not hidden), sorted; none when it does not exist. */
export async function subdirectories(dir: string): Promise<string[]> {
  try {
    const entries = await readdir(dir, { withFileTypes: true });
    return entries
      .filter((entry) => entry.isDirectory() && !entry.name.startsWith("."))
      .map((entry) => entry.name)
      .sort();
  } catch {
    return [];
  }
}

/**
 * `strict` (our own library): a frontmatter without a valid name and description is warned about,
 * so doctor and CI catch it. Hermes' trees are taken as Hermes takes them, without a word.
 */
export async function discoverSkillTree(
  root: string,
  warnings: string[],
  strict: boolean,
): Promise<SkillTree> {
  const skills: SkillInfo[] = [];
  const dirs = new Map<string, string>();
  for (const file of await skillFiles(root)) {
    const dir = path.dirname(file);
    const id = path.relative(root, dir).split(path.sep).join("/");
    try {
      const text = await readFile(file, "utf8");
      const name = hermesSkillName(text, path.basename(dir));
      const data = safeFrontmatter(text);
      const front = skillFrontmatterSchema.safeParse(data);
      // The keys it declares, known before Create: the wizard asks for them with the skill.
      const env = skillEnvVars(data);
      // Hermes copies the skill whatever its frontmatter says; the wizard shows it and says why.
      if (!front.success && strict)
        warnings.push(
          `${file}: frontmatter needs name and description (${front.error.issues[0]?.message ?? ""})`,
        );
      const category = path.posix.dirname(id);
      skills.push({
        id,
        name,
        category: category === "." ? "" : category,
        description: front.success ? front.data.description : "",
        ...(env.length > 0 ? { env } : {}),
      });
      dirs.set(id, dir);
    } catch (error) {
      warnings.push(`${file}: skipped, ${(error as Error).message}`);
    }
  }
  skills.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return { skills, dirs };
}

/** Hermes' `_read_skill_name`: the first `name:` line inside the frontmatter, quotes stripped. */
export function hermesSkillName(text: string, fallback: string): string {
  let inFrontmatter = false;
  for (const line of text.slice(0, NAME_SCAN_CHARS).split("\n")) {
    const stripped = line.trim();
    if (stripped === "---") {
      if (inFrontmatter) break;
      inFrontmatter = true;
      continue;
    }
    if (inFrontmatter && stripped.startsWith("name:")) {
      const value = stripped
        .slice("name:".length)
        .trim()
        .replace(/^["']+|["']+$/g, "");
      if (value) return value;
    }
  }
  return fallback;
}

function safeFrontmatter(text: string): unknown {
  try {
    return matter(text).data;
  } catch {
    return {};
  }
}

/** Every DESCRIPTION.md below the root (Hermes copies them beside the skills), relative paths. */
export async function descriptionFiles(root: string): Promise<string[]> {
  const found: string[] = [];
  for (const file of await filesNamed(root, "DESCRIPTION.md")) found.push(path.relative(root, file));
  return found.sort();
}

/** Every SKILL.md below the root that Hermes counts as a skill (absolute paths). */
export async function skillFiles(root: string): Promise<string[]> {
  const files = await filesNamed(root, "SKILL.md");
  const kept: string[] = [];
  for (const file of files) if (!(await isExcludedSkillPath(file))) kept.push(file);
  return kept;
}

/** Hermes' `is_excluded_skill_path`, on the absolute path as Hermes checks it. */
async function isExcludedSkillPath(file: string): Promise<boolean> {
  const parts = file.split(path.sep).filter((part) => part !== "");
  if (parts.some((part) => EXCLUDED_SKILL_DIRS.has(part))) return true;
  for (let index = 0; index < parts.length - 1; index++) {
    if (!SKILL_SUPPORT_DIRS.has(parts[index] ?? "")) continue;
    const skillRoot = path.join(path.sep, ...parts.slice(0, index));
    if (await isFile(path.join(skillRoot, "SKILL.md"))) return true;
  }
  return false;
}

/** Python's `rglob(name)`: files of that name at any depth (symlinked folders are not entered). */
async function filesNamed(root: string, name: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries
    .filter((entry) => entry.name === name && (entry.isFile() || entry.isSymbolicLink()))
    .map((entry) => path.join(entry.parentPath, entry.name));
}
