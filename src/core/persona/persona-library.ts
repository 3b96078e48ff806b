// The loaded persona library as an immutable index: list, categories, get by id or alias, and a
// ranked word search over id, name, tags and description, fast enough for Discord autocomplete.
import type { Persona } from "./persona.ts";

/** Autocomplete shows at most 25 choices (Discord's limit). */
export const SEARCH_RESULTS_MAX = 25;
export const PREVIEW_CHARS = 120;

interface Indexed {
  readonly persona: Persona;
  /** Lower-cased words per field, for ranking. */
  readonly idWords: readonly string[];
  readonly nameWords: readonly string[];
  readonly tags: readonly string[];
  readonly descriptionWords: readonly string[];
}

const words = (text: string) =>
  text
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);

export class PersonaLibrary {
  readonly #sorted: readonly Persona[];
  readonly #byKey: ReadonlyMap<string, Persona>;
  readonly #indexed: readonly Indexed[];
  /** Every distinct word, sorted, with the personas it appears in: prefix search by binary search. */
  readonly #vocabulary: readonly string[];
  readonly #postings: ReadonlyMap<string, readonly number[]>;

  constructor(personas: readonly Persona[]) {
    this.#sorted = [...personas].sort(
      (a, b) => a.meta.category.localeCompare(b.meta.category) || a.meta.name.localeCompare(b.meta.name),
    );
    const byKey = new Map<string, Persona>();
    for (const persona of this.#sorted) {
      byKey.set(persona.meta.id, persona);
      for (const alias of persona.meta.aliases ?? []) if (!byKey.has(alias)) byKey.set(alias, persona);
    }
    this.#byKey = byKey;
    this.#indexed = this.#sorted.map((persona) => ({
      persona,
      idWords: words(persona.meta.id),
      nameWords: words(persona.meta.name),
      tags: persona.meta.tags,
      descriptionWords: words(persona.meta.description),
    }));
    const postings = new Map<string, number[]>();
    this.#indexed.forEach((entry, index) => {
      const all = new Set([
        ...entry.idWords,
        ...entry.nameWords,
        ...entry.tags,
        ...entry.descriptionWords,
        ...(entry.persona.meta.aliases ?? []),
      ]);
      for (const word of all) {
        const list = postings.get(word) ?? [];
        list.push(index);
        postings.set(word, list);
      }
    });
    this.#postings = postings;
    this.#vocabulary = [...postings.keys()].sort();
  }

  get size(): number {
    return this.#sorted.length;
  }

  list(category?: string): readonly Persona[] {
    return category === undefined
      ? this.#sorted
      : this.#sorted.filter((persona) => persona.meta.category === category);
  }

  categories(): { category: string; count: number }[] {
    const counts = new Map<string, number>();
    for (const persona of this.#sorted)
      counts.set(persona.meta.category, (counts.get(persona.meta.category) ?? 0) + 1);
    return [...counts].map(([category, count]) => ({ category, count }));
  }

  get(idOrAlias: string): Persona | undefined {
    return this.#byKey.get(idOrAlias.trim().toLowerCase());
  }

  /** Ids closest to an unknown one (shared prefix, then edit distance), for "did you mean". */
  closest(unknown: string, count = 3): string[] {
    const wanted = unknown.trim().toLowerCase();
    return [...this.#byKey.keys()]
      .map((key) => ({ key, distance: editDistance(wanted, key) - commonPrefix(wanted, key) }))
      .sort((a, b) => a.distance - b.distance || a.key.localeCompare(b.key))
      .slice(0, count)
      .map((entry) => entry.key);
  }

  /**
   * Ranked search: every query word must match a word of the persona (the last one as a prefix,
   * since people type it). Exact id > id/name word > tag > description.
   */
  search(query: string, limit = SEARCH_RESULTS_MAX): Persona[] {
    const terms = words(query);
    if (terms.length === 0) return this.#sorted.slice(0, limit);
    let candidates: Set<number> | undefined;
    terms.forEach((term, position) => {
      const matches = new Set(
        position === terms.length - 1 ? this.#prefixPostings(term) : (this.#postings.get(term) ?? []),
      );
      candidates = candidates ? new Set([...candidates].filter((index) => matches.has(index))) : matches;
    });
    const wanted = query.trim().toLowerCase();
    return [...(candidates ?? [])]
      .map((index) => {
        const entry = this.#indexed[index];
        return { entry, score: entry ? score(entry, terms, wanted) : 0 };
      })
      .filter((hit): hit is { entry: Indexed; score: number } => hit.entry !== undefined)
      .sort((a, b) => b.score - a.score || a.entry.persona.meta.id.localeCompare(b.entry.persona.meta.id))
      .slice(0, limit)
      .map((hit) => hit.entry.persona);
  }

  #prefixPostings(prefix: string): number[] {
    const found: number[] = [];
    let low = 0;
    let high = this.#vocabulary.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if ((this.#vocabulary[middle] ?? "") < prefix) low = middle + 1;
      else high = middle;
    }
    for (let index = low; index < this.#vocabulary.length; index++) {
      const word = this.#vocabulary[index] ?? "";
      if (!word.startsWith(prefix)) break;
      found.push(...(this.#postings.get(word) ?? []));
    }
    return found;
  }
}

function score(entry: Indexed, terms: readonly string[], wanted: string): number {
  let total = entry.persona.meta.id === wanted ? 1000 : 0;
  for (const term of terms) {
    const hit = (list: readonly string[]) =>
      list.some((word) => word === term) ? 2 : list.some((word) => word.startsWith(term)) ? 1 : 0;
    total +=
      hit(entry.idWords) * 40 +
      hit(entry.nameWords) * 30 +
      hit(entry.tags) * 20 +
      hit(entry.descriptionWords) * 5;
  }
  return total;
}

export function preview(persona: Persona): string {
  const text = persona.meta.description;
  return text.length > PREVIEW_CHARS ? `${text.slice(0, PREVIEW_CHARS - 1)}…` : text;
}

function commonPrefix(a: string, b: string): number {
  let index = 0;
  while (index < a.length && a[index] === b[index]) index++;
  return index;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0] ?? 0;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j] ?? 0;
      row[j] = Math.min((row[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length] ?? 0;
}
