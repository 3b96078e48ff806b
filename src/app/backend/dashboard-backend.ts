// A Hermes on another machine, reached through its dashboard API (`hermes serve` / `hermes
// dashboard`, HERMES_URL + HERMES_TOKEN). Hermes makes the profile itself (POST /api/profiles:
// folders, seeded skills, description, model, the kept built-ins); what its create does not take is
// laid on afterwards through its other endpoints (remote-create-steps.ts: secrets, SOUL.md,
// config.yaml). If any of that fails, the profile is deleted again, so a create is all or nothing
// here too; a create whose answer cannot be read may have happened all the same and is never sent
// again (remote-create-recovery.ts: what is done then).
// Hub installs (and our optional skills, as `official/…`) run afterwards through the install queue.
// What a host lists is taken as it could be shown: names by Hermes' rule only (others skipped, with a
// note), texts cleaned and capped.
import { DEFAULT_PROFILE, type Blueprint } from "../../core/blueprint.ts";
import { checkBlueprintAgainstCatalog, findSkill } from "../../core/blueprint-checks.ts";
import { findProvider, hermesProviderId } from "../../core/catalog.ts";
import type { CreateReport, CreateStep } from "../../core/create-report.ts";
import type { DashboardClient } from "../hermes/dashboard-client.ts";
import type { DashboardFailure } from "../hermes/dashboard-failures.ts";
import type { InstallExecutor } from "../ports/install-executor.ts";
import type { LoadedLibrary } from "../library/library-loader.ts";
import { parseConfigDocument } from "../profile/config-yaml.ts";
import { mcpNotes } from "../profile/shared-create-steps.ts";
import { type PersonaLookup } from "../ports/persona-lookup.ts";
import { configFacts, yamlRecord } from "./local-backend.ts";
import { resolvePlainRef, selfTarget } from "./plain-ref.ts";
import { afterUnreadCreate, undoRemoteCreate, type RemoteCreateSite } from "./remote-create-recovery.ts";
import { cleanFacts } from "./remote-facts.ts";
import { DashboardEditor } from "./dashboard-editor.ts";
import { hostProfileKeys } from "./dashboard-keys.ts";
import { HOST_CATALOG_RETRY_MS, HOST_CATALOG_TTL_MS, readHostCatalog } from "./host-catalog.ts";
import { layOn, RemoteStepFailed, type LayOnSite } from "./remote-create-steps.ts";
import type {
  BlueprintPart,
  ChatTarget,
  ProfileBackend,
  ProfileConfig,
  ProfileFacts,
  ProfileKeys,
  ProfileRef,
  HostCatalog,
} from "../ports/profile-backend.ts";
import type { EditApplied, EditRead, EditRequest } from "../ports/profile-edit.ts";
import type { Outcome } from "../ports/outcome.ts";

export interface DashboardBackendOptions {
  readonly client: DashboardClient;
  /** How replies name the host (HERMES_HOSTS' name); default: the URL's host:port. */
  readonly label?: string;
  /** How commands name this host's profiles when there are several hosts (`<host>:`). */
  readonly refPrefix?: string;
  readonly library: LoadedLibrary;
  readonly installs: InstallExecutor;
  /** Test seam: the clock the host's lists age by. */
  readonly now?: () => number;
}

export class DashboardBackend implements ProfileBackend {
  readonly host: string;
  /** Hermes 0.19's dashboard has no endpoint that writes profile.yaml's display_name. */
  readonly cannotSet: readonly BlueprintPart[] = ["display_name"];
  readonly installs: InstallExecutor;
  readonly #client: DashboardClient;
  #listing: ReturnType<DashboardClient["listProfiles"]> | undefined;
  /** This host as a create's recovery needs it. */
  readonly #site: RemoteCreateSite;
  /** This host as the steps after Hermes' create need it. */
  readonly #layOnSite: LayOnSite;
  readonly #editor: DashboardEditor;
  /** The host's lists, shared by every wizard step and create until they are due again. */
  #catalogs: { read: Promise<HostCatalog>; due: number } | undefined;

