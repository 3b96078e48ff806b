// Step 6 (persona, from the library; its full commands arrive with the persona issue) and
// step 7 (review, edit any step, create).
import { loopbackLines, modelFitLines, modelPickScreen } from "./model-screens.ts";
import { loginLines } from "../provider-login.ts";
import { requiredSecrets } from "../secrets.ts";
import { draftToBlueprint, builtinSelection } from "./draft-blueprint.ts";
import type { WizardContext } from "./events.ts";
import { hubScanLine, refusedByScan } from "../install/hub-scan.ts";
import { field, indexArg, move, STEP_TITLES, UNKNOWN, type Outcome, type ScreenDef } from "./kit.ts";
import { soulSummary } from "./soul-screen.ts";
import { afterPersona, firstScreenOf, keyUnanswered, missingMcpSecret } from "./flow.ts";
import { findProvider, hermesProviderId, type PersonaSummary } from "../catalog.ts";
import { specFromManifest } from "../mcp-spec.ts";
import { splitDefaultModel } from "../persona/persona.ts";
import type { Screen, WizardState } from "./state.ts";
import { draftToolsets, personaToolsets, toolsetsLine } from "./tools-screens.ts";
import { commonGroundReviewLines } from "./commonground-screens.ts";

/** The persona library as the agent's own tools (the personas plugin): a Create on this bot's machine only. */
function offersPlugin(state: WizardState, ctx: WizardContext): boolean {
  // A CommonGround profile has no Hermes plugins: the persona's text goes into its prompt instead.
  return !state.edit && !ctx.remote && !ctx.commonground && ctx.catalog.personas.length > 0;
}

function withPlugin(state: WizardState): boolean {
  return state.draft.plugins?.includes("personas") ?? false;
}

function pluginLines(state: WizardState, ctx: WizardContext): string[] {
  if (offersPlugin(state, ctx))
    return [
      withPlugin(state)
        ? "The agent gets the persona library as tools (persona_list, persona_get, persona_apply); the persona picked here becomes its default, read from the library at every request."
        : "Library for the agent: off. Switch it on to give the agent the persona library as its own tools.",
    ];
  if (!state.edit && ctx.remote && ctx.catalog.personas.length > 0)
    return [
      `The persona library as the agent's tools (a Hermes plugin) cannot be installed on ${ctx.remote.host}: its dashboard has no way to place a plugin into a profile.`,
    ];
  return [];
}

const persona: ScreenDef = {
  view: (state, ctx, ui) => ({
    title: STEP_TITLES["persona"] ?? "Persona",
    body: [
      ctx.catalog.personas.length === 0
        ? "The persona library is empty in this version, so there is nothing to pick. Press No persona."
        : "Lay a specialist persona over this profile's identity (SOUL.md stays as it is).",
      ...pluginLines(state, ctx),
      ...(ctx.commonground
        ? [
            "In CommonGround the persona's text follows the identity text in the profile's system_prompt_template.",
          ]
        : []),
    ],
    choices: ui.list(
      "single",
      ctx.catalog.personas.map((entry) => ({
        label: `${entry.name} (${entry.category})`,
        description: entry.description,
        selected: state.draft.persona?.id === entry.id,
      })),
    ),
    buttons: [
      [
        ui.button("No persona", "skip", undefined, "primary"),
        ...(offersPlugin(state, ctx)
          ? [
              ui.button(
                withPlugin(state) ? "🎭 Library for the agent: on" : "🎭 Library for the agent: off",
                "plugin",
              ),
            ]
          : []),
      ],
      [ui.button("◀ Back", "back"), ui.button("✖ Cancel", "cancel")],
    ],
  }),
  back: (state, ctx) =>
    state.returnToReview ? "review" : ctx.commonground ? modelPickScreen(state, ctx) : "mcp.list",
  press: (state, action, arg, ctx) => {
    if (action === "plugin") {
      if (!offersPlugin(state, ctx)) return UNKNOWN;
      const others = (state.draft.plugins ?? []).filter((name) => name !== "personas");
      return move(state, "persona.pick", {
        draft: { plugins: withPlugin(state) ? others : [...others, "personas"] },
      });
    }
    if (action === "skip") {
      const { persona: _removed, ...draft } = state.draft;
      return { kind: "move", state: { ...state, step: afterPersona(state, ctx), draft } };
    }
    if (action !== "pick") return UNKNOWN;
    const index = indexArg(arg, ctx.catalog.personas.length);
    const chosen = index === undefined ? undefined : ctx.catalog.personas[index];
    if (!chosen) return UNKNOWN;
    return move(state, "persona.suggest", { draft: { persona: { id: chosen.id, mode: "overlay" } } });
  },
};

