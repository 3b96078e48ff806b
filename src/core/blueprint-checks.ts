// Checks that need the catalog or the list of existing profiles, beyond the schema's own rules.
import type { Blueprint } from "./blueprint.ts";
import { DEFAULT_PROFILE } from "./blueprint.ts";
import type { Catalog, SkillInfo } from "./catalog.ts";
import { findProvider } from "./catalog.ts";
import { describe } from "./messages.ts";
import { toolsetProblems } from "./toolsets.ts";

/** Every problem as `path: message`; an empty list means the blueprint can be created. */
export function checkBlueprintAgainstCatalog(
  blueprint: Blueprint,
  catalog: Catalog,
  existingProfiles: readonly string[],
): string[] {
  const problems: string[] = [];
  const add = (path: string, text: string) => problems.push(`${path}: ${text}`);

  if (existingProfiles.includes(blueprint.name)) {
    add("name", describe({ code: "name_exists", params: { name: blueprint.name } }));
  }
  const source = blueprint.clone_from;
  if (source && source !== DEFAULT_PROFILE && !existingProfiles.includes(source)) {
    add("clone_from", describe({ code: "clone_source_missing", params: { name: source } }));
  }
  if (blueprint.toolsets) problems.push(...toolsetProblems(blueprint.toolsets, catalog.toolsets));
  if (blueprint.model && !findProvider(catalog, blueprint.model.provider)) {
    const known = catalog.providers.map((provider) => provider.slug).join(", ");
    add(
      "model.provider",
      `${describe({ code: "provider_unknown", params: { provider: blueprint.model.provider } })} Known: ${known}.`,
    );
  }
  const { builtin, optional } = blueprint.skills;
  if (Array.isArray(builtin)) {
    builtin.forEach((name, index) => {
      if (!findSkill(catalog.builtinSkills, name)) {
        add(
          `skills.builtin[${index}]`,
          describe({ code: "skill_unknown", params: { name, kind: "built-in" } }),
        );
      }
    });
  }
  optional.forEach((name, index) => {
    if (!findSkill(catalog.optionalSkills, name)) {
      add(
        `skills.optional[${index}]`,
        describe({ code: "skill_unknown", params: { name, kind: "optional" } }),
      );
    }
  });
  const wanted = blueprint.persona?.id.toLowerCase();
  if (
    wanted &&
    !catalog.personas.some((persona) => persona.id === wanted || persona.aliases.includes(wanted))
  ) {
    add("persona.id", describe({ code: "persona_unknown", params: { id: wanted } }));
  }
  return problems;
}

/** Skills are named either by bare name or by `category/name`. */
export function findSkill(skills: readonly SkillInfo[], nameOrId: string): SkillInfo | undefined {
  return skills.find((skill) => skill.id === nameOrId || skill.name === nameOrId);
}

/**
 * The built-ins a blueprint switches off, by the frontmatter names Hermes compares with
 * `skills.disabled`: those a keep list leaves out. None for "default", "none" or a clone (which
 * keeps its source's skills as they are).
 */
export function builtinsSwitchedOff(blueprint: Blueprint, catalog: Catalog): string[] {
  const kept = blueprint.skills.builtin;
  if (blueprint.clone_from || !Array.isArray(kept)) return [];
  return catalog.builtinSkills
    .filter((skill) => !kept.includes(skill.id) && !kept.includes(skill.name))
    .map((skill) => skill.name);
}