  constructor(private readonly options: DashboardBackendOptions) {
    this.#client = options.client;
    this.host = options.label ?? options.client.host;
    this.installs = options.installs;
    this.#site = { client: this.#client, host: this.host, refPrefix: options.refPrefix ?? "" };
    this.#layOnSite = { client: this.#client, library: options.library, backend: this };
    this.#editor = new DashboardEditor({
      client: this.#client,
      host: this.host,
      library: options.library,
      listProfiles: () => this.#listProfiles(),
    });
  }

  /**
   * The host's built-in skills and MCP catalog (host-catalog.ts), read once and kept for
   * HOST_CATALOG_TTL_MS (HOST_CATALOG_RETRY_MS when a list was the bot's for want of an answer).
   */
  catalogs(): Promise<HostCatalog> {
    const now = (this.options.now ?? Date.now)();
    if (this.#catalogs && now < this.#catalogs.due) return this.#catalogs.read;
    const { catalog } = this.options.library;
    const read = readHostCatalog(this.#client, this.host, catalog);
    const entry = { read, due: Number.POSITIVE_INFINITY };
    this.#catalogs = entry;
    void read.then(
      (lists) => {
        entry.due =
          (this.options.now ?? Date.now)() +
          (lists.origin.problems ? HOST_CATALOG_RETRY_MS : HOST_CATALOG_TTL_MS);
      },
      // readHostCatalog answers every failure with the bot's lists; should it ever throw, the
      // read is not kept for good: it is tried again after HOST_CATALOG_RETRY_MS.
      () => {
        entry.due = (this.options.now ?? Date.now)() + HOST_CATALOG_RETRY_MS;
      },
    );
    return read;
  }

  resolve(raw: string): Outcome<ProfileRef> {
    return resolvePlainRef(raw);
  }

  where(ref: ProfileRef) {
    return { name: ref, on: ` on ${this.host}` };
  }

  forChat(): ChatTarget {
    return selfTarget(this);
  }

  /**
   * One GET /api/profiles shared by every call made while it is in flight: `/profile list` asks
   * for the facts of up to 50 profiles at once, and each would otherwise list them all again.
   */
  #listProfiles(): ReturnType<DashboardClient["listProfiles"]> {
    this.#listing ??= this.#client.listProfiles().finally(() => {
      this.#listing = undefined;
    });
    return this.#listing;
  }

  async names(): Promise<Outcome<string[]>> {
    const listed = await this.#listProfiles();
    if (!listed.ok) return failed(listed.failure);
    return {
      ok: true,
      value: listed.value
        .filter((profile) => profile.is_default !== true && profile.name !== DEFAULT_PROFILE)
        .map((profile) => profile.name)
        .sort(),
      ...(listed.skipped > 0
        ? {
            notes: [
              `(${listed.skipped} entr${listed.skipped === 1 ? "y" : "ies"} from ${this.host} skipped: not a profile name Hermes allows)`,
            ],
          }
        : {}),
    };
  }

  async exists(name: string): Promise<Outcome<boolean>> {
    if (name === DEFAULT_PROFILE) return { ok: true, value: true };
    const listed = await this.names();
    return listed.ok ? { ok: true, value: listed.value.includes(name) } : listed;
  }

  async facts(name: string): Promise<Outcome<ProfileFacts>> {
    const [listed, config, env, skills] = await Promise.all([
      this.#listProfiles(),
      this.#client.rawConfig(name),
      this.#client.envKeysSet(name),
      this.#client.skills(name),
    ]);
    if (!listed.ok) return failed(listed.failure);
    if (!config.ok) return failed(config.failure);
    const profile = listed.value.find((entry) => entry.name === name);
    const description = typeof profile?.description === "string" ? profile.description : undefined;
    return {
      ok: true,
      value: {
        ...cleanFacts(configFacts(yamlRecord(config.value))),
        ...(description ? { description } : {}),
        // Only the keys that hold a value: Hermes lists every key it knows, set or not.
        envKeys: env.ok ? env.value.map((key) => ({ key, set: true })) : [],
        skills: skills.ok ? skills.value.length : 0,
      },
    };
  }

  /** `/profile edit` on this host: dashboard-editor.ts, which says at Review what the host cannot do. */
  readForEdit(name: string): Promise<Outcome<EditRead>> {
    return this.#editor.read(name);
  }

  applyEdit(name: string, request: EditRequest): Promise<Outcome<EditApplied>> {
    return this.#editor.apply(name, request);
  }

  undoEdit(name: string, fingerprint: string): Promise<Outcome<string[]>> {
    return this.#editor.undo(name, fingerprint);
  }

  /** The keys a profile on this host needs (dashboard-keys.ts); never a value. */
  keys(name: string): Promise<Outcome<ProfileKeys>> {
    return hostProfileKeys(this.#client, name, this.options.library.catalog);
  }

  async remove(name: string): Promise<Outcome<true>> {
    const removed = await this.#client.deleteProfile(name);
    if (removed.ok) return removed;
    if (removed.failure.fault === "not found")
      return { ok: false, reason: `Profile '${name}' is already gone from ${this.host}.` };
    return failed(removed.failure);
  }

  async readConfig(name: string): Promise<Outcome<ProfileConfig>> {
    const text = await this.#client.rawConfig(name);
    if (!text.ok) return failed(text.failure);
    // Hermes writes config.yaml itself (PUT /api/config/raw parses it): a broken one is refused as
    // on this machine, nothing changed.
    const parsed = parseConfigDocument(text.value);
    return parsed.replaced
      ? {
          ok: false,
          reason: "its config.yaml cannot be parsed or is not a mapping; fix it first, nothing was changed",
        }
      : { ok: true, value: { doc: parsed.doc } };
  }

  async writeConfig(name: string, config: ProfileConfig): Promise<Outcome<true>> {
    const written = await this.#client.putRawConfig(name, config.doc.toString({ lineWidth: 0 }));
    return written.ok ? written : failed(written.failure);
  }

  async create(
    blueprint: Blueprint,
    secrets: ReadonlyMap<string, string>,
    personas: PersonaLookup | undefined,
    shown?: HostCatalog,
  ): Promise<CreateReport> {
    const { library } = this.options;
    const failedReport = (problems: string[]): CreateReport => ({
      ok: false,
      name: blueprint.name,
      path: "",
      host: this.host,
      steps: [],
      hubInstalls: [],
      problems,
    });
    const listed = await this.names();
    if (!listed.ok) return failedReport([listed.reason]);
    // What the wizard offered for this host: its built-ins and MCP catalog where it lists them. The
    // lists that wizard session was shown (pinned per session), even when due again since: a keep
    // list made from them must not meet a newer tree here (a skill added since would be switched
    // off unseen). Without a wizard (`create --from`), the lists kept, or read now.
    const lists = shown ?? (await (this.#catalogs?.read ?? this.catalogs()));
    const hostLibrary: LoadedLibrary = {
      ...library,
      catalog: { ...library.catalog, builtinSkills: lists.builtinSkills, mcps: lists.mcps },
    };
    const catalog = {
      ...hostLibrary.catalog,
      personas: personas?.summaries() ?? library.catalog.personas,
    };
    const existing = [blueprint.name, blueprint.clone_from ?? ""].filter(
      (name) => name === DEFAULT_PROFILE || listed.value.includes(name),
    );
    const problems = checkBlueprintAgainstCatalog(blueprint, catalog, existing);
    if (blueprint.plugins.length > 0) problems.push(pluginsRefusal(this.host, blueprint.plugins));
    if (problems.length === 0 && listed.value.includes(blueprint.name))
      problems.push(
        `name: a profile named '${blueprint.name}' already exists on ${this.host}. Pick another name.`,
      );
    if (problems.length > 0) return failedReport(problems);

    const provider = blueprint.model ? findProvider(library.catalog, blueprint.model.provider) : undefined;
    const kept = blueprint.skills.builtin;
    const created = await this.#client.createProfile({
      name: blueprint.name,
      ...(blueprint.description ? { description: blueprint.description } : {}),
      ...(blueprint.clone_from ? { clone_from: blueprint.clone_from } : {}),
      // "Keep none" is Hermes' no-skills marker. A keep list is not sent as `keep_skills`: Hermes
      // would disable every seeded skill not in it, those of its own tree the bot never showed
      // included; the ones the user switched off are written to skills.disabled instead (layOn).
      ...(kept === "none" || (Array.isArray(kept) && kept.length === 0) ? { no_skills: true } : {}),
      ...(blueprint.model && provider
        ? { provider: hermesProviderId(provider), model: blueprint.model.model }
        : {}),
    });
    if (!created.ok)
      return failedReport(
        created.failure.unread
          ? await afterUnreadCreate(this.#site, blueprint.name, created.failure.message)
          : [created.failure.message],
      );

    const steps: CreateStep[] = [
      {
        step: "profile",
        ok: true,
        detail: `made by Hermes on ${this.host}${blueprint.clone_from ? ` (cloned from '${blueprint.clone_from}')` : ""}`,
      },
    ];
    try {
      if (blueprint.model && provider && created.value.model_set !== true)
        throw new RemoteStepFailed(`Hermes on ${this.host} did not set the model ${blueprint.model.model}`);
      const site = { ...this.#layOnSite, library: hostLibrary };
      steps.push(...(await layOn(site, blueprint, secrets, provider, personas)));
    } catch (error) {
      if (!(error instanceof RemoteStepFailed)) throw error;
      return failedReport(await undoRemoteCreate(this.#site, blueprint.name, error.message));
    }
    if (blueprint.display_name)
      steps.push({
        step: "display name",
        ok: false,
        detail: `not set: Hermes 0.19's dashboard has no endpoint for profile.yaml's display_name (set it on ${this.host})`,
      });
    steps.push(...mcpNotes(blueprint, hostLibrary));
    const optional = blueprint.skills.optional.map((wanted) => {
      const skill = findSkill(library.catalog.optionalSkills, wanted);
      return `official/${skill?.id ?? wanted}`;
    });
    return {
      ok: true,
      name: blueprint.name,
      path: "",
      host: this.host,
      steps,
      hubInstalls: [...optional, ...blueprint.skills.hub].map((identifier) => ({
        identifier,
        status: "pending" as const,
      })),
      problems: [],
    };
  }
}

function failed(failure: DashboardFailure): { ok: false; reason: string } {
  return { ok: false, reason: failure.message };
}

/**
 * Hermes 0.19's dashboard cannot place a plugin into a chosen profile: its plugin endpoints act on
 * the dashboard's own profile whatever profile is asked for, and nothing else installs one.
 */
export function pluginsRefusal(host: string, plugins: readonly string[]): string {
  return `plugins: ${plugins.join(", ")} cannot be installed on ${host}: Hermes' dashboard has no way to place a plugin into a profile (its plugin endpoints act only on the dashboard's own profile). Leave plugins out for this host, or run the bot on that machine.`;
}
