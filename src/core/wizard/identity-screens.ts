// Step 1: name, display name, description, and an optional clone source.
import { DEFAULT_PROFILE } from "../blueprint.ts";
import { DESCRIPTION_MAX_CHARS, DISPLAY_NAME_MAX_CHARS, PROFILE_NAME_MAX_CHARS } from "../limits.ts";
import { checkProfileName } from "../profile-name.ts";
import { checkFreeText } from "../text-rules.ts";
import type { WizardContext } from "./events.ts";
import {
  field,
  indexArg,
  info,
  move,
  refuse,
  STEP_TITLES,
  UNKNOWN,
  type Outcome,
  type ScreenDef,
} from "./kit.ts";
import type { Screen, WizardState } from "./state.ts";
import { soulScreen, soulSummary } from "./soul-screen.ts";
import { clashText, commonGroundClash } from "./commonground-screens.ts";

const TITLE = STEP_TITLES["identity"] ?? "Identity";

/** Where finishing the Identity step leads. */
function afterIdentity(state: WizardState): Screen {
  return state.returnToReview ? "review" : "model.provider";
}

function cloneSources(ctx: WizardContext): string[] {
  return [DEFAULT_PROFILE, ...ctx.profiles.filter((name) => name !== DEFAULT_PROFILE)];
}

const name: ScreenDef = {
  view: (state, ctx, ui) => ({
    title: TITLE,
    body: [
      "What should the new profile be called?",
      "Lowercase letters, digits, '-' and '_', e.g. research-bot.",
      ...(ctx.commonground
        ? [`It must not be the name of a profile ${ctx.commonground.target} already has.`]
        : []),
    ],
    input: {
      kind: "text",
      prompt: "Profile name",
      maxLength: PROFILE_NAME_MAX_CHARS,
      placeholder: "research-bot",
      form: [
        {
          key: "name",
          label: "Profile name",
          maxLength: PROFILE_NAME_MAX_CHARS,
          required: true,
          placeholder: "research-bot",
        },
        // A CommonGround profile has no display name, so none is asked.
        ...(ctx.commonground
          ? []
          : [
              {
                key: "display_name",
                label: "Display name (optional)",
                maxLength: DISPLAY_NAME_MAX_CHARS,
                required: false,
              },
            ]),
        {
          key: "description",
          label: "Description (optional)",
          maxLength: DESCRIPTION_MAX_CHARS,
          required: false,
          multiline: true,
        },
      ],
    },
    buttons: [
      state.draft.name
        ? [ui.button("◀ Back", "back"), ui.button("✖ Cancel", "cancel")]
        : [ui.button("✖ Cancel", "cancel")],
    ],
  }),
  back: (state) => (state.draft.name ? "identity.menu" : undefined),
  text: (state, text, ctx) => nameAnswer(state, text, ctx, {}),
  // Name, display name and description in one form: all three are checked before any is kept.
  form: (state, values, ctx) => {
    const extra: { display_name?: string; description?: string } = {};
    for (const [key, max, code] of OPTIONAL_IDENTITY_FIELDS) {
      const value = values[key]?.trim() ?? "";
      if (value === "") continue;
      const checked = checkFreeText(value, max, code);
      if (!checked.ok) return { kind: "refuse", problem: checked.error };
      extra[key] = checked.value;
    }
    return nameAnswer(state, values["name"] ?? "", ctx, extra);
  },
};

const OPTIONAL_IDENTITY_FIELDS = [
  ["display_name", DISPLAY_NAME_MAX_CHARS, "display_name_too_long"],
  ["description", DESCRIPTION_MAX_CHARS, "description_too_long"],
] as const;

function nameAnswer(
  state: WizardState,
  text: string,
  ctx: WizardContext,
  extra: { display_name?: string; description?: string },
): Outcome {
  const checked = checkProfileName(text);
  if (!checked.ok) return { kind: "refuse", problem: checked.error };
  const { name: profileName, shadowsCommand } = checked.value;
  if (ctx.commonground) {
    const taken = commonGroundClash(profileName, ctx.commonground);
    if (taken !== undefined) return { kind: "stay", notice: { tone: "error", text: clashText(taken) } };
    // Nothing is made in Hermes, so its profiles (and its command names) do not matter here.
    return move(state, "identity.menu", { draft: { name: profileName, ...extra } });
  }
  if (ctx.profiles.includes(profileName)) return refuse("name_exists", { name: profileName });
  const notice = shadowsCommand ? info("name_shadows_command", { name: profileName }) : undefined;
  return move(state, "identity.menu", { draft: { name: profileName, ...extra } }, notice);
}

