// Loads library/personas/<category>/<id>.md: the whole folder is read and checked, then handed
// over as one new PersonaLibrary (swapped in at once). A bad file is skipped with a problem naming
// it and the reason; it never stops the others. Unknown frontmatter keys are reported.
import { createHash } from "node:crypto";
import { readdir, readFile, stat } from "node:fs/promises";
import path from "node:path";
import matter from "gray-matter";
import { parse as parseYaml } from "yaml";
import { YAML_MAX_ALIAS_COUNT } from "../../core/blueprint-yaml.ts";
import {
  PERSONA_BODY_MAX_BYTES,
  PERSONA_FILE_MAX_BYTES,
  PERSONA_KEYS,
  personaFrontmatterSchema,
  type Persona,
} from "../../core/persona/persona.ts";
import { PersonaLibrary } from "../../core/persona/persona-library.ts";

/** Every persona body has these sections (its domain sections sit between them). */
export const REQUIRED_HEADINGS = [
  "Mission",
  "Rules",
  "Using your tools",
  "Tone",
  "Success measures",
] as const;

export interface PersonaProblem {
  readonly file: string;
  /** `skipped`: the file was not loaded. `warning`: loaded, but something is off (lint fails on both). */
  readonly level: "skipped" | "warning";
  readonly reason: string;
}

export interface PersonaLoad {
  readonly library: PersonaLibrary;
  readonly problems: readonly PersonaProblem[];
}

/** gray-matter with the `yaml` package as its YAML engine: alias expansion bounded, no global cache. */
const MATTER_OPTIONS = {
  engines: { yaml: (text: string) => parseYaml(text, { maxAliasCount: YAML_MAX_ALIAS_COUNT }) as object },
};

export async function loadPersonas(root: string): Promise<PersonaLoad> {
  const problems: PersonaProblem[] = [];
  const personas: Persona[] = [];
  const seen = new Map<string, string>();
  for (const file of await markdownFiles(root)) {
    const rel = path.relative(root, file);
    const loaded = await loadOne(file, rel, problems);
    if (!loaded) continue;
    const keys = [loaded.meta.id, ...(loaded.meta.aliases ?? [])];
    const clash = keys.find((key) => seen.has(key));
    if (clash) {
      problems.push({
        file: rel,
        level: "skipped",
        reason: `id or alias '${clash}' is already used by ${seen.get(clash) ?? "?"}`,
      });
      continue;
    }
    for (const key of keys) seen.set(key, rel);
    personas.push(loaded);
  }
  return { library: new PersonaLibrary(personas), problems };
}

async function loadOne(file: string, rel: string, problems: PersonaProblem[]): Promise<Persona | undefined> {
  const skip = (reason: string) => {
    problems.push({ file: rel, level: "skipped", reason });
    return undefined;
  };
  const size = (await stat(file)).size;
  if (size > PERSONA_FILE_MAX_BYTES)
    return skip(`file is ${size} bytes; the limit is ${PERSONA_FILE_MAX_BYTES}`);
  let parsed: matter.GrayMatterFile<string>;
  try {
    parsed = matter(await readFile(file, "utf8"), MATTER_OPTIONS);
  } catch (error) {
    return skip(`frontmatter is not valid YAML (${(error as Error).message.split("\n")[0] ?? ""})`);
  }
  const data: unknown = parsed.data;
  const meta = personaFrontmatterSchema.safeParse(data);
  if (!meta.success) {
    const issue = meta.error.issues[0];
    return skip(`frontmatter ${issue?.path.join(".") || "(top)"}: ${issue?.message ?? "invalid"}`);
  }
  const expectedId = path.basename(file, ".md");
  const expectedCategory = path.basename(path.dirname(file));
  if (meta.data.id !== expectedId)
    return skip(`id '${meta.data.id}' does not match the file name '${expectedId}'`);
  if (meta.data.category !== expectedCategory) {
    return skip(`category '${meta.data.category}' does not match the folder '${expectedCategory}'`);
  }
  const body = parsed.content.trim();
  if (body === "") return skip("the body is empty");
  const bodyBytes = Buffer.byteLength(body, "utf8");
  if (bodyBytes > PERSONA_BODY_MAX_BYTES)
    return skip(`the body is ${bodyBytes} bytes; the limit is ${PERSONA_BODY_MAX_BYTES}`);
  const missing = REQUIRED_HEADINGS.filter((heading) => !new RegExp(`^## ${heading}\\b`, "m").test(body));
  if (missing.length > 0)
    problems.push({ file: rel, level: "warning", reason: `missing section(s): ${missing.join(", ")}` });
  const unknown = Object.keys(data as object).filter((key) => !PERSONA_KEYS.includes(key));
  if (unknown.length > 0)
    problems.push({
      file: rel,
      level: "warning",
      reason: `unknown frontmatter key(s): ${unknown.join(", ")}`,
    });
  return { meta: meta.data, body, hash: bodyHash(body), file: rel };
}

export function bodyHash(body: string): string {
  return `sha256:${createHash("sha256").update(body.trim()).digest("hex").slice(0, 32)}`;
}

async function markdownFiles(root: string): Promise<string[]> {
  const files: string[] = [];
  let categories;
  try {
    categories = await readdir(root, { withFileTypes: true });
  } catch {
    return files;
  }
  for (const category of categories.filter((entry) => entry.isDirectory() && !entry.name.startsWith("."))) {
    const entries = await readdir(path.join(root, category.name), { withFileTypes: true });
    for (const entry of entries) {
      if (entry.isFile() && entry.name.endsWith(".md"))
        files.push(path.join(root, category.name, entry.name));
    }
  }
  return files.sort();
}
