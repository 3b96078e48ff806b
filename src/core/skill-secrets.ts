// The keys a blueprint's built-in and optional skills declare, from the catalog (each SKILL.md's
// frontmatter, read before Create). Hub skills are not here: their SKILL.md is known only once they
// are fetched, so their keys are reported after the install instead.
import { findSkill } from "./blueprint-checks.ts";
import type { Catalog, SkillInfo } from "./catalog.ts";

/** What a blueprint (or the wizard's draft) says about its built-in and optional skills. */
export interface SkillChoice {
  readonly builtin: "default" | "none" | readonly string[];
  readonly optional: readonly string[];
}

export interface SkillSecret {
  readonly env: string;
  /** The skill's name (Hermes names a skill by its frontmatter `name:`). */
  readonly skill: string;
  /** Declared `optional: true`: Hermes reports the skill ready without it. */
  readonly optional: boolean;
}

/**
 * The skills a blueprint puts into the profile from the catalog: the built-ins it keeps (none for
 * "none", and none for a clone, whose skills are its source's) and the optional skills it names.
 */
export function catalogSkillsKept(skills: SkillChoice, cloned: boolean, catalog: Catalog): SkillInfo[] {
  const kept = skills.builtin;
  const builtins = cloned
    ? []
    : kept === "default"
      ? catalog.builtinSkills
      : kept === "none"
        ? []
        : catalog.builtinSkills.filter((skill) => kept.includes(skill.id) || kept.includes(skill.name));
  const optional = skills.optional.flatMap((wanted) => {
    const found = findSkill(catalog.optionalSkills, wanted);
    return found ? [found] : [];
  });
  return [...builtins, ...optional];
}

/** Every variable those skills declare, the first skill naming a variable owning it. */
export function skillSecrets(skills: SkillChoice, cloned: boolean, catalog: Catalog): SkillSecret[] {
  const found = new Map<string, SkillSecret>();
  for (const skill of catalogSkillsKept(skills, cloned, catalog))
    for (const { name, optional } of skill.env ?? [])
      if (!found.has(name)) found.set(name, { env: name, skill: skill.name, optional });
  return [...found.values()];
}