/** What the chosen persona suggests, matched against the catalogs; unmatched suggestions are shown, not dropped. */
function suggestions(state: WizardState, ctx: WizardContext) {
  const persona = ctx.catalog.personas.find((entry) => entry.id === state.draft.persona?.id);
  if (!persona) return undefined;
  const model = splitDefaultModel(persona.defaultModel);
  const provider = findProvider(ctx.catalog, model.provider);
  const known = persona.suggestedMcps.filter((name) => ctx.catalog.mcps.some((entry) => entry.name === name));
  const unknown = persona.suggestedMcps.filter((name) => !known.includes(name));
  return { persona, model, provider, known, unknown };
}

const suggest: ScreenDef = {
  view: (state, ctx, ui) => {
    const found = suggestions(state, ctx);
    const chosenModel =
      state.draft.provider && state.draft.model ? `${state.draft.provider}/${state.draft.model}` : "none";
    return {
      title: STEP_TITLES["persona"] ?? "Persona",
      body: found
        ? [
            `${found.persona.name} suggests:`,
            `  model ${found.persona.defaultModel}${found.provider ? "" : " (provider not in this bot's list)"} — you chose ${chosenModel}`,
            ...(ctx.commonground
              ? commonGroundSuggestionLines(found.persona)
              : [
                  ...found.known.map(
                    (name) =>
                      `  MCP server ${name}${state.draft.mcp.some((server) => server.name === name) ? " (already chosen)" : ""}`,
                  ),
                  ...found.unknown.map(
                    (name) =>
                      `  MCP server ${name} — not in the catalog; add it as a custom server if you have one`,
                  ),
                  ...toolsetLines(state, ctx),
                ]),
          ]
        : ["This persona makes no suggestions."],
      buttons: [
        [
          ui.button("Use its suggestions", "default", undefined, "primary"),
          ui.button("Keep my choices", "next"),
        ],
        ...(offersToolsets(state, ctx) ? [[ui.button("Use the persona's toolsets", "toolsets")]] : []),
        [ui.button("◀ Back", "back"), ui.button("✖ Cancel", "cancel")],
      ],
    };
  },
  back: () => "persona.pick",
  press: (state, action, _arg, ctx): Outcome => {
    if (action === "next") return move(state, afterPersona(state, ctx));
    if (action === "toolsets") {
      const suggested = personaToolsets(state, ctx);
      if (!suggested || !offersToolsets(state, ctx)) return UNKNOWN;
      return move(state, "persona.suggest", { draft: { toolsets: suggested.known } });
    }
    if (action !== "default") return UNKNOWN;
    const found = suggestions(state, ctx);
    if (!found) return move(state, afterPersona(state, ctx));
    if (ctx.commonground) return useModelSuggestion(state, found, ctx);
    const added = found.known
      .filter((name) => !state.draft.mcp.some((server) => server.name === name))
      .flatMap((name) => {
        const manifest = ctx.catalog.mcps.find((entry) => entry.name === name);
        return manifest ? [specFromManifest(manifest)] : [];
      });
    // A provider that needs a server address keeps the user's own choice: we cannot guess the server.
    const modelPatch =
      found.provider && !found.provider.base_url
        ? { provider: found.model.provider, model: found.model.model }
        : {};
    // Another model drops the window asked for the old one (and the facts about it).
    const { context_length: _window, ...kept } = state.draft;
    const switched =
      "model" in modelPatch &&
      (modelPatch.model !== state.draft.model || modelPatch.provider !== state.draft.provider);
    const next: WizardState = {
      ...state,
      returnToReview: true,
      ...(switched ? { modelFacts: null } : {}),
      draft: { ...(switched ? kept : state.draft), ...modelPatch, mcp: [...state.draft.mcp, ...added] },
    };
    const keyEnv = found.provider?.api_key_env;
    const needsKey = Boolean(keyEnv && "provider" in modelPatch && keyUnanswered(next, keyEnv));
    const screen = needsKey ? "model.api_key" : missingMcpSecret(next, ctx.catalog) ? "mcp.secret" : "review";
    return move(next, screen);
  },
};

