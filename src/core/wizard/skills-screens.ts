// Step 3: built-in skills (all kept by default), optional skills, and hub skill identifiers.
import { hubIdentifierSchema } from "../blueprint.ts";
import { findProvider } from "../catalog.ts";
import { originLine } from "../catalog-origin.ts";
import { shownIdentifier } from "../hub-identifier.ts";
import { HUB_SEARCH_QUERY_MAX_CHARS, normalizeHubQuery } from "../hub-search.ts";
import { HUB_SKILLS_MAX, TEXT_INPUT_MAX_CHARS } from "../limits.ts";
import { afterSkills } from "./flow.ts";
import { modelPickScreen } from "./model-screens.ts";
import { skillKeyScreens } from "./skill-keys-screen.ts";
import { indexArg, move, refuse, STEP_TITLES, toggled, UNKNOWN, type ScreenDef } from "./kit.ts";
import type { HubSearchState, Screen } from "./state.ts";

const TITLE = STEP_TITLES["skills"] ?? "Skills";

const builtin: ScreenDef = {
  view: (state, ctx, ui) => {
    const { noBuiltins, builtinOff } = state.draft;
    const kept = noBuiltins ? 0 : ctx.catalog.builtinSkills.length - builtinOff.length;
    return {
      title: `${TITLE} · built-in`,
      body: [
        "Built-in skills are copied into the profile. Deselected ones stay installed but are listed in skills.disabled.",
        ...originLine(ctx.catalogOrigin, "builtinSkills"),
        noBuiltins
          ? "No built-in skills: none are copied (the profile gets a .no-bundled-skills marker)."
          : `${kept} of ${ctx.catalog.builtinSkills.length} kept${builtinOff.length === 0 ? " (the default bundle)" : ""}.`,
      ],
      choices: ui.list(
        "multi",
        ctx.catalog.builtinSkills.map((skill) => ({
          label: skill.id,
          description: skill.description,
          selected: !noBuiltins && !builtinOff.includes(skill.id),
        })),
      ),
      buttons: [
        [ui.button("Keep default bundle", "default"), ui.button("No built-in skills", "clear")],
        [ui.button("Optional skills ▶", "next", undefined, "primary")],
        [ui.button("◀ Back", "back"), ui.button("✖ Cancel", "cancel")],
      ],
    };
  },
  back: (state, ctx) => {
    const provider = state.draft.provider ? findProvider(ctx.catalog, state.draft.provider) : undefined;
    return provider?.api_key_env ? "model.api_key" : modelPickScreen(state, ctx);
  },
  press: (state, action, arg, ctx) => {
    const all = ctx.catalog.builtinSkills.map((skill) => skill.id);
    switch (action) {
      case "default":
        return move(state, "skills.builtin", { draft: { noBuiltins: false, builtinOff: [] } });
      case "clear":
        if (state.draft.clone_from) return refuse("clone_excludes_no_skills");
        return move(state, "skills.builtin", { draft: { noBuiltins: true, builtinOff: [] } });
      case "next":
        return move(state, "skills.optional");
      case "toggle": {
        const index = indexArg(arg, all.length);
        const id = index === undefined ? undefined : all[index];
        if (id === undefined) return UNKNOWN;
        // From "none", a press means "start from nothing and keep this one".
        const off = state.draft.noBuiltins
          ? all.filter((other) => other !== id)
          : toggled(state.draft.builtinOff, id);
        return move(state, "skills.builtin", { draft: { noBuiltins: false, builtinOff: off } });
      }
      default:
        return UNKNOWN;
    }
  },
};

const optional: ScreenDef = {
  view: (state, ctx, ui) => ({
    title: `${TITLE} · optional`,
    body: [
      "Optional skills are copied only when chosen.",
      ...originLine(ctx.catalogOrigin, "optionalSkills"),
      ...(state.draft.clone_from
        ? [`Built-in skills come from the clone source '${state.draft.clone_from}'.`]
        : []),
    ],
    choices: ui.list(
      "multi",
      ctx.catalog.optionalSkills.map((skill) => ({
        label: skill.id,
        description: skill.description,
        selected: state.draft.optional.includes(skill.id),
      })),
    ),
    buttons: [
      [ui.button("Hub skills ▶", "next", undefined, "primary")],
      [ui.button("◀ Back", "back"), ui.button("✖ Cancel", "cancel")],
    ],
  }),
  back: (state, ctx) =>
    state.draft.clone_from ? (builtin.back?.(state, ctx) ?? "model.model") : "skills.builtin",
  press: (state, action, arg, ctx) => {
    if (action === "next") return move(state, "skills.hub");
    if (action !== "toggle") return UNKNOWN;
    const ids = ctx.catalog.optionalSkills.map((skill) => skill.id);
    const index = indexArg(arg, ids.length);
    const id = index === undefined ? undefined : ids[index];
    if (id === undefined) return UNKNOWN;
    return move(state, "skills.optional", { draft: { optional: toggled(state.draft.optional, id) } });
  },
};

