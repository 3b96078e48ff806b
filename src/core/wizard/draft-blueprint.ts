// The draft as a blueprint: the same checks `blueprint create --from` runs, so the wizard and a
// hand-written file can never disagree about what is valid.
import type { Blueprint } from "../blueprint.ts";
import { checkBlueprintAgainstCatalog } from "../blueprint-checks.ts";
import { checkBlueprintData } from "../blueprint-yaml.ts";
import type { WizardContext } from "./events.ts";
import type { Draft } from "./state.ts";
import { safePreset } from "./tools-screens.ts";

export type DraftCheck = { ok: true; blueprint: Blueprint } | { ok: false; problems: string[] };

export function builtinSelection(draft: Draft, ctx: WizardContext): "default" | "none" | string[] {
  if (draft.noBuiltins) return "none";
  if (draft.builtinOff.length === 0) return "default";
  return ctx.catalog.builtinSkills.map((skill) => skill.id).filter((id) => !draft.builtinOff.includes(id));
}

export function draftToBlueprint(draft: Draft, ctx: WizardContext): DraftCheck {
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
