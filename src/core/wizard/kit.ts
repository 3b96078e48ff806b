// Small helpers the screen definitions share: building buttons with tokens bound to the session's
// current rev, paging lists, and the outcomes a press or a text can have.
import { encodeButtonToken } from "../tokens/button-token.ts";
import { LIST_PAGE_SIZE } from "../limits.ts";
import { describe, type ErrorCode } from "../messages.ts";
import type { Problem } from "../messages.ts";
import type { Notice, ViewButton, ViewChoices, ViewInput } from "../view.ts";
import type { WizardContext, WizardEffect } from "./events.ts";
import type { Draft, Screen, WizardState } from "./state.ts";

export interface ScreenView {
  readonly title: string;
  readonly body: readonly string[];
  readonly choices?: ViewChoices;
  readonly input?: ViewInput;
  readonly buttons: readonly (readonly ViewButton[])[];
}

export type Outcome =
  | {
      readonly kind: "move";
      readonly state: WizardState;
      readonly notice?: Notice;
      readonly effects?: readonly WizardEffect[];
    }
  | { readonly kind: "refuse"; readonly problem: Problem }
  /** Nothing changes (the rev neither), but the screen is shown again with a notice. */
  | { readonly kind: "stay"; readonly notice: Notice }
  | { readonly kind: "unknown" };

export interface ScreenDef {
  view(state: WizardState, ctx: WizardContext, ui: Ui): ScreenView;
  /** Where Back leads; undefined hides the Back button. */
  back?(state: WizardState, ctx: WizardContext): Screen | undefined;
  press?(state: WizardState, action: string, arg: string | undefined, ctx: WizardContext): Outcome;
  text?(state: WizardState, text: string, ctx: WizardContext): Outcome;
  /** Text longer than TEXT_INPUT_MAX_CHARS is handed to `text` (to cut) rather than refused. */
  readonly takesAnyLength?: boolean;
  /** Several answers at once (the view's `input.form`), all applied or none. */
  form?(state: WizardState, values: Readonly<Record<string, string>>, ctx: WizardContext): Outcome;
}

export const STEP_TITLES: Readonly<Record<string, string>> = {
  identity: "Step 1/7 · Identity",
  model: "Step 2/7 · Model",
  skills: "Step 3/7 · Skills",
  tools: "Step 4/7 · Tools",
  mcp: "Step 5/7 · MCP servers",
  persona: "Step 6/7 · Persona",
  review: "Step 7/7 · Review",
};

/**
 * The steps of a Create in a CommonGround project: skills, tools and MCP servers are skipped (it
 * cannot take them) and its own step comes before Review, so "Step n/7" is counted again from these.
 */
export const COMMONGROUND_STEPS: readonly string[] = [
  "identity",
  "model",
  "persona",
  "commonground",
  "review",
];

export const COMMONGROUND_TITLE = "Step 4/5 · CommonGround";

export interface ListItem {
  readonly label: string;
  readonly description?: string;
  readonly selected: boolean;
}

/** Builds view parts whose tokens carry the session id and the rev the view is rendered at. */
export class Ui {
  constructor(private readonly state: WizardState) {}

  button(label: string, action: string, arg?: string, style?: ViewButton["style"]): ViewButton {
    const token = encodeButtonToken(this.state.id, this.state.rev, action, arg);
    return style ? { label, token, style } : { label, token };
  }

  /** One page of a list; item tokens carry the item's index in the whole list, not in the page. */
  list(mode: "single" | "multi", items: readonly ListItem[]): ViewChoices {
    const pageCount = Math.max(1, Math.ceil(items.length / LIST_PAGE_SIZE));
    const page = Math.min(this.state.pages[this.state.step] ?? 0, pageCount - 1);
    const start = page * LIST_PAGE_SIZE;
    const action = mode === "single" ? "pick" : "toggle";
    const pageItems = items.slice(start, start + LIST_PAGE_SIZE).map((item, offset) => ({
      ...item,
      token: encodeButtonToken(this.state.id, this.state.rev, action, String(start + offset)),
    }));
    const choices: { -readonly [K in keyof ViewChoices]: ViewChoices[K] } = {
      mode,
      items: pageItems,
      page,
      pageCount,
      total: items.length,
      selectToken: encodeButtonToken(this.state.id, this.state.rev, "select"),
    };
    if (page > 0)
      choices.previousToken = encodeButtonToken(this.state.id, this.state.rev, "page", String(page - 1));
    if (page < pageCount - 1) {
      choices.nextToken = encodeButtonToken(this.state.id, this.state.rev, "page", String(page + 1));
    }
    return choices;
  }
}

export function move(
  state: WizardState,
  step: Screen,
  patch: Partial<Omit<WizardState, "draft">> & { draft?: Partial<Draft> } = {},
  notice?: Notice,
  effects?: readonly WizardEffect[],
): Outcome {
  const { draft, ...rest } = patch;
  const next: WizardState = { ...state, ...rest, step, draft: { ...state.draft, ...draft } };
  return {
    kind: "move",
    state: next,
    ...(notice ? { notice } : {}),
    ...(effects ? { effects } : {}),
  };
}

export function refuse(code: ErrorCode, params?: Problem["params"]): Outcome {
  return { kind: "refuse", problem: params ? { code, params } : { code } };
}

export const UNKNOWN: Outcome = { kind: "unknown" };

export function info(code: ErrorCode, params?: Problem["params"]): Notice {
  return { tone: "info", text: describe(params ? { code, params } : { code }) };
}

/** Parses a list index from a button argument, or undefined when it is not one of `length` items. */
export function indexArg(arg: string | undefined, length: number): number | undefined {
  if (arg === undefined || !/^\d{1,4}$/.test(arg)) return undefined;
  const index = Number(arg);
  return index < length ? index : undefined;
}

export function toggled<T>(list: readonly T[], item: T): T[] {
  return list.includes(item) ? list.filter((entry) => entry !== item) : [...list, item];
}

export function field(label: string, value: string | undefined): string {
  return `${label}: ${value === undefined || value === "" ? "—" : value}`;
}
