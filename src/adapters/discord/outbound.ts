// A neutral View as a Discord message: text content, a string select for lists, buttons in rows,
// and a "✎" button that opens a modal when the step asks for text. Buttons and selects are written
// as Discord's JSON directly, clipped to Discord's limits here (limits.ts): discord.js's builders
// validate through shapeshift, whose optional fields build an error object (with a stack trace)
// for every value that is present — 2 of the bot's 92 CPU-seconds in a minute of the load
// benchmark. The rare modal still goes through its builder. The fake Discord checks every
// component against the same limits (test/fakes/discord/limits.ts).
import {
  ActionRowBuilder,
  ButtonStyle,
  ComponentType,
  ModalBuilder,
  TextInputBuilder,
  TextInputStyle,
  type APIActionRowComponent,
  type APIButtonComponentWithCustomId,
  type APIComponentInMessageActionRow,
  type APIModalInteractionResponseCallbackData,
  type APIStringSelectComponent,
} from "discord.js";
import { encodeButtonToken } from "../../core/tokens/button-token.ts";
import { DISCORD_MESSAGE_MAX_CHARS } from "./limits.ts";
import type { View, ViewButton, ViewChoices, ViewFormField } from "../../core/view.ts";
import {
  clip,
  DISCORD_BUTTON_LABEL_MAX_CHARS,
  DISCORD_BUTTONS_PER_ROW_MAX,
  DISCORD_MODAL_INPUTS_MAX,
  DISCORD_MODAL_TITLE_MAX_CHARS,
  DISCORD_ROWS_MAX,
  DISCORD_SELECT_OPTION_MAX_CHARS,
  DISCORD_SELECT_PLACEHOLDER_MAX_CHARS,
  DISCORD_TEXT_INPUT_LABEL_MAX_CHARS,
  DISCORD_TEXT_INPUT_MAX_CHARS,
  DISCORD_TEXT_INPUT_PLACEHOLDER_MAX_CHARS,
} from "./limits.ts";

/** The action of the button that opens the step's modal, and of the modal's own custom_id. */
export const INPUT_ACTION = "input";
export const MODAL_ACTION = "modal";
/** The modal field holding a single answer (steps without a form). */
export const SINGLE_FIELD = "value";

export type MessageRow = APIActionRowComponent<APIComponentInMessageActionRow>;

export interface DiscordScreen {
  readonly content: string;
  readonly components: MessageRow[];
}

export function renderDiscordView(view: View): DiscordScreen {
  const mark = { error: "✗", warning: "⚠", info: "ℹ" } as const;
  const lines = [
    ...(view.title ? [`**${view.title}**`, ""] : []),
    ...view.body,
    ...(view.notice
      ? ["", ...view.notice.text.split("\n").map((line) => `${mark[view.notice?.tone ?? "info"]} ${line}`)]
      : []),
    ...(view.input ? ["", `↩ ${inputHint(view)}`] : []),
  ];
  const content = fit(lines.join("\n"));
  if (view.final) return { content, components: [] };
  const rows: MessageRow[] = [];
  if (view.choices) rows.push(...choiceRows(view.choices));
  const given: (readonly ViewButton[])[] = [
    ...(view.input
      ? [
          [
            {
              label: `✎ ${view.input.prompt}`,
              token: encodeButtonToken(view.sessionId, view.rev, INPUT_ACTION),
            },
          ],
        ]
      : []),
    ...view.buttons,
  ];
  rows.push(...buttonRows(given, DISCORD_ROWS_MAX - rows.length));
  return { content, components: rows };
}

function inputHint(view: View): string {
  const input = view.input;
  if (!input) return "";
  return input.kind === "secret"
    ? `Press ✎ ${input.prompt} to enter it privately: only you see the form, and the key goes only into the profile's .env.`
    : `Press ✎ ${input.prompt} to type your answer.`;
}

/** Buttons keep the View's rows when they fit; otherwise they are packed five to a row. */
function buttonRows(given: readonly (readonly ViewButton[])[], budget: number): MessageRow[] {
  const asGiven = given.filter((row) => row.length > 0);
  const fits = asGiven.length <= budget && asGiven.every((row) => row.length <= DISCORD_BUTTONS_PER_ROW_MAX);
  const all = asGiven.flat();
  const packed: ViewButton[][] = [];
  for (let index = 0; index < all.length; index += DISCORD_BUTTONS_PER_ROW_MAX)
    packed.push(all.slice(index, index + DISCORD_BUTTONS_PER_ROW_MAX));
  const rows = fits ? asGiven : packed;
  if (rows.length > budget)
    throw new Error(`bug: a screen needs ${rows.length} button rows, ${budget} are left`);
  return rows.map(buttonRow);
}

