// The wizard as a pure transition: step(state, event, ctx) → { state, effects }. No clock, no I/O:
// time and ids come in on events, and effects go out as data for the app layer to run.
import { MODEL_LIST_MAX, TEXT_INPUT_MAX_CHARS } from "../limits.ts";
import { HUB_SEARCH_HITS_MAX } from "../hub-search.ts";
import { parseButtonToken } from "../tokens/button-token.ts";
import { describe } from "../messages.ts";
import type { Problem } from "../messages.ts";
import type { Notice, View } from "../view.ts";
import type { Transition, WizardContext, WizardEffect, WizardEvent } from "./events.ts";
import { afterMcp, afterModel, afterSkills, expectedSecret, markProvided } from "./flow.ts";
import { identityScreens } from "./identity-screens.ts";
import { Ui, type Outcome, type ScreenDef } from "./kit.ts";
import { mcpScreens } from "./mcp-screens.ts";
import { afterModelChosen, modelScreens, unreachableNote } from "./model-screens.ts";
import { fitWarnings, isUsableContextLength } from "../model-fit.ts";
import { isLoopbackUrl } from "../loopback-url.ts";
import { findProvider } from "../catalog.ts";
import { loginLines } from "../provider-login.ts";
import { applyEditEffect, editScreens } from "./edit-screens.ts";
import { personaReviewScreens } from "./persona-review-screens.ts";
import { skillsScreens } from "./skills-screens.ts";
import { toolsScreens } from "./tools-screens.ts";
import { commonGroundFitWarnings, commongroundScreens } from "./commonground-screens.ts";
import { COMMONGROUND_STEPS } from "./kit.ts";
import {
  isFinished,
  newWizardState,
  stepOf,
  type Actor,
  type Draft,
  type EditSession,
  type ModelFactsState,
  type Screen,
  type Surface,
  type WizardState,
} from "./state.ts";
import { draftToBlueprint } from "./draft-blueprint.ts";

const SCREEN_DEFS: Readonly<Record<Screen, ScreenDef>> = {
  ...identityScreens,
  ...modelScreens,
  ...skillsScreens,
  ...toolsScreens,
  ...mcpScreens,
  ...personaReviewScreens,
  ...commongroundScreens,
  ...editScreens,
};

/** Screens an edit never shows (naming, cloning, Create): an edit goes to its own Review instead. */
const NOT_IN_EDIT: readonly Screen[] = ["identity.name", "identity.clone", "review", "creating"];

/** "Step 2/7 · Model" counts Create's steps; an edit visits them in any order, so it names the profile instead. */
const STEP_COUNT = /^Step \d+\/\d+ · /;

export function renderView(state: WizardState, ctx: WizardContext, notice?: Notice): View {
  const screen = SCREEN_DEFS[state.step].view(state, ctx, new Ui(state));
  const title =
    state.edit && STEP_COUNT.test(screen.title)
      ? screen.title.replace(STEP_COUNT, `Edit '${state.edit.profile}' · `)
      : ctx.commonground && STEP_COUNT.test(screen.title)
        ? screen.title.replace(STEP_COUNT, commonGroundCount(state))
        : screen.title;
  return {
    sessionId: state.id,
    rev: state.rev,
    ...screen,
    title,
    ...(notice ? { notice } : {}),
    final: isFinished(state),
  };
}

/** A CommonGround Create has fewer steps (commonground-screens.ts): "Step 3/5 · Persona". */
function commonGroundCount(state: WizardState): string {
  const index = COMMONGROUND_STEPS.indexOf(stepOf(state.step));
  return index < 0 ? "" : `Step ${index + 1}/${COMMONGROUND_STEPS.length} · `;
}

export function startWizard(
  init: { id: string; owner: Actor; surface: Surface; chat: string; at: number },
  ctx: WizardContext,
): Transition {
  const state = newWizardState(init);
  return { state, effects: [{ type: "render", view: renderView(state, ctx) }] };
}

