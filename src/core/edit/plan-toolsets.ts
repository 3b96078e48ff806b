// The toolsets part of an edit (and of a create, over the config it starts from): each platform's
// `platform_toolsets` list made the chosen one, as `hermes tools enable|disable` saves it. Of the
// entries that are not toolsets, only the profile's MCP server names and Hermes' `no_mcp` stay —
// any other name (a composite such as `hermes-cli` or `debugging`) would be expanded by Hermes
// into toolsets the user did not choose. A toolset switched on is taken out of
// `agent.disabled_toolsets`, which Hermes applies last and would keep it off; plugin toolsets are
// named in `known_plugin_toolsets`, or Hermes switches an unlisted one on by itself.
import type { Blueprint } from "../blueprint.ts";
import type { Catalog } from "../catalog.ts";
import { platformToolsets } from "../toolsets.ts";
import { record, sameValue, type CurrentProfile } from "./current-profile.ts";
import { emptyPart, type PartPlan } from "./plan-parts.ts";

export function planToolsets(current: CurrentProfile, blueprint: Blueprint, catalog: Catalog): PartPlan {
  const plan = emptyPart();
  if (!blueprint.toolsets) return plan;
  const configurable = new Set(catalog.toolsets.toolsets.map((toolset) => toolset.id));
  const plugins = catalog.toolsets.toolsets.filter((toolset) => toolset.plugin).map((toolset) => toolset.id);
  const servers = new Set([...Object.keys(record(current.config["mcp_servers"])), NO_MCP]);
  const now = record(current.config["platform_toolsets"]);
  const known = record(current.config["known_plugin_toolsets"]);
  // Platforms grouped by what changes, so 22 platforms moving alike make one line.
  const lines = new Map<string, string[]>();
  const enabled = new Set<string>();
  for (const [platform, wanted] of Object.entries(platformToolsets(blueprint.toolsets, catalog.toolsets))) {
    for (const toolset of wanted) enabled.add(toolset);
    const raw = now[platform];
    const before = Array.isArray(raw) ? raw.map(String) : undefined;
    const kept = (before ?? []).filter((entry) => servers.has(entry));
    const next = [...new Set([...wanted, ...kept])].sort();
    const knownNow = Array.isArray(known[platform]) ? (known[platform] as unknown[]).map(String).sort() : [];
    if (plugins.length > 0 && !sameValue(knownNow, [...plugins].sort()))
      plan.config.push({ path: ["known_plugin_toolsets", platform], value: [...plugins].sort() });
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
      plan.changes.push({
        kind: "removed",
        what: `agent.disabled_toolsets: ${disabled.filter((toolset) => enabled.has(toolset)).join(", ")}`,
        detail: "Hermes applies that list last: it would keep them off",
      });
    }
  }
  return plan;
}

/** Hermes' sentinel in a platform's list: no MCP server on that platform. */
const NO_MCP = "no_mcp";

function shown(toolsets: readonly string[]): string {
  return toolsets.length === 0 ? "none" : [...toolsets].sort().join(", ");
}
