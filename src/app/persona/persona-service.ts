// The /persona commands, platform-free: every surface calls these and renders the
// Reply. A persona is applied as Hermes' own `/personality` does it (preset under
// agent.personalities, made the active agent.system_prompt; see personality.ts). Config edits keep
// comments and order, never touch SOUL.md, are serialised per profile, recorded for drift, and can
// be undone.
import { randomBytes } from "node:crypto";
import type { Document } from "yaml";
import type { PersonaSummary } from "../../core/catalog.ts";
import { describe } from "../../core/messages.ts";
import { DRIFT_MARK, driftOf, type DriftState } from "../../core/persona/persona-drift.ts";
import { preview, type PersonaLibrary } from "../../core/persona/persona-library.ts";
import type { Persona } from "../../core/persona/persona.ts";
import { encodePersonaToken, parsePersonaToken } from "../../core/tokens/persona-token.ts";
import { refusal, reply, type Reply } from "../../core/reply.ts";
import type { Actor } from "../../core/wizard/state.ts";
import type { ProfileBackend } from "../ports/profile-backend.ts";
import type { Logger } from "../system/logger.ts";
import type { PersonaRecord, BotStore } from "../store/bot-store.ts";
import { KeyedSerial } from "../runtime/keyed-serial.ts";
import { bodyHash, loadPersonas, type PersonaProblem } from "./persona-loader.ts";
import {
  ACTIVE_PERSONALITY as ACTIVE,
  activatePersonality,
  PERSONALITY,
  personalityPreset,
  presetsRendering,
  renderPersonality,
  SYSTEM_PROMPT,
} from "./personality.ts";
import { restore, snapshot } from "./profile-config.ts";
import type { CommandContext } from "../ports/command-context.ts";
import { chatProfile, shownProfile, type ChatProfile } from "../profile/chat-profile.ts";

export type ApplyMode = "overlay" | "delegate";
export const APPLY_MODES: readonly ApplyMode[] = ["overlay", "delegate"];

export interface PersonaServiceDeps {
  readonly store: BotStore;
  /** Where the profiles are (this machine's Hermes home or a Hermes host's dashboard). */
  readonly backend: ProfileBackend;
  readonly personasDir: string;
  readonly logger: Logger;
  readonly now?: () => number;
}

/** A config write the backend refused: the command answers with its reason. */
class WriteRefused extends Error {}

/** Written by earlier versions of this bot; Hermes never read it. Cleared on the next apply or clear. */
const PERSONA_REF = ["agent", "persona_ref"];

export class PersonaService {
  #library: PersonaLibrary;
  #problems: readonly PersonaProblem[];
  readonly #perProfile = new KeyedSerial();
  readonly #now: () => number;

  private constructor(
    private readonly deps: PersonaServiceDeps,
    loaded: { library: PersonaLibrary; problems: readonly PersonaProblem[] },
  ) {
    this.#library = loaded.library;
    this.#problems = loaded.problems;
    this.#now = deps.now ?? Date.now;
  }

  static async open(deps: PersonaServiceDeps): Promise<PersonaService> {
    const loaded = await loadPersonas(deps.personasDir);
    for (const problem of loaded.problems)
      deps.logger.warn({ file: problem.file, reason: problem.reason }, `persona ${problem.level}`);
    return new PersonaService(deps, loaded);
  }

  #summaries: { readonly library: PersonaLibrary; readonly list: readonly PersonaSummary[] } | undefined;

  get library(): PersonaLibrary {
    return this.#library;
  }

  get problems(): readonly PersonaProblem[] {
    return this.#problems;
  }

  get(id: string): Persona | undefined {
    return this.#library.get(id);
  }