/** `/profile edit`: the wizard opened on its edit Review, prefilled with the profile as it is. */
export function startEditWizard(
  init: { id: string; owner: Actor; surface: Surface; chat: string; at: number },
  edit: EditSession,
  ctx: WizardContext,
): Transition {
  const state: WizardState = {
    ...newWizardState(init),
    step: "edit.review",
    draft: edit.original satisfies Draft,
    edit,
    returnToReview: true,
  };
  return { state, effects: [{ type: "render", view: renderView(state, ctx) }] };
}

export function step(state: WizardState, event: WizardEvent, ctx: WizardContext): Transition {
  if (isFinished(state)) return { state, effects: [] };
  switch (event.type) {
    case "press":
      return onPress(state, event, ctx);
    case "text":
      return onText(state, event, ctx);
    case "form":
      return onForm(state, event, ctx);
    case "select":
      return onSelect(state, event, ctx);
    case "secretProvided": {
      if (event.actor.id !== state.owner.id) return { state, effects: [] };
      if (expectedSecret(state, ctx) !== event.env)
        return stay(state, ctx, problemNotice({ code: "input_unexpected" }));
      const next = { ...state, secrets: markProvided(state, event.env, event.at) };
      if (state.step === "edit.key" && state.edit) {
        const keysDeleted = (state.edit.keysDeleted ?? []).filter((key) => key !== event.env);
        return apply(
          state,
          move({ ...next, edit: { ...state.edit, keysDeleted } }, "edit.keys"),
          event.at,
          ctx,
        );
      }
      const after =
        state.step === "model.api_key"
          ? afterModel(next, ctx)
          : state.step === "skills.secret"
            ? afterSkills(next, ctx.catalog)
            : afterMcp(next, ctx.catalog);
      return apply(state, move(next, after), event.at, ctx);
    }
    case "cancel":
      if (event.actor.id !== state.owner.id) return { state, effects: [] };
      return cancel(state, event.actor, event.at, ctx);
    case "modelsListed": {
      if (state.step !== "model.loading") return { state, effects: [] };
      const url = state.draft.base_url ?? "";
      const listedModels =
        event.failure !== undefined || event.models.length === 0
          ? {
              models: [],
              note: `${unreachableNote(url, event.failure ?? "it reported no models")}${
                ctx.remote ? ` It was asked from this bot's machine, not from ${ctx.remote.host}.` : ""
              }`,
            }
          : { models: event.models.slice(0, MODEL_LIST_MAX), note: listedNote(url, ctx) };
      return apply(state, move({ ...state, listedModels }, "model.model"), event.at, ctx);
    }
    case "keysListed": {
      const edit = state.edit;
      if (!edit || edit.keys) return { state, effects: [] };
      if (state.step !== "edit.keys")
        // Read while its owner went back: kept for the next Edit keys, nothing to show now.
        return event.failure === undefined
          ? { state: { ...state, edit: { ...edit, keys: event.keys } }, effects: [] }
          : { state, effects: [] };
      if (event.failure !== undefined)
        return apply(
          state,
          {
            kind: "move",
            state: { ...state, step: "edit.review" },
            notice: {
              tone: "error",
              text: `The profile's keys could not be read: ${event.failure}. Press Edit keys to try again.`,
            },
          },
          event.at,
          ctx,
        );
      return apply(
        state,
        move({ ...state, edit: { ...edit, keys: event.keys } }, "edit.keys"),
        event.at,
        ctx,
      );
    }
    case "modelFactsShown": {
      // Only the answer about the model on screen counts (Back and another pick leave older ones).
      if (state.step !== "model.checking" || event.model !== state.draft.model) return { state, effects: [] };
      const contextLength = isUsableContextLength(event.contextLength) ? event.contextLength : undefined;
      // With a Hermes host and a loopback address the facts come from this bot's machine, while the
      // agent will ask a server on the host: the number is shown, never written into the host's config.
      const writable = !(
        ctx.remote &&
        state.draft.base_url !== undefined &&
        isLoopbackUrl(state.draft.base_url)
      );
      const modelFacts: ModelFactsState =
        event.failure !== undefined
          ? { model: event.model, failure: event.failure }
          : {
              model: event.model,
              ...(contextLength !== undefined ? { contextLength } : {}),
              ...(typeof event.tools === "boolean" ? { tools: event.tools } : {}),
            };
      const next: WizardState = {
        ...state,
        modelFacts,
        draft: {
          ...state.draft,
          ...(contextLength !== undefined && writable ? { context_length: contextLength } : {}),
        },
      };
      const warnings = ctx.commonground
        ? commonGroundFitWarnings({ ...next, modelFacts })
        : fitWarnings(event.model, modelFacts);
      const outcome = warnings.length > 0 ? move(next, "model.fit") : afterModelChosen(next, ctx);
      return apply(state, outcome, event.at, ctx);
    }
    case "hubSearched": {
      // Only the answer to the search on screen counts; an older or abandoned one is dropped.
      const pending = state.hubSearch;
      if (
        state.step !== "skills.hub_search" ||
        pending?.status !== "searching" ||
        pending.query !== event.query
      )
        return { state, effects: [] };
      const hubSearch = {
        query: event.query,
        status: "done" as const,
        hits: event.failure !== undefined ? [] : event.hits.slice(0, HUB_SEARCH_HITS_MAX),
        ...(event.failure !== undefined ? { failure: event.failure } : {}),
      };
      return apply(state, move({ ...state, hubSearch }, "skills.hub_search"), event.at, ctx);
    }
    case "createFinished": {
      if (state.step !== "creating") return { state, effects: [] };
      if (!event.ok) {
        const notice: Notice = { tone: "error", text: event.lines.join("\n") };
        return apply(state, { kind: "move", state: { ...state, step: "review" }, notice }, event.at, ctx);
      }
      // An OAuth provider's profile is made without a credential: the report names the sign-in command
      // (a Hermes one: in a CommonGround project the worker signs in, if at all, on its own).
      const signIn = ctx.commonground
        ? []
        : loginLines(
            state.draft.name ?? "",
            state.draft.provider ? findProvider(ctx.catalog, state.draft.provider) : undefined,
            ctx.remote?.host,
          );
      const report = [...event.lines, ...signIn];
      const created = apply(state, move({ ...state, report }, "done"), event.at, ctx);
      const { name } = state.draft;
      const identifiers = event.installs ?? state.draft.hub;
      const installs: WizardEffect[] =
        name !== undefined && identifiers.length > 0
          ? [{ type: "startInstalls", profile: name, identifiers }]
          : [];
      return {
        state: created.state,
        effects: [...created.effects, ...installs, { type: "end", outcome: "created" }],
      };
    }
    case "editFinished": {
      if (state.step !== "applying" || !state.edit) return { state, effects: [] };
      const edit: EditSession = { ...state.edit, result: event.ok ? "applied" : "refused" };
      const ended = apply(state, move({ ...state, edit, report: [...event.lines] }, "done"), event.at, ctx);
      const installs: WizardEffect[] =
        event.ok && event.installs.length > 0
          ? [{ type: "startInstalls", profile: state.edit.profile, identifiers: event.installs }]
          : [];
      return {
        state: ended.state,
        effects: [...ended.effects, ...installs, { type: "end", outcome: event.ok ? "edited" : "cancelled" }],
      };
    }
    case "restored":
      return onRestored(state, ctx);
    case "handedOver":
      return onHandedOver(state, event.at, ctx);
    case "secretsElsewhere": {
      const editing = state.step === "applying" && state.edit !== undefined;
      if (state.step !== "creating" && !editing) return { state, effects: [] };
      // Back to Review, the keys marked not set: Create (or Apply) again goes on without them (said
      // in Review), or the owner types them again. Never a profile silently missing a key.
      const secrets = {
        ...state.secrets,
        provided: state.secrets.provided.filter((env) => !event.envs.includes(env)),
      };
      const one = event.envs.length === 1;
      const it = one ? "it" : "them";
      const notice: Notice = {
        tone: "warning",
        text: editing
          ? `Not applied yet: ${event.envs.join(", ")} ${one ? "was" : "were"} typed while another copy of the bot answered, and only that copy held ${it} (keys are never stored). Set ${it} again in Edit keys, or press Apply to apply the other changes.`
          : `Not created yet: ${event.envs.join(", ")} ${one ? "was" : "were"} typed while another copy of the bot answered, and only that copy held ${it} (keys are never stored). Type ${it} again, or press Create to make the profile without ${it} and set ${it} later with /profile keys.`,
      };
      return apply(
        state,
        { kind: "move", state: { ...state, secrets, step: editing ? "edit.review" : "review" }, notice },
        event.at,
        ctx,
      );
    }
    case "show":
      return stay(state, ctx);
  }
}

