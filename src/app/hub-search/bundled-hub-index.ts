// Search without Hermes: an index of the bundled hub (library/hub, or the BLUEPRINT_HUB folder),
// built once from each skill's SKILL.md, matched in memory. Every word of the query must appear in
// the skill's name, description or identifier (case and accents ignored).
import { HUB_SEARCH_HITS_MAX, type HubHit } from "../../core/hub-search.ts";
import { trustOf } from "../install/hub-source.ts";
import { discoverSkillTree } from "../library/skill-tree.ts";
import type { HubSearchAnswer } from "../ports/hub-searcher.ts";

interface IndexedSkill {
  readonly hit: HubHit;
  /** Name, description and identifier, folded for matching. */
  readonly haystack: string;
}

/** Lower case without accents, so "Résumé" finds "resume". */
export function fold(text: string): string {
  return text.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase();
}

export class BundledHubIndex {
  #skills: Promise<IndexedSkill[]> | undefined;

  constructor(private readonly hubRoot: () => Promise<string>) {}

  async search(query: string): Promise<HubSearchAnswer> {
    const words = fold(query).split(" ").filter(Boolean);
    const skills = await (this.#skills ??= this.#build());
    const hits = skills
      .filter((skill) => words.every((word) => skill.haystack.includes(word)))
      .slice(0, HUB_SEARCH_HITS_MAX)
      .map((skill) => skill.hit);
    return { ok: true, value: hits };
  }

  async #build(): Promise<IndexedSkill[]> {
    // The hub is a skills tree laid out by identifier (`official/<category>/<name>`,
    // `<owner>/<repo>/<path>`): read as Hermes reads a tree, each skill's folder is its identifier.
    const tree = await discoverSkillTree(await this.hubRoot(), [], false);
    return tree.skills
      .filter((skill) => skill.id.split("/").length >= 3)
      .map((skill) => ({
        hit: {
          identifier: skill.id,
          name: skill.name,
          source: skill.id.startsWith("official/") ? "official" : "github",
          trust: trustOf(skill.id),
          description: skill.description,
        },
        haystack: fold(`${skill.name} ${skill.description} ${skill.id}`),
      }));
  }
}