const hub: ScreenDef = {
  view: (state, _ctx, ui) => ({
    title: `${TITLE} · hub`,
    body: [
      "Hub skills install in the background after Create. Send identifiers separated by spaces or new lines,",
      "e.g. official/security/password-audit. Send nothing more and press Done to go on.",
      state.draft.hub.length === 0 ? "Hub skills: none" : `Hub skills: ${state.draft.hub.join(", ")}`,
    ],
    input: { kind: "text", prompt: "Hub skill identifiers", maxLength: TEXT_INPUT_MAX_CHARS },
    buttons: [
      [ui.button("Done ▶", "next", undefined, "primary"), ui.button("Clear", "clear")],
      [ui.button("🔎 Search the hub", "search")],
      [ui.button("◀ Back", "back"), ui.button("✖ Cancel", "cancel")],
    ],
  }),
  back: () => "skills.optional",
  press: (state, action, _arg, ctx) => {
    if (action === "next") return move(state, afterSkills(state, ctx.catalog));
    if (action === "clear") return move(state, "skills.hub", { draft: { hub: [] } });
    if (action === "search") return move(state, "skills.hub_search");
    return UNKNOWN;
  },
  text: (state, text) => {
    const identifiers = text.split(/[\s,]+/).filter((part) => part !== "");
    for (const identifier of identifiers) {
      if (!hubIdentifierSchema.safeParse(identifier).success) {
        return refuse("hub_identifier_invalid", { identifier: shownIdentifier(identifier) });
      }
    }
    const hubList = [...new Set([...state.draft.hub, ...identifiers])];
    if (hubList.length > HUB_SKILLS_MAX) return refuse("hub_too_many", { max: HUB_SKILLS_MAX });
    return move(state, "skills.hub", { draft: { hub: hubList } });
  },
};

/** What the search screen says about the last search. */
function searchLines(search: HubSearchState | null | undefined): string[] {
  if (!search)
    return ["Send a word or two to search for (a name, a topic); tap results to add or remove them."];
  if (search.status === "searching") return [`Searching the hub for “${search.query}”…`];
  if (search.failure)
    return [
      `The search for “${search.query}” did not finish: ${search.failure}.`,
      "Search again, or go back and type an identifier.",
    ];
  if (search.hits.length === 0)
    return [
      `No skill in the hub matches “${search.query}”. Try other words, or go back and type an identifier.`,
    ];
  return [
    `${search.hits.length} found for “${search.query}”: name · trust, then identifier (source). Tap to add or remove.`,
  ];
}

const hubSearch: ScreenDef = {
  view: (state, _ctx, ui) => {
    const hits = state.hubSearch?.status === "done" ? state.hubSearch.hits : [];
    return {
      title: `${TITLE} · hub search`,
      body: [
        ...searchLines(state.hubSearch),
        state.draft.hub.length === 0 ? "Hub skills: none" : `Hub skills: ${state.draft.hub.join(", ")}`,
      ],
      // No list at all before the first hits: an empty select menu is not a thing Discord accepts.
      ...(hits.length > 0
        ? {
            choices: ui.list(
              "multi",
              hits.map((hit) => ({
                label: `${hit.name} · ${hit.trust}`,
                description: `${hit.identifier} (${hit.source})${hit.description ? ` — ${hit.description}` : ""}`,
                selected: state.draft.hub.includes(hit.identifier),
              })),
            ),
          }
        : {}),
      input: { kind: "text", prompt: "Search the hub", maxLength: HUB_SEARCH_QUERY_MAX_CHARS },
      buttons: [
        [ui.button("Done ▶", "next", undefined, "primary")],
        [ui.button("◀ Back", "back"), ui.button("✖ Cancel", "cancel")],
      ],
    };
  },
  back: () => "skills.hub",
  // Any text is a query: normalizeHubQuery cuts it; a search is answered, never refused for size.
  takesAnyLength: true,
  press: (state, action, arg, ctx) => {
    if (action === "next") return move(state, afterSkills(state, ctx.catalog));
    if (action !== "toggle") return UNKNOWN;
    const hits = state.hubSearch?.status === "done" ? state.hubSearch.hits : [];
    const index = indexArg(arg, hits.length);
    const hit = index === undefined ? undefined : hits[index];
    if (!hit) return UNKNOWN;
    // A result is checked like a typed identifier: a search answer is outside input too.
    if (!hubIdentifierSchema.safeParse(hit.identifier).success)
      return refuse("hub_identifier_invalid", { identifier: shownIdentifier(hit.identifier) });
    const hubList = toggled(state.draft.hub, hit.identifier);
    if (hubList.length > HUB_SKILLS_MAX) return refuse("hub_too_many", { max: HUB_SKILLS_MAX });
    return move(state, "skills.hub_search", { draft: { hub: hubList } });
  },
  text: (state, text) => {
    const query = normalizeHubQuery(text);
    if (query === "") return refuse("hub_search_empty");
    return move(
      state,
      "skills.hub_search",
      {
        hubSearch: { query, status: "searching", hits: [] },
        pages: { ...state.pages, "skills.hub_search": 0 },
      },
      undefined,
      [{ type: "searchHub", query }],
    );
  },
};

export const skillsScreens = {
  "skills.builtin": builtin,
  "skills.optional": optional,
  "skills.hub": hub,
  "skills.hub_search": hubSearch,
  ...skillKeyScreens,
} satisfies Partial<Record<Screen, ScreenDef>>;
