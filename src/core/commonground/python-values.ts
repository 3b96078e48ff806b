// How the real server, written in Python, turns what PyYAML read into text: `str()` of a tag item
// (`null` becomes "None", `1.0` stays "1.0"), `repr()` inside pydantic's messages, the type names
// pydantic prints, and the UnicodeDecodeError text of a file that is not UTF-8. Values here are
// those of ./pyyaml.ts: null, boolean, bigint (a Python int), number (a Python float), string,
// Date, Uint8Array (bytes), arrays, Sets, Maps and plain objects.

export function pyStr(value: unknown): string {
  if (typeof value === "string") return value;
  if (value instanceof Date) return pyDateText(value);
  return pyRepr(value);
}

export function pyRepr(value: unknown): string {
  if (value === null || value === undefined) return "None";
  if (value === true) return "True";
  if (value === false) return "False";
  if (typeof value === "bigint") return value.toString();
  if (typeof value === "number") return pyFloat(value);
  if (typeof value === "string") return pyQuote(value);
  if (value instanceof Date) return `datetime.datetime(${pyDateText(value)})`;
  if (value instanceof Uint8Array) return `b${pyQuote(Buffer.from(value).toString("latin1"))}`;
  if (Array.isArray(value)) return `[${value.map(pyRepr).join(", ")}]`;
  if (value instanceof Set) return value.size === 0 ? "set()" : `{${[...value].map(pyRepr).join(", ")}}`;
  const entries = value instanceof Map ? [...value.entries()] : Object.entries(value);
  return `{${entries.map(([key, item]) => `${pyRepr(key)}: ${pyRepr(item)}`).join(", ")}}`;
}

/** The Python type name pydantic prints as `input_type`. */
export function pyTypeName(value: unknown): string {
  if (value === null || value === undefined) return "NoneType";
  if (typeof value === "boolean") return "bool";
  if (typeof value === "bigint") return "int";
  if (typeof value === "number") return "float";
  if (typeof value === "string") return "str";
  if (value instanceof Date) return "datetime";
  if (value instanceof Uint8Array) return "bytes";
  if (Array.isArray(value)) return "list";
  if (value instanceof Set) return "set";
  return "dict";
}

/** Python's float repr: the shortest round-trip digits, an exponent below 1e-4 and from 1e16. */
function pyFloat(value: number): string {
  if (Number.isNaN(value)) return "nan";
  if (!Number.isFinite(value)) return value > 0 ? "inf" : "-inf";
  const [mantissa = "0", exponentText = "0"] = value.toExponential().split("e");
  const exponent = Number(exponentText);
  if (exponent < -4 || exponent >= 16) {
    const sign = exponent < 0 ? "-" : "+";
    return `${mantissa}e${sign}${String(Math.abs(exponent)).padStart(2, "0")}`;
  }
  const text = String(value);
  return text.includes(".") ? text : `${text}.0`;
}

function pyQuote(text: string): string {
  const quote = text.includes("'") && !text.includes('"') ? '"' : "'";
  let out = "";
  for (const char of text) {
    if (char === "\\") out += "\\\\";
    else if (char === quote) out += `\\${quote}`;
    else if (char === "\n") out += "\\n";
    else if (char === "\r") out += "\\r";
    else if (char === "\t") out += "\\t";
    else if (char < " " || char === "\x7f") out += `\\x${char.charCodeAt(0).toString(16).padStart(2, "0")}`;
    else out += char;
  }
  return `${quote}${out}${quote}`;
}

/** A YAML 1.1 date-only timestamp reads as `datetime.date` (str "2024-01-31"), else a datetime. */
function pyDateText(date: Date): string {
  const iso = date.toISOString();
  const day = iso.slice(0, 10);
  const time = iso.slice(11, 19);
  const fraction = date.getUTCMilliseconds() === 0 ? "" : `.${iso.slice(20, 23)}000`;
  return time === "00:00:00" && !fraction ? day : `${day} ${time}${fraction}+00:00`;
}

/**
 * Decodes UTF-8 strictly, as Python's `bytes.decode("utf-8")`; a BOM is kept (PyYAML skips it).
 * On a bad byte, throws the text of Python's UnicodeDecodeError.
 */
export function decodeUtf8AsPython(bytes: Uint8Array): string {
  try {
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    throw new Error(pythonDecodeError(bytes));
  }
}

function pythonDecodeError(bytes: Uint8Array): string {
  let index = 0;
  while (index < bytes.length) {
    const lead = bytes[index] ?? 0;
    const need = lead < 0x80 ? 0 : lead >= 0xc2 && lead <= 0xdf ? 1 : lead >= 0xe0 && lead <= 0xef ? 2 : 3;
    if (lead >= 0x80 && (lead < 0xc2 || lead > 0xf4))
      return decodeMessage(lead, index, index, "invalid start byte");
    for (let offset = 1; offset <= need; offset += 1) {
      const next = bytes[index + offset];
      if (next === undefined) return decodeMessage(lead, index, bytes.length - 1, "unexpected end of data");
      if ((next & 0xc0) !== 0x80) return decodeMessage(lead, index, index, "invalid continuation byte");
    }
    index += need + 1;
  }
  return decodeMessage(bytes[0] ?? 0, 0, 0, "invalid data");
}

function decodeMessage(byte: number, start: number, end: number, reason: string): string {
  const where =
    start === end
      ? `byte 0x${byte.toString(16).padStart(2, "0")} in position ${start}`
      : `bytes in position ${start}-${end}`;
  return `'utf-8' codec can't decode ${where}: ${reason}`;
}
