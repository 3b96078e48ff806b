// Edits a YAML file by splicing text, so everything outside the changed keys stays byte for byte:
// comments, blank lines, quoting, folded scalars, sequence indentation, spacing before an inline
// comment. The yaml library keeps comments on a re-render but not those last details (a Hermes-made
// or hand-written config.yaml would come back reformatted). Each edit replaces, inserts or removes
// the text of one key only; the result is checked against the same edits made by the library, and
// when the splice cannot be proven equal the library's rendering is used instead (`exact: false`).
import { Document, isMap, isScalar, parseDocument, type Node, type Pair, type YAMLMap } from "yaml";
import { type TopRegion, topRegions } from "./yaml-regions.ts";

/** Set `path` to `value`, or remove it when `value` is undefined. */
export interface YamlEdit {
  readonly path: readonly string[];
  readonly value: unknown;
}

export interface SplicedYaml {
  readonly text: string;
  /** false: the text was rendered again by the library (content right, formatting not kept). */
  readonly exact: boolean;
  /** What the new text means as JSON (already parsed to check the splice: a reader need not again). */
  readonly value: unknown;
}

/** What the caller knows of the text already (from its own read), so it need not be parsed whole. */
export interface KnownYaml {
  /** What the text means as JSON: a private copy, which the splice may change. */
  readonly value?: unknown;
}

/** Applies the edits in order; a text that does not parse as a mapping is refused by the caller first. */
export function editYamlText(text: string, edits: readonly YamlEdit[], known: KnownYaml = {}): SplicedYaml {
  // Parsing is most of an edit's time (the yaml library takes over a millisecond for a bot-made
  // config.yaml with its lists for 22 platforms). With the text's meaning known, an edit parses
  // only the top-level key it changes, before and after (see yaml-regions.ts); otherwise the
  // original is parsed at most once, the splice is checked by one parse of the result, and what
  // the result must mean is computed on plain data rather than on a second copy of the document.
  if (isRecord(known.value)) {
    const byRegions = spliceByRegions(text, edits, known.value);
    if (byRegions) return { text: byRegions.text, exact: true, value: byRegions.value };
  }
  const original = parseDocument(text);
  let spliced: string | undefined = text;
  edits.forEach((edit, index) => {
    if (spliced !== undefined) spliced = spliceOne(spliced, edit, index === 0 ? original : undefined);
  });
  if (spliced !== undefined && original.errors.length === 0) {
    const want = JSON.stringify(editedValue(original.toJSON(), edits));
    const document = parseDocument(spliced);
    const got = document.errors.length === 0 ? jsonOf(document) : undefined;
    if (got !== undefined && JSON.stringify(got.value) === want)
      return { text: spliced, exact: true, value: got.value };
  }
  const expected = parseDocument(text);
  for (const edit of edits) applyToDocument(expected, edit);
  const value = jsonOf(expected);
  if (value) return { text: expected.toString({ lineWidth: 0 }), exact: false, value: value.value };
  // The edit replaced a value whose anchor an alias elsewhere names: the library's document has a
  // dangling alias, so the meaning is written out in full (each alias as the value it stood for).
  const meaning = editedValue(original.toJSON(), edits);
  return { text: new Document(meaning).toString({ lineWidth: 0 }), exact: false, value: meaning };
}

/** What a document means as JSON, or undefined when an alias in it no longer resolves. */
function jsonOf(document: Document): { value: unknown } | undefined {
  try {
    return { value: document.toJSON() };
  } catch {
    return undefined;
  }
}

/**
 * Each edit spliced into the region of its top-level key alone, and checked there: the region
 * after the splice, parsed alone, must mean exactly what the whole text means for its keys once
 * edited (which also catches a region that meant something else alone than in the file), and the
 * file's top-level keys must come in the order the edit leaves them. Undefined when any of that
 * cannot be shown (the caller splices the whole text then). `value` is changed into the new text's
 * meaning.
 */
export function spliceByRegions(
  text: string,
  edits: readonly YamlEdit[],
  value: Record<string, unknown>,
): { text: string; value: Record<string, unknown> } | undefined {
  let current = text;
  let meaning = value;
  for (const edit of edits) {
    const key = edit.path[0];
    const regions = topRegions(current);
    if (key === undefined || !regions || regions.length === 0) return undefined;
    const index = regions.findIndex((region) => region.key === key);
    if (index === -1 && edit.value === undefined) continue; // removing what is not there
    // A new top-level key goes after the last one, as the whole-text splice puts it.
    const at = index === -1 ? regions.length - 1 : index;
    const region = regions[at] as TopRegion;
    const piece = current.slice(region.start, region.end);
    const spliced = spliceOne(piece, edit);
    if (spliced === undefined) return undefined;
    // The text after the region must still start on a line of its own.
    if (region.end < current.length && spliced !== "" && !spliced.endsWith("\n")) return undefined;
    const keys = spliced === "" ? [] : topRegions(spliced)?.map((inner) => inner.key);
    if (!keys) return undefined;
    meaning = editedValue(meaning, [edit]) as Record<string, unknown>;
    const order = [
      ...regions.slice(0, at).map((outer) => outer.key),
      ...keys,
      ...regions.slice(at + 1).map((outer) => outer.key),
    ];
    if (JSON.stringify(Object.keys(meaning)) !== JSON.stringify(order)) return undefined;
    const after = parseDocument(spliced);
    const got: unknown = after.contents === null ? {} : after.toJSON();
    if (after.errors.length > 0 || JSON.stringify(got) !== JSON.stringify(picked(meaning, keys)))
      return undefined;
    current = current.slice(0, region.start) + spliced + current.slice(region.end);
  }
  return { text: current, value: meaning };
}

