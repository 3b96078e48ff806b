// Where profiles are made and kept: the Hermes home on this machine (local-backend.ts, the default)
// or a Hermes on another machine through its dashboard API (dashboard-backend.ts, HERMES_URL +
// HERMES_TOKEN). The wizard, the profile and persona commands, `create --from` and the installs
// work through this port only, so they behave the same on both.
import type { Document } from "yaml";
import type { Blueprint } from "../../core/blueprint.ts";
import type { CreateReport } from "../../core/create-report.ts";
import type { InstallExecutor } from "../install/install-executor.ts";
import type { PersonaLookup } from "../profile/profile-writer.ts";

export type BackendResult<T> = { ok: true; value: T } | { ok: false; reason: string };

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
}

/** A profile's config.yaml, parsed with comments kept, ready to change and write back. */
export interface ProfileConfig {
  readonly doc: Document;
}

export interface ProfileBackend {
  /**
   * The Hermes host replies name ("hermes-box:9119"); undefined for the Hermes home on this machine,
   * whose replies stay as they always were.
   */
  readonly host?: string;
  /** Facts the Review screen shows before Create: what this backend cannot set. */
  readonly cannotSet: readonly BlueprintPart[];
  /** The profile names there are (`default`, the root, is not one). */
  names(): Promise<BackendResult<string[]>>;
  exists(name: string): Promise<BackendResult<boolean>>;
  facts(name: string): Promise<BackendResult<ProfileFacts>>;
  /** Deletes a whole profile; `default` is never passed. */
  remove(name: string): Promise<BackendResult<true>>;
  create(
    blueprint: Blueprint,
    secrets: ReadonlyMap<string, string>,
    personas: PersonaLookup | undefined,
  ): Promise<CreateReport>;
  /** Reads config.yaml (`default` is the Hermes root); a missing or broken one is refused. */
  readConfig(name: string): Promise<BackendResult<ProfileConfig>>;
  writeConfig(name: string, config: ProfileConfig): Promise<BackendResult<true>>;
  readonly installs: InstallExecutor;
}

/** Parts of a blueprint a backend may be unable to write. */
export type BlueprintPart = "display_name";
