// Profiles in a CommonGround project, behind the same port as Hermes' (COMMONGROUND_URL +
// COMMONGROUND_PROJECT). A Create exports the blueprint (core/commonground/export-profile.ts) and
// uploads it; the bot lists first and refuses a name the project has in any letter case, because the
// server does not check: the same name overwrites, another case makes a second profile (and a
// delete of one then answers 404 while deleting both). Keys are never uploaded: the report names the
// environment variables the worker needs. What CommonGround cannot take (skills, hub installs, MCP
// servers, .env, editing) is refused or named, never silently dropped.
import type { Blueprint } from "../../core/blueprint.ts";
import { CG_YAML_OPTIONS } from "../../core/commonground/cg-profile.ts";
import { exportCommonGround } from "../../core/commonground/export-profile.ts";
import type { CreateReport, CreateStep } from "../../core/create-report.ts";
import { stringify } from "yaml";
import type { CommonGroundClient, CgListedProfile } from "../commonground/cg-client.ts";
import type { InstallExecutor } from "../ports/install-executor.ts";
import type { Outcome } from "../ports/outcome.ts";
import type { PersonaLookup } from "../ports/persona-lookup.ts";
import type {
  BlueprintPart,
  ChatTarget,
  ProfileBackend,
  ProfileConfig,
  ProfileFacts,
  ProfileKeys,
  ProfileRef,
} from "../ports/profile-backend.ts";
import type { EditApplied, EditRead, EditRequest } from "../ports/profile-edit.ts";
import { defaultSoul, hasIdentity } from "../profile/soul-text.ts";
import { hasDisallowedChars } from "../../core/text-rules.ts";
import { selfTarget } from "./plain-ref.ts";
import { KeyedSerial } from "../runtime/keyed-serial.ts";

/** A CommonGround name as the bot takes it from a command: one line, as the server trims it. */
const CG_NAME_MAX_CHARS = 200;

export interface CommonGroundBackendOptions {
  readonly client: CommonGroundClient;
  /** The worker a profile targets unless its blueprint names one (COMMONGROUND_WORKER_TARGET). */
  readonly workerTarget: string;
  /** The name replies use, e.g. "commonground" or the name given in a list of targets. */
  readonly label?: string;
}

const NO_HERMES_PARTS = (what: string) =>
  `CommonGround profiles have no ${what}: the bot makes, shows and deletes them there; change one on the CommonGround server (its API answers no more of a profile than the bot shows).`;

export class CommonGroundBackend implements ProfileBackend {
  readonly host: string;
  /** What the wizard's Review names as not taken (its own CommonGround lines say the rest). */
  readonly cannotSet: readonly BlueprintPart[] = ["display_name"];
  readonly installs: InstallExecutor = {
    canStopRunning: false,
    exclusiveKeys: (request) => [`commonground/${request.profile}`],
    // Nothing is ever queued here (Create refuses skills), but a job that reaches it says why it cannot run.
    run: () =>
      Promise.resolve({
        kind: "failed",
        detail: "CommonGround profiles take no Hermes skills; nothing was installed",
      }),
  };
  readonly commonground: { readonly label: string; readonly workerTarget: string };
  readonly #creating = new KeyedSerial();

  constructor(private readonly options: CommonGroundBackendOptions) {
    const { client } = options;
    this.host = options.label ?? `CommonGround project '${client.project}' at ${client.host}`;
    this.commonground = {
      label: `CommonGround project '${client.project}' at ${client.host}`,
      workerTarget: options.workerTarget,
    };
  }

  resolve(raw: string): Outcome<ProfileRef> {
    const name = raw.trim();
    if (name === "" || name.length > CG_NAME_MAX_CHARS || hasDisallowedChars(name))
      return {
        ok: false,
        reason: `'${name.slice(0, 40)}' is not a profile name (one line, 1–${CG_NAME_MAX_CHARS} characters).`,
      };
    return { ok: true, value: name };
  }

  where(ref: ProfileRef) {
    return { name: ref, on: ` on ${this.host}` };
  }

  forChat(): ChatTarget {
    return selfTarget(this);
  }

