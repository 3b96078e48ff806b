// Records go into jsonb columns as JSON and come back as JSON.parse would give them (a key whose
// value is undefined vanishes, as in the embedded store's file). jsonb refuses two things JSON
// allows in a string: the NUL character and a lone surrogate (half of a UTF-16 pair). A record
// holding either (a pasted config value, hostile text) is stored as its JSON text in base64 inside
// a one-key object instead, so every record the embedded store keeps, this one keeps too.

/** The key of a record stored as base64 JSON text; a real record never has it. */
export const JSONB_ENCODED_KEY = "$agentBlueprintJsonBase64";
/** How JSON.stringify writes a NUL or a lone surrogate (a paired one it writes as the character). */
const JSONB_REFUSED_ESCAPE = /\\u(0000|d[89a-f][0-9a-f]{2})/i;

/** The parameter for a `$n::jsonb` placeholder. */
export function toJsonb(value: unknown): string {
  const text = JSON.stringify(value);
  if (!JSONB_REFUSED_ESCAPE.test(text)) return text;
  return JSON.stringify({ [JSONB_ENCODED_KEY]: Buffer.from(text, "utf8").toString("base64") });
}

/** The record a jsonb column holds (pg has parsed it already). */
export function fromJsonb<T>(stored: unknown): T {
  if (typeof stored === "object" && stored !== null && JSONB_ENCODED_KEY in stored) {
    const encoded = (stored as Record<string, unknown>)[JSONB_ENCODED_KEY];
    if (typeof encoded === "string") return JSON.parse(Buffer.from(encoded, "base64").toString("utf8")) as T;
  }
  return stored as T;
}
