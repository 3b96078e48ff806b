// A profile's YAML file (config.yaml, profile.yaml) read as a mapping, remembered per exact text.
// The yaml library takes milliseconds for a config.yaml with Hermes' long lists (skills.disabled,
// platform_toolsets), and one edit round needs the same meaning several times: the editor's read,
// the keys it needs, Apply's splice (which starts from it), the next round's read of what Apply wrote. Under load those
// parses were the largest share of an edit's time on the event loop (BENCHMARKS.md, load with
// editing users). A text that changes is a new key, so a remembered mapping is never stale.
import { isMap, parseDocument } from "yaml";
import { YAML_MAX_ALIAS_COUNT } from "../../core/blueprint-yaml.ts";
import type { Outcome } from "../ports/outcome.ts";
import { TextMemory } from "./text-memory.ts";

/**
 * Texts whose mappings are remembered at once, by total length (least recently used go first):
 * ≈ 370 bot-made config.yaml files of 2.8 KB, more than the editors the load benchmark keeps open
 * (200); a mapping takes about 3 times its text on the heap, so at most ≈ 3 MB.
 */
export const YAML_MAPPING_MEMORY_MAX_TOTAL_CHARS = 1024 * 1024;
/** Texts longer than this are parsed every time, not remembered (a config.yaml is a few KB). */
export const YAML_MAPPING_MEMORY_MAX_CHARS = 256 * 1024;

/**
 * Entries at most, however short their texts (a mapping costs some memory even for a two-line
 * profile.yaml). Parsed documents are not kept: one takes about 17 times its text on the heap
 * (49 KB for a bot-made 2.8 KB config.yaml), and an edit needs only the meaning (yaml-regions.ts).
 */
export const YAML_MEMORY_MAX_ENTRIES = 1000;

const remembered = new TextMemory<Record<string, unknown>>(
  YAML_MAPPING_MEMORY_MAX_TOTAL_CHARS,
  YAML_MAPPING_MEMORY_MAX_CHARS,
  YAML_MEMORY_MAX_ENTRIES,
);

/** The mapping a YAML text holds; a text that does not parse, or is not a mapping, is refused. */
export function yamlMapping(text: string | undefined, file: string): Outcome<Record<string, unknown>> {
  if (text === undefined || text.trim() === "") return { ok: true, value: {} };
  const known = recall(text);
  if (known) return { ok: true, value: known };
  const doc = parseDocument(text, { uniqueKeys: true });
  if (doc.errors.length > 0)
    return {
      ok: false,
      reason: `${file} cannot be parsed (${doc.errors[0]?.message.split("\n")[0] ?? ""}); fix it first, nothing was changed`,
    };
  if (doc.contents !== null && !isMap(doc.contents))
    return { ok: false, reason: `${file} is not a mapping; fix it first, nothing was changed` };
  let value: Record<string, unknown>;
  try {
    value = (doc.toJS({ maxAliasCount: YAML_MAX_ALIAS_COUNT, json: true }) ?? {}) as Record<string, unknown>;
  } catch (error) {
    // An alias expanded past the limit ("billion laughs"): refused, never expanded.
    return { ok: false, reason: `${file} cannot be read (${(error as Error).message}); fix it first` };
  }
  rememberYamlMapping(text, value);
  return { ok: true, value: structuredClone(value) };
}

/** The mapping, or an empty one for a text that is missing, broken or not a mapping. */
export function yamlMappingOrEmpty(text: string | undefined): Record<string, unknown> {
  const read = yamlMapping(text, "file");
  return read.ok ? read.value : {};
}

/**
 * Tells the memory what a text means when it is already known (an edit that just wrote the text
 * has parsed it to check the splice), so the next read of that file does not parse it again.
 */
export function rememberYamlMapping(text: string, value: Record<string, unknown>): void {
  if (text.length > YAML_MAPPING_MEMORY_MAX_CHARS) return;
  // A private copy: callers get their own copies and may change them freely.
  remembered.set(text, structuredClone(value));
}

function recall(text: string): Record<string, unknown> | undefined {
  const value = remembered.get(text);
  return value === undefined ? undefined : structuredClone(value);
}
