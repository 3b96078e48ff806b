// The command table's shape: one definition per top-level command, read by every surface
// (console help, Telegram setMyCommands, Discord registration, /help).

/** What a command asks the bot to do, independent of the surface it was typed on. */
export type CommandIntent =
  | "wizard.start"
  | "wizard.cancel"
  | "wizard.show"
  | "installs.status"
  | "installs.cancel"
  | "installs.retry"
  | "profile.use"
  | "profile.list"
  | "profile.show"
  | "profile.keys"
  | "profile.delete"
  | "profile.edit"
  | "profile.install"
  | "persona.list"
  | "persona.categories"
  | "persona.get"
  | "persona.apply"
  | "persona.status"
  | "persona.sync"
  | "persona.clear"
  | "persona.plugin"
  | "persona.reload"
  | "help";

export interface OptionDef {
  readonly name: string;
  readonly description: string;
  readonly required: boolean;
  /** Where suggestions come from (Discord autocomplete, console hints). */
  readonly autocomplete?: "persona" | "profile" | "category";
  readonly choices?: readonly string[];
}

export interface SubcommandDef {
  readonly name: string;
  readonly description: string;
  readonly intent: CommandIntent;
  /** Positional in the console and Telegram, named options on Discord. */
  readonly options?: readonly OptionDef[];
  /** Only admins may run it (console: always allowed). */
  readonly admin?: boolean;
}

export interface CommandDef {
  readonly name: string;
  readonly description: string;
  /** Set for commands without subcommands. */
  readonly intent?: CommandIntent;
  readonly subcommands?: readonly SubcommandDef[];
}
