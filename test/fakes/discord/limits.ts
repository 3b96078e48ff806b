// Discord's documented limits, checked by the fake the way the real API answers them (400, code
// 50035 "Invalid Form Body"). The numbers are written out here on purpose, not imported from the
// adapter: the fake is an independent check of what the adapter sends.

const CONTENT_MAX = 2000;
const ROWS_MAX = 5;
const BUTTONS_PER_ROW_MAX = 5;
const CUSTOM_ID_MAX = 100;
const BUTTON_LABEL_MAX = 80;
const SELECT_OPTIONS_MAX = 25;
const SELECT_OPTION_TEXT_MAX = 100;
const SELECT_PLACEHOLDER_MAX = 150;
const MODAL_TITLE_MAX = 45;
const MODAL_INPUTS_MAX = 5;
const TEXT_INPUT_LABEL_MAX = 45;
const TEXT_INPUT_VALUE_MAX = 4000;
const TEXT_INPUT_PLACEHOLDER_MAX = 100;
const CHOICES_MAX = 25;
const CHOICE_TEXT_MAX = 100;
const COMMAND_NAME = /^[-_\p{L}\p{N}]{1,32}$/u;
const COMMAND_DESCRIPTION_MAX = 100;
const COMMAND_OPTIONS_MAX = 25;
const COMMAND_TOTAL_CHARS_MAX = 8000;

type Json = Record<string, unknown>;

function list(value: unknown): Json[] {
  return Array.isArray(value) ? (value as Json[]) : [];
}

function text(value: unknown): string {
  return typeof value === "string" ? value : "";
}

function customId(value: unknown, where: string, seen: Set<string>, problems: string[]): void {
  const id = text(value);
  if (id.length < 1 || id.length > CUSTOM_ID_MAX) problems.push(`${where}: custom_id length ${id.length}`);
  if (seen.has(id)) problems.push(`${where}: custom_id '${id}' is not unique in the message`);
  seen.add(id);
}

/** A new message needs something to show: Discord answers 50006 "Cannot send an empty message". */
export function isEmptyMessage(body: Json, files: readonly unknown[] = []): boolean {
  return (
    text(body["content"]).length === 0 &&
    list(body["components"]).length === 0 &&
    list(body["embeds"]).length === 0 &&
    list(body["attachments"]).length === 0 &&
    files.length === 0
  );
}

/** A deferred reply may carry only the ephemeral flag (64). */
export function deferFlagProblems(data: Json): string[] {
  const flags = typeof data["flags"] === "number" ? data["flags"] : 0;
  return (flags & ~64) !== 0 ? [`deferred reply: flags ${flags} (only 64, ephemeral, is allowed)`] : [];
}

/** Problems with a message body (create, edit, interaction response data). */
export function messageProblems(body: Json): string[] {
  const problems: string[] = [];
  if (typeof body["content"] === "string" && body["content"].length > CONTENT_MAX)
    problems.push(`content: ${body["content"].length} characters (max ${CONTENT_MAX})`);
  const rows = list(body["components"]);
  if (rows.length > ROWS_MAX) problems.push(`components: ${rows.length} rows (max ${ROWS_MAX})`);
  const seen = new Set<string>();
  rows.forEach((row, r) => {
    if (row["type"] !== 1) problems.push(`components[${r}]: not an action row`);
    const items = list(row["components"]);
    const buttons = items.filter((item) => item["type"] === 2);
    const selects = items.filter((item) => item["type"] === 3);
    if (selects.length > 0 && items.length !== 1) problems.push(`components[${r}]: a select shares its row`);
    if (buttons.length > BUTTONS_PER_ROW_MAX) problems.push(`components[${r}]: ${buttons.length} buttons`);
    if (items.length === 0) problems.push(`components[${r}]: empty row`);
    items.forEach((item, i) => {
      const where = `components[${r}][${i}]`;
      if (item["type"] === 2) {
        if (text(item["label"]).length > BUTTON_LABEL_MAX) problems.push(`${where}: label over 80`);
        if (text(item["label"]).length === 0 && item["emoji"] === undefined)
          problems.push(`${where}: a button needs a label or an emoji`);
        if (item["style"] === 5 && text(item["url"]).length === 0)
          problems.push(`${where}: a link button needs a url`);
        if (item["style"] !== 5 && item["url"] !== undefined)
          problems.push(`${where}: only link buttons have a url`);
        if (item["style"] !== 5) customId(item["custom_id"], where, seen, problems);
      } else if (item["type"] === 3) {
        customId(item["custom_id"], where, seen, problems);
        const options = list(item["options"]);
        if (options.length < 1 || options.length > SELECT_OPTIONS_MAX)
          problems.push(`${where}: ${options.length} options (1–${SELECT_OPTIONS_MAX})`);
        if (text(item["placeholder"]).length > SELECT_PLACEHOLDER_MAX) problems.push(`${where}: placeholder`);
        const max = typeof item["max_values"] === "number" ? item["max_values"] : 1;
        const min = typeof item["min_values"] === "number" ? item["min_values"] : 1;
        if (max > options.length || max > SELECT_OPTIONS_MAX) problems.push(`${where}: max_values ${max}`);
        if (min > max) problems.push(`${where}: min_values ${min} > max_values ${max}`);
        const values = options.map((option) => text(option["value"]));
        if (new Set(values).size !== values.length) problems.push(`${where}: option values are not unique`);
        for (const option of options) {
          for (const key of ["label", "value", "description"]) {
            if (text(option[key]).length > SELECT_OPTION_TEXT_MAX) problems.push(`${where}: option ${key}`);
          }
          if (text(option["label"]).length < 1 || text(option["value"]).length < 1)
            problems.push(`${where}: empty option`);
        }
      } else {
        problems.push(`${where}: unexpected component type ${String(item["type"])}`);
      }
    });
  });
  return problems;
}

