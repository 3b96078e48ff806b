// The screens of `/profile edit`: its Review (what will change, one line each; Apply only when
// something does) and the wait while Apply writes. The steps in between are the wizard's own.
import { changeLine } from "../edit/profile-change.ts";
import { draftChanges } from "../edit/draft-changes.ts";
import { draftToEditBlueprint } from "./draft-blueprint.ts";
import type { WizardContext } from "./events.ts";
import { firstScreenOf } from "./flow.ts";
import { move, UNKNOWN, type Outcome, type ScreenDef } from "./kit.ts";
import type { EditSession, WizardState } from "./state.ts";

const EDITABLE_STEPS = ["identity", "model", "skills", "mcp", "persona"] as const;

function session(state: WizardState): EditSession {
  // Only edit wizards reach these screens (step.ts sends others to Review).
  return (
    state.edit ?? {
      profile: "",
      fingerprint: "",
      original: state.draft,
      keysSet: [],
      keptServers: [],
      notes: [],
    }
  );
}

function reviewLines(state: WizardState, ctx: WizardContext): string[] {
  const edit = session(state);
  const { changes } = draftChanges(edit.original, state.draft);
  const given = state.secrets.provided;
  return [
    ...(changes.length === 0
      ? ["No changes yet: pick a part to change. Nothing is written until you press Apply."]
      : [`${changes.length} change(s) on Apply:`, ...changes.map((change) => `  ${changeLine(change)}`)]),
    ...(given.length > 0 ? [`Keys given here, written to .env on Apply: ${given.join(", ")}`] : []),
    ...edit.notes.map((note) => `Note: ${note}`),
    ...(ctx.remote ? [`On ${ctx.remote.host}.`] : []),
    "Only the parts you change are written; comments and every other key of config.yaml stay.",
  ];
}

const editReview: ScreenDef = {
  view: (state, ctx, ui) => {
    const changed = draftChanges(session(state).original, state.draft).changes.length > 0;
    return {
      title: `Edit profile '${session(state).profile}'`,
      body: reviewLines(state, ctx),
      buttons: [
        ...(changed ? [[ui.button("✓ Apply", "apply", undefined, "primary")]] : []),
        [ui.button("Edit identity", "edit", "identity"), ui.button("Edit model", "edit", "model")],
        [ui.button("Edit skills", "edit", "skills"), ui.button("Edit MCP", "edit", "mcp")],
        [ui.button("Edit persona", "edit", "persona")],
        [ui.button("✖ Cancel", "cancel")],
      ],
    };
  },
  press: (state, action, arg, ctx): Outcome => {
    if (action === "edit") {
      const step = EDITABLE_STEPS.find((name) => name === arg);
      const screen = step ? firstScreenOf(step, state) : undefined;
      return screen ? move(state, screen, { returnToReview: true }) : UNKNOWN;
    }
    if (action !== "apply") return UNKNOWN;
    const edit = session(state);
    const { changes, keys } = draftChanges(edit.original, state.draft);
    if (changes.length === 0)
      return { kind: "stay", notice: { tone: "info", text: "Nothing to apply: nothing was changed." } };
    const checked = draftToEditBlueprint(state.draft, ctx);
    if (!checked.ok) return { kind: "stay", notice: { tone: "error", text: checked.problems.join("\n") } };
    return move(state, "applying", {}, undefined, [
      {
        type: "applyEdit",
        profile: edit.profile,
        blueprint: checked.blueprint,
        keys,
        fingerprint: edit.fingerprint,
        keptServers: edit.keptServers,
      },
    ]);
  },
};

const applying: ScreenDef = {
  view: (state) => ({
    title: "Applying",
    body: [`Applying the changes to profile '${session(state).profile}'…`],
    buttons: [],
  }),
};

export const editScreens = {
  "edit.review": editReview,
  applying,
} satisfies Partial<Record<string, ScreenDef>>;
