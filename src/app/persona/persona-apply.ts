// A persona on a profile: /persona apply, clear, status and sync. A persona is applied as Hermes'
// own `/personality` does it (preset under agent.personalities, made the active agent.system_prompt;
// see personality.ts), because that is the prompt Hermes starts each session with. Edits keep the
// config's comments and order, never touch SOUL.md, are recorded for drift, and offer Undo.
import type { Document } from "yaml";
import { describe } from "../../core/messages.ts";
import { DRIFT_MARK } from "../../core/persona/persona-drift.ts";
import type { Persona } from "../../core/persona/persona.ts";
import { refusal, reply, type Reply } from "../../core/reply.ts";
import type { ViewButton } from "../../core/view.ts";
import type { CommandContext } from "../ports/command-context.ts";
import type { ProfileBackend } from "../ports/profile-backend.ts";
import { chatProfile, shownProfile } from "../profile/chat-profile.ts";
import type { Store } from "../ports/store.ts";
import { snapshots, type ConfigEdits } from "./config-edits.ts";
import type { PersonaButtons } from "./persona-buttons.ts";
import type { PersonaCatalog } from "./persona-catalog.ts";
import type { PersonaPlugin } from "./persona-plugin.ts";
import { PERSONAS_PLUGIN, pluginEnabled } from "../profile/personas-plugin.ts";
import type { PersonaRecords } from "./persona-records.ts";
import {
  ACTIVE_PERSONALITY as ACTIVE,
  activatePersonality,
  PERSONALITY,
  presetsRendering,
  renderPersonality,
  SYSTEM_PROMPT,
} from "./personality.ts";
import { restore, snapshot } from "./profile-config.ts";

export type ApplyMode = "overlay" | "delegate";
export const APPLY_MODES: readonly ApplyMode[] = ["overlay", "delegate"];

/** Written by earlier versions of this bot; Hermes never read it. Cleared on the next apply or clear. */
const PERSONA_REF = ["agent", "persona_ref"];

export interface PersonaApplyDeps {
  readonly store: Store;
  readonly backend: ProfileBackend;
  readonly catalog: PersonaCatalog;
  readonly records: PersonaRecords;
  readonly edits: ConfigEdits;
  readonly buttons: PersonaButtons;
  /** The profile's copy of the personas plugin, which status reports and sync updates too. */
  readonly plugin: PersonaPlugin;
}

export class PersonaApply {
  constructor(private readonly deps: PersonaApplyDeps) {}

  async apply(ctx: CommandContext, id: string, profile?: string, modeArg?: string): Promise<Reply> {
    const { catalog, edits, records, buttons } = this.deps;
    const persona = catalog.get(id);
    if (!persona) return catalog.unknown(id);
    const mode = (modeArg ?? "overlay").toLowerCase() as ApplyMode;
    if (!APPLY_MODES.includes(mode))
      return refusal(describe({ code: "persona_mode_invalid", params: { mode: printable(modeArg ?? "") } }));
    if (mode === "delegate") return delegateReply(persona);
    const target = await this.#target(ctx, profile);
    if ("refused" in target) return target.refused;
    return edits.run(target.name, async (read) => {
      const { doc } = read;
      const previous = snapshots(doc, [PERSONALITY(persona.meta.id), ACTIVE, SYSTEM_PROMPT, PERSONA_REF]);
      const before = snapshot(doc, ACTIVE);
      const ownPrompt = hasOwnPrompt(doc);
      activatePersonality(doc, persona);
      restore(doc, PERSONA_REF, undefined);
      await edits.save(target.name, doc);
      const priorRecord = await records.renew(target.name, persona, ctx);
      const undo = await buttons.offerUndo(ctx, target.name, previous, { [persona.meta.id]: priorRecord });
      const where = `profile ${this.#shown(target.name)}${target.bound ? " (bound to this chat)" : ""}`;
      return reply(
        [
          `Applied ${persona.meta.glyph} ${persona.meta.name} v${persona.meta.version} to ${where}.`,
          `agent.personalities.${persona.meta.id} written; display.personality: ${show(before)} → ${persona.meta.id}; agent.system_prompt now holds its prompt (Hermes starts each session with it).`,
          ownPrompt
            ? "Your own agent.system_prompt was replaced (Hermes keeps one active prompt); Undo puts it back."
            : "SOUL.md is unchanged.",
          ...(pluginEnabled(doc, PERSONAS_PLUGIN)
            ? [
                `This profile also has the personas plugin, whose default persona joins every request too. To make ${persona.meta.id} that default instead: /persona plugin update ${this.deps.backend.where(target.name).name} ${persona.meta.id}`,
              ]
            : []),
        ].join("\n"),
        { buttons: [undo] },
      );
    });
  }

  async clear(ctx: CommandContext, profile?: string): Promise<Reply> {
    const target = await this.#target(ctx, profile);
    if ("refused" in target) return target.refused;
    return this.deps.edits.run(target.name, async (read) => {
      const { doc } = read;
      const previous = snapshots(doc, [ACTIVE, SYSTEM_PROMPT, PERSONA_REF]);
      const prompt = previous["agent.system_prompt"];
      const activePrompt = typeof prompt === "string" && prompt !== "" && !hasOwnPrompt(doc);
      const active = previous["display.personality"];
      if (
        (active === undefined || active === "") &&
        !activePrompt &&
        previous["agent.persona_ref"] === undefined
      )
        return reply(`Profile '${target.name}' has no active persona.`);
      // As Hermes' `/personality none`: no active preset, no preset prompt; a prompt of the user's own stays.
      restore(doc, ACTIVE, undefined);
      if (activePrompt) restore(doc, SYSTEM_PROMPT, undefined);
      restore(doc, PERSONA_REF, undefined);
      await this.deps.edits.save(target.name, doc);
      const undo = await this.deps.buttons.offerUndo(ctx, target.name, previous, {});
      return reply(
        `Cleared the active persona of profile ${this.#shown(target.name)} (was ${show(active ?? previous["agent.persona_ref"])}). The presets under agent.personalities stay available (/personality in Hermes).`,
        { buttons: [undo] },
      );
    });
  }

