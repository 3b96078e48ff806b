import type { CommandDef } from "./types.ts";

export const cancelCommand: CommandDef = {
  name: "cancel",
  description: "Cancel the open profile wizard (nothing is written)",
  intent: "wizard.cancel",
};
