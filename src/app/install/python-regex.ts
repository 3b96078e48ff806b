// Hermes matches its threat patterns with Python's `re.search(pattern, line, re.IGNORECASE)` on
// str, where \w, \d, \s and \b are Unicode-aware and `i` also matches 'ı' and 'İ'. JavaScript's
// classes are ASCII (even with the u flag) and its `.` stops at U+2028/U+2029, so a pattern copied
// as is would miss lines Hermes flags. This turns the few constructs the table uses into their
// Python meaning; anything else it meets it refuses, so a new Hermes pattern cannot slip in
// silently mistranslated.

// Python's str whitespace (str.isspace): JavaScript's \s lacks \x1c-\x1f and \x85 and adds \ufeff.
const PY_SPACE = String.raw`\t\n\v\f\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000`;
// Python's \w is str.isalnum() or '_': letters and numbers of every script.
const PY_WORD = String.raw`\p{L}\p{N}_`;
// Python's \b is a boundary between a \w character and anything else.
const PY_BOUNDARY = `(?:(?<=[${PY_WORD}])(?![${PY_WORD}])|(?<![${PY_WORD}])(?=[${PY_WORD}]))`;
// Under re.IGNORECASE Python lets 'i' match the dotless 'ı' and the dotted 'İ'; JavaScript's
// case folding does not.
const PY_DOTLESS_I = "ıİ";

/** The JavaScript RegExp that matches a line exactly when `re.search(source, line, re.I)` does. */
export function fromPythonRegex(source: string): RegExp {
  let out = "";
  let classBody: string | undefined;
  let negated = false;
  for (let index = 0; index < source.length; index++) {
    const char = source[index] ?? "";
    if (char === "\\") {
      const next = source[++index] ?? "";
      const piece = escape(next, classBody !== undefined, source);
      if (classBody !== undefined) classBody += piece;
      else out += piece;
      continue;
    }
    if (classBody !== undefined) {
      if (char === "]" && classBody.length > 0) {
        const foldsI = !negated && /a-z|A-Z|[iI]/.test(classBody);
        out += `[${negated ? "^" : ""}${classBody}${foldsI ? PY_DOTLESS_I : ""}]`;
        classBody = undefined;
      } else classBody += char;
      continue;
    }
    // [\s\S] is "any character"; JavaScript has no \S inside a class with Python's whitespace.
    if (source.startsWith(String.raw`[\s\S]`, index)) {
      out += "[^]";
      index += 5;
      continue;
    }
    if (char === "[") {
      negated = source[index + 1] === "^";
      if (negated) index++;
      classBody = "";
      continue;
    }
    out += char === "i" || char === "I" ? `[${char}${PY_DOTLESS_I}]` : char;
  }
  if (classBody !== undefined) throw new Error(`unterminated character class in ${source}`);
  // s: lines hold no \n, and Python's `.` matches U+2028/U+2029 where JavaScript's would not.
  return new RegExp(out, "ius");
}

function escape(next: string, inClass: boolean, source: string): string {
  switch (next) {
    case "w":
      return inClass ? PY_WORD : `[${PY_WORD}]`;
    case "d":
      return String.raw`\p{Nd}`;
    case "s":
      return inClass ? PY_SPACE : `[${PY_SPACE}]`;
    case "S":
      if (inClass) break;
      return `[^${PY_SPACE}]`;
    case "b":
      if (inClass) break;
      return PY_BOUNDARY;
    // Python lets any punctuation be escaped; the u flag allows only syntax characters.
    case "'":
    case '"':
    case "~":
      return next;
    default:
      if (/^[\\^$.*+?()[\]{}|/\-n]$/.test(next)) return `\\${next}`;
  }
  throw new Error(`cannot port \\${next} in ${source}`);
}
