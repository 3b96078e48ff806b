// The Skills step's search of a skills hub: Hermes' own search (beside the bot or on a Hermes
// host) or the bundled hub's index (hub-search/). Answers a query with hits or a reason.
import type { HubHit } from "../../core/hub-search.ts";

export type HubSearchAnswer = { ok: true; hits: HubHit[] } | { ok: false; reason: string };

export interface HubSearcher {
  search(query: string): Promise<HubSearchAnswer>;
}
