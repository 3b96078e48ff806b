// Steps of a Create that both backends take the same way: the blueprint's persona laid into
// config.yaml (the local writer, and the dashboard backend through GET/PUT /api/config/raw) and the
// post-install notes of the catalog's MCP servers.
import type { Document } from "yaml";
import type { Blueprint } from "../../core/blueprint.ts";
import type { CreateStep } from "../../core/create-report.ts";
import type { LoadedLibrary } from "../library/library-loader.ts";
import { activatePersonality } from "../persona/personality.ts";
import type { PersonaLookup } from "../ports/persona-lookup.ts";

/**
 * The blueprint's persona as Hermes reads it: a named preset, made the active system prompt. With
 * the personas plugin (`byReference`) nothing is copied: the plugin's state names it as the default
 * and adds its current text to every request, so the text would otherwise be there twice.
 */
export function applyPersona(
  doc: Document,
  blueprint: Blueprint,
  personas: PersonaLookup | undefined,
  byReference = false,
): CreateStep | undefined {
  const wanted = blueprint.persona;
  if (!wanted) return undefined;
  if (wanted.mode === "delegate")
    return { step: "persona", ok: true, detail: "delegate mode writes nothing into the profile" };
  const persona = personas?.get(wanted.id);
  if (!persona) return { step: "persona", ok: false, detail: `'${wanted.id}' is not in the library` };
  if (byReference)
    return {
      step: "persona",
      ok: true,
      detail: `${persona.meta.id} v${persona.meta.version} as the personas plugin's default, read from its library copy at every request (agent.system_prompt and SOUL.md unchanged)`,
    };
  activatePersonality(doc, persona);
  return {
    step: "persona",
    ok: true,
    detail: `${persona.meta.id} v${persona.meta.version} as the active personality (agent.system_prompt; SOUL.md unchanged)`,
  };
}

/** A catalog server's post-install note is cut to this, on one line (it joins a chat message). */
export const MCP_NOTE_MAX_CHARS = 300;

/**
 * What Hermes prints after installing a catalog server (`post_install`: "a browser opens on first
 * connection", "restart your session"), one line per chosen server that has a note.
 */
export function mcpNotes(blueprint: Blueprint, library: LoadedLibrary): CreateStep[] {
  return blueprint.mcp_servers.flatMap((server) => {
    const note = library.catalog.mcps.find((entry) => entry.name === server.name)?.post_install?.trim();
    if (!note) return [];
    const line = note.replace(/\s+/g, " ");
    return [
      {
        step: `${server.name} (MCP)`,
        ok: true,
        detail: line.length > MCP_NOTE_MAX_CHARS ? `${line.slice(0, MCP_NOTE_MAX_CHARS)}…` : line,
      },
    ];
  });
}