/** These keys of a mapping, in this order (own keys only, as the library's JSON has them). */
function picked(value: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of keys) if (Object.hasOwn(value, key)) setOwn(out, key, value[key]);
  return out;
}

/** The edits made on plain data, as the library makes them on a document (see applyToDocument). */
export function editedValue(start: unknown, edits: readonly YamlEdit[]): unknown {
  let root: unknown = start;
  for (const edit of edits) {
    if (edit.value === undefined) {
      removeValue(root, edit.path);
      continue;
    }
    if (!isRecord(root)) root = {};
    let node = root as Record<string, unknown>;
    for (const key of edit.path.slice(0, -1)) {
      if (!isRecord(ownValue(node, key))) setOwn(node, key, {});
      node = ownValue(node, key) as Record<string, unknown>;
    }
    const last = edit.path.at(-1);
    if (last === undefined) root = plainCopy(edit.value);
    else setOwn(node, last, plainCopy(edit.value));
  }
  return root;
}

function removeValue(root: unknown, keys: readonly string[]): void {
  const parents: Record<string, unknown>[] = [];
  let node: unknown = root;
  for (const key of keys.slice(0, -1)) {
    if (!isRecord(node)) return;
    parents.push(node);
    node = ownValue(node, key);
  }
  const last = keys.at(-1);
  if (isRecord(node) && last !== undefined) delete node[last];
  // A removal that empties its mapping removes the mapping too, as dropEmptyParents does.
  for (let depth = keys.length - 1; depth >= 1; depth--) {
    const parent = parents[depth - 1];
    const child = parent === undefined ? undefined : ownValue(parent, keys[depth - 1] as string);
    if (!parent || !isRecord(child) || Object.keys(child).length > 0) return;
    delete parent[keys[depth - 1] as string];
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Own keys only: a key such as `__proto__` is data here, never the object's prototype. */
function ownValue(node: Record<string, unknown>, key: string): unknown {
  return Object.hasOwn(node, key) ? node[key] : undefined;
}

function setOwn(node: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(node, key, { value, enumerable: true, writable: true, configurable: true });
}

/** The value as the library's document holds it once rendered to JSON. */
function plainCopy(value: unknown): unknown {
  const json = JSON.stringify(value);
  return json === undefined ? null : (JSON.parse(json) as unknown);
}

/** The library's own edit: what the spliced text must mean. */
export function applyToDocument(doc: Document, edit: YamlEdit): void {
  if (edit.value === undefined) {
    if (doc.hasIn(edit.path)) doc.deleteIn(edit.path);
    dropEmptyParents(doc, edit.path);
    return;
  }
  doc.setIn(edit.path, doc.createNode(edit.value));
}

/** A removal that empties its mapping removes the mapping too (no `mcp_servers: {}` left behind). */
function dropEmptyParents(doc: Document, keys: readonly string[]): void {
  for (let depth = keys.length - 1; depth >= 1; depth--) {
    const parent = keys.slice(0, depth);
    const node: unknown = doc.getIn(parent, true);
    if (!isMap(node) || node.items.length > 0) return;
    doc.deleteIn(parent);
  }
}

/** One edit as a text splice, or undefined when the text's shape does not allow one. */
function spliceOne(text: string, edit: YamlEdit, parsed?: Document): string | undefined {
  const doc = parsed ?? parseDocument(text);
  if (doc.errors.length > 0) return undefined;
  if (edit.value === undefined) return removeKey(text, doc, edit.path);
  if (doc.contents === null) return appendAt(text, text.length, 0, nest(edit.path, edit.value));
  if (!isMap(doc.contents)) return undefined;
  let map: YAMLMap = doc.contents;
  for (let depth = 0; depth < edit.path.length; depth++) {
    const key = edit.path[depth] as string;
    const pair = findPair(map, key);
    const rest = edit.path.slice(depth + 1);
    if (!pair) {
      if (map.flow) return undefined;
      return insertInto(text, map, nest([key, ...rest], edit.value));
    }
    const value = pair.value as Node | null;
    if (rest.length === 0) return replaceValue(text, pair, edit.value);
    if (!isMap(value) || value.flow) return replacePair(text, pair, key, merged(value, rest, edit.value));
    map = value;
  }
  return undefined;
}

function removeKey(text: string, doc: Document, keys: readonly string[]): string | undefined {
  // The outermost key the removal empties goes, with everything below it.
  let depth = keys.length;
  while (depth > 1) {
    const parent: unknown = doc.getIn(keys.slice(0, depth - 1), true);
    if (!isMap(parent) || parent.items.length !== 1) break;
    depth--;
  }
  const parent: unknown = depth === 1 ? doc.contents : doc.getIn(keys.slice(0, depth - 1), true);
  if (!isMap(parent)) return text;
  const pair = findPair(parent, keys[depth - 1] as string);
  if (!pair) return text;
  if (parent.flow) return undefined;
  const span = pairSpan(text, pair);
  return span ? text.slice(0, span.start) + text.slice(span.end) : undefined;
}

function findPair(map: YAMLMap, key: string): Pair | undefined {
  return map.items.find((pair): pair is Pair => isScalar(pair.key) && String(pair.key.value) === key);
}

/** A scalar replaced by a scalar keeps its line and any inline comment; anything else replaces the pair. */
function replaceValue(text: string, pair: Pair, value: unknown): string | undefined {
  const old = pair.value as Node | null;
  const plain = value === null || typeof value !== "object";
  if (plain && isScalar(old) && old.range && !isBlockScalar(old)) {
    const [start, end] = old.range;
    return text.slice(0, start) + renderScalar(value) + text.slice(end);
  }
  return replacePair(text, pair, String((pair.key as { value: unknown }).value), value);
}

function isBlockScalar(node: Node): boolean {
  return isScalar(node) && (node.type === "BLOCK_FOLDED" || node.type === "BLOCK_LITERAL");
}

function replacePair(text: string, pair: Pair, key: string, value: unknown): string | undefined {
  const span = pairSpan(text, pair);
  if (!span) return undefined;
  return text.slice(0, span.start) + render({ [key]: value }, span.column) + text.slice(span.end);
}

/** Appends a new key after the last key of a block mapping, at that mapping's indentation. */
function insertInto(text: string, map: YAMLMap, value: Record<string, unknown>): string | undefined {
  const last = map.items.at(-1);
  if (!last) return undefined;
  const span = pairSpan(text, last);
  if (!span) return undefined;
  return appendAt(text, span.end, span.column, value);
}

function appendAt(text: string, at: number, column: number, value: Record<string, unknown>): string {
  const before = text.slice(0, at);
  const gap = before === "" || before.endsWith("\n") ? "" : "\n";
  return before + gap + render(value, column) + text.slice(at);
}

/** Where a block pair's text starts (its line) and ends (after its value's line break). */
function pairSpan(text: string, pair: Pair): { start: number; end: number; column: number } | undefined {
  const key = pair.key as Node | null;
  if (!key?.range) return undefined;
  const lineStart = text.lastIndexOf("\n", key.range[0] - 1) + 1;
  const indent = text.slice(lineStart, key.range[0]);
  if (!/^ *$/.test(indent)) return undefined;
  const value = pair.value as Node | null;
  let end = value?.range ? value.range[2] : key.range[2];
  // A value that did not take its line break (a collection's last line, the file's end): the rest
  // of that line, when blank, is the pair's too.
  if (end > 0 && text[end - 1] !== "\n") {
    const lineEnd = text.indexOf("\n", end);
    if (!text.slice(end, lineEnd === -1 ? text.length : lineEnd).trim())
      end = lineEnd === -1 ? text.length : lineEnd + 1;
  }
  if (end < key.range[0]) return undefined;
  return { start: lineStart, end, column: indent.length };
}

/** A flow mapping (or a non-mapping) on the path: its content with the edit made, to render as a block. */
function merged(node: Node | null, keys: readonly string[], value: unknown): unknown {
  const inner = new Document(isMap(node) ? node.toJSON() : {});
  inner.setIn(keys, value);
  return inner.toJSON();
}

function nest(keys: readonly string[], value: unknown): Record<string, unknown> {
  let node: unknown = value;
  for (const key of [...keys].reverse()) node = { [key]: node };
  return node as Record<string, unknown>;
}

function render(value: Record<string, unknown>, column: number): string {
  const body = new Document(value).toString({ lineWidth: 0 });
  const pad = " ".repeat(column);
  return body
    .split("\n")
    .map((line, index, lines) => (line === "" && index === lines.length - 1 ? line : pad + line))
    .join("\n");
}

function renderScalar(value: unknown): string {
  return new Document(value).toString({ lineWidth: 0 }).replace(/\n$/, "");
}
