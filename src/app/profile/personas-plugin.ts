// The personas plugin placed into a profile as Hermes 0.19 loads a profile-local plugin:
// `<profile>/plugins/personas/` with the plugin's files, a copy of the persona library under
// `library/<category>/<id>.md` (the plugin reads only its own folder) and `state.json` naming the
// profile's default persona. config.yaml lists it under `plugins.enabled` (Hermes loads a user
// plugin only then) and never under `plugins.disabled` (which always wins).
import { copyFile, mkdir, readdir, writeFile } from "node:fs/promises";
import path from "node:path";
import type { Document } from "yaml";
import { isSeq } from "yaml";
import type { CreateStep } from "../../core/create-report.ts";
import type { PersonaLookup } from "../ports/persona-lookup.ts";

export const PERSONAS_PLUGIN = "personas";
/** The plugin's own files: anything else in its source folder (caches, notes) is not copied. */
const PLUGIN_FILE = /^(?:[a-z_]+\.py|plugin\.yaml|README\.md)$/;

/** Where the plugin lives in a profile. */
export function personasPluginDir(profileDir: string): string {
  return path.join(profileDir, "plugins", PERSONAS_PLUGIN);
}

/** `plugins.enabled` gains the plugin (a clone's other entries kept); `plugins.disabled` loses it. */
export function enablePlugin(doc: Document, name: string): void {
  const list = (key: string): string[] => {
    const node: unknown = doc.getIn(["plugins", key]);
    return isSeq(node) ? (node.toJSON()).map(String) : [];
  };
  const enabled = list("enabled");
  if (!enabled.includes(name)) doc.setIn(["plugins", "enabled"], doc.createNode([...enabled, name]));
  const disabled = list("disabled");
  if (disabled.includes(name))
    doc.setIn(["plugins", "disabled"], doc.createNode(disabled.filter((entry) => entry !== name)));
}

export interface PersonasPluginSource {
  /** The plugin's folder in this project (library/hermes-plugins/personas). */
  readonly pluginSource: string;
  /** The persona library folder the bot loaded its personas from. */
  readonly personasRoot: string;
  readonly personas: PersonaLookup | undefined;
}

/**
 * Writes the plugin into a profile folder that is being built (Create's staging), so it appears
 * with the profile or not at all. The library copy is the files of the personas the bot offers,
 * byte for byte, so the agent and the wizard list the same ones.
 */
export async function placePersonasPlugin(
  profileDir: string,
  source: PersonasPluginSource,
  defaultPersona: string | null,
): Promise<CreateStep> {
  const target = personasPluginDir(profileDir);
  await mkdir(path.join(target, "library"), { recursive: true });
  const pluginFiles = (await readdir(source.pluginSource, { withFileTypes: true })).filter(
    (entry) => entry.isFile() && PLUGIN_FILE.test(entry.name),
  );
  for (const entry of pluginFiles)
    await copyFile(path.join(source.pluginSource, entry.name), path.join(target, entry.name));
  const files = (source.personas?.summaries() ?? []).flatMap((summary) => {
    const file = source.personas?.get(summary.id)?.file;
    return file ? [file] : [];
  });
  const folders = new Set<string>();
  for (const file of files) {
    const folder = path.dirname(file);
    if (!folders.has(folder)) {
      await mkdir(path.join(target, "library", folder), { recursive: true });
      folders.add(folder);
    }
    await copyFile(path.join(source.personasRoot, file), path.join(target, "library", file));
  }
  await writeFile(
    path.join(target, "state.json"),
    `${JSON.stringify({ default: defaultPersona, sessions: {} })}\n`,
  );
  return {
    step: "personas plugin",
    ok: true,
    detail: `plugins/${PERSONAS_PLUGIN} with ${files.length} persona(s); tools persona_list, persona_get, persona_apply (toolset ${PERSONAS_PLUGIN}); ${
      defaultPersona ? `default persona ${defaultPersona}, by reference` : "no default persona"
    }`,
  };
}
