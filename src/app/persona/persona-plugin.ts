// /persona plugin install|update|remove: the persona library as the agent's own tools (the personas
// Hermes plugin) for a profile that exists, and what /persona status and sync say and do about the
// profile's copy of it. config.yaml goes through the same per-profile serial as every persona
// command; the plugin's files are written before it is enabled and removed after it is disabled, so
// Hermes never loads a plugin whose files are half there.
import type { Document } from "yaml";
import { refusal, reply, type Reply } from "../../core/reply.ts";
import { PERSONAS_TOOLSET } from "../../core/hermes-plugins.ts";
import type { CommandContext } from "../ports/command-context.ts";
import {
  driftCount,
  type PersonasPluginFiles,
  type PluginCopyDrift,
} from "../ports/personas-plugin-files.ts";
import type { ProfileBackend } from "../ports/profile-backend.ts";
import type { Store } from "../ports/store.ts";
import { chatProfile, shownProfile } from "../profile/chat-profile.ts";
import { disablePlugin, enablePlugin, PERSONAS_PLUGIN, pluginEnabled } from "../profile/personas-plugin.ts";
import type { ConfigEdits } from "./config-edits.ts";
import type { PersonaCatalog } from "./persona-catalog.ts";

export const PLUGIN_ACTIONS = ["install", "update", "remove"] as const;

const RESTART_NOTE = (name: string) =>
  `New Hermes sessions (CLI, cron) load it at once; a running gateway loads plugins when it starts: hermes -p ${name} gateway restart.`;

export interface PersonaPluginDeps {
  readonly store: Store;
  readonly backend: ProfileBackend;
  readonly catalog: PersonaCatalog;
  readonly edits: ConfigEdits;
}

export class PersonaPlugin {
  constructor(private readonly deps: PersonaPluginDeps) {}

  async run(ctx: CommandContext, action: string, profile?: string, personaId?: string): Promise<Reply> {
    const wanted = action.trim().toLowerCase();
    if (!(PLUGIN_ACTIONS as readonly string[]).includes(wanted))
      return refusal(
        `Say what to do: /persona plugin ${PLUGIN_ACTIONS.join("|")} [profile] [default persona].`,
      );
    const target = await chatProfile(
      this.deps.backend,
      this.deps.store,
      ctx,
      profile,
      "/persona plugin install research-bot",
    );
    if ("refused" in target) return target.refused;
    const files = this.deps.backend.personasPlugin;
    if (!files)
      return refusal(
        `The personas plugin cannot be placed on ${shownProfile(this.deps.backend, target.name)}: Hermes' dashboard has no way to put a plugin into a profile (its plugin endpoints act only on the dashboard's own profile). Run the bot on that machine to install it.`,
      );
    let defaultPersona: string | null | undefined;
    if (personaId !== undefined) {
      if (wanted === "remove") return refusal("remove takes no persona.");
      const persona = this.deps.catalog.get(personaId);
      if (!persona) return this.deps.catalog.unknown(personaId);
      defaultPersona = persona.meta.id;
    }
    if (wanted === "remove") return this.#remove(target.name, files);
    return this.#place(target.name, files, wanted === "install", defaultPersona);
  }