  async #listed(): Promise<Outcome<CgListedProfile[]>> {
    const listed = await this.options.client.listProfiles();
    return listed.ok ? listed : { ok: false, reason: listed.failure.message };
  }

  async names(): Promise<Outcome<string[]>> {
    const listed = await this.#listed();
    return listed.ok ? { ok: true, value: listed.value.map((profile) => profile.name) } : listed;
  }

  /** The project's profiles with this name in any letter case (the server looks names up so). */
  async #variants(name: string): Promise<Outcome<CgListedProfile[]>> {
    const listed = await this.#listed();
    if (!listed.ok) return listed;
    const wanted = name.toLowerCase();
    return { ok: true, value: listed.value.filter((profile) => profile.name.toLowerCase() === wanted) };
  }

  async exists(name: string): Promise<Outcome<boolean>> {
    const variants = await this.#variants(name);
    return variants.ok ? { ok: true, value: variants.value.length > 0 } : variants;
  }

  async facts(name: string): Promise<Outcome<ProfileFacts>> {
    const read = await this.options.client.getProfile(name);
    if (!read.ok) return { ok: false, reason: read.failure.message };
    const profile = read.value;
    const tags = profile.tags && profile.tags.length > 0 ? profile.tags.join(", ") : "none";
    const prompt = profile.system_prompt_compiled ?? "";
    return {
      ok: true,
      value: {
        model: `worker ${profile.worker_target ?? "?"} · tags ${tags}`,
        mcpServers: [],
        personas: [],
        envKeys: [],
        skills: 0,
        lines: [
          `Worker target: ${profile.worker_target ?? "?"}`,
          `Tags: ${tags}`,
          `System prompt: ${prompt.length} characters${prompt ? ` — “${prompt.slice(0, 80).replace(/\s+/g, " ")}${prompt.length > 80 ? "…" : ""}”` : ""}`,
          ...(profile.updated_at ? [`Updated: ${profile.updated_at}`] : []),
          "The model, tools and delegation are in the stored card; CommonGround's API does not answer them.",
        ],
      },
    };
  }

  keys(): Promise<Outcome<ProfileKeys>> {
    return Promise.resolve({
      ok: false,
      reason: "CommonGround profiles hold no keys: the worker reads them from its own environment.",
    });
  }

  readForEdit(): Promise<Outcome<EditRead>> {
    return Promise.resolve({ ok: false, reason: NO_HERMES_PARTS("editor") });
  }

  applyEdit(_name: string, _request: EditRequest): Promise<Outcome<EditApplied>> {
    return Promise.resolve({ ok: false, reason: NO_HERMES_PARTS("editor") });
  }

  undoEdit(): Promise<Outcome<string[]>> {
    return Promise.resolve({ ok: false, reason: NO_HERMES_PARTS("editor") });
  }

  readConfig(): Promise<Outcome<ProfileConfig>> {
    return Promise.resolve({
      ok: false,
      reason: NO_HERMES_PARTS("config.yaml (personas are part of its prompt)"),
    });
  }

  writeConfig(): Promise<Outcome<true>> {
    return Promise.resolve({ ok: false, reason: NO_HERMES_PARTS("config.yaml") });
  }

  /**
   * Deletes by name. With two case variants the server answers 404 yet deletes both, so the bot
   * refuses then and says so rather than guess.
   */
  async remove(name: string): Promise<Outcome<true>> {
    const variants = await this.#variants(name);
    if (!variants.ok) return variants;
    if (variants.value.length === 0) return { ok: false, reason: `Profile '${name}' is already gone.` };
    if (variants.value.length > 1)
      return {
        ok: false,
        reason: `The project has ${variants.value.length} profiles named '${name}' in different letter case (${variants.value.map((p) => p.name).join(", ")}); CommonGround would delete all of them at once. Delete them on the server.`,
      };
    const deleted = await this.options.client.deleteProfile(variants.value[0]?.name ?? name);
    if (deleted.ok) return { ok: true, value: true };
    // An answer lost on the way: the list says whether it went.
    if (deleted.failure.unread) {
      const after = await this.#variants(name);
      if (after.ok && after.value.length === 0) return { ok: true, value: true };
    }
    return { ok: false, reason: deleted.failure.message };
  }

  async create(
    blueprint: Blueprint,
    _secrets: ReadonlyMap<string, string>,
    personas: PersonaLookup | undefined,
  ): Promise<CreateReport> {
    const worker = blueprint.commonground?.worker_target ?? this.options.workerTarget;
    const report = (ok: boolean, steps: CreateStep[], problems: string[]): CreateReport => ({
      ok,
      name: blueprint.name,
      path: "",
      host: this.host,
      steps,
      hubInstalls: [],
      problems,
      useHint: this.#useHint(worker),
    });
    const refusals = [
      ...(blueprint.skills.hub.length > 0 || blueprint.skills.optional.length > 0
        ? [
            `skills: CommonGround profiles take no Hermes skills (${[...blueprint.skills.optional, ...blueprint.skills.hub].join(", ")}); leave them out`,
          ]
        : []),
      ...(blueprint.plugins.length > 0
        ? ["plugins: CommonGround profiles take no Hermes plugins; leave them out"]
        : []),
      ...(blueprint.clone_from
        ? ["clone_from: CommonGround has no profile to clone from here; leave it out"]
        : []),
    ];
    if (refusals.length > 0) return report(false, [], refusals);
    const name = blueprint.commonground?.name ?? blueprint.name;
    // One create per name at a time in this bot: two chats creating the same name both pass the
    // check below otherwise, and the server would take both.
    return this.#creating.run(name.toLowerCase(), () => this.#create(blueprint, personas, name, report));
  }

  async #create(
    blueprint: Blueprint,
    personas: PersonaLookup | undefined,
    name: string,
    report: (ok: boolean, steps: CreateStep[], problems: string[]) => CreateReport,
  ): Promise<CreateReport> {
    const variants = await this.#variants(name);
    if (!variants.ok) return report(false, [], [variants.reason]);
    // The list may be longer than the pages read; the server's own lookup ignores case too.
    const known = variants.value.length > 0 ? undefined : await this.options.client.getProfile(name);
    if (known?.ok) variants.value.push(known.value);
    else if (known && known.failure.fault !== "not found") return report(false, [], [known.failure.message]);
    if (variants.value.length > 0)
      return report(
        false,
        [],
        [
          `name: the project already has '${variants.value[0]?.name ?? name}' (names are the same in any letter case there, and CommonGround would overwrite it or make a second one). Pick another name.`,
        ],
      );
    const persona = blueprint.persona?.mode === "overlay" ? personas?.get(blueprint.persona.id) : undefined;
    const exported = exportCommonGround({
      blueprint,
      // Hermes' own default identity ("You are Hermes Agent…") is not a CommonGround worker's.
      identity: blueprint.soul ?? (hasIdentity(blueprint) ? defaultSoul(blueprint) : ""),
      ...(persona
        ? {
            persona: {
              id: persona.meta.id,
              category: persona.meta.category,
              tags: persona.meta.tags,
              body: persona.body,
            },
          }
        : {}),
      defaultWorkerTarget: this.options.workerTarget,
    });
    const uploaded = await this.options.client.upload(stringify(exported.profile, CG_YAML_OPTIONS));
    if (!uploaded.ok) {
      // A create is never retried blind: if the answer was lost, the list says whether it landed.
      if (uploaded.failure.unread) {
        const after = await this.#variants(name);
        if (after.ok && after.value.length === 1)
          return report(true, this.#steps(exported, after.value[0]), []);
      }
      return report(false, [], [uploaded.failure.message]);
    }
    return report(true, this.#steps(exported, uploaded.value), []);
  }

  /** Where the profile runs: CommonGround's workers pick it up by its worker target. */
  #useHint(worker: string): string {
    return `It runs in ${this.commonground.label}, on the workers of '${worker}'.`;
  }

  #steps(exported: ReturnType<typeof exportCommonGround>, stored: CgListedProfile | undefined): CreateStep[] {
    const profile = exported.profile;
    return [
      {
        step: "commonground profile",
        ok: true,
        detail: `'${stored?.name ?? String(profile["name"])}' uploaded to ${this.commonground.label}: worker ${String(profile["worker_target"])}, tags ${(profile["tags"] as string[]).join(", ") || "none"}`,
      },
      ...(exported.env.length > 0
        ? [
            {
              step: "keys",
              ok: true,
              detail: `not uploaded; the worker reads them from its environment: ${exported.env.join(", ")}`,
            },
          ]
        : []),
      ...exported.notes.map((note) => ({ step: "note", ok: true, detail: note })),
    ];
  }
}
