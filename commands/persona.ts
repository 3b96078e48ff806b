import type { CommandDef, OptionDef } from "./types.ts";

const PROFILE: OptionDef = {
  name: "profile",
  description: "Profile name (default: the profile bound to this chat)",
  required: false,
  autocomplete: "profile",
};
const PERSONA: OptionDef = {
  name: "id",
  description: "Persona id or alias",
  required: true,
  autocomplete: "persona",
};

export const personaCommand: CommandDef = {
  name: "persona",
  description: "Browse the persona library and apply personas to profiles",
  subcommands: [
    {
      name: "list",
      description: "List personas, optionally of one category",
      intent: "persona.list",
      options: [{ name: "category", description: "Category", required: false, autocomplete: "category" }],
    },
    { name: "categories", description: "Persona categories with counts", intent: "persona.categories" },
    { name: "get", description: "Show a persona's full text", intent: "persona.get", options: [PERSONA] },
    {
      name: "apply",
      description: "Make a persona the profile's active personality (overlay), or get a delegate block",
      intent: "persona.apply",
      options: [
        PERSONA,
        PROFILE,
        {
          name: "mode",
          description: "overlay (default) or delegate",
          required: false,
          choices: ["overlay", "delegate"],
        },
      ],
    },
    {
      name: "status",
      description: "Drift of applied personas: current, outdated, modified, missing",
      intent: "persona.status",
      options: [PROFILE],
    },
    {
      name: "sync",
      description: "Update outdated persona copies (edited ones only after confirmation)",
      intent: "persona.sync",
      options: [PROFILE],
    },
    { name: "clear", description: "Remove the active persona", intent: "persona.clear", options: [PROFILE] },
    {
      name: "plugin",
      description: "Give a profile's agent the persona library as tools (install, update, remove)",
      intent: "persona.plugin",
      options: [
        {
          name: "action",
          description: "install, update or remove",
          required: true,
          choices: ["install", "update", "remove"],
        },
        PROFILE,
        {
          name: "default",
          description: "Default persona of the agent",
          required: false,
          autocomplete: "persona",
        },
      ],
    },
    {
      name: "reload",
      description: "Reload the persona library from disk",
      intent: "persona.reload",
      admin: true,
    },
  ],
};