/** One action row of buttons (at most DISCORD_BUTTONS_PER_ROW_MAX: callers pack rows to fit). */
export function buttonRow(buttons: readonly ViewButton[]): MessageRow {
  return { type: ComponentType.ActionRow, components: buttons.map(button) };
}

function button(source: ViewButton): APIButtonComponentWithCustomId {
  const style =
    source.style === "primary"
      ? ButtonStyle.Primary
      : source.style === "danger"
        ? ButtonStyle.Danger
        : ButtonStyle.Secondary;
  return {
    type: ComponentType.Button,
    custom_id: source.token,
    label: clip(source.label, DISCORD_BUTTON_LABEL_MAX_CHARS),
    style,
  };
}

/** A page of the list as one select menu (≤ 25 options: the core pages at 8), then ◀ ▶ when paged. */
function choiceRows(choices: ViewChoices): MessageRow[] {
  // Discord refuses a select menu without options (an empty catalog, a search that found nothing).
  if (choices.items.length === 0) return [];
  const chosen = choices.items.filter((item) => item.selected);
  // A single select never marks its current value as default: Discord's client sends nothing when
  // the default is picked again, so the user could not keep the current choice (e.g. after Back).
  // The placeholder names it instead.
  const current = choices.mode === "single" ? chosen[0]?.label : undefined;
  const placeholder =
    choices.mode === "multi"
      ? `Choose any (${chosen.length} of ${choices.items.length} on this page chosen)`
      : current
        ? `Now: ${current} (pick it again to keep it)`
        : "Choose one";
  const menu: APIStringSelectComponent = {
    type: ComponentType.StringSelect,
    custom_id: choices.selectToken,
    placeholder: clip(placeholder, DISCORD_SELECT_PLACEHOLDER_MAX_CHARS),
    min_values: choices.mode === "multi" ? 0 : 1,
    max_values: choices.mode === "multi" ? choices.items.length : 1,
    options: choices.items.map((item) => ({
      label: clip(item.label, DISCORD_SELECT_OPTION_MAX_CHARS),
      value: item.token,
      default: choices.mode === "multi" && item.selected,
      ...(item.description ? { description: clip(item.description, DISCORD_SELECT_OPTION_MAX_CHARS) } : {}),
    })),
  };
  const rows: MessageRow[] = [{ type: ComponentType.ActionRow, components: [menu] }];
  if (choices.pageCount > 1) {
    const position = `${choices.page + 1}/${choices.pageCount}`;
    const paging: ViewButton[] = [
      ...(choices.previousToken ? [{ label: `◀ ${position}`, token: choices.previousToken }] : []),
      ...(choices.nextToken ? [{ label: `${position} ▶`, token: choices.nextToken }] : []),
    ];
    rows.push(buttonRow(paging));
  }
  return rows;
}

/** The modal for the step's text input: its form's fields, or one field for the single answer. */
export function renderModal(view: View): APIModalInteractionResponseCallbackData | undefined {
  const input = view.input;
  if (!input) return undefined;
  const fields: readonly ViewFormField[] =
    input.form && input.kind === "text"
      ? input.form
      : [
          {
            key: SINGLE_FIELD,
            label: input.prompt,
            maxLength: input.maxLength,
            required: true,
            ...(input.placeholder ? { placeholder: input.placeholder } : {}),
          },
        ];
  if (fields.length > DISCORD_MODAL_INPUTS_MAX) throw new Error(`bug: a form of ${fields.length} fields`);
  const modal = new ModalBuilder()
    .setCustomId(encodeButtonToken(view.sessionId, view.rev, MODAL_ACTION))
    .setTitle(clip(view.title || input.prompt, DISCORD_MODAL_TITLE_MAX_CHARS));
  for (const field of fields) {
    const text = new TextInputBuilder()
      .setCustomId(field.key)
      .setLabel(clip(field.label, DISCORD_TEXT_INPUT_LABEL_MAX_CHARS))
      .setStyle(field.multiline ? TextInputStyle.Paragraph : TextInputStyle.Short)
      .setRequired(field.required)
      .setMaxLength(Math.min(field.maxLength, DISCORD_TEXT_INPUT_MAX_CHARS));
    if (field.placeholder)
      text.setPlaceholder(clip(field.placeholder, DISCORD_TEXT_INPUT_PLACEHOLDER_MAX_CHARS));
    modal.addComponents(new ActionRowBuilder<TextInputBuilder>().addComponents(text));
  }
  return modal.toJSON();
}

/** A wizard screen is one message: past Discord's 2,000 characters the body is cut with a marker. */
function fit(text: string): string {
  return text.length <= DISCORD_MESSAGE_MAX_CHARS
    ? text
    : `${text.slice(0, DISCORD_MESSAGE_MAX_CHARS - 2)} …`;
}
