import type { CommandDef } from "./types.ts";

export const showCommand: CommandDef = {
  name: "show",
  description: "Show the open wizard's current step again",
  intent: "wizard.show",
};
