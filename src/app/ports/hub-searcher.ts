// The Skills step's search of a skills hub: Hermes' own search (beside the bot or on a Hermes
// host) or the bundled hub's index (hub-search/). Answers a query with hits or a reason.
import type { HubHit } from "../../core/hub-search.ts";
import type { Outcome } from "./outcome.ts";

/** The hits for a query, or why there are none. */
export type HubSearchAnswer = Outcome<HubHit[]>;

export interface HubSearcher {
  search(query: string): Promise<HubSearchAnswer>;
}