export function modalProblems(body: Json): string[] {
  const problems: string[] = [];
  const title = text(body["title"]);
  if (title.length < 1 || title.length > MODAL_TITLE_MAX) problems.push(`modal title length ${title.length}`);
  customId(body["custom_id"], "modal", new Set(), problems);
  const rows = list(body["components"]);
  if (rows.length < 1 || rows.length > MODAL_INPUTS_MAX) problems.push(`modal: ${rows.length} inputs (1–5)`);
  const seen = new Set<string>();
  rows.forEach((row, r) => {
    // Two shapes Discord accepts: an action row holding one labelled text input (the older one),
    // or a Label component (type 18) whose `component` is a text input without its own label.
    const isLabel = row["type"] === 18;
    const inputs = isLabel
      ? [row["component"] as Json | undefined].filter((x) => x !== undefined)
      : list(row["components"]);
    if ((!isLabel && row["type"] !== 1) || inputs.length !== 1 || inputs[0]?.["type"] !== 4) {
      problems.push(`modal row ${r}: must be an action row or a Label holding exactly one text input`);
      return;
    }
    const input = inputs[0];
    if (isLabel && input["label"] !== undefined)
      problems.push(`modal row ${r}: a text input in a Label has no label`);
    customId(input["custom_id"], `modal row ${r}`, seen, problems);
    const label = text(isLabel ? row["label"] : input["label"]);
    if (label.length < 1 || label.length > TEXT_INPUT_LABEL_MAX) problems.push(`modal row ${r}: label`);
    const max = typeof input["max_length"] === "number" ? input["max_length"] : TEXT_INPUT_VALUE_MAX;
    if (max < 1 || max > TEXT_INPUT_VALUE_MAX) problems.push(`modal row ${r}: max_length ${max}`);
    if (text(input["placeholder"]).length > TEXT_INPUT_PLACEHOLDER_MAX)
      problems.push(`modal row ${r}: placeholder`);
  });
  return problems;
}

export function choiceProblems(choices: readonly Json[]): string[] {
  const problems: string[] = [];
  if (choices.length > CHOICES_MAX) problems.push(`autocomplete: ${choices.length} choices (max 25)`);
  for (const choice of choices) {
    const name = text(choice["name"]);
    const value = typeof choice["value"] === "number" ? String(choice["value"]) : text(choice["value"]);
    if (name.length < 1 || name.length > CHOICE_TEXT_MAX) problems.push(`autocomplete: name '${name}'`);
    if (value.length < 1 || value.length > CHOICE_TEXT_MAX) problems.push(`autocomplete: value '${value}'`);
  }
  return problems;
}

/**
 * Discord counts every name, description, choice name and choice value (as written) of a command
 * and its options towards 8,000 characters.
 */
function commandChars(option: Json): number {
  return (
    text(option["name"]).length +
    text(option["description"]).length +
    list(option["choices"]).reduce(
      (sum, choice) =>
        sum +
        text(choice["name"]).length +
        (typeof choice["value"] === "number" ? String(choice["value"]) : text(choice["value"])).length,
      0,
    ) +
    list(option["options"]).reduce((sum, child) => sum + commandChars(child), 0)
  );
}

/** Option types 1 and 2 are subcommands and groups; they never share a level with plain options. */
const SUBCOMMAND_TYPES = new Set([1, 2]);

export function commandProblems(command: Json): string[] {
  const problems: string[] = [];
  const check = (option: Json, where: string): void => {
    if (
      !COMMAND_NAME.test(text(option["name"])) ||
      text(option["name"]) !== text(option["name"]).toLowerCase()
    )
      problems.push(`${where}: name '${text(option["name"])}'`);
    const description = text(option["description"]);
    if (description.length < 1 || description.length > COMMAND_DESCRIPTION_MAX)
      problems.push(`${where}: description length ${description.length}`);
    const children = list(option["options"]);
    if (children.length > COMMAND_OPTIONS_MAX) problems.push(`${where}: ${children.length} options`);
    const names = children.map((child) => text(child["name"]));
    if (new Set(names).size !== names.length) problems.push(`${where}: option names are not unique`);
    const subs = children.filter((child) => SUBCOMMAND_TYPES.has(Number(child["type"])));
    if (subs.length > 0 && subs.length !== children.length)
      problems.push(`${where}: subcommands mixed with options`);
    let optionalSeen = false;
    for (const child of children) {
      if (SUBCOMMAND_TYPES.has(Number(child["type"]))) continue;
      if (child["required"] === true && optionalSeen)
        problems.push(`${where}.${text(child["name"])}: a required option after an optional one`);
      if (child["required"] !== true) optionalSeen = true;
    }
    const choices = list(option["choices"]);
    if (choices.length > CHOICES_MAX) problems.push(`${where}: ${choices.length} choices (max 25)`);
    for (const choice of choices) {
      const name = text(choice["name"]);
      if (name.length < 1 || name.length > CHOICE_TEXT_MAX) problems.push(`${where}: choice name '${name}'`);
      if (
        typeof choice["value"] === "string" &&
        (choice["value"].length < 1 || choice["value"].length > CHOICE_TEXT_MAX)
      )
        problems.push(`${where}: choice value length ${choice["value"].length}`);
    }
    children.forEach((child, index) => check(child, `${where}.${text(child["name"]) || index}`));
  };
  check(command, `/${text(command["name"])}`);
  const total = commandChars(command);
  if (total > COMMAND_TOTAL_CHARS_MAX)
    problems.push(`/${text(command["name"])}: ${total} characters in total`);
  return problems;
}
