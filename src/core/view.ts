// The neutral screen every adapter renders: console lines, a Telegram message with an inline
// keyboard, or a Discord message with buttons and a select menu.

export type Tone = "error" | "warning" | "info";

export interface Notice {
  readonly tone: Tone;
  readonly text: string;
}

export interface ViewButton {
  readonly label: string;
  /** The button token (`w:...`), ≤ 64 bytes: callback_data on Telegram, custom_id on Discord. */
  readonly token: string;
  readonly style?: "primary" | "danger";
}

export interface ViewChoice {
  readonly label: string;
  readonly description?: string;
  readonly selected: boolean;
  readonly token: string;
}

/** One page of a list. Single lists pick one item; multi lists toggle items (✓ on chosen ones). */
export interface ViewChoices {
  readonly mode: "single" | "multi";
  readonly items: readonly ViewChoice[];
  readonly page: number;
  readonly pageCount: number;
  readonly total: number;
  readonly previousToken?: string;
  readonly nextToken?: string;
  /**
   * For surfaces with a select menu: the token of the whole page as one widget. Its submission is a
   * `select` event carrying the tokens of the items now chosen on the page.
   */
  readonly selectToken: string;
}

/** One field of a form: surfaces that show forms (Discord modals) ask several answers at once. */
export interface ViewFormField {
  readonly key: string;
  readonly label: string;
  readonly maxLength: number;
  readonly required: boolean;
  readonly multiline?: boolean;
  readonly placeholder?: string;
}

/** A free-text answer the step waits for. Secrets are collected privately and never echoed. */
export interface ViewInput {
  readonly kind: "text" | "secret";
  readonly prompt: string;
  readonly maxLength: number;
  /** A paragraph: the console reads lines until one holding only "." (other surfaces take one message). */
  readonly multiline?: boolean;
  readonly placeholder?: string;
  /**
   * The step also accepts these answers together as one `form` event (the first field is the
   * prompt's own answer). Surfaces without forms ignore it and ask one answer at a time.
   */
  readonly form?: readonly ViewFormField[];
}

export interface View {
  readonly sessionId: string;
  readonly rev: number;
  readonly title: string;
  readonly body: readonly string[];
  readonly notice?: Notice;
  readonly choices?: ViewChoices;
  readonly input?: ViewInput;
  /** Rows of buttons (navigation and actions), in display order. */
  readonly buttons: readonly (readonly ViewButton[])[];
  /** True when the wizard has ended: adapters remove buttons and stop routing input here. */
  readonly final: boolean;
}
