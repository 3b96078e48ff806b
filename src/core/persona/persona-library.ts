// The loaded persona library as an immutable index: list, categories, get by id or alias, and a
// ranked word search over id, name, tags and description, fast enough for Discord autocomplete.
import type { Persona } from "./persona.ts";

/** Autocomplete shows at most 25 choices (Discord's limit). */
export const SEARCH_RESULTS_MAX = 25;
export const PREVIEW_CHARS = 120;

/** How much a word counts by the field it sits in (an exact word counts double, a prefix once). */
const FIELD_WEIGHT = { id: 40, name: 30, tag: 20, description: 5 } as const;
const EXACT_ID_BONUS = 1000;

const words = (text: string) =>
  text
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);

export class PersonaLibrary {
  readonly #sorted: readonly Persona[];
  readonly #byKey: ReadonlyMap<string, Persona>;
  /** Every distinct word, sorted: prefix search by binary search. */
  readonly #vocabulary: readonly string[];
  /** For each word: the personas (indices into #sorted) that hold it, with its field weight there. */
  readonly #postings: ReadonlyMap<string, { readonly index: Int32Array; readonly weight: Float64Array }>;

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
    const building = new Map<string, { index: number[]; weight: number[] }>();
    this.#sorted.forEach((persona, index) => {
      const weights = new Map<string, number>();
      const add = (list: readonly string[], weight: number) => {
        for (const word of new Set(list)) weights.set(word, (weights.get(word) ?? 0) + weight);
      };
      add([...words(persona.meta.id), ...(persona.meta.aliases ?? [])], FIELD_WEIGHT.id);
      add(words(persona.meta.name), FIELD_WEIGHT.name);
      add(persona.meta.tags, FIELD_WEIGHT.tag);
      add(words(persona.meta.description), FIELD_WEIGHT.description);
      for (const [word, weight] of weights) {
        const entry = building.get(word) ?? { index: [], weight: [] };
        entry.index.push(index);
        entry.weight.push(weight);
        building.set(word, entry);
      }
    });
    this.#postings = new Map(
      [...building].map(([word, entry]) => [
        word,
        { index: Int32Array.from(entry.index), weight: Float64Array.from(entry.weight) },
      ]),
    );
    this.#vocabulary = [...building.keys()].sort();
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
   * since people are still typing it). Scores add up per word from the postings, so the cost
   * follows how many personas hold the words, not the size of the library.
   */
  search(query: string, limit = SEARCH_RESULTS_MAX): Persona[] {
    const terms = words(query);
    if (terms.length === 0) return this.#sorted.slice(0, limit);
    const count = this.#sorted.length;
    const total = new Float64Array(count);
    const matched = new Uint8Array(count);
    const termBest = new Float64Array(count);
    let candidates: number[] = [];
    terms.forEach((term, position) => {
      const touched: number[] = [];
      const matching =
        position === terms.length - 1 ? this.#withPrefix(term) : this.#postings.has(term) ? [term] : [];
      for (const word of matching) {
        const postings = this.#postings.get(word);
        if (!postings) continue;
        const factor = word === term ? 2 : 1;
        for (let k = 0; k < postings.index.length; k++) {
          const index = postings.index[k] ?? 0;
          const score = (postings.weight[k] ?? 0) * factor;
          if (termBest[index] === 0) touched.push(index);
          if (score > (termBest[index] ?? 0)) termBest[index] = score;
        }
      }
      for (const index of touched) {
        total[index] = (total[index] ?? 0) + (termBest[index] ?? 0);
        matched[index] = (matched[index] ?? 0) + 1;
        termBest[index] = 0;
      }
      candidates = touched;
    });
    const exact = this.#byKey.get(query.trim().toLowerCase());
    const top: { index: number; score: number }[] = [];
    for (const index of candidates) {
      if (matched[index] !== terms.length) continue;
      const persona = this.#sorted[index];
      const score = (total[index] ?? 0) + (persona === exact ? EXACT_ID_BONUS : 0);
      insertTop(
        top,
        { index, score },
        limit,
        (a, b) => b.score - a.score || idOf(this.#sorted, a.index).localeCompare(idOf(this.#sorted, b.index)),
      );
    }
    return top
      .map((hit) => this.#sorted[hit.index])
      .filter((persona): persona is Persona => persona !== undefined);
  }

  #withPrefix(prefix: string): string[] {
    let low = 0;
    let high = this.#vocabulary.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if ((this.#vocabulary[middle] ?? "") < prefix) low = middle + 1;
      else high = middle;
    }
    const found: string[] = [];
    for (let index = low; index < this.#vocabulary.length; index++) {
      const word = this.#vocabulary[index] ?? "";
      if (!word.startsWith(prefix)) break;
      found.push(word);
    }
    return found;
  }
}

function idOf(personas: readonly Persona[], index: number): string {
  return personas[index]?.meta.id ?? "";
}

/** Keeps `top` sorted and at most `limit` long: a partial sort, cheaper than sorting every hit. */
function insertTop<T>(top: T[], item: T, limit: number, compare: (a: T, b: T) => number): void {
  if (top.length === limit) {
    const last = top[top.length - 1];
    if (last === undefined || compare(item, last) >= 0) return;
    top.pop();
  }
  let at = top.length;
  while (at > 0 && compare(item, top[at - 1] as T) < 0) at--;
  top.splice(at, 0, item);
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
