// The wizard's Create, made idempotent per session with the create ledger: a record is stored (and
// flushed) as "started" before the backend is asked, and as "done" with its report after, so a
// repeat press, a retry or a restart mid-create answers with the first report or finds the
// profile already made, and never creates twice.
import type { Blueprint } from "../../core/blueprint.ts";
import type { CreateReport } from "../../core/create-report.ts";
import type { WizardState } from "../../core/wizard/index.ts";
import type { PersonaService } from "../persona/persona-service.ts";
import type { HostCatalog, ChatTarget, ProfileBackend } from "../ports/profile-backend.ts";
import type { CreateLedger, Store } from "../ports/store.ts";
import type { Logger } from "../system/logger.ts";

/**
 * How long a "started" create record means "running now" to another replica (a double press that
 * reached two replicas, or one restarting): longer than a create takes with its installs' scan.
 * Older, it was left by a replica that died mid-create, and the create is checked and resumed.
 */
export const CREATE_CLAIM_LEASE_MS = 10 * 60_000;

export interface IdempotentCreateDeps {
  readonly store: CreateLedger & Pick<Store, "flush">;
  readonly logger: Logger;
  /** The persona library the wizard offered: Create reads the same one, and records what it applied. */
  readonly personas?: PersonaService | undefined;
  readonly now: () => number;
  /** Other replicas share the store (Postgres): a fresh "started" record may be one of theirs. */
  readonly sharedStore: boolean;
  /** Where this session's wizard creates. */
  readonly target: (state: WizardState) => Promise<ChatTarget>;
  /** The keys typed into this wizard that Create writes: the ones it records as given, as given then. */
  readonly secretsOf: (state: WizardState) => ReadonlyMap<string, string>;
  /** The Hermes host lists this session's wizard was shown, if it creates on a host. */
  readonly listsOf?: (sessionId: string, backend: ProfileBackend) => Promise<HostCatalog> | undefined;
  /** After the backend's create, whatever its outcome: the profile names known there are stale. */
  readonly namesChanged: (backend: ProfileBackend) => void;
}

export class IdempotentCreate {
  constructor(private readonly deps: IdempotentCreateDeps) {}

  /**
   * Create, idempotent per session: a repeat after success, or after a crash mid-create, writes
   * nothing twice. "elsewhere": another replica claimed this create moments ago and is running it;
   * it will step the wizard when done, so this caller does nothing.
   */
  async run(state: WizardState, blueprint: Blueprint): Promise<CreateReport | "elsewhere"> {
    const { store, logger } = this.deps;
    const started = { name: blueprint.name, state: "started", at: this.deps.now() } as const;
    const record = await store.claimCreate(state.id, started);
    if (record?.state === "done" && record.report) return record.report;
    // One process alone (the embedded store): a "started" record it finds was left by its own
    // previous run, which died mid-create, so it is checked and resumed below at once.
    if (
      this.deps.sharedStore &&
      record?.state === "started" &&
      this.deps.now() - record.at < CREATE_CLAIM_LEASE_MS
    ) {
      logger.info({ session: state.id }, "create already running on another replica");
      return "elsewhere";
    }
    const target = await this.deps.target(state);
    const { backend } = target;
    const found =
      record?.state === "started" && record.name === blueprint.name
        ? await backend.exists(blueprint.name)
        : undefined;
    if (found?.ok && found.value) {
      const recovered: CreateReport = {
        ok: true,
        name: blueprint.name,
        path: "",
        ...(backend.host ? { host: backend.host } : {}),
        steps: [{ step: "create", ok: true, detail: "finished before the bot restarted" }],
        hubInstalls: blueprint.skills.hub.map((identifier) => ({ identifier, status: "pending" as const })),
        problems: [],
      };
      await store.putCreate(state.id, {
        name: blueprint.name,
        state: "done",
        at: this.deps.now(),
        report: recovered,
      });
      return recovered;
    }
    if (record) await store.putCreate(state.id, started);
    await store.flush();
    const { personas } = this.deps;
    // The persona the Persona step offered comes from this library, so Create must read the same one.
    const shown = await this.deps.listsOf?.(state.id, backend);
    const report = await backend.create(blueprint, this.deps.secretsOf(state), personas, shown);
    this.deps.namesChanged(backend);
    // A persona written at Create is tracked for drift like one applied later with /persona apply.
    // With the personas plugin the persona is the plugin's default, not a copy whose drift is tracked.
    if (
      report.ok &&
      personas &&
      blueprint.persona?.mode === "overlay" &&
      !blueprint.plugins.includes("personas")
    )
      await personas.recordApplied(target.refOf(blueprint.name), blueprint.persona.id, state.owner);
    if (report.ok)
      await store.putCreate(state.id, { name: blueprint.name, state: "done", at: this.deps.now(), report });
    else await store.deleteCreate(state.id);
    await store.flush();
    logger.info({ session: state.id, profile: blueprint.name, ok: report.ok }, "create finished");
    return report;
  }
}
