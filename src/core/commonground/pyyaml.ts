// Reads YAML as the real server does with PyYAML's `safe_load`: YAML 1.1 (so `yes`/`on` are
// booleans, but `y`/`n` are not: PyYAML's resolver, not the spec's), ints apart from floats (ints
// come back as bigint, floats as number, so `str()` can print `1` and `1.0` as Python would),
// duplicate keys allowed (the last wins), exactly one document, unknown tags refused, and the
// characters PyYAML's reader refuses refused.
import { parseAllDocuments, type ScalarTag, type Tags } from "yaml";

const BOOL = "tag:yaml.org,2002:bool";
const INT = "tag:yaml.org,2002:int";
const FLOAT = "tag:yaml.org,2002:float";

/** PyYAML's implicit resolvers for bool, decimal int and float (the `yaml` package's 1.1 set is wider). */
const PYYAML_SCALARS: ScalarTag[] = [
  {
    tag: BOOL,
    default: true,
    test: /^(?:yes|Yes|YES|true|True|TRUE|on|On|ON)$/,
    resolve: () => true,
    identify: (value) => value === true,
  },
  {
    tag: BOOL,
    default: true,
    test: /^(?:no|No|NO|false|False|FALSE|off|Off|OFF)$/,
    resolve: () => false,
    identify: (value) => value === false,
  },
  {
    // A leading zero is octal (kept from the package); "09" matches neither, so it stays a string.
    tag: INT,
    default: true,
    test: /^[-+]?(?:0|[1-9][0-9_]*)$/,
    resolve: (text) => BigInt(text.replace(/_/g, "")),
    identify: (value) => typeof value === "bigint",
  },
  {
    // A float needs a dot, and an exponent needs its sign: `1e3` is the string "1e3" to PyYAML.
    tag: FLOAT,
    default: true,
    test: /^(?:[-+]?[0-9][0-9_]*\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9_]+(?:[eE][-+][0-9]+)?)$/,
    resolve: (text) => Number.parseFloat(text.replace(/_/g, "")),
    identify: (value) => typeof value === "number",
  },
];

function pyyamlTags(tags: Tags): Tags {
  const kept = tags.filter((tag) => {
    if (typeof tag === "string") return true;
    if (tag.tag === BOOL) return false;
    if (tag.tag === INT && !("format" in tag && tag.format)) return false;
    // The package's NaN/Inf resolver matches PyYAML's; its other two float resolvers are wider.
    return !(tag.tag === FLOAT && !/inf/.test(("test" in tag && tag.test?.source) || ""));
  });
  return [...PYYAML_SCALARS, ...kept];
}

/** What PyYAML's reader accepts; anything else is "unacceptable character". */
// eslint-disable-next-line no-control-regex -- tab, LF and CR are exactly the control characters allowed
const NON_PRINTABLE = /[^\x09\x0A\x0D\x20-\x7E\x85\xA0-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;

/** The document's value (`null` for an empty stream), or throws with the parser's message. */
export function safeLoad(text: string): unknown {
  const bad = NON_PRINTABLE.exec(text);
  if (bad) {
    const code = (bad[0].codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, "0");
    throw new Error(
      `unacceptable character #x${code}: special characters are not allowed\n  in "<unicode string>", position ${bad.index}`,
    );
  }
  const documents = parseAllDocuments(text.replace(/^\uFEFF/, ""), {
    version: "1.1",
    customTags: pyyamlTags,
    intAsBigInt: true,
    uniqueKeys: false,
    prettyErrors: true,
  });
  if (!Array.isArray(documents)) return null;
  if (documents.length > 1) throw new Error("expected a single document in the stream");
  const document = documents[0];
  if (!document) return null;
  const [error] = document.errors;
  if (error) throw new Error(error.message);
  const unknownTag = document.warnings.find((warning) => warning.code === "TAG_RESOLVE_FAILED");
  if (unknownTag) throw new Error(`could not determine a constructor for the tag: ${unknownTag.message}`);
  return document.toJS() as unknown;
}
