// Loads library/ (models, skills, MCP catalog) into the plain Catalog the core reads. A bad file is
// skipped with a warning naming it and the reason; it never stops the others.
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import matter from "gray-matter";
import { parse as parseYaml } from "yaml";
import { z } from "zod";
import {
  mcpManifestSchema,
  modelsFileSchema,
  type Catalog,
  type McpManifest,
  type SkillInfo,
} from "../core/catalog.ts";

export interface LoadedLibrary {
  readonly catalog: Catalog;
  /** Absolute folder of each built-in / optional skill, by skill id (`category/name`). */
  readonly skillDirs: ReadonlyMap<string, string>;
  readonly optionalSkillDirs: ReadonlyMap<string, string>;
  readonly warnings: readonly string[];
}

const skillFrontmatterSchema = z
  .object({ name: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/), description: z.string().min(1).max(1024) })
  .loose();

export async function loadLibrary(libraryDir: string): Promise<LoadedLibrary> {
  const warnings: string[] = [];
  const modelsPath = path.join(libraryDir, "models.yaml");
  const models = modelsFileSchema.safeParse(parseYaml(await readFile(modelsPath, "utf8")));
  if (!models.success) {
    // Without providers the wizard cannot run: this is an installation fault, not a skippable file.
    throw new Error(
      `${modelsPath}: ${models.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`).join("; ")}`,
    );
  }
  const builtin = await loadSkills(path.join(libraryDir, "skills"), warnings);
  const optional = await loadSkills(path.join(libraryDir, "optional-skills"), warnings);
  const mcps = await loadMcps(path.join(libraryDir, "mcps"), warnings);
  return {
    catalog: {
      providers: models.data.providers,
      builtinSkills: builtin.skills,
      optionalSkills: optional.skills,
      mcps,
      personas: [],
    },
    skillDirs: builtin.dirs,
    optionalSkillDirs: optional.dirs,
    warnings,
  };
}

async function subdirectories(dir: string): Promise<string[]> {
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

async function loadSkills(root: string, warnings: string[]) {
  const skills: SkillInfo[] = [];
  const dirs = new Map<string, string>();
  for (const category of await subdirectories(root)) {
    for (const folder of await subdirectories(path.join(root, category))) {
      const dir = path.join(root, category, folder);
      const file = path.join(dir, "SKILL.md");
      try {
        const front = skillFrontmatterSchema.safeParse(matter(await readFile(file, "utf8")).data);
        if (!front.success) {
          warnings.push(
            `${file}: skipped, frontmatter needs name and description (${front.error.issues[0]?.message ?? ""})`,
          );
          continue;
        }
        const id = `${category}/${front.data.name}`;
        if (dirs.has(id)) {
          warnings.push(`${file}: skipped, duplicate skill ${id}`);
          continue;
        }
        skills.push({ id, name: front.data.name, category, description: front.data.description });
        dirs.set(id, dir);
      } catch (error) {
        warnings.push(`${file}: skipped, ${(error as Error).message}`);
      }
    }
  }
  return { skills, dirs };
}

async function loadMcps(root: string, warnings: string[]): Promise<McpManifest[]> {
  const manifests: McpManifest[] = [];
  for (const folder of await subdirectories(root)) {
    const file = path.join(root, folder, "manifest.yaml");
    try {
      const parsed = mcpManifestSchema.safeParse(parseYaml(await readFile(file, "utf8")));
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        warnings.push(`${file}: skipped, ${issue?.path.join(".") ?? ""}: ${issue?.message ?? "invalid"}`);
      } else if (parsed.data.name !== folder) {
        warnings.push(`${file}: skipped, name '${parsed.data.name}' differs from its folder '${folder}'`);
      } else {
        manifests.push(parsed.data);
      }
    } catch (error) {
      warnings.push(`${file}: skipped, ${(error as Error).message}`);
    }
  }
  return manifests;
}
