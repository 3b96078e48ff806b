// `/profile list | show | keys | use | delete` for every surface: what profiles exist, what one holds (never
// a secret value: .env keys are named, not shown), which one a chat works with (its binding, which
// /persona commands without a profile then act on), and deletion behind a confirmation button. The
// profiles live wherever the backend keeps them (this machine or a Hermes host); replies about a
// remote host name it.
import { randomBytes } from "node:crypto";
import { DEFAULT_PROFILE } from "../../core/blueprint.ts";
import { describe } from "../../core/messages.ts";
import { encodeProfileToken, parseProfileToken } from "../../core/tokens/profile-token.ts";
import { refusal, reply, type Reply } from "../../core/reply.ts";
import type { ViewButton } from "../../core/view.ts";
import type { Actor } from "../../core/wizard/index.ts";
import type { ProfileBackend, ProfileRef } from "../ports/profile-backend.ts";
import type { Logger } from "../system/logger.ts";
import type { Store } from "../ports/store.ts";
import type { CommandContext } from "../ports/command-context.ts";
import { chatKey, chatProfile, shownProfile, type ChatProfile } from "./chat-profile.ts";
import { ProfileNames } from "./profile-names.ts";
import { keyLines } from "./keys/key-lines.ts";

/** A confirmation button older than this no longer deletes anything. */
export const DELETE_CONFIRM_TTL_MS = 10 * 60 * 1000;
/** /profile list shows this many; the rest are counted. */
export const PROFILE_LIST_MAX = 50;

export interface ProfileServiceDeps {
  readonly store: Store;
  readonly backend: ProfileBackend;
  readonly logger: Logger;
  readonly now?: () => number;
  /** True while hub installs write into the profile (a deletion then waits). */
  readonly installing?: (profile: string) => Promise<boolean>;
}

/** Entries of one list (MCP servers, personas, .env keys) that /profile show names. */
export const SHOW_LIST_MAX = 30;

export class ProfileService {
  readonly #now: () => number;
  /** The names the wizard and Discord's suggestions check against, listed at most once per TTL. */
  readonly names: ProfileNames;

