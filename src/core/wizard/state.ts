// The wizard's state: plain JSON, stored as-is by the session store. It never holds a secret
// value, only the names of the .env variables the user has given: secrets live only in memory until Create writes them to .env.
import type { ShippedPlugin } from "../hermes-plugins.ts";
import type { McpServerSpec, PersonaMode } from "../blueprint.ts";
import type { HubHit } from "../hub-search.ts";

export type Surface = "console" | "telegram" | "discord";

export interface Actor {
  readonly id: string;
  readonly name: string;
}

export const SCREENS = [
  "identity.name",
  "identity.menu",
  "identity.display_name",
  "identity.description",
  "identity.clone",
  "identity.soul",
  "model.provider",
  "model.base_url",
  "model.loading",
  "model.model",
  "model.model_text",
  "model.checking",
  "model.fit",
  "model.api_key",
  "skills.builtin",
  "skills.optional",
  "skills.hub",
  "skills.hub_search",
  "skills.secret",
  "tools.pick",
  "mcp.list",
  "mcp.custom_name",
  "mcp.custom_target",
  "mcp.custom_auth",
  "mcp.secret",
  "persona.pick",
  "persona.suggest",
  "commonground.worker",
  "commonground.tags",
  "commonground.delegates",
  "commonground.must_end_with",
  "review",
  "creating",
  "edit.review",
  "edit.keys",
  "edit.key",
  "applying",
  "done",
  "cancelled",
] as const;

export type Screen = (typeof SCREENS)[number];

export interface Draft {
  readonly name?: string;
  readonly display_name?: string;
  readonly description?: string;
  readonly clone_from?: string;
  readonly provider?: string;
  readonly model?: string;
  readonly base_url?: string;
  /** The model's context window as its server reported it (written to config.yaml model.context_length). */
  readonly context_length?: number;
  /** True for "no built-in skills" (writes .no-bundled-skills). */
  readonly noBuiltins: boolean;
  /** Built-in skill ids the user deselected; they go to config.yaml skills.disabled. */
  readonly builtinOff: readonly string[];
  readonly optional: readonly string[];
  readonly hub: readonly string[];
  readonly mcp: readonly McpServerSpec[];
  /**
   * Hermes toolsets, one list for every platform. Absent on Create: the safe preset (SAFE_TOOLSETS);
   * absent in an edit: the profile's lists stay as they are.
   */
  readonly toolsets?: readonly string[];
  readonly persona?: { readonly id: string; readonly mode: PersonaMode };
  /** The identity text (SOUL.md); absent: the default (Create) or the profile's own (an edit). */
  readonly soul?: string;
  /** Hermes plugins this project ships, installed at Create (the persona library as the agent's tools). */
  readonly plugins?: readonly ShippedPlugin[];
  /** What a CommonGround profile needs beyond a Hermes one (only when the target is CommonGround). */
  readonly commonground?: CommonGroundDraft;
}

export interface CommonGroundDraft {
  /** Absent: the target's default worker. */
  readonly worker_target?: string;
  readonly tags?: readonly string[];
  /** Profiles of the project this one may delegate to (`delegation_policy.target_profiles`). */
  readonly delegates?: readonly string[];
  /** Tools a turn must end with (e.g. submit_result). */
  readonly must_end_with?: readonly string[];
}

/**
 * A wizard opened by `/profile edit`: the profile it edits, the fingerprint of its files when they
 * were read (Apply refuses when they changed since), and the draft they were read into (Review
 * shows the difference). Never a secret: the fingerprint covers .env's key names only.
 */
export interface EditSession {
  /** The profile as commands name it (`<host>:<name>` with several hosts). */
  readonly profile: string;
  readonly fingerprint: string;
  readonly original: Draft;
  /** Names of the keys set in the profile's .env (never values): the editor does not ask for them again. */
  readonly keysSet: readonly string[];
  /**
   * The keys the profile needs or its .env holds, for Edit keys: names and why, never values. Read
   * when Edit keys is first opened (finding them reads every skill's SKILL.md), not with the editor.
   */
  readonly keys?: readonly EditKey[];
  /** The key Edit keys is on. */
  readonly keyFocus?: string;
  /** Keys to delete from .env on Apply. */
  readonly keysDeleted?: readonly string[];
  /** MCP servers the draft could not hold: Apply leaves them as they are. */
  readonly keptServers: readonly string[];
  /** What the editor could not show, said on its Review. */
  readonly notes: readonly string[];
  /** How Apply ended, once it has. */
  readonly result?: "applied" | "refused";
}

