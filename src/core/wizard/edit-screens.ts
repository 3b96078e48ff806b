// The screens of `/profile edit`: its Review (what will change, one line each; Apply only when
// something does) and the wait while Apply writes. The steps in between are the wizard's own.
import { changeLine } from "../edit/profile-change.ts";
import { draftChanges } from "../edit/draft-changes.ts";
import { draftToEditBlueprint } from "./draft-blueprint.ts";
import type { WizardContext, WizardEffect } from "./events.ts";
import { firstScreenOf } from "./flow.ts";
import { indexArg, move, UNKNOWN, type Outcome, type ScreenDef } from "./kit.ts";
import type { EditKey, EditSession, WizardState } from "./state.ts";
import type { ProfileChange } from "../edit/profile-change.ts";
import { SECRET_MAX_CHARS } from "../limits.ts";

const EDITABLE_STEPS = ["identity", "model", "skills", "tools", "mcp", "persona"] as const;

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

/** The key changes of an edit: keys given in this wizard (set or replaced) and keys to delete. */
export function keyChanges(state: WizardState): ProfileChange[] {
  const edit = session(state);
  const deleted = edit.keysDeleted ?? [];
  return [
    ...state.secrets.provided
      .filter((key) => !deleted.includes(key))
      .map((key): ProfileChange =>
        edit.keysSet.includes(key)
          ? { kind: "changed", what: `key ${key}`, detail: "replaced" }
          : { kind: "added", what: `key ${key}`, detail: "set" },
      ),
    ...deleted.map((key): ProfileChange => ({
      kind: "removed",
      what: `key ${key}`,
      detail: "deleted from .env",
    })),
  ];
}

/** Everything Apply would do: the draft's changes, then the keys'. */
function allChanges(state: WizardState): { changes: ProfileChange[]; keys: string[] } {
  const { changes, keys } = draftChanges(session(state).original, state.draft);
  return { changes: [...changes, ...keyChanges(state)], keys };
}

/**
 * What Apply asks the app to do for this edit: the blueprint of the edited draft and the keys to
 * set or delete. Built by the Apply press, and again by the replica an Apply is handed to.
 */
export function applyEditEffect(
  state: WizardState,
  ctx: WizardContext,
): { ok: true; effect: WizardEffect } | { ok: false; problems: readonly string[] } {
  const edit = session(state);
  const checked = draftToEditBlueprint(state.draft, ctx);
  if (!checked.ok) return { ok: false, problems: checked.problems };
  return {
    ok: true,
    effect: {
      type: "applyEdit",
      profile: edit.profile,
      blueprint: checked.blueprint,
      keys: allChanges(state).keys,
      fingerprint: edit.fingerprint,
      keptServers: edit.keptServers,
      deleteKeys: edit.keysDeleted ?? [],
    },
  };
}

function reviewLines(state: WizardState, ctx: WizardContext): string[] {
  const edit = session(state);
  const { changes } = allChanges(state);
  return [
    ...(changes.length === 0
      ? ["No changes yet: pick a part to change. Nothing is written until you press Apply."]
      : [`${changes.length} change(s) on Apply:`, ...changes.map((change) => `  ${changeLine(change)}`)]),
    ...edit.notes.map((note) => `Note: ${note}`),
    // On a host, Hermes' dashboard writes config.yaml anew (a note above says so): only the keys stay.
    ctx.remote
      ? `On ${ctx.remote.host}. Only the parts you change are written; every other key of config.yaml stays.`
      : "Only the parts you change are written; comments and every other key of config.yaml stay.",
  ];
}