/**
 * The persona's toolsets beside the chosen ones. "Use its suggestions" leaves the toolsets alone:
 * they were chosen on their own step, so only their own button changes them.
 */
function toolsetLines(state: WizardState, ctx: WizardContext): string[] {
  const suggested = personaToolsets(state, ctx);
  if (!suggested) return [];
  const chosen = draftToolsets(state.draft, ctx, state.edit !== undefined);
  return [
    `  toolsets ${toolsetsLine(suggested.known)}${suggested.unknown.length > 0 ? ` (not toolsets of this Hermes: ${suggested.unknown.join(", ")})` : ""}`,
    `    — you chose ${chosen === undefined ? "the profile's own, by platform" : toolsetsLine(chosen)}; only "Use the persona's toolsets" changes them`,
  ];
}

/** Whether the persona's toolsets differ from the chosen ones, so a button to take them means something. */
function offersToolsets(state: WizardState, ctx: WizardContext): boolean {
  if (ctx.commonground) return false;
  const suggested = personaToolsets(state, ctx);
  if (!suggested || suggested.known.length === 0) return false;
  const chosen = draftToolsets(state.draft, ctx, state.edit !== undefined);
  return chosen === undefined || [...chosen].sort().join(",") !== [...suggested.known].sort().join(",");
}

/** In a CommonGround project a persona's MCP servers and toolsets have nowhere to go: said, not offered. */
function commonGroundSuggestionLines(persona: PersonaSummary): string[] {
  const left = [
    ...(persona.suggestedMcps.length > 0 ? [`MCP servers (${persona.suggestedMcps.join(", ")})`] : []),
    ...(persona.suggestedToolsets.length > 0 ? [`toolsets (${persona.suggestedToolsets.join(", ")})`] : []),
  ];
  return left.length > 0 ? [`  ${left.join(" and ")} — not sent to CommonGround`] : [];
}

/**
 * "Use its suggestions" in a CommonGround project: the model only (no MCP servers, no key asked),
 * then on as "Keep my choices" would go.
 */
function useModelSuggestion(
  state: WizardState,
  found: NonNullable<ReturnType<typeof suggestions>>,
  ctx: WizardContext,
): Outcome {
  // A provider that needs a server address keeps the user's own choice: we cannot guess the server.
  if (!found.provider || found.provider.base_url) return move(state, afterPersona(state, ctx));
  const { provider, model } = found.model;
  if (provider === state.draft.provider && model === state.draft.model)
    return move(state, afterPersona(state, ctx));
  // Another model drops the window asked for the old one (and the facts about it).
  const { context_length: _window, base_url: _url, ...kept } = state.draft;
  return move({ ...state, modelFacts: null, draft: { ...kept, provider, model } }, afterPersona(state, ctx));
}