function onPress(
  state: WizardState,
  event: Extract<WizardEvent, { type: "press" }>,
  ctx: WizardContext,
): Transition {
  const { press, actor } = event;
  if (press.sessionId !== state.id) return notify(state, actor, { code: "session_missing" });
  if (actor.id !== state.owner.id)
    return notify(state, actor, { code: "not_owner", params: { owner: state.owner.name } });
  if (press.rev !== state.rev)
    return working(state) ? busy(state, actor) : stay(state, ctx, problemNotice({ code: "token_stale" }));
  const def = SCREEN_DEFS[state.step];
  switch (press.action) {
    case "cancel":
      return cancel(state, event.actor, event.at, ctx);
    case "back": {
      const target = def.back?.(state, ctx);
      return apply(state, target ? move(state, target) : { kind: "unknown" }, event.at, ctx);
    }
    case "page": {
      const page = press.arg !== undefined && /^\d{1,3}$/.test(press.arg) ? Number(press.arg) : undefined;
      if (page === undefined) return apply(state, { kind: "unknown" }, event.at, ctx);
      return apply(
        state,
        move({ ...state, pages: { ...state.pages, [state.step]: page } }, state.step),
        event.at,
        ctx,
      );
    }
    default:
      return apply(
        state,
        def.press?.(state, press.action, press.arg, ctx) ?? { kind: "unknown" },
        event.at,
        ctx,
      );
  }
}

