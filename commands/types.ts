// The command table's shape: one definition per top-level command, read by every surface
// (console help, Telegram setMyCommands, Discord registration, /help).

/** What a command asks the bot to do, independent of the surface it was typed on. */
export type CommandIntent =
  "wizard.start" | "wizard.cancel" | "wizard.show" | "installs.cancel" | "installs.retry" | "help";

export interface SubcommandDef {
  readonly name: string;
  readonly description: string;
  readonly intent: CommandIntent;
}

export interface CommandDef {
  readonly name: string;
  readonly description: string;
  /** Set for commands without subcommands. */
  readonly intent?: CommandIntent;
  readonly subcommands?: readonly SubcommandDef[];
}
