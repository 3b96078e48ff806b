// Renders a neutral View as terminal text: title, body, notice, numbered list items (✓ on chosen
// ones), page controls and buttons. Every pressable thing gets a number the user can type.
import type { View } from "../../core/view.ts";

export interface ConsoleAnswer {
  readonly number: number;
  readonly label: string;
  readonly token: string;
}

export interface ConsoleScreen {
  readonly text: string;
  readonly answers: readonly ConsoleAnswer[];
}

const NOTICE_MARK = { error: "✗", warning: "!", info: "ℹ" } as const;

export function renderConsoleView(view: View): ConsoleScreen {
  const answers: ConsoleAnswer[] = [];
  const add = (label: string, token: string) => {
    const number = answers.length + 1;
    answers.push({ number, label, token });
    return number;
  };
  const lines = ["", ...(view.title ? [`━━ ${view.title} ━━`] : []), ...view.body];
  if (view.notice)
    lines.push(
      ...view.notice.text.split("\n").map((line) => `${NOTICE_MARK[view.notice?.tone ?? "info"]} ${line}`),
    );
  const choices = view.choices;
  if (choices && choices.total > 0) {
    for (const item of choices.items) {
      const mark = choices.mode === "multi" ? (item.selected ? "[✓] " : "[ ] ") : item.selected ? "(•) " : "";
      const number = add(item.label, item.token);
      lines.push(
        `  ${String(number).padStart(2)}) ${mark}${item.label}${item.description ? ` — ${item.description}` : ""}`,
      );
    }
    if (choices.pageCount > 1) {
      const controls: string[] = [];
      if (choices.previousToken)
        controls.push(`${add("◀ Previous page", choices.previousToken)}) ◀ Previous page`);
      controls.push(`page ${choices.page + 1}/${choices.pageCount}`);
      if (choices.nextToken) controls.push(`${add("Next page ▶", choices.nextToken)}) Next page ▶`);
      lines.push(`  ${controls.join("   ")}`);
    }
  }
  for (const row of view.buttons) {
    if (row.length === 0) continue;
    lines.push(
      `  ${row.map((button) => `[${add(button.label, button.token)}] ${button.label}`).join("   ")}`,
    );
  }
  if (view.input) {
    const how = view.input.kind === "secret" ? "typing is hidden" : "type it";
    lines.push(`› ${view.input.prompt} (${how}${answers.length > 0 ? ", or /N to press button N" : ""}):`);
  } else if (answers.length > 0) {
    lines.push("› Type a number or a button's label:");
  }
  return { text: lines.join("\n"), answers };
}
