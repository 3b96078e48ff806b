// A persona made active the way Hermes 0.19 itself does it. Hermes keeps named presets under
// `agent.personalities`, but what a session starts with is `agent.system_prompt`: its own
// `/personality <name>` (CLI, gateway, TUI) writes the rendered preset there, and the TUI also sets
// `display.personality` to the name. `display.personality` alone is read by nothing at start-up.
import type { Document } from "yaml";
import type { Persona } from "../../core/persona/persona.ts";

export const PERSONALITY = (id: string): string[] => ["agent", "personalities", id];
export const ACTIVE_PERSONALITY = ["display", "personality"];
export const SYSTEM_PROMPT = ["agent", "system_prompt"];

/** The preset Hermes stores; `tone`/`style` are not written, so the prompt renders as the body. */
export function personalityPreset(persona: Persona): { system_prompt: string; description: string } {
  return { system_prompt: persona.body, description: persona.meta.description };
}

/**
 * Hermes' `_render_personality_prompt` (tui_gateway/server.py, gateway/slash_commands.py): a string
 * preset is itself; a mapping is its system_prompt, then `Tone:` and `Style:` lines when present.
 */
export function renderPersonality(value: unknown): string {
  if (value !== null && typeof value === "object" && !Array.isArray(value)) {
    const preset = value as Record<string, unknown>;
    const parts = [scalarText(preset["system_prompt"])];
    if (preset["tone"]) parts.push(`Tone: ${scalarText(preset["tone"])}`);
    if (preset["style"]) parts.push(`Style: ${scalarText(preset["style"])}`);
    return parts.filter((part) => part !== "").join("\n");
  }
  return scalarText(value);
}

/** A YAML scalar as text; anything else (a list, a mapping) as JSON, which no preset prompt equals. */
function scalarText(value: unknown): string {
  if (value === undefined || value === null) return "";
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return JSON.stringify(value);
}

/** Writes the preset and makes it the active prompt, as `/personality <id>` would. */
export function activatePersonality(doc: Document, persona: Persona): void {
  const preset = personalityPreset(persona);
  doc.setIn(PERSONALITY(persona.meta.id), doc.createNode(preset));
  doc.setIn(ACTIVE_PERSONALITY, persona.meta.id);
  doc.setIn(SYSTEM_PROMPT, renderPersonality(preset));
}

/** The names under agent.personalities whose rendered prompt is this text (an active preset). */
export function presetsRendering(doc: Document, prompt: string): string[] {
  const presets: unknown = doc.getIn(["agent", "personalities"]);
  const plain = (presets as { toJSON?: () => unknown } | undefined)?.toJSON?.() ?? presets;
  if (plain === null || typeof plain !== "object") return [];
  return Object.entries(plain as Record<string, unknown>)
    .filter(([, value]) => renderPersonality(value) === prompt)
    .map(([name]) => name);
}
