// An edit of an existing profile, planned: from the profile as it is and the blueprint it should
// match, the change list and the edits that make it. Only the blueprint keys given are matched; a
// key left out of the file leaves that part of the profile as it is.
import type { Blueprint } from "../blueprint.ts";
import type { Catalog } from "../catalog.ts";
import type { CurrentProfile } from "./current-profile.ts";
import { planMeta, plannedSoul } from "./plan-identity.ts";
import { planMcpServers } from "./plan-mcp.ts";
import { planModel } from "./plan-model.ts";
import { planPersona, type WantedPersona } from "./plan-persona.ts";
import { planSkills } from "./plan-skills.ts";
import { planToolsets } from "./plan-toolsets.ts";
import type { PartPlan } from "./plan-parts.ts";

/** The blueprint keys an edit can match (`name` picks the profile; `clone_from` is for Create only). */
export const EDITABLE_KEYS = [
  "model",
  "skills",
  "mcp_servers",
  "persona",
  "display_name",
  "description",
  "soul",
  "toolsets",
] as const;

export interface EditInputs {
  readonly catalog: Catalog;
  readonly persona?: WantedPersona;
  /** The rendered text of the profile's active persona preset, to tell it from a hand-written prompt. */
  readonly renderedActive?: string;
  /** MCP servers the chat editor could not show: left as they are. */
  readonly keptServers?: readonly string[];
}

export interface EditPlan extends PartPlan {
  /** The new SOUL.md, when it changes. */
  readonly soul?: string;
}

export function planEdit(
  current: CurrentProfile,
  blueprint: Blueprint,
  present: ReadonlySet<string>,
  inputs: EditInputs,
): EditPlan {
  const parts: PartPlan[] = [];
  if (present.has("model")) parts.push(planModel(current, blueprint, inputs.catalog));
  if (present.has("mcp_servers")) parts.push(planMcpServers(current, blueprint, inputs.keptServers));
  if (present.has("skills")) parts.push(planSkills(current, blueprint, inputs.catalog));
  if (present.has("toolsets")) parts.push(planToolsets(current, blueprint, inputs.catalog));
  if (present.has("persona"))
    parts.push(planPersona(current, blueprint, inputs.persona, inputs.renderedActive));
  parts.push(planMeta(current, blueprint, present));
  const soul = present.has("soul") ? plannedSoul(current, blueprint) : undefined;
  const notes = parts.flatMap((part) => part.notes);
  if (present.has("clone_from")) notes.push("clone_from: used only when a profile is created; ignored here");
  return {
    changes: [
      ...parts.flatMap((part) => part.changes),
      ...(soul !== undefined
        ? [{ kind: "changed" as const, what: "identity text (SOUL.md)", detail: `${soul.length} characters` }]
        : []),
    ],
    config: parts.flatMap((part) => part.config),
    meta: parts.flatMap((part) => part.meta),
    installs: parts.flatMap((part) => part.installs),
    copies: parts.flatMap((part) => part.copies),
    notes,
    ...(soul !== undefined ? { soul } : {}),
  };
}
