// The Hermes home on this machine: profiles are folders under $HERMES_HOME/profiles, written by our
// own writer (staged, then renamed into place) and installed into by a local process.
import type { PersonasPluginFiles } from "../ports/personas-plugin-files.ts";
import {
  NotARealFolder,
  PERSONAS_PLUGIN,
  pluginCopyDrift,
  removePersonasPlugin,
  syncPersonasPlugin,
} from "../profile/personas-plugin-copy.ts";
import { readdir, readFile, rename, rm } from "node:fs/promises";
import path from "node:path";
import { yamlMappingOrEmpty } from "../profile/yaml-mapping.ts";
import { DEFAULT_PROFILE, type Blueprint } from "../../core/blueprint.ts";
import type { InstallExecutor } from "../ports/install-executor.ts";
import type { LoadedLibrary } from "../library/library-loader.ts";
import { readProfileConfig, writeProfileConfig } from "../persona/profile-config.ts";
import { envKeys } from "../profile/env-file.ts";
import { readProfileKeys } from "../profile/keys/needed-keys.ts";
import { writeProfile } from "../profile/profile-writer.ts";
import { type PersonaLookup } from "../ports/persona-lookup.ts";
import { deletingName, exists, listProfiles } from "../profile/profiles-root.ts";
import { resolvePlainRef, selfTarget } from "./plain-ref.ts";
import type {
  BlueprintPart,
  ChatTarget,
  ProfileBackend,
  ProfileConfig,
  ProfileFacts,
  ProfileKeys,
  ProfileRef,
} from "../ports/profile-backend.ts";
import type { EditApplied, EditRead, EditRequest } from "../ports/profile-edit.ts";
import { editLocalProfile, readLocalForEdit } from "../profile/edit/local-profile-editor.ts";
import { undoLocalEdit } from "../profile/edit/edit-undo.ts";
import { KeyedSerial } from "../runtime/keyed-serial.ts";
import type { Outcome } from "../ports/outcome.ts";

/** Why a config write was refused: the file changed after the document being written was read. */
export const CONFIG_CHANGED_MEANWHILE =
  "config.yaml changed while this command ran (an edit was applied, or Hermes wrote it); nothing was written, run the command again";

export interface LocalBackendOptions {
  readonly hermesHome: string;
  readonly profilesRoot: string;
  readonly library: LoadedLibrary;
  readonly installs: InstallExecutor;
}

export class LocalBackend implements ProfileBackend {
  readonly cannotSet: readonly BlueprintPart[] = [];
  readonly installs: InstallExecutor;
  readonly #edits = new KeyedSerial();
  /** The text each document readConfig handed out was read from (or last written as): see writeConfig. */
  readonly #readAs = new WeakMap<object, string>();

  readonly personasPlugin: PersonasPluginFiles;

