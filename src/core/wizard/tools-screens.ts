// Step 4: Hermes toolsets, one set for every platform. Prefilled with the safe preset (what a chat
// agent needs, nothing of the machine); toolsets that give the agent the machine Hermes runs on are
// marked with why, since anyone who can talk to the agent can make it use them.
import { cannotCallTools } from "./model-screens.ts";
import { MACHINE_TOOLSETS, machineToolsets, SAFE_TOOLSETS } from "../toolsets.ts";
import type { WizardContext } from "./events.ts";
import { afterTools } from "./flow.ts";
import { indexArg, move, STEP_TITLES, toggled, UNKNOWN, type Outcome, type ScreenDef } from "./kit.ts";
import type { Draft, Screen, WizardState } from "./state.ts";

const TITLE = STEP_TITLES["tools"] ?? "Tools";

/** The safe preset, as far as the Hermes in use has those toolsets. */
export function safePreset(ctx: WizardContext): string[] {
  const known = new Set(ctx.catalog.toolsets.toolsets.map((toolset) => toolset.id));
  return SAFE_TOOLSETS.filter((id) => known.has(id));
}

/**
 * The toolsets the draft has: its own list, else on Create the safe preset. In an edit an absent
 * list means "as the profile has them" (undefined).
 */
export function draftToolsets(draft: Draft, ctx: WizardContext, editing: boolean): string[] | undefined {
  if (draft.toolsets !== undefined) return [...draft.toolsets];
  return editing ? undefined : safePreset(ctx);
}

/** The chosen persona's suggested toolsets: those this Hermes has, and those it has not. */
export function personaToolsets(
  state: WizardState,
  ctx: WizardContext,
): { known: string[]; unknown: string[] } | undefined {
  const persona = ctx.catalog.personas.find((entry) => entry.id === state.draft.persona?.id);
  if (!persona || persona.suggestedToolsets.length === 0) return undefined;
  const ids = new Set(ctx.catalog.toolsets.toolsets.map((toolset) => toolset.id));
  return {
    known: persona.suggestedToolsets.filter((id) => ids.has(id)),
    unknown: persona.suggestedToolsets.filter((id) => !ids.has(id)),
  };
}

/** "web, skills (⚠ terminal gives the agent the machine)": the line Review and the persona step show. */
export function toolsetsLine(toolsets: readonly string[]): string {
  if (toolsets.length === 0) return "none";
  const machine = machineToolsets(toolsets);
  return `${toolsets.join(", ")}${
    machine.length === 0
      ? ""
      : ` (⚠ ${machine.join(", ")} ${machine.length === 1 ? "gives" : "give"} the agent the machine)`
  }`;
}

/** The description a toolset is listed with: Hermes' own, then the machine mark when it has one. */
function described(description: string, id: string): string {
  const why = MACHINE_TOOLSETS[id];
  return why === undefined ? description : `⚠ gives the agent the machine: ${why}. ${description}`.trim();
}

const pick: ScreenDef = {
  view: (state, ctx, ui) => {
    const chosen = draftToolsets(state.draft, ctx, state.edit !== undefined);
    const persona = personaToolsets(state, ctx);
    return {
      title: TITLE,
      body: [
        "The tools the agent may use, on every platform. Those marked ⚠ give it the machine Hermes runs on: anyone who can talk to the agent can make it use them.",
        chosen === undefined
          ? "The profile's toolsets differ by platform; they stay as they are unless you pick a set here, which then applies to every platform."
          : `Chosen: ${toolsetsLine(chosen)}`,
        ...(cannotCallTools(state) && (chosen ?? []).length > 0
          ? [
              `⚠ ${state.draft.model ?? "The model"} cannot call tools (its server said so): the agent could not use these. Press Clear for none.`,
            ]
          : []),
        ...(state.draft.clone_from && !state.edit
          ? [`This set replaces the toolsets of the clone source '${state.draft.clone_from}'.`]
          : []),
        // Every machine toolset with why, here too: Telegram shows list items by label only.
        ...ctx.catalog.toolsets.toolsets
          .filter((toolset) => MACHINE_TOOLSETS[toolset.id] !== undefined)
          .map(
            (toolset) =>
              `⚠ ${toolset.id}${(chosen ?? []).includes(toolset.id) ? " (chosen)" : ""}: ${MACHINE_TOOLSETS[toolset.id] ?? ""}`,
          ),
        ...(persona && persona.unknown.length > 0
          ? [`The persona also suggests ${persona.unknown.join(", ")}: not toolsets of this Hermes.`]
          : []),
      ],
      choices: ui.list(
        "multi",
        ctx.catalog.toolsets.toolsets.map((toolset) => ({
          label: `${MACHINE_TOOLSETS[toolset.id] !== undefined ? "⚠ " : ""}${toolset.label}`,
          description: described(toolset.description, toolset.id),
          selected: (chosen ?? []).includes(toolset.id),
        })),
      ),
      buttons: [
        [
          ui.button("Safe preset", "safe"),
          ...(cannotCallTools(state) ? [ui.button("Clear", "none")] : []),
          ...(persona && persona.known.length > 0 ? [ui.button("Persona's toolsets", "persona")] : []),
        ],
        [ui.button(state.returnToReview ? "Done ▶" : "MCP servers ▶", "next", undefined, "primary")],
        [ui.button("◀ Back", "back"), ui.button("✖ Cancel", "cancel")],
      ],
    };
  },
  back: (state) => (state.returnToReview ? "review" : "skills.hub"),
  press: (state, action, arg, ctx): Outcome => {
    switch (action) {
      case "next":
        return move(state, afterTools(state));
      case "safe":
        return move(state, "tools.pick", { draft: { toolsets: safePreset(ctx) } });
      case "none":
        return cannotCallTools(state) ? move(state, "tools.pick", { draft: { toolsets: [] } }) : UNKNOWN;
      case "persona": {
        const persona = personaToolsets(state, ctx);
        if (!persona || persona.known.length === 0) return UNKNOWN;
        return move(state, "tools.pick", { draft: { toolsets: persona.known } });
      }
      case "toggle": {
        const ids = ctx.catalog.toolsets.toolsets.map((toolset) => toolset.id);
        const index = indexArg(arg, ids.length);
        const id = index === undefined ? undefined : ids[index];
        if (id === undefined) return UNKNOWN;
        // In an edit whose platforms differ, the first press starts a set for every platform from nothing.
        const chosen = draftToolsets(state.draft, ctx, state.edit !== undefined) ?? [];
        return move(state, "tools.pick", { draft: { toolsets: toggled(chosen, id) } });
      }
      default:
        return UNKNOWN;
    }
  },
};

export const toolsScreens = {
  "tools.pick": pick,
} satisfies Partial<Record<Screen, ScreenDef>>;
