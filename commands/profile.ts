import type { CommandDef } from "./types.ts";

export const profileCommand: CommandDef = {
  name: "profile",
  description: "Create and manage agent profiles",
  subcommands: [
    { name: "new", description: "Start the profile wizard", intent: "wizard.start" },
    {
      name: "use",
      description: "Bind this chat to a profile (persona commands then default to it)",
      intent: "profile.use",
      options: [{ name: "name", description: "Profile name", required: true, autocomplete: "profile" }],
    },
  ],
};
