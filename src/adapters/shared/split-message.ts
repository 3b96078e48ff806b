// Long text cut into a platform's messages at natural breaks (each adapter names its own limit).

/**
 * Splits text into messages of at most `limit` characters, at paragraph breaks, then line breaks,
 * then spaces; a single overlong word is cut. Joining the parts gives back the text, whitespace
 * at the cuts aside.
 */
export function splitMessage(text: string, limit: number): string[] {
  const parts: string[] = [];
  let rest = text.trim();
  while (rest.length > limit) {
    const window = rest.slice(0, limit + 1);
    let cut = window.lastIndexOf("\n\n");
    if (cut < limit / 2) cut = window.lastIndexOf("\n");
    if (cut < limit / 2) cut = window.lastIndexOf(" ");
    if (cut <= 0) cut = limit;
    parts.push(rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut).trimStart();
  }
  if (rest.length > 0) parts.push(rest);
  return parts;
}