export interface EditKey {
  readonly key: string;
  readonly set: boolean;
  /** Why the profile needs it ("provider openrouter", "MCP server docs"); "" for an other key. */
  readonly why: string;
}

export interface WizardState {
  readonly id: string;
  readonly owner: Actor;
  readonly surface: Surface;
  readonly chat: string;
  /** Incremented on every transition; button tokens carry it, so old buttons are recognised. */
  readonly rev: number;
  readonly step: Screen;
  readonly draft: Draft;
  /** Names of .env variables whose values the user gave or chose to leave empty. Never values. */
  readonly secrets: {
    readonly provided: readonly string[];
    readonly skipped: readonly string[];
    /**
     * When each provided key was given (its event's time): with replicas, a replica holding a key
     * given at another time holds an older value. Absent in sessions stored before it was kept.
     */
    readonly givenAt?: Readonly<Record<string, number>>;
  };
  /** Models a local server reported, or null when the offline list applies. */
  readonly listedModels: { readonly models: readonly string[]; readonly note?: string } | null;
  /** What the local server said about the picked model (absent in sessions stored before it was asked). */
  readonly modelFacts?: ModelFactsState | null;
  /** A custom MCP server being added: its name, before its URL or command is known. */
  readonly customMcp: { readonly name: string; readonly url?: string } | null;
  /** The last hub search: running, or its hits (absent in sessions stored before search existed). */
  readonly hubSearch?: HubSearchState | null;
  /** Set by "Edit" on Review: finishing the edited step returns straight to Review. */
  readonly returnToReview: boolean;
  /** Current page of each paged list, by screen. */
  readonly pages: Readonly<Partial<Record<Screen, number>>>;
  /** Identity text received on its screen, not kept yet ("Use this text" keeps it). */
  readonly soulPending?: string;
  /** Set when the wizard edits an existing profile instead of creating one. */
  readonly edit?: EditSession;
  /** Lines of the create report, once Create has finished. */
  readonly report: readonly string[];
  /**
   * Which message shows this wizard, as the surface names it (a Telegram message id), kept with the
   * session so every replica edits the same message. The core only carries it.
   */
  readonly screenRef?: string;
  /**
   * The key (its .env name) whose private prompt the owner opened from this wizard (a Telegram group
   * wizard's key link): their next private message is that key, while the wizard still asks for it.
   * Kept with the session so whichever replica gets the message knows. The core only carries it.
   */
  readonly keyLink?: string;
  readonly createdAt: number;
  readonly updatedAt: number;
}

export interface ModelFactsState {
  readonly model: string;
  readonly contextLength?: number;
  readonly tools?: boolean;
  /** Why the server could not say (then nothing is known). */
  readonly failure?: string;
}

export interface HubSearchState {
  readonly query: string;
  readonly status: "searching" | "done";
  readonly hits: readonly HubHit[];
  /** Why the search did not finish (a timeout, Hermes failing); hits are then empty. */
  readonly failure?: string;
}

export function newWizardState(init: {
  id: string;
  owner: Actor;
  surface: Surface;
  chat: string;
  at: number;
}): WizardState {
  return {
    ...init,
    rev: 1,
    step: "identity.name",
    draft: { noBuiltins: false, builtinOff: [], optional: [], hub: [], mcp: [] },
    secrets: { provided: [], skipped: [] },
    listedModels: null,
    customMcp: null,
    returnToReview: false,
    pages: {},
    report: [],
    createdAt: init.at,
    updatedAt: init.at,
  };
}

export function stepOf(screen: Screen): string {
  return screen.split(".")[0] ?? screen;
}

export function isFinished(state: WizardState): boolean {
  return state.step === "done" || state.step === "cancelled";
}
