// The draft as a blueprint: the same checks `blueprint create --from` runs, so the wizard and a
// hand-written file can never disagree about what is valid.
import type { Blueprint } from "../blueprint.ts";
import { checkBlueprintAgainstCatalog } from "../blueprint-checks.ts";
import { checkBlueprintData } from "../blueprint-yaml.ts";
import type { CommonGroundTarget, WizardContext } from "./events.ts";
import type { Draft } from "./state.ts";
import { safePreset } from "./tools-screens.ts";
import { clashText, commonGroundClash } from "./commonground-screens.ts";

export type DraftCheck = { ok: true; blueprint: Blueprint } | { ok: false; problems: string[] };

export function builtinSelection(draft: Draft, ctx: WizardContext): "default" | "none" | string[] {
  if (draft.noBuiltins) return "none";
  if (draft.builtinOff.length === 0) return "default";
  return ctx.catalog.builtinSkills.map((skill) => skill.id).filter((id) => !draft.builtinOff.includes(id));
}

export function draftToBlueprint(draft: Draft, ctx: WizardContext): DraftCheck {
  if (ctx.commonground) return draftToCommonGround(draft, ctx, ctx.commonground);
  const data = {
    name: draft.name ?? "",
    display_name: draft.display_name ?? null,
    description: draft.description ?? null,
    clone_from: draft.clone_from ?? null,
    model: {
      provider: draft.provider ?? "",
      model: draft.model ?? "",
      base_url: draft.base_url ?? null,
      ...(draft.context_length !== undefined ? { context_length: draft.context_length } : {}),
    },
    skills: { builtin: builtinSelection(draft, ctx), optional: [...draft.optional], hub: [...draft.hub] },
    mcp_servers: draft.mcp,
    // Every Create writes a list (the safe preset unless the user chose): never Hermes' default with the shell.
    toolsets: [...(draft.toolsets ?? safePreset(ctx))],
    persona: draft.persona ?? null,
    soul: draft.soul ?? null,
    plugins: [...(draft.plugins ?? [])],
  };
  const parsed = checkBlueprintData(data);
  if (!parsed.ok) return parsed;
  const problems = checkBlueprintAgainstCatalog(parsed.blueprint, ctx.catalog, ctx.profiles);
  return problems.length > 0 ? { ok: false, problems } : parsed;
}

/**
 * The draft of an edit as a blueprint: no clone, no model when none is chosen (the profile's stays),
 * and the profile's own name is not a clash.
 */
export function draftToEditBlueprint(draft: Draft, ctx: WizardContext): DraftCheck {
  const data = {
    name: draft.name ?? "",
    display_name: draft.display_name ?? null,
    description: draft.description ?? null,
    model:
      draft.provider && draft.model
        ? {
            provider: draft.provider,
            model: draft.model,
            base_url: draft.base_url ?? null,
            ...(draft.context_length !== undefined ? { context_length: draft.context_length } : {}),
          }
        : null,
    skills: { builtin: builtinSelection(draft, ctx), optional: [...draft.optional], hub: [...draft.hub] },
    mcp_servers: draft.mcp,
    // Absent: the profile's lists stay (Apply plans toolsets only when they are among the changed keys).
    ...(draft.toolsets !== undefined ? { toolsets: [...draft.toolsets] } : {}),
    persona: draft.persona ?? null,
    soul: draft.soul ?? null,
  };
  const parsed = checkBlueprintData(data);
  if (!parsed.ok) return parsed;
  const problems = checkBlueprintAgainstCatalog(parsed.blueprint, ctx.catalog, []);
  return problems.length > 0 ? { ok: false, problems } : parsed;
}

/**
 * The draft of a Create in a CommonGround project: its `commonground:` section, and none of what
 * CommonGround cannot take: no toolsets (not even the safe preset: the absent key says "none chosen"),
 * no skills, MCP servers, plugins, display name or clone. The name may be no project profile's, in
 * any letter case; Hermes' profiles do not matter, nothing is made there.
 */
function draftToCommonGround(draft: Draft, ctx: WizardContext, target: CommonGroundTarget): DraftCheck {
  const cg = draft.commonground ?? {};
  const delegates = cg.delegates ?? [];
  const data = {
    name: draft.name ?? "",
    display_name: null,
    description: draft.description ?? null,
    clone_from: null,
    model: {
      provider: draft.provider ?? "",
      model: draft.model ?? "",
      base_url: draft.base_url ?? null,
      ...(draft.context_length !== undefined ? { context_length: draft.context_length } : {}),
    },
    skills: { builtin: "none", optional: [], hub: [] },
    mcp_servers: [],
    persona: draft.persona ?? null,
    soul: draft.soul ?? null,
    plugins: [],
    commonground: {
      worker_target: cg.worker_target ?? target.workerTarget,
      tags: [...(cg.tags ?? [])],
      ...(cg.must_end_with && cg.must_end_with.length > 0 ? { must_end_with: [...cg.must_end_with] } : {}),
      // Only picked profiles make a policy: without one the profile delegates to nobody.
      ...(delegates.length > 0
        ? { delegation_policy: { target_tags: [], target_profiles: [...delegates] } }
        : {}),
    },
  };
  const parsed = checkBlueprintData(data);
  if (!parsed.ok) return parsed;
  const problems = checkBlueprintAgainstCatalog(parsed.blueprint, ctx.catalog, []);
  const taken = commonGroundClash(parsed.blueprint.name, target);
  if (taken !== undefined) problems.unshift(`name: ${clashText(taken)}`);
  return problems.length > 0 ? { ok: false, problems } : parsed;
}
