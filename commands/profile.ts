import type { CommandDef, OptionDef } from "./types.ts";

const NAME: OptionDef = {
  name: "name",
  description: "Profile name",
  required: true,
  autocomplete: "profile",
};

export const profileCommand: CommandDef = {
  name: "profile",
  description: "Create and manage agent profiles",
  subcommands: [
    { name: "new", description: "Start the profile wizard", intent: "wizard.start" },
    { name: "list", description: "List the profiles with their model and persona", intent: "profile.list" },
    {
      name: "show",
      description: "Show what a profile holds (model, MCP servers, skills, personas, .env keys)",
      intent: "profile.show",
      options: [NAME],
    },
    {
      name: "keys",
      description: "List the keys a profile needs and which are set (never their values)",
      intent: "profile.keys",
      options: [NAME],
    },
    {
      name: "edit",
      description: "Edit a profile in the wizard (prefilled; Review shows what changes before Apply)",
      intent: "profile.edit",
      options: [
        { ...NAME, required: false, description: "Profile name (default: the profile bound to this chat)" },
      ],
    },
    {
      name: "install",
      description: "Install a hub or optional skill into a profile (live status, scan verdict)",
      intent: "profile.install",
      options: [
        NAME,
        {
          name: "skill",
          description:
            "Hub identifier (official/security/password-audit) or optional skill (devops/docker-debug)",
          required: true,
        },
      ],
    },
    {
      name: "delete",
      description: "Delete a profile (asks for confirmation first)",
      intent: "profile.delete",
      options: [NAME],
    },
    {
      name: "use",
      description: "Bind this chat to a profile (persona commands then default to it)",
      intent: "profile.use",
      options: [NAME],
    },
  ],
};
