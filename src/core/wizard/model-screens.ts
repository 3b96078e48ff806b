// Step 2: provider, server address for local providers, model, and the API key (asked privately).
import { findProvider, type ProviderInfo } from "../catalog.ts";
import { MODEL_ID_MAX_CHARS, SECRET_MAX_CHARS, URL_MAX_CHARS } from "../limits.ts";
import { isLoopbackUrl } from "../loopback-url.ts";
import { describe } from "../messages.ts";
import { fitWarnings } from "../model-fit.ts";
import { hasDisallowedChars } from "../text-rules.ts";
import { urlSecret } from "../url-secrets.ts";
import type { WizardContext } from "./events.ts";
import { field, indexArg, move, refuse, STEP_TITLES, UNKNOWN, type Outcome, type ScreenDef } from "./kit.ts";
import { afterModel, keyUnanswered, markSkipped } from "./flow.ts";
import type { Screen, WizardState } from "./state.ts";
import { commonGroundFitWarnings } from "./commonground-screens.ts";

const TITLE = STEP_TITLES["model"] ?? "Model";
const HTTP_URL = /^https?:\/\/[^\s/?#]+[^\s]*$/;

function provider(state: WizardState, ctx: WizardContext): ProviderInfo | undefined {
  return state.draft.provider === undefined ? undefined : findProvider(ctx.catalog, state.draft.provider);
}

/** The models to offer: what the server reported, or the provider's offline list. */
export function offeredModels(state: WizardState, ctx: WizardContext): readonly string[] {
  if (state.listedModels && state.listedModels.models.length > 0) return state.listedModels.models;
  return provider(state, ctx)?.models ?? [];
}

function chooseModel(state: WizardState, model: string, ctx: WizardContext): Outcome {
  const id = model.trim();
  if (id === "") return refuse("model_empty");
  if (id.length > MODEL_ID_MAX_CHARS) return refuse("model_too_long", { max: MODEL_ID_MAX_CHARS });
  if (/\s/.test(id) || hasDisallowedChars(id)) return refuse("model_invalid");
  const { context_length: _length, ...draft } = state.draft;
  const next: WizardState = { ...state, draft: { ...draft, model: id }, modelFacts: null };
  const chosen = provider(state, ctx);
  // A local server is asked about the model before going on (model-fit.ts): its window, its tools.
  if (chosen?.models_endpoint && state.draft.base_url)
    return move(next, "model.checking", {}, undefined, [
      { type: "askModelFacts", provider: chosen.slug, baseUrl: state.draft.base_url, model: id },
    ]);
  return afterModelChosen(next, ctx);
}

/**
 * On from a chosen model: its key when one is needed, else the next step. A CommonGround project is
 * never asked for a key: nothing uploads one, its worker reads the key from its own environment.
 */
export function afterModelChosen(state: WizardState, ctx: WizardContext): Outcome {
  const env = ctx.commonground ? undefined : provider(state, ctx)?.api_key_env;
  return move(state, env && keyUnanswered(state, env) ? "model.api_key" : afterModel(state, ctx));
}

/**
 * With a Hermes host, a loopback server address is the host's own machine when the agent runs, but
 * the bot's machine when the bot lists models: said wherever the address is shown.
 */
export function loopbackLines(url: string | undefined, ctx: WizardContext): string[] {
  if (!ctx.remote || url === undefined || !isLoopbackUrl(url)) return [];
  return [
    `⚠ ${url} is a loopback address: on the Hermes host ${ctx.remote.host} it means the host's own machine, not this bot's. The agent there will ask a server on ${ctx.remote.host}; use an address the host can reach if the server runs elsewhere.`,
  ];
}

/** The lines Review and the fit screen show about a local model: its window, tools, and warnings. */
export function modelFitLines(state: WizardState): string[] {
  const facts = state.modelFacts;
  if (!facts || facts.model !== state.draft.model) return [];
  if (facts.failure !== undefined)
    return [
      `Model facts: the server could not say (${facts.failure}); Hermes will detect the context window itself.`,
    ];
  return [
    field(
      "Context window",
      facts.contextLength === undefined
        ? "not reported"
        : state.draft.context_length === facts.contextLength
          ? `${facts.contextLength.toLocaleString("en-US")} tokens (written as model.context_length)`
          : `${facts.contextLength.toLocaleString("en-US")} tokens on this bot's machine (not written: Hermes on the host will ask its own server)`,
    ),
    field("Tool calling", facts.tools === undefined ? "not reported" : facts.tools ? "yes" : "no"),
    ...fitWarnings(state.draft.model ?? "", facts),
  ];
}

const providerScreen: ScreenDef = {
  view: (state, ctx, ui) => ({
    title: TITLE,
    body: ["Which provider serves this agent's model?"],
    choices: ui.list(
      "single",
      ctx.catalog.providers.map((entry) => ({
        label: entry.label,
        description: providerNote(entry),
        selected: state.draft.provider === entry.slug,
      })),
    ),
    buttons: [[ui.button("◀ Back", "back"), ui.button("✖ Cancel", "cancel")]],
  }),
  back: () => "identity.menu",
  press: (state, action, arg, ctx) => {
    if (action !== "pick") return UNKNOWN;
    const index = indexArg(arg, ctx.catalog.providers.length);
    const chosen = index === undefined ? undefined : ctx.catalog.providers[index];
    if (!chosen) return UNKNOWN;
    // A context window belongs to the model it was asked about: another provider drops it.
    const { model: _model, base_url: _url, context_length: _window, ...draft } = state.draft;
    const reset: WizardState = { ...state, draft: { ...draft, provider: chosen.slug }, listedModels: null };
    // No list to pick from (a provider only Hermes knows, without models): straight to the id.
    return move(
      reset,
      chosen.base_url ? "model.base_url" : chosen.models.length === 0 ? "model.model_text" : "model.model",
    );
  },
};

/** How the provider list describes a provider: a server, a key, or a sign-in; and no model list. */
function providerNote(entry: ProviderInfo): string {
  if (entry.base_url) return "local or self-hosted server";
  const access =
    entry.login === "oauth" ? "sign in with Hermes (OAuth)" : `key: ${entry.api_key_env ?? "none"}`;
  return entry.models.length === 0 ? `${access}; type the model id` : access;
}

function useBaseUrl(state: WizardState, url: string): Outcome {
  const base = url.trim().replace(/\/+$/, "");
  if (base.length > URL_MAX_CHARS || !HTTP_URL.test(base) || hasDisallowedChars(base)) {
    return refuse("base_url_invalid", { url: base.slice(0, 80) });
  }
  const secret = urlSecret(base);
  if (secret) return refuse("url_secret", { what: secret });
  return move(state, "model.loading", { draft: { base_url: base }, listedModels: null }, undefined, [
    { type: "listModels", provider: state.draft.provider ?? "", baseUrl: base },
  ]);
}

const baseUrlScreen: ScreenDef = {
  view: (state, ctx, ui) => {
    const fallback = provider(state, ctx)?.base_url?.default ?? "";
    return {
      title: TITLE,
      body: [
        `Where does the ${provider(state, ctx)?.label ?? ""} server listen?`,
        `Default: ${fallback}`,
        ...(ctx.remote
          ? [
              `Profiles are made on the Hermes host ${ctx.remote.host}: the agent runs there, so the address is what that machine reaches (127.0.0.1 is the host itself).`,
            ]
          : []),
      ],
      input: { kind: "text", prompt: "Base URL", maxLength: URL_MAX_CHARS, placeholder: fallback },
      buttons: [
        [ui.button("Use default", "default")],
        [ui.button("◀ Back", "back"), ui.button("✖ Cancel", "cancel")],
      ],
    };
  },
  back: () => "model.provider",
  press: (state, action, _arg, ctx) => {
    const fallback = provider(state, ctx)?.base_url?.default;
    if (action !== "default" || fallback === undefined) return UNKNOWN;
    return useBaseUrl(state, fallback);
  },
  text: (state, text) => useBaseUrl(state, text),
};

const loadingScreen: ScreenDef = {
  view: (state, _ctx, ui) => ({
    title: TITLE,
    body: [`Asking ${state.draft.base_url ?? "the server"} for its models…`],
    buttons: [[ui.button("◀ Back", "back"), ui.button("✖ Cancel", "cancel")]],
  }),
  back: () => "model.base_url",
};

const modelScreen: ScreenDef = {
  view: (state, ctx, ui) => {
    const note = state.listedModels?.note;
    return {
      title: TITLE,
      body: [
        field("Provider", provider(state, ctx)?.label),
        ...(state.draft.base_url ? [field("Server", state.draft.base_url)] : []),
        ...loopbackLines(state.draft.base_url, ctx),
        ...(note ? [note] : []),
        "Pick a model, or type any model id the provider serves.",
      ],
      choices: ui.list(
        "single",
        offeredModels(state, ctx).map((model) => ({ label: model, selected: state.draft.model === model })),
      ),
      buttons: [
        [ui.button("Type a model id", "field", "model")],
        [ui.button("◀ Back", "back"), ui.button("✖ Cancel", "cancel")],
      ],
    };
  },
  back: (state, ctx) => (provider(state, ctx)?.base_url ? "model.base_url" : "model.provider"),
  press: (state, action, arg, ctx) => {
    if (action === "field" && arg === "model") return move(state, "model.model_text");
    if (action !== "pick") return UNKNOWN;
    const models = offeredModels(state, ctx);
    const index = indexArg(arg, models.length);
    const model = index === undefined ? undefined : models[index];
    return model === undefined ? UNKNOWN : chooseModel(state, model, ctx);
  },
};

const modelTextScreen: ScreenDef = {
  view: (state, ctx, ui) => ({
    title: TITLE,
    body: [
      ...(offeredModels(state, ctx).length === 0 && !state.draft.base_url
        ? [`Hermes has no model list for ${provider(state, ctx)?.label ?? "this provider"}.`]
        : []),
      "Send the model id, e.g. anthropic/claude-sonnet-4.",
    ],
    input: { kind: "text", prompt: "Model id", maxLength: MODEL_ID_MAX_CHARS },
    buttons: [[ui.button("◀ Back", "back"), ui.button("✖ Cancel", "cancel")]],
  }),
  back: (state, ctx) =>
    offeredModels(state, ctx).length === 0 && !state.draft.base_url ? "model.provider" : "model.model",
  text: (state, text, ctx) => chooseModel(state, text, ctx),
};

const checkingScreen: ScreenDef = {
  view: (state, _ctx, ui) => ({
    title: TITLE,
    body: [`Asking ${state.draft.base_url ?? "the server"} about ${state.draft.model ?? "the model"}…`],
    buttons: [[ui.button("◀ Back", "back"), ui.button("✖ Cancel", "cancel")]],
  }),
  back: () => "model.model",
};

const fitScreen: ScreenDef = {
  view: (state, ctx, ui) => ({
    title: TITLE,
    body: [
      field("Model", state.draft.model),
      // Hermes' window rules and its config do not apply to a CommonGround worker: only its warning.
      ...(ctx.commonground ? commonGroundFitWarnings(state) : modelFitLines(state)),
      ...loopbackLines(state.draft.base_url, ctx),
      "Go on with this model anyway, or pick another?",
    ],
    buttons: [
      [ui.button("Go on with this model", "next"), ui.button("Pick another model", "back")],
      // The reduced toolset for a model that cannot call tools: none (Hermes then sends it no tool
      // schema, so its context holds only the conversation). The Tools step can still change it.
      // Not in a CommonGround project: it takes no Hermes toolsets, so there is nothing to reduce.
      ...(cannotCallTools(state) && !ctx.commonground ? [[ui.button("Go on without tools", "notools")]] : []),
      [ui.button("✖ Cancel", "cancel")],
    ],
  }),
  back: () => "model.model",
  press: (state, action, _arg, ctx) => {
    if (action === "next") return afterModelChosen(state, ctx);
    if (action === "notools" && cannotCallTools(state) && !ctx.commonground)
      return afterModelChosen({ ...state, draft: { ...state.draft, toolsets: [] } }, ctx);
    return UNKNOWN;
  },
};

/** The picked model's server said it cannot call tools. */
export function cannotCallTools(state: WizardState): boolean {
  const facts = state.modelFacts;
  return (
    facts !== null &&
    facts !== undefined &&
    facts.model === state.draft.model &&
    facts.failure === undefined &&
    facts.tools === false
  );
}

const apiKeyScreen: ScreenDef = {
  view: (state, ctx, ui) => {
    const env = provider(state, ctx)?.api_key_env ?? "";
    const have = state.secrets.provided.includes(env);
    return {
      title: TITLE,
      body: [
        `Send your ${provider(state, ctx)?.label ?? ""} API key. It is written only to the profile's .env as ${env},`,
        "never shown, logged or stored by the bot.",
        ...(have ? ["A key was already given; send a new one to replace it, or press Keep."] : []),
      ],
      input: { kind: "secret", prompt: env, maxLength: SECRET_MAX_CHARS },
      buttons: [
        [have ? ui.button("Keep", "next") : ui.button("Skip (leave empty)", "skip")],
        [ui.button("◀ Back", "back"), ui.button("✖ Cancel", "cancel")],
      ],
    };
  },
  back: (state, ctx) => modelPickScreen(state, ctx),
  press: (state, action, _arg, ctx) => {
    const env = provider(state, ctx)?.api_key_env;
    if (!env) return UNKNOWN;
    if (action === "next" && state.secrets.provided.includes(env)) return move(state, afterModel(state, ctx));
    if (action !== "skip") return UNKNOWN;
    return move(state, afterModel(state, ctx), { secrets: markSkipped(state, env) });
  },
  text: () => ({ kind: "refuse", problem: { code: "input_unexpected" } }),
};

/** Where the model was picked: the list, or the id typed for a provider without a model list. */
export function modelPickScreen(state: WizardState, ctx: WizardContext): Screen {
  return offeredModels(state, ctx).length === 0 && !state.draft.base_url ? "model.model_text" : "model.model";
}

export const modelScreens = {
  "model.provider": providerScreen,
  "model.base_url": baseUrlScreen,
  "model.loading": loadingScreen,
  "model.model": modelScreen,
  "model.model_text": modelTextScreen,
  "model.checking": checkingScreen,
  "model.fit": fitScreen,
  "model.api_key": apiKeyScreen,
} satisfies Partial<Record<Screen, ScreenDef>>;

/** The message shown above the model list when a server could not be asked. */
export function unreachableNote(url: string, reason: string): string {
  return describe({ code: "models_unreachable", params: { url, reason } });
}
