// Loads library/personas/<category>/<id>.md: the whole folder is read and checked, then handed
// over as one new PersonaLibrary (swapped in at once). A bad file is skipped with a problem naming
// it and the reason; it never stops the others. Unknown frontmatter keys are reported.
import { createHash } from "node:crypto";
import { closeSync, fstatSync, openSync, readdirSync, readSync } from "node:fs";
import path from "node:path";
import {
  PERSONA_BODY_MAX_BYTES,
  PERSONA_FILE_MAX_BYTES,
  PERSONA_KEYS,
  personaFrontmatterSchema,
  type Persona,
} from "../../core/persona/persona.ts";
import { PersonaLibrary } from "../../core/persona/persona-library.ts";
import { splitFrontmatter } from "./frontmatter.ts";

/** Every persona body has these sections (its domain sections sit between them). */
export const REQUIRED_HEADINGS = [
  "Mission",
  "Rules",
  "Using your tools",
  "Tone",
  "Success measures",
] as const;

/** Level-2 headings, read in one pass over the body. */
const HEADING_LINE = /^## +(.+?)\s*$/gm;

export interface PersonaProblem {
  readonly file: string;
  /** `skipped`: the file was not loaded. `warning`: loaded, but something is off (lint fails on both). */
  readonly level: "skipped" | "warning";
  readonly reason: string;
}

export interface LoadOptions {
  /** Also check style rules (the common section headings): `personas lint` does, the bot does not. */
  readonly lint?: boolean;
}

export interface PersonaLoad {
  readonly library: PersonaLibrary;
  readonly problems: readonly PersonaProblem[];
}

// eslint-disable-next-line @typescript-eslint/require-await -- async so callers never depend on it being synchronous
export async function loadPersonas(root: string, options: LoadOptions = {}): Promise<PersonaLoad> {
  const problems: PersonaProblem[] = [];
  const personas: Persona[] = [];
  const seen = new Map<string, string>();
  // Read synchronously: loading is CPU-bound either way, and thread-pool round trips for 10,000
  // small files cost twice the time of plain reads (BENCHMARKS.md).
  const files = markdownFiles(root);
  const fileProblems: PersonaProblem[][] = files.map(() => []);
  const results = files.map((file, index) =>
    loadOne(file, path.relative(root, file), fileProblems[index] ?? [], options.lint ?? false),
  );
  // Checked in file order, so which of two clashing files wins does not depend on timing.
  for (const [index, loaded] of results.entries()) {
    problems.push(...(fileProblems[index] ?? []));
    if (!loaded) continue;
    const rel = loaded.file;
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

function loadOne(file: string, rel: string, problems: PersonaProblem[], lint: boolean): Persona | undefined {
  const skip = (reason: string) => {
    problems.push({ file: rel, level: "skipped", reason });
    return undefined;
  };
  const bytes = readBounded(file);
  if (typeof bytes === "number")
    return skip(`file is ${bytes} bytes; the limit is ${PERSONA_FILE_MAX_BYTES}`);
  const parsed = splitFrontmatter(bytes.toString("utf8"));
  if (!parsed.ok) return skip(parsed.reason);
  const data = parsed.data;
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
  const body = parsed.body.trim();
  if (body === "") return skip("the body is empty");
  const bodyBytes = Buffer.byteLength(body, "utf8");
  if (bodyBytes > PERSONA_BODY_MAX_BYTES)
    return skip(`the body is ${bodyBytes} bytes; the limit is ${PERSONA_BODY_MAX_BYTES}`);
  const headings = lint ? new Set(Array.from(body.matchAll(HEADING_LINE), (match) => match[1])) : undefined;
  const missing = headings ? REQUIRED_HEADINGS.filter((heading) => !headings.has(heading)) : [];
  if (missing.length > 0)
    problems.push({ file: rel, level: "warning", reason: `missing section(s): ${missing.join(", ")}` });
  const unknown = Object.keys(data ?? {}).filter((key) => !PERSONA_KEYS.includes(key));
  if (unknown.length > 0)
    problems.push({
      file: rel,
      level: "warning",
      reason: `unknown frontmatter key(s): ${unknown.join(", ")}`,
    });
  let hash: string | undefined;
  // The hash is needed only for drift checks: computed on first use, not for every file at load.
  return {
    meta: meta.data,
    body,
    file: rel,
    get hash() {
      hash ??= bodyHash(body);
      return hash;
    },
  };
}

export function bodyHash(body: string): string {
  return `sha256:${createHash("sha256").update(body.trim()).digest("hex").slice(0, 32)}`;
}

/** Reads a file unless it is over the limit; returns the bytes, or the size when it is too large. */
function readBounded(file: string): Buffer | number {
  const fd = openSync(file, "r");
  try {
    const size = fstatSync(fd).size;
    if (size > PERSONA_FILE_MAX_BYTES) return size;
    const buffer = Buffer.allocUnsafe(size);
    let length = 0;
    while (length < size) {
      const read = readSync(fd, buffer, length, size - length, null);
      if (read === 0) break;
      length += read;
    }
    return buffer.subarray(0, length);
  } finally {
    closeSync(fd);
  }
}

function markdownFiles(root: string): string[] {
  const files: string[] = [];
  let categories;
  try {
    categories = readdirSync(root, { withFileTypes: true });
  } catch {
    return files;
  }
  for (const category of categories.filter((entry) => entry.isDirectory() && !entry.name.startsWith("."))) {
    for (const entry of readdirSync(path.join(root, category.name), { withFileTypes: true })) {
      if (entry.isFile() && entry.name.endsWith(".md"))
        files.push(path.join(root, category.name, entry.name));
    }
  }
  return files.sort();
}