const editReview: ScreenDef = {
  view: (state, ctx, ui) => {
    const changed = allChanges(state).changes.length > 0;
    return {
      title: `Edit profile '${session(state).profile}'`,
      body: reviewLines(state, ctx),
      buttons: [
        ...(changed ? [[ui.button("✓ Apply", "apply", undefined, "primary")]] : []),
        [ui.button("Edit identity", "edit", "identity"), ui.button("Edit model", "edit", "model")],
        [ui.button("Edit skills", "edit", "skills"), ui.button("Edit tools", "edit", "tools")],
        [ui.button("Edit MCP", "edit", "mcp"), ui.button("Edit persona", "edit", "persona")],
        [ui.button("Edit keys", "keys")],
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
    if (action === "keys") {
      const edit = session(state);
      return edit.keys
        ? move(state, "edit.keys")
        : move(state, "edit.keys", {}, undefined, [{ type: "listKeys", profile: edit.profile }]);
    }
    if (action !== "apply") return UNKNOWN;
    if (allChanges(state).changes.length === 0)
      return { kind: "stay", notice: { tone: "info", text: "Nothing to apply: nothing was changed." } };
    const effect = applyEditEffect(state, ctx);
    if (!effect.ok) return { kind: "stay", notice: { tone: "error", text: effect.problems.join("\n") } };
    return move(state, "applying", {}, undefined, [effect.effect]);
  },
};

/** How a key reads on Edit keys: set or not, what this edit will do to it, and why it is needed. */
function keyState(state: WizardState, key: EditKey): string {
  const edit = session(state);
  const pending = (edit.keysDeleted ?? []).includes(key.key)
    ? "deleted on Apply"
    : state.secrets.provided.includes(key.key)
      ? "new value given, written on Apply"
      : key.set
        ? "set"
        : "not set";
  return `${key.key}: ${pending}${key.why ? ` — ${key.why}` : " — nothing in the profile asks for it"}`;
}

const editKeys: ScreenDef = {
  view: (state, _ctx, ui) => {
    const { keys, profile } = session(state);
    if (!keys)
      return {
        title: `Keys of '${profile}'`,
        body: ["Reading which keys the profile needs and which its .env holds…"],
        buttons: [[ui.button("◀ Back", "back"), ui.button("✖ Cancel", "cancel")]],
      };
    return {
      title: `Keys of '${profile}'`,
      body: [
        keys.length === 0
          ? "The profile needs no key, and its .env holds none."
          : "Pick a key to set, replace or delete it. Values are asked privately and never shown.",
      ],
      ...(keys.length > 0
        ? {
            choices: ui.list(
              "single",
              keys.map((key) => ({ label: keyState(state, key), selected: false })),
            ),
          }
        : {}),
      buttons: [[ui.button("◀ Back", "back"), ui.button("✖ Cancel", "cancel")]],
    };
  },
  back: () => "edit.review",
  press: (state, action, arg): Outcome => {
    const keys = session(state).keys ?? [];
    const at = indexArg(arg, keys.length);
    if (action !== "pick" || at === undefined) return UNKNOWN;
    return move(state, "edit.key", { edit: { ...session(state), keyFocus: keys[at]?.key ?? "" } });
  },
};

const editKey: ScreenDef = {
  view: (state, _ctx, ui) => {
    const edit = session(state);
    const key = (edit.keys ?? []).find((entry) => entry.key === edit.keyFocus);
    const deletable = key?.set && !(edit.keysDeleted ?? []).includes(key.key);
    return {
      title: `Key ${edit.keyFocus ?? ""}`,
      body: [
        key ? keyState(state, key) : "",
        `Send the value to ${key?.set ? "replace it" : "set it"}: it is written only to the profile's .env on Apply, never shown, logged or stored by the bot.`,
        ...(deletable
          ? ["Or delete it: the line goes (not left empty, which Hermes would apply as an empty value)."]
          : []),
      ],
      input: { kind: "secret", prompt: edit.keyFocus ?? "", maxLength: SECRET_MAX_CHARS },
      buttons: [
        ...(deletable ? [[ui.button(`Delete ${edit.keyFocus ?? ""}`, "delete", undefined, "danger")]] : []),
        [ui.button("◀ Back", "back"), ui.button("✖ Cancel", "cancel")],
      ],
    };
  },
  back: () => "edit.keys",
  press: (state, action): Outcome => {
    const edit = session(state);
    const key = edit.keyFocus;
    if (action !== "delete" || !key || !(edit.keys ?? []).some((entry) => entry.key === key && entry.set))
      return UNKNOWN;
    return move(state, "edit.keys", {
      edit: { ...edit, keysDeleted: [...new Set([...(edit.keysDeleted ?? []), key])] },
      secrets: {
        ...state.secrets,
        provided: state.secrets.provided.filter((name) => name !== key),
      },
    });
  },
  text: () => ({ kind: "refuse", problem: { code: "input_unexpected" } }),
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
  "edit.keys": editKeys,
  "edit.key": editKey,
  applying,
} satisfies Partial<Record<string, ScreenDef>>;
