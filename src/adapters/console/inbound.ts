// Reads one typed line against the screen on show: a command, a button number or label, or the
// free text (or secret) the screen asks for. Anything else gets a hint, never a guess.
import { parseCommand, type ParsedCommand } from "../../../commands/index.ts";
import type { View } from "../../core/view.ts";
import type { ConsoleAnswer } from "./outbound.ts";

export type ConsoleInput =
  | { readonly kind: "command"; readonly command: ParsedCommand }
  | { readonly kind: "press"; readonly token: string }
  | { readonly kind: "text"; readonly text: string }
  | { readonly kind: "secret"; readonly value: string }
  | { readonly kind: "none" }
  | { readonly kind: "invalid"; readonly message: string };

export function interpretLine(
  line: string,
  view: View | undefined,
  answers: readonly ConsoleAnswer[],
): ConsoleInput {
  const text = line.replace(/\r$/, "");
  const trimmed = text.trim();
  // While a text answer is asked, typing a button's name (e.g. "done", "skip", "back") presses it.
  const named = view ? findByName(answers, trimmed) : undefined;
  if (named && view?.input) return { kind: "press", token: named.token };
  // A secret is taken verbatim: it must never be mistaken for a command and echoed in an error.
  if (view?.input?.kind === "secret" && !/^\/(\d+|cancel|show|help)$/.test(trimmed))
    return { kind: "secret", value: text };
  const pressed = /^\/(\d+)$/.exec(trimmed) ?? (view?.input ? null : /^(\d+)$/.exec(trimmed));
  if (pressed?.[1]) {
    const answer = answers.find((entry) => entry.number === Number(pressed[1]));
    return answer ? { kind: "press", token: answer.token } : { kind: "invalid", message: hint(answers) };
  }
  if (trimmed.startsWith("/")) {
    const command = parseCommand(trimmed);
    return command
      ? { kind: "command", command }
      : { kind: "invalid", message: `Unknown command ${trimmed.split(/\s/)[0] ?? ""}. Type /help.` };
  }
  if (!view || view.final)
    return trimmed === ""
      ? { kind: "none" }
      : { kind: "invalid", message: "No wizard is open. Type /profile new to start one, or /help." };
  if (view.input) return { kind: "text", text };
  if (trimmed === "") return { kind: "none" };
  return named ? { kind: "press", token: named.token } : { kind: "invalid", message: hint(answers) };
}

/** A button by its whole label, or by its first word when no other button starts with that word. */
function findByName(answers: readonly ConsoleAnswer[], typed: string): ConsoleAnswer | undefined {
  const wanted = normalise(typed);
  if (wanted === "") return undefined;
  const exact = answers.find((entry) => normalise(entry.label) === wanted);
  if (exact) return exact;
  const byFirstWord = answers.filter((entry) => normalise(entry.label).split(" ")[0] === wanted);
  if (byFirstWord.length === 1) return byFirstWord[0];
  // The start of a longer label, e.g. "security engineer" for "Security Engineer (engineering)".
  const byStart = answers.filter((entry) => normalise(entry.label).startsWith(`${wanted} `));
  return byStart.length === 1 ? byStart[0] : undefined;
}

function normalise(label: string): string {
  return label
    .replace(/[^\p{L}\p{N}/._-]+/gu, " ")
    .trim()
    .toLowerCase();
}

function hint(answers: readonly ConsoleAnswer[]): string {
  return answers.length > 0
    ? `Type a number from 1 to ${answers.length}, a button's label, or /help.`
    : "Type /help for the commands.";
}
