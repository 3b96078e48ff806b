import type { CommandDef } from "./types.ts";

export const profileCommand: CommandDef = {
  name: "profile",
  description: "Create and manage agent profiles",
  subcommands: [{ name: "new", description: "Start the profile wizard", intent: "wizard.start" }],
};