function reviewLines(state: WizardState, ctx: WizardContext): string[] {
  if (ctx.commonground) return commonGroundReviewLines(state, ctx, ctx.commonground);
  const { draft } = state;
  const builtin = builtinSelection(draft, ctx);
  const servers = draft.mcp.map((server) => `${server.name} (${server.url ? "http" : "stdio"})`);
  const secretLines = requiredSecretsOf(state, ctx).map(
    (env) =>
      `  ${env}: ${state.secrets.provided.includes(env) ? "given" : "not set (commented out in .env)"}`,
  );
  return [
    field("Name", draft.name),
    field("Display name", draft.display_name),
    field("Description", draft.description),
    ...(draft.soul !== undefined ? [field("Identity text (SOUL.md)", soulSummary(state))] : []),
    field("Clone config from", draft.clone_from),
    field("Model", draft.provider && draft.model ? modelLine(draft.provider, draft.model, ctx) : undefined),
    ...(draft.base_url ? [field("Server", draft.base_url)] : []),
    ...modelFitLines(state),
    ...loopbackLines(draft.base_url, ctx),
    ...loginLines(
      draft.name ?? "?",
      draft.provider ? findProvider(ctx.catalog, draft.provider) : undefined,
      ctx.remote?.host,
    ),
    field(
      "Built-in skills",
      draft.clone_from
        ? "from the clone source"
        : builtin === "default"
          ? `default bundle (${ctx.catalog.builtinSkills.length})`
          : builtin === "none"
            ? "none"
            : `${builtin.length} kept, ${draft.builtinOff.length} disabled`,
    ),
    field("Optional skills", draft.optional.join(", ")),
    ...hubLines(draft.hub, ctx),
    `Tools: ${toolsetsLine(draftToolsets(draft, ctx, false) ?? [])}`,
    field("MCP servers", servers.join(", ")),
    field(
      "Persona",
      draft.persona
        ? draft.persona.mode === "delegate"
          ? `${draft.persona.id} (delegate: nothing written)`
          : withPlugin(state)
            ? `${draft.persona.id}, the plugin's default persona (by reference)`
            : `${draft.persona.id}, the active personality (agent.system_prompt)`
        : undefined,
    ),
    ...(withPlugin(state)
      ? ["Persona library for the agent: plugins/personas (tools persona_list, persona_get, persona_apply)"]
      : []),
    ...(secretLines.length > 0 ? ["Secrets (.env, mode 0600):", ...secretLines] : []),
    ...(ctx.remote
      ? remoteLines(state, ctx.remote)
      : [
          `Files: profiles/${draft.name ?? "?"}/ with config.yaml, .env, SOUL.md, ${
            draft.display_name || draft.description ? "profile.yaml, " : ""
          }skills/ and the Hermes folders.`,
        ]),
  ];
}

/**
 * The hub skills, installed after Create: with the scan before Create, one line each with its
 * verdict and trust (the ones the install would refuse say so); without it, the list.
 */
function hubLines(hub: readonly string[], ctx: WizardContext): string[] {
  if (!ctx.hubScans || hub.length === 0)
    return [field("Hub skills (installed after Create)", hub.join(", "))];
  const scans = ctx.hubScans;
  const refused = hub.filter((id) => refusedByScan(scans.get(id))).length;
  return [
    "Hub skills (installed after Create; scanned now):",
    ...hub.map((id) => hubScanLine(id, scans.get(id))),
    ...(refused > 0
      ? [
          `  ${refused} of them will not be installed. Create anyway (the install reports them blocked), or drop them first.`,
        ]
      : []),
  ];
}

/** Where Create goes on a Hermes host, and what of this draft cannot be set there (before Create). */
function remoteLines(state: WizardState, remote: NonNullable<WizardContext["remote"]>): string[] {
  const unset = remote.cannotSet.filter((part) => part === "display_name" && state.draft.display_name);
  return [
    `Created by Hermes on ${remote.host} through its dashboard.`,
    ...(unset.length > 0
      ? [
          `Cannot be set remotely (Hermes 0.19's dashboard has no endpoint for it): display name '${state.draft.display_name ?? ""}'. Set it on that host later, or go back and clear it.`,
        ]
      : []),
  ];
}

/** The model as chosen, and the provider id Hermes will read when it is not the one shown. */
function modelLine(slug: string, model: string, ctx: WizardContext): string {
  const provider = findProvider(ctx.catalog, slug);
  const hermesId = provider ? hermesProviderId(provider) : slug;
  return `${slug} / ${model}${hermesId !== slug ? ` (written as Hermes provider '${hermesId}')` : ""}`;
}