function onText(
  state: WizardState,
  event: Extract<WizardEvent, { type: "text" }>,
  ctx: WizardContext,
): Transition {
  if (event.actor.id !== state.owner.id) return { state, effects: [] };
  const def = SCREEN_DEFS[state.step];
  const input = def.view(state, ctx, new Ui(state)).input;
  if (!def.text || input?.kind !== "text")
    return stay(state, ctx, problemNotice({ code: "input_unexpected" }));
  // Giant input is refused before any rule looks at it; each field then applies its own, smaller
  // cap. A screen that takes any length (a search: any text is a query) cuts it itself.
  if (event.text.length > TEXT_INPUT_MAX_CHARS && !def.takesAnyLength) {
    return stay(
      state,
      ctx,
      problemNotice({ code: "text_too_long", params: { length: event.text.length, max: input.maxLength } }),
    );
  }
  return apply(state, def.text(state, event.text, ctx), event.at, ctx);
}

function onForm(
  state: WizardState,
  event: Extract<WizardEvent, { type: "form" }>,
  ctx: WizardContext,
): Transition {
  if (event.actor.id !== state.owner.id) return { state, effects: [] };
  const def = SCREEN_DEFS[state.step];
  const form = def.view(state, ctx, new Ui(state)).input?.form;
  if (!def.form || !form) return stay(state, ctx, problemNotice({ code: "input_unexpected" }));
  // Only the form's own fields are read; each is capped like a text answer before any rule runs.
  const values: Record<string, string> = {};
  for (const field of form) {
    const value = event.values[field.key] ?? "";
    if (value.length > TEXT_INPUT_MAX_CHARS) {
      return stay(
        state,
        ctx,
        problemNotice({ code: "text_too_long", params: { length: value.length, max: field.maxLength } }),
      );
    }
    values[field.key] = value;
  }
  return apply(state, def.form(state, values, ctx), event.at, ctx);
}