  constructor(private readonly deps: ProfileServiceDeps) {
    this.#now = deps.now ?? Date.now;
    this.names = new ProfileNames(deps.backend, this.#now);
  }

  /** Where profiles are made: the wizard creates through it too. */
  get backend(): ProfileBackend {
    return this.deps.backend;
  }

  async list(): Promise<Reply> {
    const { backend } = this.deps;
    const listed = await backend.names();
    if (!listed.ok) return refusal(listed.reason);
    const names = listed.value;
    const on = backend.host ? ` on ${backend.host}` : "";
    const notes = listed.notes ?? [];
    if (names.length === 0)
      return reply([`No profiles yet${on}. Start one with /profile new.`, ...notes].join("\n"));
    const lines = await Promise.all(
      names.slice(0, PROFILE_LIST_MAX).map(async (name) => {
        const facts = await backend.facts(name);
        if (!facts.ok) return `• ${name} — (unreadable: ${facts.reason})`;
        return `• ${name} — ${facts.value.model}${facts.value.persona ? ` · persona ${facts.value.persona}` : ""}`;
      }),
    );
    const more = names.length > PROFILE_LIST_MAX ? [`…and ${names.length - PROFILE_LIST_MAX} more.`] : [];
    return reply([`${names.length} profile(s)${on}:`, ...lines, ...more, ...notes].join("\n"));
  }

  async show(rawName: string): Promise<Reply> {
    const target = await this.#existing(rawName);
    if ("refused" in target) return target.refused;
    const read = await this.deps.backend.facts(target.name);
    if (!read.ok) return refusal(read.reason);
    const facts = read.value;
    const env = facts.envKeys.map(({ key, set }) => `${key}${set ? " (set)" : " (empty)"}`);
    const { name, on } = this.deps.backend.where(target.name);
    const header = `Profile '${name}'${on}${facts.displayName && facts.displayName !== name ? ` — ${facts.displayName}` : ""}`;
    if (facts.lines)
      return reply([header, ...(facts.description ? [facts.description] : []), ...facts.lines].join("\n"));
    return reply(
      [
        header,
        ...(facts.description ? [facts.description] : []),
        `Model: ${facts.model}`,
        `MCP servers: ${listed(facts.mcpServers)}`,
        `Skills installed: ${facts.skills}`,
        `Personas: ${listed(facts.personas)}${facts.persona ? ` (active: ${facts.persona})` : ""}`,
        `.env keys: ${listed(env)}`,
      ].join("\n"),
    );
  }

  /** The keys a profile needs and which are set (read-only: values are set from the terminal). */
  async keys(rawName: string): Promise<Reply> {
    const target = await this.#existing(rawName);
    if ("refused" in target) return target.refused;
    const read = await this.deps.backend.keys(target.name);
    if (!read.ok) return refusal(read.reason);
    const { name, on } = this.deps.backend.where(target.name);
    return reply(
      [
        `Keys of profile '${name}'${on} (names only; values stay in its .env):`,
        ...keyLines(read.value, SHOW_LIST_MAX),
        ...(read.notes ?? []),
        `Set one from a terminal: blueprint key set ${name} <KEY> (the value is read from stdin).`,
      ].join("\n"),
    );
  }

  /**
   * The profile `/profile edit` opens: the one named, else the chat's bound one. A chat bound to a
   * profile (a team chat) edits only that one; other profiles are edited elsewhere (a private chat,
   * the console).
   */
  async editTarget(
    ctx: CommandContext,
    rawName: string | undefined,
  ): Promise<ChatProfile | { refused: Reply }> {
    const target = await chatProfile(
      this.deps.backend,
      this.deps.store,
      ctx,
      rawName,
      "/profile edit research-bot",
    );
    if ("refused" in target) return target;
    if (this.deps.backend.where(target.name).name === DEFAULT_PROFILE)
      return {
        refused: refusal(
          "'default' is the Hermes home itself; it is not edited from a chat. Use blueprint apply --from on that machine.",
        ),
      };
    const bound = await this.deps.store.binding(chatKey(ctx));
    if (bound && bound.profile !== target.name && ctx.surface !== "console")
      return {
        refused: refusal(
          `This chat is bound to profile ${shownProfile(this.deps.backend, bound.profile)}: only that one can be edited here. Edit ${shownProfile(this.deps.backend, target.name)} from a private chat, or bind this chat to it first with /profile use.`,
        ),
      };
    return target;
  }

  /** Binds this chat to a profile: /persona commands run here without a profile then act on it. */
  async use(ctx: CommandContext, profile: string): Promise<Reply> {
    // `<target>:` alone picks where this chat's wizard creates (a Hermes host, a CommonGround
    // project) without picking a profile there.
    const targetOnly = /^([a-z0-9][a-z0-9-]{0,31}):$/.exec(profile.trim());
    if (targetOnly) {
      const ref = this.deps.backend.resolve(`${targetOnly[1] ?? ""}:default`);
      if (!ref.ok) return refusal(ref.reason);
      await this.deps.store.setBinding(chatKey(ctx), {
        profile: ref.value,
        by: ctx.actor.id,
        at: this.#now(),
      });
      const { on } = this.deps.backend.where(ref.value);
      return reply(
        `This chat now creates profiles${on} (/profile new). Name one to work with it: /profile use ${targetOnly[1] ?? ""}:<name>.`,
      );
    }
    const target = await chatProfile(this.deps.backend, this.deps.store, ctx, profile);
    if ("refused" in target) return target.refused;
    await this.deps.store.setBinding(chatKey(ctx), {
      profile: target.name,
      by: ctx.actor.id,
      at: this.#now(),
    });
    return reply(
      `This chat now works with profile '${target.name}'. /persona apply without a profile applies to it.`,
    );
  }

  /** Asks first: the answer carries "Delete" and "Keep" buttons for the person who asked. */
  async delete(actor: Actor, rawName: string): Promise<Reply> {
    const target = await this.#existing(rawName);
    if ("refused" in target) return target.refused;
    const id = randomBytes(6).toString("hex");
    await this.deps.store.putAction(id, {
      kind: "confirm-delete",
      profile: target.name,
      actorId: actor.id,
      at: this.#now(),
    });
    const { name, on } = this.deps.backend.where(target.name);
    return reply(
      `Delete profile '${name}'${on} with its config, .env, skills, memories and sessions? This cannot be undone.`,
      {
        buttons: [
          { label: `Delete ${name}`, token: encodeProfileToken(id, "delete"), style: "danger" },
          { label: "Keep it", token: encodeProfileToken(id, "keep") },
        ],
      },
    );
  }

  /**
   * The Undo button of an editor's Apply, for the person who applied: kept in the store by id
   * (swept with the other buttons after the session TTL), pointing at the profile and the
   * fingerprint the Apply left.
   */
  async offerEditUndo(profile: ProfileRef, actor: Actor, fingerprint: string): Promise<ViewButton> {
    const id = randomBytes(6).toString("hex");
    await this.deps.store.putAction(id, {
      kind: "undo-edit",
      profile,
      actorId: actor.id,
      at: this.#now(),
      fingerprint,
    });
    return { label: "↶ Undo", token: encodeProfileToken(id, "undo") };
  }

  async #undoEdit(actor: Actor, actionId: string): Promise<Reply> {
    const { store } = this.deps;
    const action = await store.action(actionId);
    if (!action || action.kind !== "undo-edit" || !action.fingerprint)
      return refusal("That Undo has expired or was already used.");
    if (action.actorId !== actor.id) return refusal("Only the person who applied the edit can undo it.");
    // Taken before the undo runs, so two presses (on two replicas) cannot both undo; a failed undo
    // puts the button back for another try.
    if (!(await store.takeAction(actionId))) return refusal("That Undo has expired or was already used.");
    const { name, on } = this.deps.backend.where(action.profile);
    const undone = await this.deps.backend.undoEdit(action.profile, action.fingerprint);
    if (!undone.ok) {
      await store.putAction(actionId, action);
      return refusal(`Profile '${name}'${on}: ${undone.reason}.`);
    }
    return reply(
      `Undone on profile '${name}'${on}: put back as before the edit: ${undone.value.join(", ")}. Keys set and skills installed by that edit stay (switch skills off with /profile edit).`,
    );
  }

