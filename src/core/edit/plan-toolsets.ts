// The toolsets part of an edit: each platform's `platform_toolsets` list made the chosen one, as
// `hermes tools enable|disable` saves it — entries that are not toolsets (MCP server names Hermes
// keeps there) stay, Hermes' platform composites (`hermes-cli`, …) go, since they would turn every
// unchecked toolset back on; a toolset switched on is taken out of `agent.disabled_toolsets`, which
// Hermes applies last and would keep it off.
import type { Blueprint } from "../blueprint.ts";
import type { Catalog } from "../catalog.ts";
import { platformToolsets } from "../toolsets.ts";
import { record, sameValue, type CurrentProfile } from "./current-profile.ts";
import { emptyPart, type PartPlan } from "./plan-parts.ts";

export function planToolsets(current: CurrentProfile, blueprint: Blueprint, catalog: Catalog): PartPlan {
  const plan = emptyPart();
  if (!blueprint.toolsets) return plan;
  const configurable = new Set(catalog.toolsets.toolsets.map((toolset) => toolset.id));
  const now = record(current.config["platform_toolsets"]);
  // Platforms grouped by what changes, so 22 platforms moving alike make one line.
  const lines = new Map<string, string[]>();
  const enabled = new Set<string>();
  for (const [platform, wanted] of Object.entries(platformToolsets(blueprint.toolsets, catalog.toolsets))) {
    for (const toolset of wanted) enabled.add(toolset);
    const raw = now[platform];
    const before = Array.isArray(raw) ? raw.map(String) : undefined;
    const kept = (before ?? []).filter((entry) => !configurable.has(entry) && !entry.startsWith("hermes-"));
    const next = [...new Set([...wanted, ...kept])].sort();
    if (before !== undefined && sameValue([...before].sort(), next)) continue;
    plan.config.push({ path: ["platform_toolsets", platform], value: next });
    const was =
      before === undefined ? "Hermes' default" : shown(before.filter((entry) => configurable.has(entry)));
    const key = `${was} → ${shown(wanted)}`;
    lines.set(key, [...(lines.get(key) ?? []), platform]);
  }
  for (const [key, platforms] of lines)
    plan.changes.push({
      kind: "changed",
      what: `toolsets on ${platforms.length > 3 ? `${platforms.length} platforms` : platforms.join(", ")}`,
      detail: key,
    });

  const rawDisabled = record(current.config["agent"])["disabled_toolsets"];
  if (Array.isArray(rawDisabled)) {
    const disabled = rawDisabled.map(String);
    const remaining = disabled.filter((toolset) => !enabled.has(toolset));
    if (remaining.length !== disabled.length) {
      plan.config.push({ path: ["agent", "disabled_toolsets"], value: remaining });
      plan.notes.push(
        `agent.disabled_toolsets no longer lists ${disabled.filter((toolset) => enabled.has(toolset)).join(", ")} (Hermes applies it last: it would keep them off)`,
      );
    }
  }
  return plan;
}

function shown(toolsets: readonly string[]): string {
  return toolsets.length === 0 ? "none" : [...toolsets].sort().join(", ");
}