/** A select menu: one pick on a single list; on a multi list, a toggle for each item that changed. */
function onSelect(
  state: WizardState,
  event: Extract<WizardEvent, { type: "select" }>,
  ctx: WizardContext,
): Transition {
  const { actor, chosen } = event;
  if (actor.id !== state.owner.id)
    return notify(state, actor, { code: "not_owner", params: { owner: state.owner.name } });
  const stale =
    event.rev !== state.rev || chosen.some((p) => p.sessionId !== state.id || p.rev !== state.rev);
  if (stale)
    return working(state) ? busy(state, actor) : stay(state, ctx, problemNotice({ code: "token_stale" }));
  const def = SCREEN_DEFS[state.step];
  const choices = def.view(state, ctx, new Ui(state)).choices;
  const onPage = new Map(
    (choices?.items ?? []).flatMap((item) => {
      const parsed = parseButtonToken(item.token);
      return parsed.ok ? [[parsed.value.arg ?? "", item.selected] as const] : [];
    }),
  );
  const expected = choices?.mode === "single" ? "pick" : "toggle";
  if (!choices || chosen.some((p) => p.action !== expected || !onPage.has(p.arg ?? "")))
    return apply(state, { kind: "unknown" }, event.at, ctx);
  if (choices.mode === "single") {
    const [press] = chosen;
    if (!press || chosen.length !== 1) return apply(state, { kind: "unknown" }, event.at, ctx);
    return onPress(state, { type: "press", press, actor, at: event.at }, ctx);
  }
  const wanted = new Set(chosen.map((p) => p.arg ?? ""));
  let current = state;
  let notice: Notice | undefined;
  for (const [arg, selected] of onPage) {
    if (selected === wanted.has(arg)) continue;
    const outcome = def.press?.(current, "toggle", arg, ctx) ?? { kind: "unknown" as const };
    // A refused toggle refuses the whole submission: nothing of it is applied.
    if (outcome.kind !== "move") return apply(state, outcome, event.at, ctx);
    current = outcome.state;
    notice = outcome.notice;
    if (current.step !== state.step) break;
  }
  if (current === state) return stay(state, ctx);
  return apply(state, { kind: "move", state: current, ...(notice ? { notice } : {}) }, event.at, ctx);
}

/**
 * Create or Apply, claimed by the replica that holds the keys typed into this wizard: the write is
 * asked for again from the session as stored, checked as the press checked it (a name taken meanwhile
 * sends the wizard back to its Review with the reason).
 */
function onHandedOver(state: WizardState, at: number, ctx: WizardContext): Transition {
  const editing = state.step === "applying" && state.edit !== undefined;
  if (state.step !== "creating" && !editing) return { state, effects: [] };
  const effect = editing ? applyEditEffect(state, ctx) : createEffect(state, ctx);
  if (effect.ok) return { state, effects: [effect.effect] };
  return apply(
    state,
    {
      kind: "move",
      state: { ...state, step: editing ? "edit.review" : "review" },
      notice: { tone: "error", text: effect.problems.join("\n") },
    },
    at,
    ctx,
  );
}

function createEffect(
  state: WizardState,
  ctx: WizardContext,
): { ok: true; effect: WizardEffect } | { ok: false; problems: readonly string[] } {
  const checked = draftToBlueprint(state.draft, ctx);
  return checked.ok
    ? { ok: true, effect: { type: "createProfile", blueprint: checked.blueprint } }
    : { ok: false, problems: checked.problems };
}

/**
 * After a restart: secrets lived only in memory and are gone, so they are asked again; an
 * interrupted model listing or create is started again (create is idempotent per session).
 */
