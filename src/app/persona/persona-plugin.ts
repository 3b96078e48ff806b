// /persona plugin install|update|remove: the persona library as the agent's own tools (the personas
// Hermes plugin) for a profile that exists, and what /persona status and sync say and do about the
// profile's copy of it. config.yaml goes through the same per-profile serial as every persona
// command; the change itself is plugin-on-profile.ts.
import type { Document } from "yaml";
import { refusal, reply, type Reply } from "../../core/reply.ts";
import { PERSONAS_TOOLSET } from "../../core/hermes-plugins.ts";
import type { CommandContext } from "../ports/command-context.ts";
import { driftCount } from "../ports/personas-plugin-files.ts";
import type { ProfileBackend } from "../ports/profile-backend.ts";
import type { Store } from "../ports/store.ts";
import { chatProfile, shownProfile } from "../profile/chat-profile.ts";
import { PERSONAS_PLUGIN, pluginEnabled } from "../profile/personas-plugin.ts";
import type { ConfigEdits } from "./config-edits.ts";
import type { PersonaCatalog } from "./persona-catalog.ts";
import { ACTIVE_PERSONALITY, presetsRendering, SYSTEM_PROMPT } from "./personality.ts";
import { restore, snapshot } from "./profile-config.ts";
import { driftWords, personasPluginStep } from "./plugin-on-profile.ts";

export const PLUGIN_ACTIONS = ["install", "update", "remove"] as const;

/** Hermes discovers plugins once per process: what a user must do for a running gateway to see a change. */
const restartNote = (name: string, removed: boolean) =>
  removed
    ? `A running gateway keeps it until it restarts: hermes -p ${name} gateway restart.`
    : `New Hermes sessions (CLI, cron) load it at once; a running gateway loads plugins when it starts: hermes -p ${name} gateway restart.`;

/** Why a Hermes host cannot have it. */
export const HOST_CANNOT_PLACE =
  "Hermes' dashboard has no way to put a plugin into a profile (its plugin endpoints act only on the dashboard's own profile). Run the bot on that machine to install it.";

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
    const { backend, store, catalog, edits } = this.deps;
    const target = await chatProfile(backend, store, ctx, profile, "/persona plugin install research-bot");
    if ("refused" in target) return target.refused;
    const shown = shownProfile(backend, target.name);
    const files = backend.personasPlugin;
    if (!files) return refusal(`The personas plugin cannot be placed on ${shown}: ${HOST_CANNOT_PLACE}`);
    let defaultPersona: string | undefined;
    if (personaId !== undefined) {
      if (wanted === "remove") return refusal("remove takes no persona.");
      const persona = catalog.get(personaId);
      if (!persona) return catalog.unknown(personaId);
      defaultPersona = persona.meta.id;
    }
    const hermesName = backend.where(target.name).name;
    return edits.run(target.name, async ({ doc }) => {
      const installed = await files.drift(target.name, catalog);
      if (!installed.ok) return refusal(`Profile ${shown}: ${installed.reason}.`);
      if (wanted === "update" && !installed.value.installed)
        return refusal(`Profile ${shown} has no personas plugin. Install it with /persona plugin install.`);
      const step = await personasPluginStep(files, target.name, catalog, doc, {
        want: wanted !== "remove",
        run: true,
        before: installed.value,
        ...(defaultPersona !== undefined ? { defaultPersona } : {}),
      });
      if (!step.ok) return refusal(`Profile ${shown}: ${step.reason}.`);
      const { change, before, configChanged, toolsetOn } = step.value;
      // The plugin's default replaces an overlay persona: both in every request would be two
      // personas (or one twice). A prompt of the user's own stays.
      const overlay = wanted !== "remove" && defaultPersona !== undefined ? clearOverlay(doc) : undefined;
      if (configChanged || overlay) await edits.save(target.name, doc);
      if (wanted === "remove") {
        if (!change) return reply(`Profile ${shown} has no personas plugin.`);
        const removed = await files.remove(target.name);
        if (!removed.ok) return refusal(`Profile ${shown}: ${removed.reason}.`);
        return reply(
          [
            `Removed the personas plugin from profile ${shown}: plugins.enabled no longer names it, and its folder (the library copy and the agent's persona choices) is gone.`,
            restartNote(hermesName, true),
          ].join("\n"),
        );
      }
      const count = catalog.summaries().length + (before.defaultGone ? 1 : 0);
      const chosen = defaultPersona !== undefined ? defaultPersona : before.defaultPersona;
      const lines = [
        !before.installed
          ? `Installed the personas plugin into profile ${shown}: ${count} personas; the agent's tools persona_list, persona_get and persona_apply (toolset ${PERSONAS_TOOLSET}).`
          : change
            ? `Updated the personas plugin of profile ${shown}: ${change.detail ?? "done"}.`
            : `The personas plugin of profile ${shown} already matches this bot's library (${count} personas).`,
        `Default persona: ${chosen ?? "none"}${chosen ? " (by reference: the library copy's current text joins every request)" : ""}.`,
        ...(overlay
          ? [
              `The overlay persona ${overlay} (agent.system_prompt) was cleared: the plugin's default takes its place. /persona apply ${overlay} puts it back.`,
            ]
          : []),
        ...(toolsetOn.length > 0
          ? [
              `The ${PERSONAS_TOOLSET} toolset was switched off on ${toolsetOn.join(", ")}; it is on again there.`,
            ]
          : []),
        ...(change ? [restartNote(hermesName, false)] : []),
      ];
      return reply(lines.join("\n"));
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
    const overlay = snapshot(doc, ["display", "personality"]);
    const prompt = snapshot(doc, ["agent", "system_prompt"]);
    return [
      `Personas plugin: ${drift.value.personas} personas, default ${drift.value.defaultPersona ?? "none"}${enabled}; ${
        driftCount(drift.value) === 0
          ? "its library copy is current."
          : `its copy differs from this bot's: ${driftWords(drift.value)}. /persona sync updates it.`
      }`,
      ...(drift.value.defaultGone
        ? [
            `Its default persona ${drift.value.defaultPersona ?? ""} is no longer in this bot's library; the copy keeps it.`,
          ]
        : []),
      ...(drift.value.defaultPersona && typeof prompt === "string" && prompt.trim() !== ""
        ? [
            `Both go into every request: the plugin's default ${drift.value.defaultPersona} and agent.system_prompt${typeof overlay === "string" && overlay ? ` (${overlay})` : ""}. /persona clear removes the second.`,
          ]
        : []),
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

/**
 * Clears an overlay persona as `/persona clear` does (Hermes' `/personality none`): the active
 * preset's name and its prompt; a prompt that is no preset's (the user's own) stays. Returns the
 * persona cleared, if any.
 */
function clearOverlay(doc: Document): string | undefined {
  const active = snapshot(doc, ACTIVE_PERSONALITY);
  const prompt = snapshot(doc, SYSTEM_PROMPT);
  if (typeof active !== "string" || active === "" || typeof prompt !== "string") return undefined;
  if (!presetsRendering(doc, prompt).includes(active)) return undefined;
  restore(doc, ACTIVE_PERSONALITY, undefined);
  restore(doc, SYSTEM_PROMPT, undefined);
  return active;
}
