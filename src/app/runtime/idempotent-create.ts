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

export interface IdempotentCreateDeps {
  readonly store: CreateLedger & Pick<Store, "flush">;
  readonly logger: Logger;
  /** The persona library the wizard offered: Create reads the same one, and records what it applied. */
  readonly personas?: PersonaService | undefined;
  readonly now: () => number;
  /** Where this session's wizard creates. */
  readonly target: (state: WizardState) => ChatTarget;
  /** The secrets typed into this session's wizard. */
  readonly secretsOf: (sessionId: string) => ReadonlyMap<string, string>;
  /** The Hermes host lists this session's wizard was shown, if it creates on a host. */
  readonly listsOf?: (sessionId: string, backend: ProfileBackend) => Promise<HostCatalog> | undefined;
  /** After the backend's create, whatever its outcome: the profile names known there are stale. */
  readonly namesChanged: (backend: ProfileBackend) => void;
}

export class IdempotentCreate {
  constructor(private readonly deps: IdempotentCreateDeps) {}

  /** Create, idempotent per session: a repeat after success, or after a crash mid-create, writes nothing twice. */
  async run(state: WizardState, blueprint: Blueprint): Promise<CreateReport> {
    const { store, logger } = this.deps;
    const record = store.getCreate(state.id);
    if (record?.state === "done" && record.report) return record.report;
    const target = this.deps.target(state);
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
      store.putCreate(state.id, {
        name: blueprint.name,
        state: "done",
        at: this.deps.now(),
        report: recovered,
      });
      return recovered;
    }
    store.putCreate(state.id, { name: blueprint.name, state: "started", at: this.deps.now() });
    await store.flush();
    const { personas } = this.deps;
    // The persona the Persona step offered comes from this library, so Create must read the same one.
    const shown = await this.deps.listsOf?.(state.id, backend);
    const report = await backend.create(blueprint, this.deps.secretsOf(state.id), personas, shown);
    this.deps.namesChanged(backend);
    // A persona written at Create is tracked for drift like one applied later with /persona apply.
    // With the personas plugin the persona is the plugin's default, not a copy whose drift is tracked.
    if (
      report.ok &&
      personas &&
      blueprint.persona?.mode === "overlay" &&
      !blueprint.plugins.includes("personas")
    )
      personas.recordApplied(target.refOf(blueprint.name), blueprint.persona.id, state.owner);
    if (report.ok)
      store.putCreate(state.id, { name: blueprint.name, state: "done", at: this.deps.now(), report });
    else store.deleteCreate(state.id);
    await store.flush();
    logger.info({ session: state.id, profile: blueprint.name, ok: report.ok }, "create finished");
    return report;
  }
}
