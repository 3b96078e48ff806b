// The personas plugin in a profile's config.yaml, as Hermes 0.19 loads a profile-local plugin: it
// is listed under `plugins.enabled` (Hermes loads a user plugin only then) and never under
// `plugins.disabled` (which always wins). Its folder is personas-plugin-copy.ts; Create places it
// in its staging folder, so it appears with the profile or not at all.
import type { Document } from "yaml";
import { isSeq } from "yaml";
import type { CreateStep } from "../../core/create-report.ts";
import { PERSONAS_PLUGIN, syncPersonasPlugin, type PersonasPluginSource } from "./personas-plugin-copy.ts";

export { PERSONAS_PLUGIN, personasPluginDir, type PersonasPluginSource } from "./personas-plugin-copy.ts";

function pluginList(doc: Document, key: "enabled" | "disabled"): string[] {
  const node: unknown = doc.getIn(["plugins", key]);
  return isSeq(node) ? node.toJSON().map(String) : [];
}

/** `plugins.enabled` gains the plugin (a clone's other entries kept); `plugins.disabled` loses it. */
export function enablePlugin(doc: Document, name: string): boolean {
  const enabled = pluginList(doc, "enabled");
  const disabled = pluginList(doc, "disabled");
  if (enabled.includes(name) && !disabled.includes(name)) return false;
  if (!enabled.includes(name)) doc.setIn(["plugins", "enabled"], doc.createNode([...enabled, name]));
  if (disabled.includes(name))
    doc.setIn(["plugins", "disabled"], doc.createNode(disabled.filter((entry) => entry !== name)));
  return true;
}

/** `plugins.enabled` loses the plugin; false when it was not there. */
export function disablePlugin(doc: Document, name: string): boolean {
  const enabled = pluginList(doc, "enabled");
  if (!enabled.includes(name)) return false;
  doc.setIn(["plugins", "enabled"], doc.createNode(enabled.filter((entry) => entry !== name)));
  return true;
}

export function pluginEnabled(doc: Document, name: string): boolean {
  return pluginList(doc, "enabled").includes(name) && !pluginList(doc, "disabled").includes(name);
}

/** Create's step: the plugin written into the staging folder, so it appears with the profile or not at all. */
export async function placePersonasPlugin(
  profileDir: string,
  source: PersonasPluginSource,
  defaultPersona: string | null,
): Promise<CreateStep> {
  const drift = await syncPersonasPlugin(profileDir, source, defaultPersona);
  return {
    step: "personas plugin",
    ok: true,
    detail: `plugins/${PERSONAS_PLUGIN} with ${drift.added.length} persona(s); tools persona_list, persona_get, persona_apply (toolset ${PERSONAS_PLUGIN}); ${
      defaultPersona ? `default persona ${defaultPersona}, by reference` : "no default persona"
    }`,
  };
}
