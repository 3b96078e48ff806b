// The identity part of an edit: display name and description in profile.yaml (as Hermes'
// write_profile_meta keeps them; a description set by hand is marked description_auto: false) and
// the identity text in SOUL.md.
import type { Blueprint } from "../blueprint.ts";
import type { CurrentProfile } from "./current-profile.ts";
import { emptyPart, type PartPlan } from "./plan-parts.ts";

export function planMeta(
  current: CurrentProfile,
  blueprint: Blueprint,
  present: ReadonlySet<string>,
): PartPlan {
  const plan = emptyPart();
  for (const key of ["display_name", "description"] as const) {
    if (!present.has(key)) continue;
    const before = typeof current.meta[key] === "string" ? current.meta[key] : undefined;
    const after = blueprint[key] || undefined;
    if (before === after) continue;
    plan.meta.push({ path: [key], value: after });
    if (key === "description")
      plan.meta.push({ path: ["description_auto"], value: after === undefined ? undefined : false });
    const what = key === "display_name" ? "display name" : "description";
    plan.changes.push(
      after === undefined
        ? { kind: "removed", what }
        : before === undefined
          ? { kind: "added", what, detail: `'${after}'` }
          : { kind: "changed", what, detail: `'${before}' → '${after}'` },
    );
  }
  return plan;
}

/** The new SOUL.md text, when the file gives one that differs. */
export function plannedSoul(current: CurrentProfile, blueprint: Blueprint): string | undefined {
  const text = blueprint.soul;
  if (typeof text !== "string" || text === current.soul) return undefined;
  return text;
}
