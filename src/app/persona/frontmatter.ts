// Splits `---` YAML frontmatter from a Markdown body and parses it. Plain frontmatter goes through
// js-yaml (the engine gray-matter itself uses) without gray-matter's per-file wrapper work, which
// was most of the load time of a 10,000-persona library (BENCHMARKS.md). Frontmatter with anchors
// or aliases (`&x`, `*x`) goes through the `yaml` package, which refuses alias bombs.
import { load as loadYaml } from "js-yaml";
import { parse as parseYaml } from "yaml";
import { YAML_MAX_ALIAS_COUNT } from "../../core/blueprint-yaml.ts";

export type Frontmatter = { ok: true; data: unknown; body: string } | { ok: false; reason: string };

const OPENING = /^\uFEFF?---[ \t]*\r?\n/;
const CLOSING = /\r?\n---[ \t]*(?:\r?\n|$)/;

/** A closing line that is whole: its line break is in the text, so more text cannot extend it. */
const WHOLE_CLOSING = /\r?\n---[ \t]*\r?\n/;

/**
 * A start of a file (a reader may have only its first bytes) that opens a `---` block and has not
 * closed it yet. A `---` at the very end does not count as closed: the file may go on with `-x`.
 */
export function frontmatterUnclosed(text: string): boolean {
  const opening = OPENING.exec(text);
  return opening !== null && !WHOLE_CLOSING.test(`\n${text.slice(opening[0].length)}`);
}

export function splitFrontmatter(text: string): Frontmatter {
  const opening = OPENING.exec(text);
  if (!opening) return { ok: false, reason: "the file does not start with a --- frontmatter block" };
  const rest = text.slice(opening[0].length);
  const closing = CLOSING.exec(`\n${rest}`);
  if (!closing) return { ok: false, reason: "the frontmatter block is not closed with ---" };
  const yamlText = rest.slice(0, Math.max(0, closing.index));
  const body = rest.slice(Math.max(0, closing.index - 1) + closing[0].length);
  try {
    const data: unknown = /[&*]/.test(yamlText)
      ? parseYaml(yamlText, { maxAliasCount: YAML_MAX_ALIAS_COUNT })
      : loadYaml(yamlText, { json: false });
    return { ok: true, data, body };
  } catch (error) {
    return {
      ok: false,
      reason: `frontmatter is not valid YAML (${(error as Error).message.split("\n")[0] ?? ""})`,
    };
  }
}