function onRestored(state: WizardState, ctx: WizardContext): Transition {
  if (state.step === "applying" && state.edit) {
    // Not applied again: the first try may have written, and its files are each whole (old or new).
    const edit: EditSession = { ...state.edit, result: "refused" };
    const lines = [
      "The bot restarted while applying, so it cannot say how far Apply got.",
      `Each file is either as it was or as planned: see /profile show ${state.edit.profile}, then /profile edit ${state.edit.profile} again if something is missing.`,
    ];
    const ended = apply(state, move({ ...state, edit, report: lines }, "done"), state.updatedAt, ctx);
    return { state: ended.state, effects: [...ended.effects, { type: "end", outcome: "cancelled" }] };
  }
  const lostSecrets = state.secrets.provided.length > 0;
  const next: WizardState = { ...state, secrets: { provided: [], skipped: state.secrets.skipped } };
  const effects: WizardEffect[] = [];
  if (lostSecrets)
    effects.push({
      type: "render",
      view: renderView(next, ctx, problemNotice({ code: "restored" }, "warning")),
    });
  if (state.step === "model.loading") {
    effects.push({
      type: "listModels",
      provider: state.draft.provider ?? "",
      baseUrl: state.draft.base_url ?? "",
    });
  }
  if (state.step === "model.checking") {
    effects.push({
      type: "askModelFacts",
      provider: state.draft.provider ?? "",
      baseUrl: state.draft.base_url ?? "",
      model: state.draft.model ?? "",
    });
  }
  if (state.step === "edit.keys" && state.edit && !state.edit.keys) {
    effects.push({ type: "listKeys", profile: state.edit.profile });
  }
  if (state.step === "skills.hub_search" && state.hubSearch?.status === "searching") {
    effects.push({ type: "searchHub", query: state.hubSearch.query });
  }
  if (state.step === "creating") {
    // The profile the interrupted Create may have made is not a clash with itself.
    const made = (name: string) => name.toLowerCase() === state.draft.name?.toLowerCase();
    const checked = draftToBlueprint(state.draft, {
      ...ctx,
      profiles: ctx.profiles.filter((name) => name !== state.draft.name),
      ...(ctx.commonground
        ? {
            commonground: {
              ...ctx.commonground,
              profiles: ctx.commonground.profiles.filter((name) => !made(name)),
            },
          }
        : {}),
    });
    if (checked.ok) effects.push({ type: "createProfile", blueprint: checked.blueprint });
  }
  return { state: next, effects };
}

function apply(state: WizardState, outcome: Outcome, at: number, ctx: WizardContext): Transition {
  switch (outcome.kind) {
    case "refuse":
      return stay(state, ctx, problemNotice(outcome.problem));
    case "stay":
      return stay(state, ctx, outcome.notice);
    case "unknown":
      return stay(state, ctx, problemNotice({ code: "action_unknown" }, "warning"));
    case "move": {
      const target = outcome.state;
      const redirected =
        target.edit && NOT_IN_EDIT.includes(target.step)
          ? { ...target, step: "edit.review" as const }
          : target;
      const next: WizardState = { ...redirected, rev: state.rev + 1, updatedAt: at };
      const render: WizardEffect = { type: "render", view: renderView(next, ctx, outcome.notice) };
      return { state: next, effects: [render, ...(outcome.effects ?? [])] };
    }
  }
}

/** Create or Apply is running: the next screen comes from its report, nothing else moves it. */
function working(state: WizardState): boolean {
  return state.step === "creating" || state.step === "applying";
}

/**
 * A press or cancel while Create or Apply runs: a private answer, the screen left alone. Drawing
 * the screen again could land after the report (another replica took the press), hiding it.
 */
function busy(state: WizardState, actor: Actor): Transition {
  return notify(state, actor, {
    code: state.step === "applying" ? "apply_in_progress" : "create_in_progress",
  });
}

function cancel(state: WizardState, actor: Actor, at: number, ctx: WizardContext): Transition {
  if (working(state)) return busy(state, actor);
  const cancelled = apply(state, move(state, "cancelled"), at, ctx);
  return { state: cancelled.state, effects: [...cancelled.effects, { type: "end", outcome: "cancelled" }] };
}

function move(state: WizardState, step: Screen): Outcome {
  return { kind: "move", state: { ...state, step } };
}

function stay(state: WizardState, ctx: WizardContext, notice?: Notice): Transition {
  return { state, effects: [{ type: "render", view: renderView(state, ctx, notice) }] };
}

function notify(state: WizardState, actor: Actor, problem: Problem): Transition {
  return { state, effects: [{ type: "notify", actorId: actor.id, text: describe(problem) }] };
}

function problemNotice(problem: Problem, tone: Notice["tone"] = "error"): Notice {
  return { tone, text: describe(problem) };
}

/** Whose models a listing shows: with a Hermes host, the bot asked from its own machine. */
function listedNote(url: string, ctx: WizardContext): string {
  if (!ctx.remote) return `Models reported by ${url}.`;
  const where = isLoopbackUrl(url) ? "this bot's own machine" : "this bot's machine";
  return `Models reported by ${url}, asked from ${where}; the agent will run on ${ctx.remote.host}, which must reach that server itself.`;
}