  constructor(private readonly options: LocalBackendOptions) {
    this.installs = options.installs;
    const source = (personas: PersonaLookup) => ({
      pluginSource: path.join(options.library.pluginsRoot, PERSONAS_PLUGIN),
      personasRoot: personas.root ?? options.library.personasRoot,
      personas,
    });
    // A link where the plugin's folders should be is refused with the reason, never followed.
    const guarded = async <T>(work: () => Promise<T>): Promise<Outcome<T>> => {
      try {
        return { ok: true, value: await work() };
      } catch (error) {
        if (error instanceof NotARealFolder) return { ok: false, reason: error.message };
        throw error;
      }
    };
    this.personasPlugin = {
      drift: (name, personas) => guarded(() => pluginCopyDrift(this.#dir(name), source(personas))),
      place: async (name, personas, defaultPersona) => {
        if (!(await exists(this.#dir(name)))) return { ok: false, reason: `there is no profile '${name}'` };
        return guarded(() => syncPersonasPlugin(this.#dir(name), source(personas), defaultPersona));
      },
      remove: (name) => guarded(async () => (await removePersonasPlugin(this.#dir(name)), true as const)),
    };
  }

  resolve(raw: string): Outcome<ProfileRef> {
    return resolvePlainRef(raw);
  }

  where(ref: ProfileRef) {
    return { name: ref, on: "" };
  }

  forChat(): ChatTarget {
    return selfTarget(this);
  }

  async names(): Promise<Outcome<string[]>> {
    return { ok: true, value: await listProfiles(this.options.profilesRoot) };
  }

  async exists(name: string): Promise<Outcome<boolean>> {
    return { ok: true, value: await exists(this.#dir(name)) };
  }

  create(blueprint: Blueprint, secrets: ReadonlyMap<string, string>, personas: PersonaLookup | undefined) {
    return writeProfile(blueprint, secrets, {
      hermesHome: this.options.hermesHome,
      profilesRoot: this.options.profilesRoot,
      library: this.options.library,
      ...(personas ? { personas } : {}),
    });
  }

  /**
   * Renames the folder out of sight first, so a crash mid-way never leaves half a profile visible;
   * the start-up sweep removes the leftover.
   */
  async remove(name: string): Promise<Outcome<true>> {
    const dir = this.#dir(name);
    if (!(await exists(dir))) return { ok: false, reason: `Profile '${name}' is already gone.` };
    const doomed = path.join(this.options.profilesRoot, deletingName(name, process.pid));
    try {
      await rename(dir, doomed);
    } catch (error) {
      return {
        ok: false,
        reason: `Could not delete '${name}': ${(error as NodeJS.ErrnoException).code ?? "error"}.`,
      };
    }
    await rm(doomed, { recursive: true, force: true });
    return { ok: true, value: true };
  }

  async readConfig(name: string): Promise<Outcome<ProfileConfig>> {
    const read = await readProfileConfig(this.#dir(name));
    if (!read.ok) return read;
    this.#readAs.set(read.doc, read.text);
    return { ok: true, value: { doc: read.doc } };
  }

  /**
   * In the same section as an Apply of that profile, so this write never lands between an Apply's
   * check and its write. A document read through readConfig is written only while config.yaml still
   * holds the text it was read from: a persona command reads before it waits here, and an Apply (or
   * `hermes config set`) that ended meanwhile would otherwise be overwritten by the older document.
   */
  writeConfig(name: string, config: ProfileConfig): Promise<Outcome<true>> {
    return this.#edits.run(name, async () => {
      const file = path.join(this.#dir(name), "config.yaml");
      const readAs = this.#readAs.get(config.doc);
      if (readAs !== undefined && (await readFile(file, "utf8").catch(() => undefined)) !== readAs)
        return { ok: false, reason: CONFIG_CHANGED_MEANWHILE };
      this.#readAs.set(config.doc, await writeProfileConfig(file, config.doc));
      return { ok: true, value: true };
    });
  }

  readForEdit(name: string): Promise<Outcome<EditRead>> {
    return readLocalForEdit(this.#dir(name));
  }

  /**
   * One edit of a profile at a time in this process: two chats' Applies read, check and write in
   * turn, so the second finds the first's files and is refused by its fingerprint, never lost; a
   * persona command's config write waits its turn too (writeConfig).
   */
  applyEdit(name: string, request: EditRequest): Promise<Outcome<EditApplied>> {
    return this.#edits.run(name, () => editLocalProfile(this.#dir(name), request, this.options.library));
  }

  undoEdit(name: string, fingerprint: string): Promise<Outcome<string[]>> {
    return this.#edits.run(name, () => undoLocalEdit(this.#dir(name), fingerprint));
  }

  /** Reads what a profile holds; a missing or broken file reads as "unknown", never as an error. */
  async facts(name: string): Promise<Outcome<ProfileFacts>> {
    const dir = this.#dir(name);
    const config = await readYaml(path.join(dir, "config.yaml"));
    const profile = await readYaml(path.join(dir, "profile.yaml"));
    return {
      ok: true,
      value: {
        ...configFacts(config),
        ...profileYamlFacts(profile),
        envKeys: envKeys(await readFile(path.join(dir, ".env"), "utf8").catch(() => "")),
        skills: await countSkills(path.join(dir, "skills")),
      },
    };
  }

  async keys(name: string): Promise<Outcome<ProfileKeys>> {
    const { notes, ...keys } = await readProfileKeys(this.#dir(name), this.options.library.catalog);
    return { ok: true, value: keys, ...(notes.length > 0 ? { notes } : {}) };
  }

  #dir(name: string): string {
    return name === DEFAULT_PROFILE ? this.options.hermesHome : path.join(this.options.profilesRoot, name);
  }
}

/** The facts config.yaml holds (model, persona, MCP servers, presets), read the same from any host. */
export function configFacts(
  config: Record<string, unknown>,
): Pick<ProfileFacts, "model" | "persona" | "mcpServers" | "personas"> {
  const model = asRecord(config["model"]);
  const agent = asRecord(config["agent"]);
  const display = asRecord(config["display"]);
  const persona = typeof display["personality"] === "string" ? display["personality"] : undefined;
  return {
    model:
      typeof model["default"] === "string"
        ? `${typeof model["provider"] === "string" ? `${model["provider"]}/` : ""}${model["default"]}`
        : "model not set",
    ...(persona ? { persona } : {}),
    mcpServers: Object.keys(asRecord(config["mcp_servers"])),
    personas: Object.keys(asRecord(agent["personalities"])),
  };
}

function profileYamlFacts(
  profile: Record<string, unknown>,
): Pick<ProfileFacts, "displayName" | "description"> {
  const displayName = typeof profile["display_name"] === "string" ? profile["display_name"] : undefined;
  const description = typeof profile["description"] === "string" ? profile["description"] : undefined;
  return { ...(displayName ? { displayName } : {}), ...(description ? { description } : {}) };
}

async function readYaml(file: string): Promise<Record<string, unknown>> {
  return yamlRecord(await readFile(file, "utf8").catch(() => ""));
}

/** A YAML text's top-level mapping; a broken or non-mapping text reads as empty ("unknown"). */
export function yamlRecord(text: string): Record<string, unknown> {
  return yamlMappingOrEmpty(text);
}

export function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

/** SKILL.md files under skills/ (categories nest one level), the way Hermes finds skills. */
async function countSkills(dir: string): Promise<number> {
  try {
    const entries = await readdir(dir, { recursive: true });
    return entries.filter((entry) => path.basename(entry) === "SKILL.md").length;
  } catch {
    return 0;
  }
}
