// The chat runtime every adapter talks to (ports/chat-runtime.ts): it routes a button press by its
// token's kind (wizard, install, persona, profile), runs every command of the table with one switch
// over intents, and hands wizard events to the wizard runner. Surfaces only render the outcomes.
import type { ParsedCommand } from "../../../commands/index.ts";
import type { InstallGroup } from "../../core/install/install-job.ts";
import { renderInstallStatus } from "../../core/install/status-view.ts";
import { describe } from "../../core/messages.ts";
import { refusal, reply } from "../../core/reply.ts";
import { isInstallToken, parseInstallToken, type InstallAction } from "../../core/tokens/install-token.ts";
import { isPersonaToken } from "../../core/tokens/persona-token.ts";
import { isProfileToken } from "../../core/tokens/profile-token.ts";
import type { Actor, Surface, WizardState } from "../../core/wizard/index.ts";
import type { InstallJobs } from "../ports/install-jobs.ts";
import type { ProgressReporter } from "../install/progress-reporter.ts";
import type { PersonaService } from "../persona/persona-service.ts";
import type { ChatRuntime, CommandOutcome, CommandSurface, PressAnswer } from "../ports/chat-runtime.ts";
import type { CommandContext } from "../ports/command-context.ts";
import type { WizardOutput } from "../ports/wizard-output.ts";
import type { ProfileService } from "../profile/profile-service.ts";
import type { Store } from "../ports/store.ts";
import type { Logger } from "../system/logger.ts";
import { installSkillInto } from "../profile/skill-into-profile.ts";
import type { CommandRouter } from "./command-router.ts";
import type { WizardRunner } from "./wizard-runner.ts";

/**
 * How long an inbound update being handled keeps other deliveries of it away. A platform delivers
 * it again when the replica handling it died (no answer) or answered an error; past this lease the
 * redelivery is handled, sooner it is dropped (the first handler may still be running).
 */
export const INBOUND_CLAIM_LEASE_MS = 60_000;

export interface BotRuntimeDeps {
  readonly wizards: WizardRunner;
  /** The persona and profile commands. */
  readonly commands: CommandRouter;
  readonly store: Store;
  readonly personas?: PersonaService;
  readonly profiles?: ProfileService;
  /** Hub-skill installs after Create and their status messages; absent where none run. */
  readonly installs?: InstallJobs;
  readonly reporter?: ProgressReporter;
  readonly logger?: Logger;
  readonly now?: () => number;
}

export class BotRuntime implements ChatRuntime {
  readonly #now: () => number;

  constructor(private readonly deps: BotRuntimeDeps) {
    this.#now = deps.now ?? Date.now;
  }

  /** Main attaches each adapter's output surface once it is built. */
  attach(surface: Surface, output: WizardOutput): void {
    this.deps.wizards.attach(surface, output);
  }

