// The persona part of an edit, as Hermes' own `/personality <name>` makes one active: the preset
// under agent.personalities, its name in display.personality, its rendered text as
// agent.system_prompt (what a session starts with). `persona: null` clears the active one.
import type { Blueprint } from "../blueprint.ts";
import { record, sameValue, type CurrentProfile } from "./current-profile.ts";
import { emptyPart, type PartPlan } from "./plan-parts.ts";

/** The library persona the file names, prepared by the caller (the rendering is Hermes' rule). */
export interface WantedPersona {
  readonly id: string;
  readonly preset: { readonly system_prompt: string; readonly description: string };
  /** The preset as Hermes renders it into agent.system_prompt. */
  readonly rendered: string;
}

export function planPersona(
  current: CurrentProfile,
  blueprint: Blueprint,
  persona: WantedPersona | undefined,
  renderedActive: string | undefined,
): PartPlan {
  const plan = emptyPart();
  const agent = record(current.config["agent"]);
  const active = record(current.config["display"])["personality"];
  const activeName = typeof active === "string" ? active : undefined;
  if (blueprint.persona === null) {
    if (!activeName) return plan;
    plan.config.push({ path: ["display", "personality"], value: undefined });
    // The prompt goes only when it is that preset's text, not a prompt someone wrote by hand.
    if (renderedActive !== undefined && agent["system_prompt"] === renderedActive)
      plan.config.push({ path: ["agent", "system_prompt"], value: undefined });
    plan.changes.push({ kind: "removed", what: `persona '${activeName}'` });
    return plan;
  }
  if (!blueprint.persona) return plan;
  if (blueprint.persona.mode === "delegate") {
    plan.notes.push("persona: delegate mode writes nothing into the profile");
    return plan;
  }
  if (!persona) return plan;
  const stored = record(agent["personalities"])[persona.id];
  const edits = [
    { path: ["agent", "personalities", persona.id], now: stored, value: { ...persona.preset } },
    { path: ["display", "personality"], now: active, value: persona.id },
    { path: ["agent", "system_prompt"], now: agent["system_prompt"], value: persona.rendered },
  ];
  const changed = edits.filter((edit) => !sameValue(edit.now, edit.value));
  if (changed.length === 0) return plan;
  for (const edit of changed) plan.config.push({ path: edit.path, value: edit.value });
  plan.changes.push(
    activeName === persona.id
      ? { kind: "changed", what: `persona '${persona.id}'`, detail: "brought up to the library's text" }
      : activeName
        ? { kind: "changed", what: "persona", detail: `${activeName} → ${persona.id}` }
        : { kind: "added", what: `persona '${persona.id}'` },
  );
  return plan;
}
