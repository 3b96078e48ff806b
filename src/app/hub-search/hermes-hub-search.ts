// Search with Hermes: `hermes skills search --json --limit N -- <query>`, the query one argument
// after `--` (so "--help" is a query, not an option), no shell. Hermes searches every hub source it
// knows in parallel; offline it still answers from its official tree, after its network timeouts.
import { z } from "zod";
import { HUB_SEARCH_HITS_MAX, hubHitSchema, type HubHit } from "../../core/hub-search.ts";
import { hermesChildEnv } from "../hermes/child-env.ts";
import { superviseGroup } from "../system/process-group.ts";
import type { HubSearchAnswer } from "../ports/hub-searcher.ts";

/** A search that has not answered by then is stopped (offline, Hermes takes about 20 s here). */
export const HERMES_SEARCH_TIMEOUT_MS = 45_000;
/** Hermes' JSON is a few KB; more than this is not a search answer. */
const MAX_ANSWER_BYTES = 1024 * 1024;

const hermesRowSchema = z.object({
  name: z.unknown(),
  identifier: z.unknown(),
  source: z.unknown(),
  trust_level: z.unknown(),
  description: z.unknown(),
});

export async function searchWithHermes(
  bin: string,
  env: NodeJS.ProcessEnv,
  query: string,
  timeoutMs = HERMES_SEARCH_TIMEOUT_MS,
): Promise<HubSearchAnswer> {
  const { execa } = await import("execa");
  const child = execa(
    bin,
    ["skills", "search", "--json", "--limit", String(HUB_SEARCH_HITS_MAX), "--", query],
    {
      env: { ...hermesChildEnv(env), NO_COLOR: "1" },
      extendEnv: false,
      reject: false,
      stdin: "ignore",
      maxBuffer: MAX_ANSWER_BYTES,
      // Its own process group: on timeout everything it started is killed, and a descendant that
      // left the group and holds the output open no longer keeps the search waiting.
      detached: true,
    },
  );
  const end = await superviseGroup(child, child, { timeoutMs });
  if (end.stopped === "output held")
    return { ok: false, reason: "Hermes' search ended, but a process it left behind kept its answer open" };
  if (end.stopped) return { ok: false, reason: `Hermes did not answer in ${Math.round(timeoutMs / 1000)} s` };
  const run = end.result;
  if (run.isMaxBuffer) return { ok: false, reason: "Hermes answered more than a search result can be" };
  if (run.exitCode !== 0)
    return {
      ok: false,
      reason: `Hermes' search failed (${run.signal ?? `exit code ${String(run.exitCode)}`})`,
    };
  return parseHermesSearch(run.stdout);
}

/** Hermes' JSON array, each row checked; rows that fail the checks are dropped, garbage is a failure. */
export function parseHermesSearch(stdout: string): HubSearchAnswer {
  // Hermes may log a line before the JSON: the answer is the last top-level array.
  const start = stdout.indexOf("[");
  let rows: unknown;
  try {
    rows = JSON.parse(start >= 0 ? stdout.slice(start) : stdout);
  } catch {
    return { ok: false, reason: "Hermes answered something that is not a search result" };
  }
  return hermesSearchRows(rows);
}

/**
 * Hermes' search rows (`hermes skills search --json`, or the dashboard's `results`): each checked
 * like a typed identifier; rows that fail are dropped, a non-list is a failure.
 */
export function hermesSearchRows(rows: unknown): HubSearchAnswer {
  if (!Array.isArray(rows))
    return { ok: false, reason: "Hermes answered something that is not a search result" };
  const hits: HubHit[] = [];
  const seen = new Set<string>();
  for (const row of rows) {
    const raw = hermesRowSchema.safeParse(row);
    if (!raw.success) continue;
    const hit = hubHitSchema.safeParse({
      identifier: raw.data.identifier,
      name: raw.data.name,
      source: raw.data.source,
      trust: raw.data.trust_level,
      description: raw.data.description ?? "",
    });
    if (!hit.success || seen.has(hit.data.identifier)) continue;
    seen.add(hit.data.identifier);
    hits.push(hit.data);
  }
  return { ok: true, value: hits.slice(0, HUB_SEARCH_HITS_MAX) };
}
