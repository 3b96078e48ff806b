// The one command table: the single source for every surface's command list and help.
import { cancelCommand } from "./cancel.ts";
import { helpCommand } from "./help.ts";
import { installsCommand } from "./installs.ts";
import { personaCommand } from "./persona.ts";
import { profileCommand } from "./profile.ts";
import { showCommand } from "./show.ts";
import type { CommandDef, CommandIntent, OptionDef } from "./types.ts";

export type { CommandDef, CommandIntent, OptionDef, SubcommandDef } from "./types.ts";

export const COMMANDS: readonly CommandDef[] = [
  profileCommand,
  personaCommand,
  cancelCommand,
  showCommand,
  installsCommand,
  helpCommand,
];

export interface CommandEntry {
  readonly path: string;
  readonly description: string;
  readonly intent: CommandIntent;
  readonly options: readonly OptionDef[];
  readonly admin: boolean;
}

/** Every invocable form, flattened: `profile new`, `persona apply`, `cancel`, ... */
export function commandEntries(): CommandEntry[] {
  return COMMANDS.flatMap((command) =>
    command.subcommands
      ? command.subcommands.map((sub) => ({
          path: `${command.name} ${sub.name}`,
          description: sub.description,
          intent: sub.intent,
          options: sub.options ?? [],
          admin: sub.admin ?? false,
        }))
      : command.intent
        ? [
            {
              path: command.name,
              description: command.description,
              intent: command.intent,
              options: [],
              admin: false,
            },
          ]
        : [],
  );
}

export interface ParsedCommand {
  readonly entry: CommandEntry;
  /** The words after the command, as typed (positional options). */
  readonly args: readonly string[];
}

/**
 * Reads `/persona apply x`, `/persona_apply x` (Telegram's form, optionally `@botname`) or
 * `persona apply x`; undefined for anything that is not a known command.
 */
export function parseCommand(text: string): ParsedCommand | undefined {
  const [head = "", ...rest] = text.trim().replace(/^\//, "").split(/\s+/);
  const words = [...head.replace(/@\w+$/, "").toLowerCase().split("_").filter(Boolean), ...rest];
  const entries = commandEntries();
  for (const length of [2, 1]) {
    const path = words
      .slice(0, length)
      .map((word) => word.toLowerCase())
      .join(" ");
    const entry = entries.find((candidate) => candidate.path === path);
    if (entry) return { entry, args: words.slice(length) };
  }
  return undefined;
}

export function usage(entry: CommandEntry): string {
  const options = entry.options.map((option) => (option.required ? `<${option.name}>` : `[${option.name}]`));
  return `/${[entry.path, ...options].join(" ")}`;
}

export function helpLines(): string[] {
  return commandEntries().map((entry) => `${usage(entry)} — ${entry.description}`);
}