  async command(
    command: ParsedCommand,
    ctx: CommandContext,
    surface: CommandSurface,
  ): Promise<CommandOutcome> {
    const { wizards } = this.deps;
    const open = await wizards.findOpen(ctx.surface, ctx.chat, ctx.actor.id);
    const intent = command.entry.intent;
    switch (intent) {
      case "wizard.start": {
        if (open) await wizards.cancel(open.id, ctx.actor);
        await wizards.start(ctx.actor, ctx.surface, ctx.chat, (id) => surface.beforeWizardShown?.(id));
        return { kind: "wizard" };
      }
      case "profile.edit": {
        if (!this.deps.profiles)
          return { kind: "reply", reply: reply("That command is not available here.", { ok: false }) };
        const named = command.args[0] === "" ? undefined : command.args[0];
        if (command.args.length > 1)
          return {
            kind: "reply",
            reply: refusal(`Too many words. Usage: ${surface.spell("profile edit")} [name]`),
          };
        const target = await this.deps.profiles.editTarget(ctx, named);
        if ("refused" in target) return { kind: "reply", reply: target.refused };
        const started = await wizards.startEdit(ctx.actor, ctx.surface, ctx.chat, target.name, async (id) => {
          // The chat's open wizard gives way only once the profile could be read.
          if (open) await wizards.cancel(open.id, ctx.actor);
          surface.beforeWizardShown?.(id);
        });
        if (!started.ok) return { kind: "reply", reply: refusal(started.reason) };
        return { kind: "wizard" };
      }
      case "profile.install": {
        const { profiles, installs } = this.deps;
        if (!profiles)
          return { kind: "reply", reply: reply("That command is not available here.", { ok: false }) };
        const [name, skill] = command.args;
        if (!name || !skill || command.args.length > 2)
          return {
            kind: "reply",
            reply: refusal(`Usage: ${surface.spell("profile install")} <profile> <skill>`),
          };
        const target = await profiles.editTarget(ctx, name);
        if ("refused" in target) return { kind: "reply", reply: target.refused };
        const answer = await installSkillInto(
          profiles.backend,
          target.name,
          skill,
          await wizards.context(ctx),
          this.deps.personas,
        );
        if (answer.installs.length > 0)
          await installs?.start(ctx.actor, ctx.surface, ctx.chat, target.name, answer.installs);
        return { kind: "reply", reply: answer.reply };
      }
      case "wizard.cancel":
        if (!open) return { kind: "reply", reply: reply("No wizard is open here.") };
        await wizards.cancel(open.id, ctx.actor);
        return { kind: "wizard", note: "Wizard cancelled; nothing was written." };
      case "wizard.show":
        if (!open)
          return {
            kind: "reply",
            reply: reply(`No wizard is open here. Send ${surface.spell("profile new")} to start one.`),
          };
        surface.beforeWizardShown?.(open.id);
        await wizards.show(open.id);
        return { kind: "wizard" };
      case "help":
        return { kind: "help" };
      case "installs.status":
        return { kind: "reply", reply: reply(await this.#installStatusText(ctx.surface, ctx.chat)) };
      case "installs.cancel":
      case "installs.retry": {
        const group = await this.#latestInstallGroup(ctx.surface, ctx.chat);
        if (!group) return { kind: "reply", reply: reply("No installs were started here.") };
        const answer = await this.#pressInstall(
          group.id,
          intent === "installs.cancel" ? "cancel" : "retry",
          ctx.actor,
        );
        return { kind: "reply", reply: reply(answer.message ?? "Done.", { ok: answer.ok }) };
      }
      default: {
        const answer = await this.deps.commands.run(command, ctx);
        return {
          kind: "reply",
          reply: answer ?? reply("That command is not available here.", { ok: false }),
        };
      }
    }
  }

  suggest(...args: Parameters<CommandRouter["suggest"]>): ReturnType<CommandRouter["suggest"]> {
    return this.deps.commands.suggest(...args);
  }

  /** A button press from any surface: the raw token is checked by whoever owns its kind. */
  async press(rawToken: string, actor: Actor): Promise<PressAnswer> {
    if (isInstallToken(rawToken)) {
      const parsed = parseInstallToken(rawToken);
      if (!parsed.ok) return { ok: false, message: describe(parsed.error) };
      return this.#pressInstall(parsed.value.groupId, parsed.value.action, actor);
    }
    if (isProfileToken(rawToken)) {
      if (!this.deps.profiles) return { ok: false, message: describe({ code: "token_malformed" }) };
      const answer = await this.deps.profiles.press(actor, rawToken);
      return { ok: answer.ok, message: answer.text, reply: answer };
    }
    if (isPersonaToken(rawToken)) {
      if (!this.deps.personas) return { ok: false, message: describe({ code: "token_malformed" }) };
      const answer = await this.deps.personas.press(actor, rawToken);
      return { ok: answer.ok, message: answer.text, reply: answer };
    }
    return this.deps.wizards.press(rawToken, actor);
  }

  async #pressInstall(groupId: string, action: InstallAction, actor: Actor): Promise<PressAnswer> {
    const { installs } = this.deps;
    if (!installs) return { ok: false, message: describe({ code: "session_missing" }) };
    const answer =
      action === "cancel" ? await installs.cancel(groupId, actor) : await installs.retry(groupId, actor);
    return { ok: answer.ok, message: answer.text };
  }

  select(menuToken: string, valueTokens: readonly string[], actor: Actor): Promise<PressAnswer> {
    return this.deps.wizards.select(menuToken, valueTokens, actor);
  }

