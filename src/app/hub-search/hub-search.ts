// The wizard's hub search: the Hermes host's when profiles are made there (its dashboard), Hermes'
// when Hermes is beside the bot, else the bundled hub's index.
// Answers are cached for a while per query, identical queries in flight share one run, and at most
// a few Hermes searches run at once (each is a Python process): a busy chat never starves the rest.
import { HUB_SEARCH_HITS_MAX, normalizeHubQuery } from "../../core/hub-search.ts";
import { BundledHubIndex } from "./bundled-hub-index.ts";
import type { DashboardClient } from "../hermes/dashboard-client.ts";
import { HERMES_SEARCH_TIMEOUT_MS, hermesSearchRows, searchWithHermes } from "./hermes-hub-search.ts";
import type { HubSearchAnswer, HubSearcher } from "../ports/hub-searcher.ts";

/** Searches running at once; more wait their turn. */
export const HUB_SEARCH_CONCURRENCY = 2;
/** How long a found answer is reused for the same query. */
export const HUB_SEARCH_CACHE_MS = 5 * 60 * 1000;
/** Queries remembered at most (oldest forgotten first). */
export const HUB_SEARCH_CACHE_ENTRIES = 200;

export class HubSearch implements HubSearcher {
  readonly #cache = new Map<string, { at: number; answer: Promise<HubSearchAnswer> }>();
  readonly #waiting: (() => void)[] = [];
  #running = 0;

  constructor(
    private readonly backend: (query: string) => Promise<HubSearchAnswer>,
    private readonly now: () => number = Date.now,
  ) {}

  static forHermes(bin: string, env: NodeJS.ProcessEnv): HubSearch {
    return new HubSearch((query) => searchWithHermes(bin, env, query));
  }

  /** The search of the Hermes that installs the hits: the one behind HERMES_URL. */
  static forDashboard(client: DashboardClient): HubSearch {
    return new HubSearch(async (query) => {
      const answer = await client.hubSearch(query, HUB_SEARCH_HITS_MAX, HERMES_SEARCH_TIMEOUT_MS);
      return answer.ok ? hermesSearchRows(answer.value) : { ok: false, reason: answer.failure.message };
    });
  }

  static forBundledHub(hubRoot: () => Promise<string>): HubSearch {
    const index = new BundledHubIndex(hubRoot);
    return new HubSearch((query) => index.search(query));
  }

  search(text: string): Promise<HubSearchAnswer> {
    const query = normalizeHubQuery(text);
    if (query === "") return Promise.resolve({ ok: true, value: [] });
    const key = query.toLowerCase();
    const cached = this.#cache.get(key);
    if (cached && this.now() - cached.at < HUB_SEARCH_CACHE_MS) return cached.answer;
    const answer = this.#limited(() => this.backend(query)).catch((error: unknown): HubSearchAnswer => ({
      ok: false,
      reason: (error as Error).message || "the search failed",
    }));
    this.#cache.delete(key);
    this.#cache.set(key, { at: this.now(), answer });
    if (this.#cache.size > HUB_SEARCH_CACHE_ENTRIES)
      this.#cache.delete(this.#cache.keys().next().value ?? "");
    // A failure is not remembered: the next try runs again.
    void answer.then((result) => {
      if (!result.ok && this.#cache.get(key)?.answer === answer) this.#cache.delete(key);
    });
    return answer;
  }

  async #limited<T>(work: () => Promise<T>): Promise<T> {
    // A finishing search hands its slot straight to the next waiting one, so the bound holds.
    if (this.#running >= HUB_SEARCH_CONCURRENCY)
      await new Promise<void>((resolve) => this.#waiting.push(resolve));
    else this.#running += 1;
    try {
      return await work();
    } finally {
      const next = this.#waiting.shift();
      if (next) next();
      else this.#running -= 1;
    }
  }
}