  /**
   * What the wizard shows of each persona. Built once per library (a reload makes a new one): every
   * wizard event asks for it, and with 10,000 personas rebuilding it cost ~0.4 ms an event.
   */
  summaries(): readonly PersonaSummary[] {
    if (this.#summaries?.library !== this.#library)
      this.#summaries = { library: this.#library, list: this.#library.list().map(summarize) };
    return this.#summaries.list;
  }

  /** Records a persona a create wrote into a new profile, so drift is tracked from the start. */
  recordApplied(profile: string, id: string, actor: Actor): void {
    const persona = this.#library.get(id);
    if (persona) this.deps.store.setPersonaRecord(profile, persona.meta.id, this.#record(persona, { actor }));
  }

  /** Loads the folder again and swaps the new library in at once; the old one serves until then. */
  async reload(): Promise<Reply> {
    const loaded = await loadPersonas(this.deps.personasDir);
    this.#library = loaded.library;
    this.#problems = loaded.problems;
    const lines = loaded.problems.map((problem) => `  ${problem.file}: ${problem.level}: ${problem.reason}`);
    return reply(
      [
        `Reloaded ${loaded.library.size} persona(s).`,
        ...(lines.length > 0 ? ["Problems:", ...lines] : []),
      ].join("\n"),
    );
  }

  list(category?: string): Reply {
    const personas = this.#library.list(category);
    if (personas.length === 0) {
      const known = this.#library
        .categories()
        .map((entry) => entry.category)
        .join(", ");
      return refusal(`No personas in category '${category ?? ""}'. Categories: ${known}.`);
    }
    let current = "";
    const lines: string[] = [];
    for (const persona of personas) {
      if (persona.meta.category !== current) {
        current = persona.meta.category;
        lines.push(`${lines.length > 0 ? "\n" : ""}${current}`);
      }
      lines.push(`  ${persona.meta.glyph} ${persona.meta.id} — ${persona.meta.name}: ${preview(persona)}`);
    }
    return reply(lines.join("\n"));
  }

  categories(): Reply {
    return reply(
      this.#library
        .categories()
        .map((entry) => `${entry.category} (${entry.count})`)
        .join("\n"),
    );
  }

  show(id: string): Reply {
    const persona = this.#library.get(id);
    if (!persona) return this.#unknown(id);
    const { meta } = persona;
    const header = [
      `${meta.glyph} ${meta.name} (${meta.id} v${meta.version}, ${meta.category})`,
      meta.description,
      `Model: ${meta.default_model} · MCP: ${meta.suggested_mcps.join(", ") || "—"} · toolsets: ${meta.suggested_toolsets.join(", ") || "—"}`,
    ].join("\n");
    return reply(`${header}\n\n${persona.body}`, { file: { name: `${meta.id}.md`, content: persona.body } });
  }

  async apply(ctx: CommandContext, id: string, profile?: string, modeArg?: string): Promise<Reply> {
    const persona = this.#library.get(id);
    if (!persona) return this.#unknown(id);
    const mode = (modeArg ?? "overlay").toLowerCase() as ApplyMode;
    if (!APPLY_MODES.includes(mode))
      return refusal(describe({ code: "persona_mode_invalid", params: { mode: printable(modeArg ?? "") } }));
    if (mode === "delegate") return delegateReply(persona);
    const target = await this.#target(ctx, profile);
    if ("refused" in target) return target.refused;
    return this.#editConfig(target.name, async (read) => {
      const { doc } = read;
      const previous = snapshots(doc, [PERSONALITY(persona.meta.id), ACTIVE, SYSTEM_PROMPT, PERSONA_REF]);
      const before = snapshot(doc, ACTIVE);
      const ownPrompt = this.#ownPrompt(doc);
      activatePersonality(doc, persona);
      restore(doc, PERSONA_REF, undefined);
      await this.#save(target.name, doc);
      const priorRecord = this.deps.store.personaRecords(target.name)[persona.meta.id] ?? null;
      this.deps.store.setPersonaRecord(target.name, persona.meta.id, this.#record(persona, ctx));
      const undo = this.#offerUndo(ctx, target.name, previous, { [persona.meta.id]: priorRecord });
      const where = `profile ${this.#shown(target.name)}${target.bound ? " (bound to this chat)" : ""}`;
      return reply(
        [
          `Applied ${persona.meta.glyph} ${persona.meta.name} v${persona.meta.version} to ${where}.`,
          `agent.personalities.${persona.meta.id} written; display.personality: ${show(before)} → ${persona.meta.id}; agent.system_prompt now holds its prompt (Hermes starts each session with it).`,
          ownPrompt
            ? "Your own agent.system_prompt was replaced (Hermes keeps one active prompt); Undo puts it back."
            : "SOUL.md is unchanged.",
        ].join("\n"),
        { buttons: [undo] },
      );
    });
  }

  async clear(ctx: CommandContext, profile?: string): Promise<Reply> {
    const target = await this.#target(ctx, profile);
    if ("refused" in target) return target.refused;
    return this.#editConfig(target.name, async (read) => {
      const { doc } = read;
      const previous = snapshots(doc, [ACTIVE, SYSTEM_PROMPT, PERSONA_REF]);
      const prompt = previous["agent.system_prompt"];
      const activePrompt = typeof prompt === "string" && prompt !== "" && !this.#ownPrompt(doc);
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
      await this.#save(target.name, doc);
      const undo = this.#offerUndo(ctx, target.name, previous, {});
      return reply(
        `Cleared the active persona of profile ${this.#shown(target.name)} (was ${show(active ?? previous["agent.persona_ref"])}). The presets under agent.personalities stay available (/personality in Hermes).`,
        { buttons: [undo] },
      );
    });
  }

  /** True when agent.system_prompt holds text that is no preset's prompt: the user's own. */
  #ownPrompt(doc: Document): boolean {
    const prompt = snapshot(doc, SYSTEM_PROMPT);
    return typeof prompt === "string" && prompt.trim() !== "" && presetsRendering(doc, prompt).length === 0;
  }

  async status(ctx: CommandContext, profile?: string): Promise<Reply> {
    const target = await this.#target(ctx, profile);
    if ("refused" in target) return target.refused;
    const loaded = await this.deps.backend.readConfig(target.name);
    if (!loaded.ok) return refusal(`Profile ${this.#shown(target.name)}: ${loaded.reason}.`);
    const read = loaded.value;
    const drift = this.#drift(target.name, read.doc);
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
    ];
    return reply(lines.join("\n"));
  }

  async sync(ctx: CommandContext, profile?: string): Promise<Reply> {
    const target = await this.#target(ctx, profile);
    if ("refused" in target) return target.refused;
    return this.#editConfig(target.name, async (read) => {
      const drift = this.#drift(target.name, read.doc);
      const outdated = drift.filter((entry) => entry.state === "outdated").map((entry) => entry.id);
      const modified = drift.filter((entry) => entry.state === "modified").map((entry) => entry.id);
      const missing = drift.filter((entry) => entry.state === "missing").map((entry) => entry.id);
      const lines: string[] = [];
      const buttons = [];
      if (outdated.length > 0) {
        const previous = snapshots(read.doc, [...outdated.map(PERSONALITY), SYSTEM_PROMPT]);
        const records = this.#writeLibraryCopies(read.doc, target.name, outdated, ctx);
        await this.#save(target.name, read.doc);
        buttons.push(this.#offerUndo(ctx, target.name, previous, records));
        lines.push(`Updated to the library version: ${outdated.join(", ")}.`);
      }
      if (modified.length > 0) {
        const confirmId = newId();
        this.deps.store.putAction(confirmId, {
          kind: "confirm-sync",
          profile: target.name,
          actorId: ctx.actor.id,
          at: this.#now(),
          personaIds: modified,
        });
        buttons.push({
          label: `Overwrite ${modified.length} edited`,
          token: encodePersonaToken(confirmId, "confirm"),
          style: "danger" as const,
        });
        lines.push(
          `Edited by hand, left as they are: ${modified.join(", ")}. Press "Overwrite" to replace them with the library version.`,
        );
      }
      if (missing.length > 0)
        lines.push(`No longer in the library (kept in the profile): ${missing.join(", ")}.`);
      if (lines.length === 0) lines.push(`Every persona on profile '${target.name}' is current.`);
      return reply(lines.join("\n"), buttons.length > 0 ? { buttons } : {});
    });
  }

  /** Undo and confirmation buttons. Only the person who got the button may press it. */
  async press(actor: Actor, token: string): Promise<Reply> {
    const ctx = { actor };
    const parsed = parsePersonaToken(token);
    if (!parsed.ok) return refusal(describe(parsed.error));
    const { actionId, button } = parsed.value;
    const action = this.deps.store.action(actionId);
    if (!action) return refusal("That button has expired or was already used.");
    if (action.actorId !== actor.id) return refusal("Only the person who ran the command can press this.");
    return this.#editConfig(action.profile, async (read) => {
      this.deps.store.deleteAction(actionId);
      if (button === "undo" && action.kind === "undo") {
        for (const [key, value] of Object.entries(action.previous ?? {}))
          restore(read.doc, key.split("."), value);
        await this.#save(action.profile, read.doc);
        for (const [id, record] of Object.entries(action.records ?? {}))
          this.deps.store.setPersonaRecord(action.profile, id, record);
        return reply(
          `Undone on profile '${action.profile}': ${Object.keys(action.previous ?? {}).join(", ")} restored.`,
        );
      }
      if (button === "confirm" && action.kind === "confirm-sync") {
        const ids = (action.personaIds ?? []).filter((id) => this.#library.get(id));
        const previous = snapshots(read.doc, [...ids.map(PERSONALITY), SYSTEM_PROMPT]);
        const records = this.#writeLibraryCopies(read.doc, action.profile, ids, ctx);
        await this.#save(action.profile, read.doc);
        const undo = this.#offerUndo(ctx, action.profile, previous, records);
        return reply(`Replaced with the library version on profile '${action.profile}': ${ids.join(", ")}.`, {
          buttons: [undo],
        });
      }
      return refusal("That button does not fit this action.");
    });
  }

  /**
   * Writes the library's copy of each persona into agent.personalities, and into agent.system_prompt
   * where that persona is the one in effect; returns the prior records.
   */
  #writeLibraryCopies(
    doc: Document,
    profile: string,
    ids: readonly string[],
    ctx: { actor: Actor },
  ): Record<string, PersonaRecord | null> {
    const prior: Record<string, PersonaRecord | null> = {};
    for (const id of ids) {
      const persona = this.#library.get(id);
      if (!persona) continue;
      prior[id] = this.deps.store.personaRecords(profile)[id] ?? null;
      const inEffect =
        snapshot(doc, ACTIVE) === id &&
        renderPersonality(snapshot(doc, PERSONALITY(id))) === snapshot(doc, SYSTEM_PROMPT);
      if (inEffect) activatePersonality(doc, persona);
      else doc.setIn(PERSONALITY(id), doc.createNode(personalityPreset(persona)));
      this.deps.store.setPersonaRecord(profile, id, this.#record(persona, ctx));
    }
    return prior;
  }

  #drift(profile: string, doc: Document): { id: string; state: DriftState; note?: string }[] {
    return Object.entries(this.deps.store.personaRecords(profile)).map(([id, recorded]) => {
      const library = this.#library.get(id);
      const prompt = doc.getIn([...PERSONALITY(id), "system_prompt"]);
      const state = driftOf({
        recorded,
        profileHash: typeof prompt === "string" ? bodyHash(prompt) : undefined,
        library,
      });
      const note =
        state === "outdated"
          ? `library has v${library?.meta.version ?? "?"}, the profile v${recorded.version}`
          : state === "modified"
            ? "the profile's copy was edited by hand"
            : state === "missing"
              ? "no longer in the library"
              : `v${recorded.version}`;
      return { id, state, note };
    });
  }

  #record(persona: Persona, ctx: { actor: Actor }): PersonaRecord {
    return {
      version: persona.meta.version,
      hash: persona.hash,
      mode: "overlay",
      appliedBy: ctx.actor.id,
      appliedAt: this.#now(),
    };
  }

  #offerUndo(
    ctx: { actor: Actor },
    profile: string,
    previous: Record<string, unknown>,
    records: Record<string, PersonaRecord | null>,
  ) {
    const id = newId();
    this.deps.store.putAction(id, {
      kind: "undo",
      profile,
      actorId: ctx.actor.id,
      at: this.#now(),
      previous,
      records,
    });
    return { label: "Undo", token: encodePersonaToken(id, "undo") };
  }

  #target(ctx: CommandContext, profile: string | undefined): Promise<ChatProfile | { refused: Reply }> {
    return chatProfile(this.deps.backend, this.deps.store, ctx, profile);
  }

  #shown(ref: string): string {
    return shownProfile(this.deps.backend, ref);
  }

  #unknown(id: string): Reply {
    const shown = id.replace(/[^\x20-\x7e]/g, "?").slice(0, 64);
    return refusal(
      `There is no persona '${shown}'. Did you mean: ${this.#library.closest(id).join(", ")}? /persona list shows them all.`,
    );
  }

  /**
   * Reads a profile's config.yaml and hands it to `work`, one edit at a time per profile so two
   * applies never interleave their read and write; an unreadable config is refused, unchanged.
   */
  #editConfig(profile: string, work: (config: { doc: Document }) => Promise<Reply>): Promise<Reply> {
    return this.#perProfile.run(profile, async () => {
      const read = await this.deps.backend.readConfig(profile);
      if (!read.ok) return refusal(`Profile ${this.#shown(profile)}: ${read.reason}.`);
      try {
        return await work(read.value);
      } catch (error) {
        if (error instanceof WriteRefused) return refusal(error.message);
        throw error;
      }
    });
  }

  /** Writes config.yaml back; a refusal ends the command with the backend's reason (nothing recorded). */
  async #save(profile: string, doc: Document): Promise<void> {
    const written = await this.deps.backend.writeConfig(profile, { doc });
    if (!written.ok) throw new WriteRefused(`Profile ${this.#shown(profile)}: ${written.reason}`);
  }
}

export function summarize(persona: Persona): PersonaSummary {
  return {
    id: persona.meta.id,
    name: persona.meta.name,
    category: persona.meta.category,
    description: persona.meta.description,
    defaultModel: persona.meta.default_model,
    suggestedMcps: persona.meta.suggested_mcps,
    aliases: persona.meta.aliases ?? [],
  };
}

function snapshots(doc: Document, paths: readonly (readonly string[])[]): Record<string, unknown> {
  return Object.fromEntries(paths.map((keys) => [keys.join("."), snapshot(doc, keys)]));
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

function newId(): string {
  return randomBytes(6).toString("hex");
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
