// The identity text (SOUL.md) screen of the Identity step, for a new profile and in the editor.
// Text arrives as one or more answers — a Discord modal's paragraph, Telegram messages (a long
// paste arrives split into several, so each answer is added to what came before, joined by a line
// break), console lines up to a line holding only "." — and is kept only on "Use this text". The
// same rules as `soul:` in a blueprint file: Windows line ends become \n, control and invisible
// direction characters are refused, at most SOUL_MAX_CHARS characters.
import { HERMES_DEFAULT_SOUL } from "../hermes-soul.ts";
import { SOUL_MAX_CHARS, TEXT_INPUT_MAX_CHARS } from "../limits.ts";
import { hasDisallowedChars } from "../text-rules.ts";
import { field, move, refuse, STEP_TITLES, UNKNOWN, type Outcome, type ScreenDef } from "./kit.ts";
import type { WizardState } from "./state.ts";

/** A preview shows at most this much of the text (one chat message holds it on every surface). */
export const SOUL_PREVIEW_MAX_CHARS = 1_500;

const TITLE = `${STEP_TITLES["identity"] ?? "Identity"} · identity text`;

function preview(text: string): string {
  return text.length > SOUL_PREVIEW_MAX_CHARS
    ? `${text.slice(0, SOUL_PREVIEW_MAX_CHARS)}\n…(${text.length - SOUL_PREVIEW_MAX_CHARS} more characters)`
    : text;
}

/** What SOUL.md will hold, in words, for the identity menu and Review. */
export function soulSummary(state: WizardState, commonground = false): string {
  const soul = state.draft.soul;
  if (soul === undefined)
    return state.edit
      ? "as the profile has it"
      : commonground
        ? "none of its own (the persona's text alone), or one naming the agent when a description is given"
        : "Hermes' default, or one naming the agent (display name, description)";
  if (soul === HERMES_DEFAULT_SOUL) return "Hermes' default";
  const firstLine = soul.split("\n").find((line) => line.trim() !== "") ?? "";
  return `${soul.length} characters: ${firstLine.length > 60 ? `${firstLine.slice(0, 60)}…` : firstLine}`;
}

function received(state: WizardState, raw: string): Outcome {
  const chunk = raw.replace(/\r\n?/g, "\n");
  if (chunk.trim() === "") return refuse("text_too_long", { length: 0, max: SOUL_MAX_CHARS });
  if (hasDisallowedChars(chunk)) return refuse("text_control_chars");
  const text = state.soulPending === undefined ? chunk : `${state.soulPending}\n${chunk}`;
  if (text.length > SOUL_MAX_CHARS)
    return refuse("text_too_long", { length: text.length, max: SOUL_MAX_CHARS });
  return move(state, "identity.soul", { soulPending: text });
}

export const soulScreen: ScreenDef = {
  view: (state, _ctx, ui) => {
    const pending = state.soulPending;
    return {
      title: TITLE,
      body: [
        "The agent's identity text (SOUL.md): who it is and how it works. Hermes puts it at the top of every session's system prompt; a running Hermes uses a new text from its next session (/new).",
        field("Now", soulSummary(state)),
        pending === undefined
          ? "Send the text. Paragraphs are welcome; in the console, end it with a line holding only '.'."
          : `Received so far: ${pending.length} characters. Send more to add to it (a long text may arrive in several messages), then press Use this text.`,
      ],
      input: {
        kind: "text",
        prompt: "Identity text",
        maxLength: SOUL_MAX_CHARS,
        multiline: true,
        form: [
          {
            key: "soul",
            label: "Identity text (SOUL.md)",
            maxLength: TEXT_INPUT_MAX_CHARS,
            required: true,
            multiline: true,
          },
        ],
      },
      buttons: [
        ...(pending !== undefined
          ? [[ui.button("✓ Use this text", "use", undefined, "primary"), ui.button("Start over", "restart")]]
          : []),
        [ui.button("Preview", "preview"), ui.button("Use Hermes' default", "default")],
        [ui.button("◀ Back", "back"), ui.button("✖ Cancel", "cancel")],
      ],
    };
  },
  back: () => "identity.menu",
  // Its own cap: the text may exceed one answer's, across several answers.
  takesAnyLength: true,
  text: (state, text) => received(state, text),
  form: (state, values) => received(state, values["soul"] ?? ""),
  press: (state, action): Outcome => {
    const { soulPending: _dropped, ...clear } = state;
    switch (action) {
      case "use":
        if (state.soulPending === undefined) return UNKNOWN;
        return move(clear, "identity.menu", { draft: { soul: state.soulPending } });
      case "restart":
        return move(clear, "identity.soul");
      case "default":
        return move(clear, "identity.menu", { draft: { soul: HERMES_DEFAULT_SOUL } });
      case "preview": {
        const text = state.soulPending ?? state.draft.soul;
        return {
          kind: "stay",
          notice: { tone: "info", text: text === undefined ? "No identity text given yet." : preview(text) },
        };
      }
      default:
        return UNKNOWN;
    }
  },
};
