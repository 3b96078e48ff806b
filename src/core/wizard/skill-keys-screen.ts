// Step 3, last screen: each key the chosen built-in and optional skills declare in their SKILL.md,
// asked privately one at a time, exactly like an MCP server's key. Hub skills are not asked here:
// their SKILL.md is known only after the install, which then names any key still missing.
import { SECRET_MAX_CHARS } from "../limits.ts";
import { afterSkills, markSkipped, missingSkillSecret } from "./flow.ts";
import { move, refuse, STEP_TITLES, UNKNOWN, type ScreenDef } from "./kit.ts";
import type { Screen, WizardState } from "./state.ts";
import type { Catalog } from "../catalog.ts";

const TITLE = STEP_TITLES["skills"] ?? "Skills";

/** Every key still unasked, skipped at once ("Skip all"): the loop ends, nothing is written for them. */
function skipAll(state: WizardState, catalog: Catalog): WizardState {
  let next = state;
  for (let missing = missingSkillSecret(next, catalog); missing; missing = missingSkillSecret(next, catalog))
    next = { ...next, secrets: markSkipped(next, missing.env) };
  return next;
}

const secret: ScreenDef = {
  view: (state, ctx, ui) => {
    const { env = "", prompt = "", optional } = missingSkillSecret(state, ctx.catalog) ?? {};
    return {
      title: `${TITLE} · keys`,
      body: [
        `Send the ${prompt}. It is written only to the profile's .env as ${env}.`,
        optional
          ? "The skill declares it optional: it works without it."
          : "Hermes reports the skill as needing setup until this key is set (later: /profile keys).",
      ],
      input: { kind: "secret", prompt: env, maxLength: SECRET_MAX_CHARS },
      buttons: [
        [ui.button("Skip (leave empty)", "skip"), ui.button("Skip all skill keys", "skipall")],
        [ui.button("◀ Back", "back"), ui.button("✖ Cancel", "cancel")],
      ],
    };
  },
  back: () => "skills.hub",
  press: (state, action, _arg, ctx) => {
    const env = missingSkillSecret(state, ctx.catalog)?.env;
    if (env === undefined) return UNKNOWN;
    if (action === "skip") {
      const next = { ...state, secrets: markSkipped(state, env) };
      return move(next, afterSkills(next, ctx.catalog));
    }
    if (action === "skipall") {
      const next = skipAll(state, ctx.catalog);
      return move(next, afterSkills(next, ctx.catalog));
    }
    return UNKNOWN;
  },
  text: () => refuse("input_unexpected"),
};

export const skillKeyScreens = {
  "skills.secret": secret,
} satisfies Partial<Record<Screen, ScreenDef>>;
