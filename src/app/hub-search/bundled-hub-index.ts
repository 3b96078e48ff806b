// Search without Hermes: an index of the bundled hub (library/hub, or the BLUEPRINT_HUB folder),
// built once from each skill's SKILL.md, matched in memory. Every word of the query must appear in
// the skill's name, description or identifier (case and accents ignored).
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import matter from "gray-matter";
import { HUB_SEARCH_HITS_MAX, type HubHit } from "../../core/hub-search.ts";
import { trustOf } from "../install/hub-source.ts";
import type { HubSearchAnswer } from "./hub-search.ts";

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
    return { ok: true, hits };
  }

  async #build(): Promise<IndexedSkill[]> {
    const root = await this.hubRoot();
    const entries = await readdir(root, { recursive: true, withFileTypes: true }).catch(() => []);
    const skills: IndexedSkill[] = [];
    for (const entry of entries) {
      if (entry.name !== "SKILL.md" || !entry.isFile()) continue;
      const dir = path.join(entry.parentPath, entry.name, "..");
      const identifier = path.relative(root, path.resolve(dir)).split(path.sep).join("/");
      // Skills inside a skill's own folders are its files, not hub entries.
      if (
        identifier.split("/").length < 3 ||
        /\/(references|templates|assets|scripts)\//.test(`/${identifier}/`)
      )
        continue;
      const front: Record<string, unknown> = await readFile(path.join(dir, "SKILL.md"), "utf8")
        .then((text) => matter(text).data)
        .catch(() => ({}));
      const name = typeof front["name"] === "string" ? front["name"] : path.basename(dir);
      const description = typeof front["description"] === "string" ? front["description"] : "";
      const hit: HubHit = {
        identifier,
        name,
        source: identifier.startsWith("official/") ? "official" : "github",
        trust: trustOf(identifier),
        description,
      };
      skills.push({ hit, haystack: fold(`${name} ${description} ${identifier}`) });
    }
    return skills.sort((a, b) => (a.hit.identifier < b.hit.identifier ? -1 : 1));
  }
}
