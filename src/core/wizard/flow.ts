// The order of the steps, in one place: where each step leads when it is finished, honouring
// "Edit" from Review (finish the edited step, then straight back to Review).
import { findProvider, type Catalog } from "../catalog.ts";
import { mcpServerSecrets, skillRequirement, type SecretRequirement } from "../secrets.ts";
import { skillSecrets } from "../skill-secrets.ts";
import type { WizardContext } from "./events.ts";
import type { Screen, WizardState } from "./state.ts";

export function afterModel(state: WizardState, ctx: WizardContext): Screen {
  if (state.returnToReview) return "review";
  // CommonGround takes no skills, tools or MCP servers: the persona comes next.
  if (ctx.commonground) return "persona.pick";
  return state.draft.clone_from ? "skills.optional" : "skills.builtin";
}

/** After the persona: in a CommonGround project its own step, else (or when editing from Review) Review. */
export function afterPersona(state: WizardState, ctx: WizardContext): Screen {
  return ctx.commonground && !state.returnToReview ? "commonground.worker" : "review";
}

/** After the skills: ask for each key the chosen skills declare that is not answered yet, then go on. */
export function afterSkills(state: WizardState, catalog: Catalog): Screen {
  if (missingSkillSecret(state, catalog) !== undefined) return "skills.secret";
  return state.returnToReview ? "review" : "tools.pick";
}

/** Keys given, skipped, or (when editing) already in .env are not asked again. */
function answeredKeys(state: WizardState): Set<string> {
  return new Set([...state.secrets.provided, ...state.secrets.skipped, ...(state.edit?.keysSet ?? [])]);
}

/** The first key the draft's built-in and optional skills declare that was neither given nor skipped. */
export function missingSkillSecret(state: WizardState, catalog: Catalog): SecretRequirement | undefined {
  const { draft } = state;
  const builtin = draft.noBuiltins
    ? "none"
    : draft.builtinOff.length === 0
      ? "default"
      : catalog.builtinSkills.map((skill) => skill.id).filter((id) => !draft.builtinOff.includes(id));
  const answered = answeredKeys(state);
  const missing = skillSecrets(
    { builtin, optional: draft.optional },
    Boolean(draft.clone_from),
    catalog,
  ).find((secret) => !answered.has(secret.env));
  return missing ? skillRequirement(missing) : undefined;
}

export function afterTools(state: WizardState): Screen {
  return state.returnToReview ? "review" : "mcp.list";
}

/** After the MCP list: ask for each missing MCP secret in turn, then go on. */
export function afterMcp(state: WizardState, catalog: Catalog): Screen {
  if (missingMcpSecret(state, catalog) !== undefined) return "mcp.secret";
  return state.returnToReview ? "review" : "persona.pick";
}

/** The first secret the chosen MCP servers need that was neither given nor skipped. */
export function missingMcpSecret(state: WizardState, catalog: Catalog): SecretRequirement | undefined {
  const answered = answeredKeys(state);
  for (const server of state.draft.mcp) {
    const missing = mcpServerSecrets(server, catalog).find((requirement) => !answered.has(requirement.env));
    if (missing) return missing;
  }
  return undefined;
}

/** Whether a key needs asking: not given in this wizard, and (when editing) not already in .env. */
export function keyUnanswered(state: WizardState, env: string): boolean {
  return !state.secrets.provided.includes(env) && !(state.edit?.keysSet ?? []).includes(env);
}

/** The .env variable the current screen asks for privately, if it asks for one. */
export function expectedSecret(state: WizardState, ctx: WizardContext): string | undefined {
  if (state.step === "model.api_key") {
    const provider = state.draft.provider ? findProvider(ctx.catalog, state.draft.provider) : undefined;
    return provider?.api_key_env ?? undefined;
  }
  if (state.step === "skills.secret") return missingSkillSecret(state, ctx.catalog)?.env;
  if (state.step === "mcp.secret") return missingMcpSecret(state, ctx.catalog)?.env;
  if (state.step === "edit.key") return state.edit?.keyFocus;
  return undefined;
}

/** The screen "Edit <step>" on Review opens. */
export function firstScreenOf(step: string, state: WizardState): Screen | undefined {
  switch (step) {
    case "identity":
      return "identity.menu";
    case "model":
      return "model.provider";
    case "skills":
      return state.draft.clone_from ? "skills.optional" : "skills.builtin";
    case "tools":
      return "tools.pick";
    case "mcp":
      return "mcp.list";
    case "persona":
      return "persona.pick";
    case "commonground":
      return "commonground.worker";
    default:
      return undefined;
  }
}

export function markProvided(state: WizardState, env: string, at: number): WizardState["secrets"] {
  return {
    givenAt: { ...state.secrets.givenAt, [env]: at },
    provided: [...new Set([...state.secrets.provided, env])],
    skipped: state.secrets.skipped.filter((name) => name !== env),
  };
}

export function markSkipped(state: WizardState, env: string): WizardState["secrets"] {
  return {
    ...state.secrets,
    provided: state.secrets.provided.filter((name) => name !== env),
    skipped: [...new Set([...state.secrets.skipped, env])],
  };
}
