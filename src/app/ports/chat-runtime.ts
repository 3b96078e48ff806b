// What a chat surface asks of the bot: the whole of it an adapter may call. Adapters receive it
// by constructor (main/ passes the one runtime/bot-runtime.ts builds) and never see the classes
// behind it, so a surface can be tested against a small stand-in and cannot reach the store.
import type { OptionDef, ParsedCommand } from "../../../commands/index.ts";
import type { Reply } from "../../core/reply.ts";
import type { View } from "../../core/view.ts";
import type { Actor, Surface, WizardState } from "../../core/wizard/index.ts";
import type { CommandContext } from "./command-context.ts";

/** The answer to a button press or a submitted answer: `message` to show the presser, or a whole reply. */
export interface PressAnswer {
  readonly ok: boolean;
  readonly message?: string;
  readonly reply?: Reply;
  /**
   * The wizard was gone when the press was stepped (`message` says so). A surface that looked the
   * session up before acknowledging the press says nothing more: it ended in between (the first of
   * a double click finished it), and its message already shows how.
   */
  readonly ended?: boolean;
}

/** What a command did, for the surface to show in its own way. */
export type CommandOutcome =
  /** An answer to show (text, buttons, a file). */
  | { readonly kind: "reply"; readonly reply: Reply }
  /**
   * A wizard was started, shown again or cancelled: its screen already went out through the
   * surface's WizardOutput. `note` is a line for surfaces that must still answer the command itself
   * (Discord's deferred reply).
   */
  | { readonly kind: "wizard"; readonly note?: string }
  /** The list of commands: each surface spells them its own way (`/profile new`, `/profile_new`). */
  | { readonly kind: "help" };

/** What the command switch needs from the surface a command was typed on. */
export interface CommandSurface {
  /** A command as users type it here, e.g. `/profile new` (Telegram: `/profile_new`). */
  spell(path: string): string;
  /**
   * Called with the wizard a command starts or shows, before its screen is rendered: a surface may
   * tie that screen to the command's own answer (Discord) or post it afresh (Telegram).
   */
  beforeWizardShown?(sessionId: string): void;
}

export interface ChatRuntime {
  /** Runs any command of the table (commands/): the one switch over intents, for every surface. */
  command(command: ParsedCommand, ctx: CommandContext, surface: CommandSurface): Promise<CommandOutcome>;
  /** Suggestions for an option while it is typed (Discord autocomplete). */
  suggest(
    source: NonNullable<OptionDef["autocomplete"]>,
    query: string,
    limit: number,
  ): Promise<{ label: string; value: string }[]>;
  /** A button press from any surface (wizard, install, persona and profile buttons alike). */
  press(rawToken: string, actor: Actor): Promise<PressAnswer>;
  /** A select menu submitted: its own token and the item tokens now chosen. */
  select(menuToken: string, valueTokens: readonly string[], actor: Actor): Promise<PressAnswer>;
  /** A typed answer to the wizard's current step. */
  text(sessionId: string, actor: Actor, text: string): Promise<WizardState | undefined>;
  /** Several answers at once (a Discord modal). */
  form(sessionId: string, actor: Actor, values: Record<string, string>): Promise<WizardState | undefined>;
  /** A secret typed privately: checked, kept in memory only. */
  submitSecret(sessionId: string, actor: Actor, raw: string): Promise<PressAnswer>;
  cancel(sessionId: string, actor: Actor): Promise<WizardState | undefined>;
  /** Renders a wizard's current screen again. */
  show(sessionId: string): Promise<WizardState | undefined>;
  /** The screen a session shows now (Discord builds a modal from it). */
  currentView(sessionId: string): Promise<View | undefined>;
  /** The .env variable the session's current step asks for privately, if any. */
  expectedSecret(sessionId: string): Promise<string | undefined>;
  /** The open wizard of one person in one chat. */
  findOpen(surface: Surface, chat: string, ownerId: string): Promise<WizardState | undefined>;
  /** A session as it is now, read-only. */
  peek(sessionId: string): Promise<WizardState | undefined>;
  /**
   * The owner opened a private chat for this wizard's prompt of `env` (undefined: that link is used
   * up). Kept with the session, so the replica that gets the key knows.
   */
  linkKeyPrompt(sessionId: string, env: string | undefined): Promise<void>;
  /** The newest wizard of this person whose key prompt they opened privately (`keyLink` names the key). */
  linkedKeyPrompt(surface: Surface, ownerId: string): Promise<WizardState | undefined>;
  /** Whose wizard or install group a button token points at (the owner's actor id). */
  ownerOf(rawToken: string): Promise<string | undefined>;
  /** Resolves when no install runs and every status message is up to date. */
  settled(): Promise<void>;
  /**
   * Takes an inbound update (a Telegram update_id, a Discord interaction id, prefixed by platform)
   * once, whichever replica it reached: false when it was handled or is being handled;
   * "unavailable" when the store cannot answer (the platform is asked to deliver it again).
   */
  claimInbound(key: string): Promise<boolean | "unavailable">;
  /** The update taken with claimInbound was handled. */
  finishInbound(key: string): Promise<void>;
}
