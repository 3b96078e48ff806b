// The one command table (DESIGN §1): the single source for every surface's command list and help.
import { cancelCommand } from "./cancel.ts";
import { helpCommand } from "./help.ts";
import { installsCommand } from "./installs.ts";
import { profileCommand } from "./profile.ts";
import { showCommand } from "./show.ts";
import type { CommandDef, CommandIntent } from "./types.ts";

export type { CommandDef, CommandIntent, SubcommandDef } from "./types.ts";

export const COMMANDS: readonly CommandDef[] = [
  profileCommand,
  cancelCommand,
  showCommand,
  installsCommand,
  helpCommand,
];

/** Every invocable form, flattened: `profile new`, `cancel`, ... */
export function commandEntries(): {
  readonly path: string;
  readonly description: string;
  readonly intent: CommandIntent;
}[] {
  return COMMANDS.flatMap((command) =>
    command.subcommands
      ? command.subcommands.map((sub) => ({
          path: `${command.name} ${sub.name}`,
          description: sub.description,
          intent: sub.intent,
        }))
      : command.intent
        ? [{ path: command.name, description: command.description, intent: command.intent }]
        : [],
  );
}

/**
 * Reads `/profile new`, `/profile_new` (Telegram's form) or `profile new`; undefined for anything
 * that is not a known command.
 */
export function matchCommand(text: string): CommandIntent | undefined {
  const words = text
    .trim()
    .replace(/^\//, "")
    .replace(/@\w+$/, "")
    .split(/[\s_]+/)
    .filter((word) => word !== "")
    .map((word) => word.toLowerCase());
  const path = words.join(" ");
  return commandEntries().find((entry) => entry.path === path)?.intent;
}

export function helpLines(): string[] {
  return commandEntries().map((entry) => `/${entry.path} — ${entry.description}`);
}
