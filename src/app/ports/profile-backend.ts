// Where profiles are made and kept: the Hermes home on this machine (local-backend.ts, the default)
// or a Hermes on another machine through its dashboard API (dashboard-backend.ts, HERMES_URL +
// HERMES_TOKEN). The wizard, the profile and persona commands, `create --from` and the installs
// work through this port only, so they behave the same on both.
import type { PersonasPluginFiles } from "./personas-plugin-files.ts";
import type { Document } from "yaml";
import type { Blueprint } from "../../core/blueprint.ts";
import type { McpManifest, SkillInfo } from "../../core/catalog.ts";
import type { CatalogOrigin } from "../../core/catalog-origin.ts";
import type { CreateReport } from "../../core/create-report.ts";
import type { RemoteLimit } from "../../core/wizard/events.ts";
import type { InstallExecutor } from "./install-executor.ts";
import type { PersonaLookup } from "./persona-lookup.ts";
import type { Outcome } from "./outcome.ts";
import type { EditApplied, EditRead, EditRequest } from "./profile-edit.ts";

/** What `/profile list` and `/profile show` tell of a profile; never a secret value. */
export interface ProfileFacts {
  readonly model: string;
  readonly persona?: string;
  readonly displayName?: string;
  readonly description?: string;
  readonly mcpServers: string[];
  readonly personas: string[];
  readonly envKeys: { readonly key: string; readonly set: boolean }[];
  readonly skills: number;
  /**
   * A profile of another agent system (CommonGround) has none of Hermes' parts: these lines are
   * shown instead of model, MCP servers, skills, personas and keys; `model` is its list line.
   */
  readonly lines?: readonly string[];
}

/** Why a profile needs a key: its model's provider, an MCP server's config, a skill's frontmatter. */
export type KeyReason =
  | { readonly kind: "provider"; readonly name: string }
  | { readonly kind: "mcp"; readonly name: string }
  | { readonly kind: "skill"; readonly name: string; readonly optional: boolean };

/** A key `/profile keys` and `blueprint key list` name: whether .env sets it, never its value. */
export interface ProfileKey {
  readonly key: string;
  readonly set: boolean;
  /** Empty for a key .env holds that nothing in the profile asks for ("other"). */
  readonly why: readonly KeyReason[];
}

/** The keys a profile needs (from what it holds, not a blueprint), then the others its .env holds. */
export interface ProfileKeys {
  readonly needed: readonly ProfileKey[];
  readonly other: readonly ProfileKey[];
}

/** A profile's config.yaml, parsed with comments kept, ready to change and write back. */
export interface ProfileConfig {
  readonly doc: Document;
}

/**
 * A profile as commands and records name it: its Hermes name here and with one Hermes host; with
 * several hosts, `<host>:<name>` (Hermes names never hold a colon).
 */
export type ProfileRef = string;

export interface ProfileBackend {
  /**
   * The Hermes host(s) replies name ("hermes-box:9119", or "box, lab"); undefined for the Hermes
   * home on this machine, whose replies stay as they always were.
   */
  readonly host?: string;
  /** A typed profile (`default` included) as this backend names it, or why it is not one. */
  resolve(raw: string): Outcome<ProfileRef>;
  /** For replies: the profile's Hermes name, and " on <host>" when it is not on this machine. */
  where(ref: ProfileRef): { readonly name: string; readonly on: string };
  /** Facts the Review screen shows before Create: what this backend cannot set. */
  readonly cannotSet: readonly BlueprintPart[];
  /** The profile names there are (`default`, the root, is not one). */
  names(): Promise<Outcome<string[]>>;
  exists(name: string): Promise<Outcome<boolean>>;
  facts(name: string): Promise<Outcome<ProfileFacts>>;
  /** The keys a profile needs and whether each is set (`/profile keys`); never a value. */
  keys(name: string): Promise<Outcome<ProfileKeys>>;
  /** `/profile edit`: the profile read for the editor; a backend that cannot edit says why. */
  readForEdit(name: string): Promise<Outcome<EditRead>>;
  /** Apply an edit (or plan it, with dryRun); refused when the files changed since the reading. */
  applyEdit(name: string, request: EditRequest): Promise<Outcome<EditApplied>>;
  /** Undoes the last Apply while the profile is as it left it (`fingerprint`); the files put back. */
  undoEdit(name: string, fingerprint: string): Promise<Outcome<string[]>>;
  /** Deletes a whole profile; `default` is never passed. */
  remove(name: string): Promise<Outcome<true>>;
  /** `lists`: a Hermes host's lists the wizard showed (its Create checks against those, not newer ones). */
  create(
    blueprint: Blueprint,
    secrets: ReadonlyMap<string, string>,
    personas: PersonaLookup | undefined,
    lists?: HostCatalog,
  ): Promise<CreateReport>;
  /**
   * The backend a chat's wizard creates through: with several hosts, the host of the profile the
   * chat is bound to (else the first host); otherwise this one.
   */
  forChat(boundRef: ProfileRef | undefined): ChatTarget;
  /** Reads config.yaml (`default` is the Hermes root); a missing or broken one is refused. */
  readConfig(name: string): Promise<Outcome<ProfileConfig>>;
  writeConfig(name: string, config: ProfileConfig): Promise<Outcome<true>>;
  readonly installs: InstallExecutor;
  /**
   * A Hermes host's own lists where its dashboard gives them (this machine has none: the bot's
   * library is its Hermes' catalog). Never fails: a list not given is the bot's, and says why.
   */
  catalogs?(): Promise<HostCatalog>;
  /**
   * Set when this backend makes CommonGround profiles: the wizard asks what CommonGround needs and
   * skips what it cannot take. `label` says where Create goes; `workerTarget` is the default worker.
   */
  readonly commonground?: { readonly label: string; readonly workerTarget: string };
  /** The personas plugin's folder in a profile, where this backend can write one (this machine only). */
  readonly personasPlugin?: PersonasPluginFiles;
}

/** The lists a create on a Hermes host offers: the host's where it gave them, and which is whose. */
export interface HostCatalog {
  readonly builtinSkills: readonly SkillInfo[];
  readonly mcps: readonly McpManifest[];
  readonly origin: CatalogOrigin;
}

/** Where one chat's wizard creates: the backend of one place, and how its profiles are named in refs. */
export interface ChatTarget {
  readonly backend: ProfileBackend;
  /** The ref of a profile of this target called `name`. */
  refOf(name: string): ProfileRef;
}

/** Parts of a blueprint a backend may be unable to write (the wizard's Review lists them). */
export type BlueprintPart = RemoteLimit;
