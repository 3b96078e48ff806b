// What comes into the wizard (events, from adapters and from effect results) and what goes out
// (effects, run by the app layer). Time and ids arrive on events: the core has no clock.
import type { Blueprint } from "../blueprint.ts";
import type { ButtonPress } from "../tokens/button-token.ts";
import type { Catalog } from "../catalog.ts";
import type { CatalogOrigin } from "../catalog-origin.ts";
import type { HubHit } from "../hub-search.ts";
import type { HubScans } from "../install/hub-scan.ts";
import type { View } from "../view.ts";
import type { Actor, EditKey, WizardState } from "./state.ts";

export type WizardEvent =
  | { readonly type: "press"; readonly press: ButtonPress; readonly actor: Actor; readonly at: number }
  | { readonly type: "text"; readonly text: string; readonly actor: Actor; readonly at: number }
  /** The answers of a form (see ViewInput.form), keyed by field. */
  | {
      readonly type: "form";
      readonly values: Readonly<Record<string, string>>;
      readonly actor: Actor;
      readonly at: number;
    }
  /**
   * A select menu submitted (Discord): `rev` from the menu's token, `chosen` the item tokens now
   * picked on the page. A single list picks the one item; a multi list toggles what changed.
   */
  | {
      readonly type: "select";
      readonly rev: number;
      readonly chosen: readonly ButtonPress[];
      readonly actor: Actor;
      readonly at: number;
    }
  /** A secret was collected privately by the adapter and handed to the app; only its name comes here. */
  | { readonly type: "secretProvided"; readonly env: string; readonly actor: Actor; readonly at: number }
  | { readonly type: "cancel"; readonly actor: Actor; readonly at: number }
  /** Result of a listModels effect: the models a server reported, or why it could not be asked. */
  | {
      readonly type: "modelsListed";
      readonly models: readonly string[];
      readonly failure?: string;
      readonly at: number;
    }
  /** Result of an askModelFacts effect: what the server said about `model`, or why it could not say. */
  | {
      readonly type: "modelFactsShown";
      readonly model: string;
      readonly contextLength?: number;
      readonly tools?: boolean;
      readonly failure?: string;
      readonly at: number;
    }
  /** Result of a searchHub effect, for the query it was started with. */
  | {
      readonly type: "hubSearched";
      readonly query: string;
      readonly hits: readonly HubHit[];
      readonly failure?: string;
      readonly at: number;
    }
  /** Result of a listKeys effect: the keys of the profile being edited, or why they could not be read. */
  | {
      readonly type: "keysListed";
      readonly keys: readonly EditKey[];
      readonly failure?: string;
      readonly at: number;
    }
  /** Result of a createProfile effect. */
  | {
      readonly type: "createFinished";
      readonly ok: boolean;
      readonly lines: readonly string[];
      /**
       * What to install into the new profile afterwards, as Create reported it: the hub skills, and on
       * a Hermes host also the optional skills (Hermes installs them from its official source there).
       * Absent: the draft's hub skills.
       */
      readonly installs?: readonly string[];
      readonly at: number;
    }
  /** Result of an applyEdit effect: the lines of what was written, or why nothing was. */
  | {
      readonly type: "editFinished";
      readonly ok: boolean;
      readonly lines: readonly string[];
      /** Hub skills to install into the profile now. */
      readonly installs: readonly string[];
      readonly at: number;
    }
  /** The bot restarted and loaded this session from the store. */
  | { readonly type: "restored"; readonly at: number }
  /**
   * Create (or an edit's Apply) reached a replica of the bot that does not hold keys typed into
   * this wizard: keys live only in the memory of the replica that read them, never in the shared store.
   */
  | { readonly type: "secretsElsewhere"; readonly envs: readonly string[]; readonly at: number }
  /**
   * Create (or Apply) was handed to this replica by one that lacks keys typed into the wizard: this
   * one holds them all and has claimed the work, so the write is asked for again here.
   */
  | { readonly type: "handedOver"; readonly at: number }
  /** Show the current screen again (e.g. the user asked where they were). */
  | { readonly type: "show"; readonly at: number };

export type WizardEffect =
  | { readonly type: "render"; readonly view: View }
  /** A short private answer to one person (a toast, an ephemeral reply), e.g. "not your wizard". */
  | { readonly type: "notify"; readonly actorId: string; readonly text: string }
  | { readonly type: "listModels"; readonly provider: string; readonly baseUrl: string }
  /** Ask the local server about the picked model (context window, tool calling); answered by `modelFactsShown`. */
  | {
      readonly type: "askModelFacts";
      readonly provider: string;
      readonly baseUrl: string;
      readonly model: string;
    }
  /** Search the hub; the result comes back as `hubSearched`, and the session is not held meanwhile. */
  | { readonly type: "searchHub"; readonly query: string }
  | { readonly type: "createProfile"; readonly blueprint: Blueprint }
  /**
   * Read the keys of the profile being edited (names, whether set, why: never values), when its
   * owner opens Edit keys; answered by `keysListed`.
   */
  | { readonly type: "listKeys"; readonly profile: string }
  /**
   * Make the edited profile match the blueprint on the keys that changed, if its files still have
   * the fingerprint they were read with; the result comes back as `editFinished`.
   */
  | {
      readonly type: "applyEdit";
      readonly profile: string;
      readonly blueprint: Blueprint;
      readonly keys: readonly string[];
      readonly fingerprint: string;
      readonly keptServers: readonly string[];
      /** Keys to delete from .env (the keys to set are the ones given in this wizard). */
      readonly deleteKeys: readonly string[];
    }
  /** After a successful create: install these hub skills into the new profile, in the background. */
  | { readonly type: "startInstalls"; readonly profile: string; readonly identifiers: readonly string[] }
  /** The wizard is over: the app deletes the session and forgets its secrets. */
  | { readonly type: "end"; readonly outcome: "created" | "edited" | "cancelled" };

export interface WizardContext {
  readonly catalog: Catalog;
  /** Names of the profiles that exist now (for clone sources and name clashes). */
  readonly profiles: readonly string[];
  /**
   * Set when profiles are made on a Hermes host through its dashboard: its name (Review says where
   * Create goes) and what cannot be set there, so Review says so before Create.
   */
  readonly remote?: { readonly host: string; readonly cannotSet: readonly RemoteLimit[] };
  /**
   * Set when profiles are made in a CommonGround project instead of Hermes: the wizard asks what
   * CommonGround needs and Hermes does not (worker target, tags, delegation, must_end_with) and
   * skips what it cannot take (skills, tools, MCP servers, keys), saying so at Review.
   */
  readonly commonground?: CommonGroundTarget;
  /** With a Hermes host: which of the catalog's lists are the host's and which this bot's. */
  readonly catalogOrigin?: CatalogOrigin;
  /**
   * The scan before Create of the hub skills picked (by identifier), when the app scans them:
   * Review shows each one's verdict and trust, and marks those the install would refuse.
   */
  readonly hubScans?: HubScans;
}

export interface CommonGroundTarget {
  /** Where Create goes, for Review ("CommonGround project 'research' at cg.example:8000"). */
  readonly target: string;
  /** The worker a profile targets unless the user names another (COMMONGROUND_WORKER_TARGET). */
  readonly workerTarget: string;
  /** The project's profile names now: delegation targets, and names taken in any letter case. */
  readonly profiles: readonly string[];
}

/** Parts of a blueprint a Hermes host's dashboard may be unable to set. */
export type RemoteLimit = "display_name";

export interface Transition {
  readonly state: WizardState;
  readonly effects: readonly WizardEffect[];
}
