// Searching the skills hub from the wizard: what a search finds (one hit per skill, with the
// source and trust Hermes shows), and how a typed query is made safe before anything runs it.
import { z } from "zod";
import { isHubIdentifier } from "./hub-identifier.ts";
import { HUB_IDENTIFIER_MAX_CHARS } from "./limits.ts";
import { replaceDisallowedChars } from "./text-rules.ts";

/** A query longer than this is cut (Hermes' sources match short keywords; a page of text finds nothing more). */
export const HUB_SEARCH_QUERY_MAX_CHARS = 200;
/** Hits kept per search: three pages of the wizard's list. */
export const HUB_SEARCH_HITS_MAX = 30;
/** A hit's description is cut to this many characters (the list clips it further per platform). */
export const HUB_HIT_DESCRIPTION_MAX_CHARS = 300;

export interface HubHit {
  /** What the installer is given; checked like a typed identifier before it is kept. */
  readonly identifier: string;
  readonly name: string;
  /** Where it comes from, as Hermes names it: official, github, skills-sh, url, … */
  readonly source: string;
  /** builtin, trusted or community: what Hermes' scan policy keys on. */
  readonly trust: string;
  readonly description: string;
}

/**
 * The query as it is searched: control and direction characters removed, white space collapsed,
 * cut to the limit. Any script stays as typed; the query only ever travels as one argument.
 */
export function normalizeHubQuery(text: string): string {
  // Only the head of a huge text can survive the cut, so only the head is looked at.
  const head = text.slice(0, HUB_SEARCH_QUERY_MAX_CHARS * 8);
  return replaceDisallowedChars(head).replace(/\s+/g, " ").trim().slice(0, HUB_SEARCH_QUERY_MAX_CHARS).trim();
}

const shortText = (max: number) =>
  z.string().transform((text) => replaceDisallowedChars(text).replace(/\s+/g, " ").trim().slice(0, max));

/** One hit as an outside search answered it; anything else in the answer is dropped. */
export const hubHitSchema = z.object({
  identifier: z.string().max(HUB_IDENTIFIER_MAX_CHARS).refine(isHubIdentifier),
  name: shortText(100).pipe(z.string().min(1)),
  source: shortText(40).pipe(z.string().min(1)),
  trust: shortText(20).pipe(z.string().min(1)),
  description: shortText(HUB_HIT_DESCRIPTION_MAX_CHARS),
});