const menu: ScreenDef = {
  view: (state, ctx, ui) =>
    ctx.commonground
      ? {
          // CommonGround has no display name and nothing to clone from: name, description, identity text.
          title: TITLE,
          body: [
            field("Name", state.draft.name),
            field("Description", state.draft.description),
            field("Identity text", soulSummary(state)),
          ],
          buttons: [
            [ui.button("Description", "field", "desc"), ui.button("Identity text", "field", "soul")],
            [ui.button("Rename", "field", "name")],
            [ui.button("Next ▶", "next", undefined, "primary")],
            [ui.button("◀ Back", "back"), ui.button("✖ Cancel", "cancel")],
          ],
        }
      : {
          title: TITLE,
          body: [
            field("Name", state.draft.name),
            field("Display name", state.draft.display_name),
            field("Description", state.draft.description),
            field("Identity text", soulSummary(state)),
            ...(state.edit
              ? []
              : [field("Clone config from", state.draft.clone_from ?? "no clone (fresh profile)")]),
          ],
          buttons: [
            [ui.button("Display name", "field", "display"), ui.button("Description", "field", "desc")],
            [ui.button("Identity text", "field", "soul")],
            // An edit keeps the profile's name, and cloning is for a new profile only.
            ...(state.edit
              ? []
              : [[ui.button("Clone from…", "field", "clone"), ui.button("Rename", "field", "name")]]),
            [ui.button("Next ▶", "next", undefined, "primary")],
            [ui.button("◀ Back", "back"), ui.button("✖ Cancel", "cancel")],
          ],
        },
  back: () => "identity.name",
  press: (state, action, arg, ctx) => {
    if (action === "next") return move(state, afterIdentity(state));
    if (action !== "field") return UNKNOWN;
    const target: Record<string, Screen> = ctx.commonground
      ? { desc: "identity.description", soul: "identity.soul", name: "identity.name" }
      : {
          display: "identity.display_name",
          desc: "identity.description",
          soul: "identity.soul",
          clone: "identity.clone",
          name: "identity.name",
        };
    const screen = arg === undefined ? undefined : target[arg];
    return screen ? move(state, screen) : UNKNOWN;
  },
};

function textField(
  key: "display_name" | "description",
  label: string,
  max: number,
  code: "display_name_too_long" | "description_too_long",
): ScreenDef {
  return {
    view: (state, _ctx, ui) => ({
      title: TITLE,
      body: [
        field(`Current ${label.toLowerCase()}`, state.draft[key]),
        `Send the ${label.toLowerCase()} (at most ${max} characters).`,
      ],
      input: { kind: "text", prompt: label, maxLength: max },
      buttons: [
        [ui.button("Clear", "clear")],
        [ui.button("◀ Back", "back"), ui.button("✖ Cancel", "cancel")],
      ],
    }),
    back: () => "identity.menu",
    press: (state, action) => {
      if (action !== "clear") return UNKNOWN;
      const { [key]: _removed, ...draft } = state.draft;
      return { kind: "move", state: { ...state, step: "identity.menu", draft } };
    },
    text: (state, text) => {
      const checked = checkFreeText(text, max, code);
      if (!checked.ok) return { kind: "refuse", problem: checked.error };
      return move(state, "identity.menu", { draft: { [key]: checked.value } });
    },
  };
}

const clone: ScreenDef = {
  view: (state, ctx, ui) => ({
    title: TITLE,
    body: [
      "Clone the config of an existing profile: its config.yaml, .env, SOUL.md, skills and memories.",
      "Bot tokens and platform settings are never copied.",
    ],
    choices: ui.list(
      "single",
      cloneSources(ctx).map((source) => ({
        label: source === DEFAULT_PROFILE ? "default (the Hermes home itself)" : source,
        selected: state.draft.clone_from === source,
      })),
    ),
    buttons: [
      [ui.button("No clone", "clear")],
      [ui.button("◀ Back", "back"), ui.button("✖ Cancel", "cancel")],
    ],
  }),
  back: () => "identity.menu",
  press: (state, action, arg, ctx): Outcome => {
    if (action === "clear") {
      const { clone_from: _removed, ...draft } = state.draft;
      return { kind: "move", state: { ...state, step: "identity.menu", draft } };
    }
    if (action !== "pick") return UNKNOWN;
    const sources = cloneSources(ctx);
    const index = indexArg(arg, sources.length);
    if (index === undefined) return UNKNOWN;
    // A clone copies the source's skills, which "no built-in skills" contradicts: the clone wins.
    return move(state, "identity.menu", {
      draft: { clone_from: sources[index] ?? DEFAULT_PROFILE, noBuiltins: false },
    });
  },
};

export const identityScreens = {
  "identity.name": name,
  "identity.menu": menu,
  "identity.display_name": textField(
    "display_name",
    "Display name",
    DISPLAY_NAME_MAX_CHARS,
    "display_name_too_long",
  ),
  "identity.description": textField(
    "description",
    "Description",
    DESCRIPTION_MAX_CHARS,
    "description_too_long",
  ),
  "identity.clone": clone,
  "identity.soul": soulScreen,
} satisfies Partial<Record<Screen, ScreenDef>>;