  #place(
    name: string,
    files: PersonasPluginFiles,
    install: boolean,
    defaultPersona: string | null | undefined,
  ): Promise<Reply> {
    const { edits, catalog } = this.deps;
    const shown = shownProfile(this.deps.backend, name);
    return edits.run(name, async ({ doc }) => {
      const before = await files.drift(name, catalog);
      if (!before.ok) return refusal(`Profile ${shown}: ${before.reason}.`);
      if (!install && !before.value.installed)
        return refusal(`Profile ${shown} has no personas plugin. Install it with /persona plugin install.`);
      const placed = await files.place(
        name,
        catalog,
        install && !before.value.installed ? (defaultPersona ?? null) : defaultPersona,
      );
      if (!placed.ok) return refusal(`Profile ${shown}: ${placed.reason}.`);
      const enabled = enablePlugin(doc, PERSONAS_PLUGIN);
      const toolsetOn = enableToolsetEverywhere(doc, PERSONAS_TOOLSET);
      if (enabled || toolsetOn.length > 0) await edits.save(name, doc);
      const after = await files.drift(name, catalog);
      const count = after.ok ? after.value.personas : catalog.summaries().length;
      const chosen = after.ok ? after.value.defaultPersona : null;
      const lines = before.value.installed
        ? [
            driftCount(before.value) === 0
              ? `The personas plugin of profile ${shown} already matches this bot's library (${count} personas).`
              : `Updated the personas plugin of profile ${shown}: ${driftWords(before.value)}.`,
          ]
        : [
            `Installed the personas plugin into profile ${shown}: ${count} personas; the agent's tools persona_list, persona_get and persona_apply (toolset ${PERSONAS_TOOLSET}).`,
          ];
      lines.push(
        `Default persona: ${chosen ?? "none"}${chosen ? " (by reference: the library copy's current text joins every request)" : ""}.`,
      );
      if (enabled) lines.push(`config.yaml: plugins.enabled now names ${PERSONAS_PLUGIN}.`);
      if (toolsetOn.length > 0)
        lines.push(
          `The ${PERSONAS_TOOLSET} toolset was switched off on ${toolsetOn.join(", ")}; it is on again there.`,
        );
      if (enabled || !before.value.installed) lines.push(RESTART_NOTE(this.deps.backend.where(name).name));
      return reply(lines.join("\n"));
    });
  }

  #remove(name: string, files: PersonasPluginFiles): Promise<Reply> {
    const { edits, catalog } = this.deps;
    const shown = shownProfile(this.deps.backend, name);
    return edits.run(name, async ({ doc }) => {
      const before = await files.drift(name, catalog);
      if (!before.ok) return refusal(`Profile ${shown}: ${before.reason}.`);
      const wasEnabled = disablePlugin(doc, PERSONAS_PLUGIN);
      if (!before.value.installed && !wasEnabled) return reply(`Profile ${shown} has no personas plugin.`);
      if (wasEnabled) await edits.save(name, doc);
      const removed = await files.remove(name);
      if (!removed.ok) return refusal(`Profile ${shown}: ${removed.reason}.`);
      return reply(
        [
          `Removed the personas plugin from profile ${shown}: plugins.enabled no longer names it, and its folder (the library copy and the agent's persona choices) is gone.`,
          `A running gateway keeps it until it restarts: hermes -p ${this.deps.backend.where(name).name} gateway restart.`,
        ].join("\n"),
      );
    });
  }

  /** /persona status: one line on the profile's copy of the plugin, when it has one. */
  async statusLines(name: string, doc: Document): Promise<string[]> {
    const files = this.deps.backend.personasPlugin;
    if (!files) return [];
    const drift = await files.drift(name, this.deps.catalog);
    if (!drift.ok || !drift.value.installed) return [];
    const enabled = pluginEnabled(doc, PERSONAS_PLUGIN)
      ? ""
      : " (not enabled in config.yaml: /persona plugin install enables it)";
    return [
      `Personas plugin: ${drift.value.personas} personas, default ${drift.value.defaultPersona ?? "none"}${enabled}; ${
        driftCount(drift.value) === 0
          ? "its library copy is current."
          : `its copy differs from this bot's: ${driftWords(drift.value)}. /persona sync updates it.`
      }`,
    ];
  }

  /** /persona sync: the copy brought up to this bot's library (its state and default kept). */
  async syncLines(name: string): Promise<string[]> {
    const files = this.deps.backend.personasPlugin;
    if (!files) return [];
    const drift = await files.drift(name, this.deps.catalog);
    if (!drift.ok || !drift.value.installed || driftCount(drift.value) === 0) return [];
    const placed = await files.place(name, this.deps.catalog);
    if (!placed.ok) return [`The personas plugin's copy was not updated: ${placed.reason}.`];
    return [`Updated the personas plugin's library copy: ${driftWords(placed.value)}.`];
  }
}

function driftWords(drift: PluginCopyDrift): string {
  const parts = [
    ...(drift.changed.length > 0 ? [`${drift.changed.length} changed (${listed(drift.changed)})`] : []),
    ...(drift.added.length > 0 ? [`${drift.added.length} new (${listed(drift.added)})`] : []),
    ...(drift.removed.length > 0
      ? [`${drift.removed.length} no longer in the library (${listed(drift.removed)})`]
      : []),
    ...(drift.codeOutdated ? ["the plugin's code"] : []),
  ];
  return parts.join(", ");
}

/** At most this many file names in a line; the count says how many there are. */
const NAMES_SHOWN = 5;

function listed(files: readonly string[]): string {
  const ids = files.map((file) => file.replace(/^.*\//, "").replace(/\.md$/, ""));
  return ids.length > NAMES_SHOWN ? `${ids.slice(0, NAMES_SHOWN).join(", ")}, …` : ids.join(", ");
}

/**
 * Hermes switches a plugin toolset off on a platform whose `known_plugin_toolsets` names it while
 * its `platform_toolsets` list does not (someone turned it off with `hermes tools`); installing the
 * plugin again means wanting it, so it is put back into those lists. Returns those platforms.
 */
function enableToolsetEverywhere(doc: Document, toolset: string): string[] {
  const known = doc.getIn(["known_plugin_toolsets"]) as { toJSON?: () => unknown } | undefined;
  const knownMap = (known?.toJSON?.() ?? {}) as Record<string, unknown>;
  const switchedOn: string[] = [];
  for (const [platform, names] of Object.entries(knownMap)) {
    if (!Array.isArray(names) || !names.includes(toolset)) continue;
    const list = doc.getIn(["platform_toolsets", platform]) as { toJSON?: () => unknown } | undefined;
    const current = list?.toJSON?.();
    if (!Array.isArray(current) || current.includes(toolset)) continue;
    doc.setIn(["platform_toolsets", platform], doc.createNode([...current.map(String), toolset]));
    switchedOn.push(platform);
  }
  return switchedOn;
}