  async status(ctx: CommandContext, profile?: string): Promise<Reply> {
    const target = await this.#target(ctx, profile);
    if ("refused" in target) return target.refused;
    const loaded = await this.deps.backend.readConfig(target.name);
    if (!loaded.ok) return refusal(`Profile ${this.#shown(target.name)}: ${loaded.reason}.`);
    const read = loaded.value;
    const drift = await this.deps.records.drift(target.name, read.doc);
    const active = snapshot(read.doc, ACTIVE);
    const prompt = snapshot(read.doc, SYSTEM_PROMPT);
    const running =
      typeof active === "string" && active !== ""
        ? renderPersonality(snapshot(read.doc, PERSONALITY(active))) === prompt
          ? ""
          : " (not in effect: agent.system_prompt holds other text, and Hermes starts sessions with that)"
        : "";
    const legacyRef = snapshot(read.doc, PERSONA_REF);
    const lines = [
      `Profile ${this.#shown(target.name)}: active persona ${show(active)}${running}.`,
      ...(legacyRef !== undefined
        ? [`agent.persona_ref: ${show(legacyRef)} is ignored by Hermes; /persona clear removes it.`]
        : []),
      ...(drift.length === 0
        ? ["No persona was applied to it by this bot."]
        : drift.map(
            (entry) =>
              `${DRIFT_MARK[entry.state]} ${entry.id}: ${entry.state}${entry.note ? ` — ${entry.note}` : ""}`,
          )),
      ...(await this.deps.plugin.statusLines(target.name, read.doc)),
    ];
    return reply(lines.join("\n"));
  }

  async sync(ctx: CommandContext, profile?: string): Promise<Reply> {
    const target = await this.#target(ctx, profile);
    if ("refused" in target) return target.refused;
    const { edits, records, buttons: offers } = this.deps;
    return edits.run(target.name, async (read) => {
      const drift = await records.drift(target.name, read.doc);
      const outdated = drift.filter((entry) => entry.state === "outdated").map((entry) => entry.id);
      const modified = drift.filter((entry) => entry.state === "modified").map((entry) => entry.id);
      const missing = drift.filter((entry) => entry.state === "missing").map((entry) => entry.id);
      const lines: string[] = [];
      const buttons: ViewButton[] = [];
      if (outdated.length > 0) {
        const previous = snapshots(read.doc, [...outdated.map(PERSONALITY), SYSTEM_PROMPT]);
        const prior = await records.writeLibraryCopies(read.doc, target.name, outdated, ctx);
        await edits.save(target.name, read.doc);
        buttons.push(await offers.offerUndo(ctx, target.name, previous, prior));
        lines.push(`Updated to the library version: ${outdated.join(", ")}.`);
      }
      if (modified.length > 0) {
        buttons.push(await offers.offerOverwrite(ctx, target.name, modified));
        lines.push(
          `Edited by hand, left as they are: ${modified.join(", ")}. Press "Overwrite" to replace them with the library version.`,
        );
      }
      if (missing.length > 0)
        lines.push(`No longer in the library (kept in the profile): ${missing.join(", ")}.`);
      lines.push(...(await this.deps.plugin.syncLines(target.name)));
      if (lines.length === 0) lines.push(`Every persona on profile '${target.name}' is current.`);
      return reply(lines.join("\n"), buttons.length > 0 ? { buttons } : {});
    });
  }

  #target(ctx: CommandContext, profile: string | undefined) {
    return chatProfile(this.deps.backend, this.deps.store, ctx, profile);
  }

  #shown(ref: string): string {
    return shownProfile(this.deps.backend, ref);
  }
}

/** True when agent.system_prompt holds text that is no preset's prompt: the user's own. */
function hasOwnPrompt(doc: Document): boolean {
  const prompt = snapshot(doc, SYSTEM_PROMPT);
  return typeof prompt === "string" && prompt.trim() !== "" && presetsRendering(doc, prompt).length === 0;
}

function show(value: unknown): string {
  return value === undefined || value === ""
    ? "(none)"
    : typeof value === "string"
      ? value
      : JSON.stringify(value);
}

/** A user's argument shown back safely: visible ASCII only, at most 32 characters. */
function printable(text: string): string {
  return text.replace(/[^\x20-\x7e]/g, "?").slice(0, 32);
}

/** The ready-to-paste block for a delegated task; no file changes. */
function delegateReply(persona: Persona): Reply {
  const block = [
    `----- BEGIN PERSONA CONTEXT: ${persona.meta.name} (${persona.meta.id} v${persona.meta.version}) -----`,
    persona.body,
    "----- END PERSONA CONTEXT -----",
  ].join("\n");
  return reply(`Paste this block at the top of the delegated task. No file was changed.\n\n${block}`, {
    file: { name: `${persona.meta.id}-context.md`, content: block },
  });
}