function requiredSecretsOf(state: WizardState, ctx: WizardContext): string[] {
  const checked = draftToBlueprint(state.draft, ctx);
  return checked.ok ? requiredSecrets(checked.blueprint, ctx.catalog).map((entry) => entry.env) : [];
}

const EDITABLE_STEPS = ["identity", "model", "skills", "tools", "mcp", "persona"] as const;
/** A CommonGround project takes no skills, tools or MCP servers, and has its own step instead. */
const COMMONGROUND_EDITABLE_STEPS = ["identity", "model", "persona", "commonground"] as const;

const review: ScreenDef = {
  view: (state, ctx, ui) => ({
    title: STEP_TITLES["review"] ?? "Review",
    body: reviewLines(state, ctx),
    buttons: ctx.commonground
      ? [
          [ui.button("✓ Create", "create", undefined, "primary")],
          [ui.button("Edit identity", "edit", "identity"), ui.button("Edit model", "edit", "model")],
          [
            ui.button("Edit persona", "edit", "persona"),
            ui.button("Edit CommonGround", "edit", "commonground"),
          ],
          [ui.button("◀ Back", "back"), ui.button("✖ Cancel", "cancel")],
        ]
      : [
          [ui.button("✓ Create", "create", undefined, "primary")],
          ...(state.draft.hub.some((id) => refusedByScan(ctx.hubScans?.get(id)))
            ? [[ui.button("Drop the skills the scan refuses", "drop")]]
            : []),
          [ui.button("Edit identity", "edit", "identity"), ui.button("Edit model", "edit", "model")],
          [ui.button("Edit skills", "edit", "skills"), ui.button("Edit tools", "edit", "tools")],
          [ui.button("Edit MCP", "edit", "mcp"), ui.button("Edit persona", "edit", "persona")],
          [ui.button("◀ Back", "back"), ui.button("✖ Cancel", "cancel")],
        ],
  }),
  back: (_state, ctx) => (ctx.commonground ? "commonground.must_end_with" : "persona.pick"),
  press: (state, action, arg, ctx): Outcome => {
    if (action === "edit") {
      const steps: readonly string[] = ctx.commonground ? COMMONGROUND_EDITABLE_STEPS : EDITABLE_STEPS;
      const step = steps.find((name) => name === arg);
      const screen = step ? firstScreenOf(step, state) : undefined;
      return screen ? move(state, screen, { returnToReview: true }) : UNKNOWN;
    }
    if (action === "drop" && !ctx.commonground) {
      const hub = state.draft.hub.filter((id) => !refusedByScan(ctx.hubScans?.get(id)));
      return move(state, "review", { draft: { hub } });
    }
    if (action !== "create") return UNKNOWN;
    const checked = draftToBlueprint(state.draft, ctx);
    if (!checked.ok) {
      return { kind: "stay", notice: { tone: "error", text: checked.problems.join("\n") } };
    }
    return move(state, "creating", {}, undefined, [{ type: "createProfile", blueprint: checked.blueprint }]);
  },
};

const creating: ScreenDef = {
  view: (state) => ({
    title: "Creating",
    body: [`Creating profile '${state.draft.name ?? ""}'…`],
    buttons: [],
  }),
};

const done: ScreenDef = {
  view: (state) => ({
    title: !state.edit
      ? "Profile created"
      : state.edit.result === "applied"
        ? "Profile updated"
        : "Profile not changed",
    body: state.report,
    buttons: [],
  }),
};

const cancelled: ScreenDef = {
  view: (state) => ({
    title: "Cancelled",
    body: [
      state.edit
        ? `Nothing was changed. Open the editor again with /profile edit ${state.edit.profile}.`
        : "Nothing was written. Start again with /profile new.",
    ],
    buttons: [],
  }),
};

export const personaReviewScreens = {
  "persona.pick": persona,
  "persona.suggest": suggest,
  review,
  creating,
  done,
  cancelled,
} satisfies Partial<Record<Screen, ScreenDef>>;
