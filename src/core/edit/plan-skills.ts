// The skills part of an edit. Built-ins are kept or switched off through config.yaml's
// skills.disabled (Hermes compares each skill's frontmatter name with it); hub and optional skills
// the file adds are installed after the write, and the ones it no longer lists are switched off the
// same way (their files stay, so listing them again switches them back on without a download).
import type { Blueprint } from "../blueprint.ts";
import { findSkill } from "../blueprint-checks.ts";
import type { Catalog } from "../catalog.ts";
import { isRecordOrNameOf, skillNameOf } from "../install/install-record.ts";
import { record, sameValue, type CurrentProfile } from "./current-profile.ts";
import { emptyPart, type PartPlan } from "./plan-parts.ts";

export function planSkills(current: CurrentProfile, blueprint: Blueprint, catalog: Catalog): PartPlan {
  const plan = emptyPart();
  const rawDisabled = record(current.config["skills"])["disabled"];
  const disabled = Array.isArray(rawDisabled) ? rawDisabled.map(String) : [];
  const next = [...disabled];
  const disable = (name: string) => void (next.includes(name) || next.push(name));
  const enable = (name: string) => {
    for (let at = next.indexOf(name); at >= 0; at = next.indexOf(name)) next.splice(at, 1);
  };

  const kept = blueprint.skills.builtin;
  for (const skill of catalog.builtinSkills) {
    const keep =
      kept === "default" || (Array.isArray(kept) && (kept.includes(skill.id) || kept.includes(skill.name)));
    const present = current.builtinsPresent === undefined || current.builtinsPresent.includes(skill.name);
    const wasOff = disabled.includes(skill.name);
    if (!present) {
      if (keep && Array.isArray(kept))
        plan.notes.push(
          `built-in skill '${skill.name}' is not in this profile (made without built-ins); it cannot be switched on here`,
        );
      continue;
    }
    if (keep && wasOff) {
      enable(skill.name);
      plan.changes.push({ kind: "added", what: `built-in skill '${skill.name}'`, detail: "switched on" });
    } else if (!keep && !wasOff) {
      disable(skill.name);
      plan.changes.push({ kind: "removed", what: `built-in skill '${skill.name}'`, detail: "switched off" });
    }
  }

  const optional = blueprint.skills.optional.flatMap((name) => {
    const skill = findSkill(catalog.optionalSkills, name);
    return skill ? [skill] : [];
  });
  const wanted = [...blueprint.skills.hub, ...optional.map((skill) => `official/${skill.id}`)];
  const nameOnly: string[] = [];
  for (const installed of current.hubInstalls) {
    const listed = wanted.some((identifier) => isRecordOrNameOf(identifier, installed));
    const wasOff = disabled.includes(installed.name);
    // A skill known by its name only cannot be shown in the draft, so leaving it out of the list
    // does not mean "switch it off": it stays as it is.
    if (installed.identifier === undefined && !listed) {
      nameOnly.push(installed.name);
      continue;
    }
    if (listed && wasOff) {
      enable(installed.name);
      plan.changes.push({ kind: "added", what: `skill '${installed.name}'`, detail: "switched on again" });
    } else if (!listed && !wasOff) {
      disable(installed.name);
      plan.changes.push({
        kind: "removed",
        what: `skill '${installed.name}'`,
        detail: "switched off (its files stay; list it again to switch it back on)",
      });
    }
  }
  if (nameOnly.length > 0) plan.notes.push(keptByName(nameOnly));
  const installed = (identifier: string) =>
    current.hubInstalls.some((record) => isRecordOrNameOf(identifier, record));
  // Matched by name alone: the skill there may have come from elsewhere; say so rather than guess.
  const byNameOnly = (identifier: string) =>
    current.hubInstalls.some(
      (record) => record.identifier === undefined && isRecordOrNameOf(identifier, record),
    );
  for (const identifier of blueprint.skills.hub) {
    if (byNameOnly(identifier))
      plan.notes.push(
        `'${identifier}': a skill named '${skillNameOf(identifier)}' is already installed there (where it came from is not known); it is not installed again`,
      );
    if (installed(identifier)) continue;
    plan.installs.push(identifier);
    plan.changes.push({
      kind: "added",
      what: `skill '${identifier}'`,
      detail: "installed after the files are written",
    });
  }
  for (const skill of optional) {
    if (installed(`official/${skill.id}`)) continue;
    plan.copies.push(skill.id);
    plan.changes.push({
      kind: "added",
      what: `optional skill '${skill.id}'`,
      detail: "copied from the library",
    });
  }

  if (!sameValue(next, disabled)) plan.config.push({ path: ["skills", "disabled"], value: next });
  return plan;
}

/** The note for hub skills known by name only: the edit leaves them as they are. */
export function keptByName(names: readonly string[]): string {
  return `hub skill(s) ${names.map((name) => `'${name}'`).join(", ")} are kept as they are: where they were installed from is not known here (a Hermes host lists their names only); switch one off on the host`;
}
