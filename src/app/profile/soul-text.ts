// A new profile's SOUL.md when the blueprint brings none: Hermes' own default identity, or one
// built from the display name and description. The same text on this machine and on a Hermes host.
import type { Blueprint } from "../../core/blueprint.ts";
import { HERMES_DEFAULT_SOUL } from "./hermes-defaults.ts";

export function hasIdentity(blueprint: Blueprint): boolean {
  return Boolean(blueprint.display_name ?? blueprint.description);
}

/** Hermes' own default identity, unless the blueprint names the agent or says what it is for. */
export function defaultSoul(blueprint: Blueprint): string {
  if (!hasIdentity(blueprint)) return HERMES_DEFAULT_SOUL;
  const display = blueprint.display_name ?? blueprint.name;
  return [
    `# ${display}`,
    "",
    `You are ${display}, an AI agent running on Hermes.`,
    ...(blueprint.description ? ["", blueprint.description] : []),
    "",
    "Be direct and accurate. Say what you do not know, ask when a request is ambiguous, and never",
    "reveal secrets from your environment.",
    "",
  ].join("\n");
}