  async press(actor: Actor, token: string): Promise<Reply> {
    const parsed = parseProfileToken(token);
    if (!parsed.ok) return refusal(describe(parsed.error));
    const { actionId, button } = parsed.value;
    if (button === "undo") return this.#undoEdit(actor, actionId);
    const action = await this.deps.store.action(actionId);
    if (!action || action.kind !== "confirm-delete" || this.#now() - action.at > DELETE_CONFIRM_TTL_MS)
      return refusal("That button has expired or was already used. Run /profile delete again.");
    if (action.actorId !== actor.id)
      return refusal("Only the person who asked for the deletion can confirm it.");
    if (!(await this.deps.store.takeAction(actionId)))
      return refusal("That button has expired or was already used. Run /profile delete again.");
    const { name, on } = this.deps.backend.where(action.profile);
    if (button === "keep") return reply(`Kept profile '${name}'${on}.`);
    if (await this.deps.installing?.(action.profile))
      return refusal(
        `Hub skills are still installing into '${name}'${on}. Cancel them or wait, then delete.`,
      );
    const removed = await this.deps.backend.remove(action.profile);
    if (!removed.ok) {
      this.deps.logger.error({ profile: action.profile, reason: removed.reason }, "delete failed");
      return refusal(removed.reason);
    }
    await this.deps.store.forgetProfile(action.profile);
    this.names.invalidate();
    this.deps.logger.info({ profile: action.profile, by: actor.id }, "profile deleted");
    return reply(`Deleted profile '${name}'${on}. Chats bound to it are unbound.`);
  }

  async #existing(rawName: string): Promise<{ name: ProfileRef } | { refused: Reply }> {
    const { backend } = this.deps;
    const resolved = backend.resolve(rawName);
    if (!resolved.ok) return { refused: refusal(resolved.reason) };
    const { name, on } = backend.where(resolved.value);
    if (name === DEFAULT_PROFILE)
      return { refused: refusal("'default' is the Hermes home itself; it cannot be shown or deleted here.") };
    const found = await backend.exists(resolved.value);
    if (!found.ok) return { refused: refusal(found.reason) };
    if (!found.value)
      return {
        refused: refusal(`There is no profile '${name}'${on}. /profile list shows the ones there are.`),
      };
    return { name: resolved.value };
  }
}

/**
 * A list of /profile show, at most SHOW_LIST_MAX entries: a profile edited by hand (or a host that
 * lies) may hold thousands, and one line of the answer is no place for them.
 */
function listed(items: readonly string[]): string {
  if (items.length === 0) return "none";
  const shown = items.slice(0, SHOW_LIST_MAX).join(", ");
  return items.length > SHOW_LIST_MAX ? `${shown} …and ${items.length - SHOW_LIST_MAX} more` : shown;
}
