import type { CommandDef } from "./types.ts";

export const helpCommand: CommandDef = {
  name: "help",
  description: "List the commands",
  intent: "help",
};