  text(sessionId: string, actor: Actor, text: string): Promise<WizardState | undefined> {
    return this.deps.wizards.text(sessionId, actor, text);
  }

  form(sessionId: string, actor: Actor, values: Record<string, string>): Promise<WizardState | undefined> {
    return this.deps.wizards.form(sessionId, actor, values);
  }

  submitSecret(sessionId: string, actor: Actor, raw: string): Promise<PressAnswer> {
    return this.deps.wizards.submitSecret(sessionId, actor, raw);
  }

  cancel(sessionId: string, actor: Actor): Promise<WizardState | undefined> {
    return this.deps.wizards.cancel(sessionId, actor);
  }

  show(sessionId: string): Promise<WizardState | undefined> {
    return this.deps.wizards.show(sessionId);
  }

  currentView(sessionId: string) {
    return this.deps.wizards.currentView(sessionId);
  }

  expectedSecret(sessionId: string): Promise<string | undefined> {
    return this.deps.wizards.expectedSecret(sessionId);
  }

  findOpen(surface: Surface, chat: string, ownerId: string): Promise<WizardState | undefined> {
    return this.deps.wizards.findOpen(surface, chat, ownerId);
  }

  peek(sessionId: string): Promise<WizardState | undefined> {
    return this.deps.wizards.peek(sessionId);
  }

  linkKeyPrompt(sessionId: string, env: string | undefined): Promise<void> {
    return this.deps.wizards.linkKeyPrompt(sessionId, env);
  }

  linkedKeyPrompt(surface: Surface, ownerId: string): Promise<WizardState | undefined> {
    return this.deps.wizards.linkedKeyPrompt(surface, ownerId);
  }

  /**
   * Whose wizard or install group a button token points at (its owner's actor id), or undefined.
   * The owner may always press the buttons of their own wizard and installs, wherever they are.
   */
  async ownerOf(rawToken: string): Promise<string | undefined> {
    if (isInstallToken(rawToken)) {
      const parsed = parseInstallToken(rawToken);
      return parsed.ok ? (await this.deps.store.getInstallGroup(parsed.value.groupId))?.owner.id : undefined;
    }
    return this.deps.wizards.ownerOf(rawToken);
  }

  async claimInbound(key: string): Promise<boolean | "unavailable"> {
    try {
      return await this.deps.store.claimInbound(key, this.#now(), INBOUND_CLAIM_LEASE_MS);
    } catch (error) {
      this.deps.logger?.warn({ key, reason: String(error) }, "inbound update not claimed: store unavailable");
      return "unavailable";
    }
  }

  async finishInbound(key: string): Promise<void> {
    try {
      await this.deps.store.finishInbound(key, this.#now());
    } catch (error) {
      // Left unfinished: a redelivery after the lease would be handled again, the lesser harm.
      this.deps.logger?.warn({ key, reason: String(error) }, "inbound update not marked handled");
    }
  }

  /** Resolves when no install runs and every status message is up to date. */
  async settled(): Promise<void> {
    await this.deps.installs?.idle();
    await this.deps.reporter?.settled();
  }

  /** After a restart: interrupted installs are settled, then every stored wizard resumes. */
  async restoreAll(): Promise<void> {
    await this.deps.installs?.recover();
    await this.deps.wizards.restoreAll();
  }

  /** The newest install group started in a chat, for /installs cancel and retry. */
  async #latestInstallGroup(surface: Surface, chat: string): Promise<InstallGroup | undefined> {
    return (await this.deps.store.allInstallGroups())
      .filter((group) => group.surface === surface && group.chat === chat)
      .sort((a, b) => b.createdAt - a.createdAt)[0];
  }

  /**
   * The newest install group of a chat as text (`/installs status`): the same lines as its status
   * message, for when that message could not be posted or was lost.
   */
  async #installStatusText(surface: Surface, chat: string): Promise<string> {
    const group = await this.#latestInstallGroup(surface, chat);
    if (!group) return "No installs were started here.";
    const view = renderInstallStatus(group);
    return [view.title, ...view.body].filter((line) => line !== "").join("\n");
  }
}
