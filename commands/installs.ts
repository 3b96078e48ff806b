import type { CommandDef } from "./types.ts";

export const installsCommand: CommandDef = {
  name: "installs",
  description: "Hub-skill installs of your newest create",
  subcommands: [
    {
      name: "status",
      description: "Show how the installs stand (also when no status message could be posted)",
      intent: "installs.status",
    },
    { name: "cancel", description: "Cancel the installs that have not ended", intent: "installs.cancel" },
    {
      name: "retry",
      description: "Retry failed, canceled or interrupted installs",
      intent: "installs.retry",
    },
  ],
};
