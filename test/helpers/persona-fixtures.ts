// Persona files for tests, written the way the library keeps them.
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";

export const BODY = [
  "# Test Persona",
  "",
  "## Mission",
  "",
  "Help.",
  "",
  "## Rules",
  "",
  "Be careful.",
  "",
  "## Using your tools",
  "",
  "Use them.",
  "",
  "## Tone",
  "",
  "Kind.",
  "",
  "## Success measures",
  "",
  "Happy users.",
].join("\n");

export function personaFile(overrides: Record<string, string> = {}, body = BODY): string {
  const fields: Record<string, string> = {
    schema: "1",
    id: "engineering-tester",
    category: "engineering",
    name: "Tester",
    glyph: "🧪",
    description: "Tests things.",
    tags: "[testing, quality]",
    version: "1.0.0",
    default_model: "openrouter/anthropic/claude-sonnet-4",
    default_memory_provider: "builtin",
    suggested_mcps: "[github, semgrep]",
    suggested_toolsets: "[terminal]",
    ...overrides,
  };
  const front = Object.entries(fields)
    .filter(([, value]) => value !== "")
    .map(([key, value]) => `${key}: ${value}`)
    .join("\n");
  return `---\n${front}\n---\n\n${body}\n`;
}

export async function writePersona(
  root: string,
  category: string,
  file: string,
  text: string,
): Promise<string> {
  const dir = path.join(root, category);
  await mkdir(dir, { recursive: true });
  const full = path.join(dir, file);
  await writeFile(full, text);
  return full;
}
