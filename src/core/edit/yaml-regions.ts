// A YAML file whose root is a block mapping with plain keys at column 0 (every config.yaml the bot
// or Hermes writes) falls apart into one region of text per top-level key: from its key line to the
// next key line. Such a region means the same parsed alone as inside the file, as long as nothing
// ties regions together (anchors and aliases, directives, document markers, keys in other forms,
// text at column 0 that belongs to a value): those texts are not split, and the caller parses the
// whole file instead. Splicing one region and parsing only it is the check an edit needs: the yaml
// library takes over a millisecond to parse a bot-made config.yaml, most of it for lists the edit
// never touches.

/** One top-level key's text: its key line up to the next key line (or the end of the file). */
export interface TopRegion {
  readonly key: string;
  readonly start: number;
  readonly end: number;
}

/** A key line: a plain key at column 0 followed by `:` and a space, a tab or the line's end. */
const TOP_KEY = /^([A-Za-z_][A-Za-z0-9_.-]*):(?:[ \t]|$)/;

/**
 * The top-level regions in order, or undefined when the text is not of the simple shape: a line at
 * column 0 that is neither blank, a comment, a sequence item of the key above, nor a plain key line;
 * a key twice; indented text before the first key; any `&` or `*` (an anchor or an alias may tie
 * regions together; a quoted `&` only costs the fast path); a carriage return or a byte-order mark.
 */
export function topRegions(text: string): TopRegion[] | undefined {
  if (text.includes("\r") || text.startsWith("\uFEFF") || /[&*]/.test(text)) return undefined;
  const regions: { key: string; start: number; end: number }[] = [];
  const seen = new Set<string>();
  let at = 0;
  while (at < text.length) {
    const lineEnd = text.indexOf("\n", at);
    const line = text.slice(at, lineEnd === -1 ? text.length : lineEnd);
    const first = line[0];
    const blankOrComment = line.trim() === "" || line.trimStart().startsWith("#");
    if (first === "\t") {
      if (!blankOrComment) return undefined;
    } else if (first === " " || first === "#" || first === undefined) {
      if (regions.length === 0 && !blankOrComment) return undefined;
    } else if (first === "-" && (line.length === 1 || line[1] === " ")) {
      if (regions.length === 0) return undefined;
    } else {
      const key = TOP_KEY.exec(line)?.[1];
      if (key === undefined || seen.has(key)) return undefined;
      seen.add(key);
      const previous = regions.at(-1);
      if (previous) previous.end = at;
      regions.push({ key, start: at, end: text.length });
    }
    at = lineEnd === -1 ? text.length : lineEnd + 1;
  }
  return regions;
}
