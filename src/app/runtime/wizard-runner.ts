// Runs the pure wizard: finds the session an event belongs to, steps it, persists the new state,
// and carries out the effects (render, notify, list models, create), feeding results back as events.
// Events for one session are handled one at a time, in order. What a step checks against is
// wizard-context.ts; Create, made idempotent with the create ledger, is idempotent-create.ts; the
// model listing and hub search it waits on are wizard-lookups.ts.
import { randomBytes } from "node:crypto";
import { parseButtonToken } from "../../core/tokens/button-token.ts";
import { reportLines } from "../../core/create-report.ts";
import { describe } from "../../core/messages.ts";
import type { View } from "../../core/view.ts";
import {
  expectedSecret,
  renderView,
  startEditWizard,
  startWizard,
  step,
  type Actor,
  type Surface,
  type WizardContext,
  type WizardEffect,
  type WizardEvent,
  type WizardState,
} from "../../core/wizard/index.ts";
import type { ProfileBackend } from "../ports/profile-backend.ts";
import type { InstallJobs } from "../ports/install-jobs.ts";
import type { PressAnswer } from "../ports/chat-runtime.ts";
import type { WizardOutput } from "../ports/wizard-output.ts";
import { KeyedSerial } from "./keyed-serial.ts";
import { draftFromProfile } from "../../core/edit/profile-draft.ts";
import type { Outcome } from "../ports/outcome.ts";
import { EditApply } from "./edit-apply.ts";
import { reasonText } from "../profile/keys/key-lines.ts";
import type { LoadedLibrary } from "../library/library-loader.ts";
import type { PersonaService } from "../persona/persona-service.ts";
import type { ProfileService } from "../profile/profile-service.ts";
import type { HubSearcher } from "../ports/hub-searcher.ts";
import type { Logger } from "../system/logger.ts";
import type { ModelListing } from "../net/model-lister.ts";
import type { HostRules } from "../net/address-policy.ts";
import type { KnownSecrets } from "../secrets/known-secrets.ts";
import { checkSecretValue, SecretVault } from "../secrets/secret-vault.ts";
import type { Store } from "../ports/store.ts";
import { IdempotentCreate } from "./idempotent-create.ts";
import { WizardContexts } from "./wizard-context.ts";
import type { HubPrescanner } from "../install/hub-prescan.ts";
import { listModelsFor, modelFactsFor, searchHubOn } from "./wizard-lookups.ts";
import { findStalled, isStalled } from "./stalled-wizards.ts";
import { HANDOFF_WAIT_MS, KeyHandoff } from "./key-handoff.ts";

/**
 * Tries at stepping one event when other replicas keep changing the session between read and
 * write; each lost race costs one read and one step. Past it the event is dropped and logged.
 */
export const SESSION_RACE_ATTEMPTS = 5;

/** A press or select stepped on no session: the wizard ended or expired. */
const WIZARD_ENDED: PressAnswer = { ok: false, ended: true, message: describe({ code: "session_missing" }) };

export interface RunnerDeps {
  readonly store: Store;
  readonly library: LoadedLibrary;
  readonly logger: Logger;
  /** Where Create writes and installs run: this machine's Hermes home or a Hermes host. */
  readonly backend: ProfileBackend;
  readonly modelListTimeoutMs: number;
  /** Inner addresses a chat's Model step may reach (MODEL_SERVER_HOSTS); none when absent. */
  readonly modelServerHosts?: HostRules;
  /** Every secret the bot holds; the keys typed into wizards are added to it. */
  readonly secrets?: KnownSecrets;
  readonly now?: () => number;
  readonly newId?: () => string;
  readonly listModels?: (provider: string, baseUrl: string) => Promise<ModelListing>;
  /** The persona library and its commands (wizard Persona step, persona at create, p: buttons). */
  readonly personas?: PersonaService;
  /** Profile commands' confirmation buttons (`r:` tokens: delete / keep). */
  readonly profiles?: ProfileService;
  /** The hub search of the Skills step (Hermes' or the bundled hub's). */
  readonly hubSearch?: HubSearcher;
  /** With several Hermes hosts: the search of the host a chat creates on (else `hubSearch`). */
  readonly hubSearchFor?: (backend: ProfileBackend) => HubSearcher | undefined;
  /** Hub-skill installs after Create; without it, hub skills stay "pending" in the report. */
  readonly installs?: InstallJobs;
  /** The scan before Create of the hub skills picked; without it, Review lists them unscanned. */
  readonly prescan?: HubPrescanner;
  /** With replicas: how long a Create or Apply offered to the replica holding its keys waits to be taken. */
  readonly handoffWaitMs?: number;
}

/** Fields a surface keeps with the session, beside the wizard's own state (null removes one). */
interface SessionPatch {
  readonly screenRef?: string;
  readonly keyLink?: string | null;
}

export class WizardRunner {
  readonly vault: SecretVault;
  readonly #outputs = new Map<Surface, WizardOutput>();
  readonly #serial = new KeyedSerial();
  readonly #contexts: WizardContexts;
  readonly #creates: IdempotentCreate;
  readonly #edits: EditApply;
  readonly #handoff: KeyHandoff;
  readonly #now: () => number;
  readonly #newId: () => string;

  constructor(private readonly deps: RunnerDeps) {
    this.vault = new SecretVault(deps.secrets);
    this.#now = deps.now ?? Date.now;
    this.#newId = deps.newId ?? (() => randomBytes(6).toString("hex"));
    const { store, library, backend, personas, logger } = deps;
    this.#contexts = new WizardContexts(
      {
        store,
        library,
        backend,
        personas,
        logger,
        now: this.#now,
        outputFor: (surface) => this.outputFor(surface),
        hubScans: deps.prescan ? () => deps.prescan?.scans() ?? new Map() : undefined,
      },
      deps.profiles?.names,
    );
    this.#creates = new IdempotentCreate({
      store,
      logger,
      sharedStore: store.shared,
      personas,
      now: this.#now,
      target: (state) => this.#contexts.target(state),
      secretsOf: (state) => this.#handoff.given(state),
      listsOf: (sessionId, backend) => this.#contexts.pinnedLists(sessionId, backend),
      namesChanged: (backend) => {
        this.#contexts.namesOf(backend).invalidate();
        deps.profiles?.names.invalidate();
      },
    });
    this.#edits = new EditApply({
      backend,
      logger,
      now: this.#now,
      secretsOf: (state) => this.#handoff.given(state),
      outputFor: (surface) => this.outputFor(surface),
      ...(personas ? { personas } : {}),
      ...(deps.profiles ? { profiles: deps.profiles } : {}),
    });
    this.#handoff = new KeyHandoff({
      store,
      vault: this.vault,
      logger,
      now: this.#now,
      waitMs: deps.handoffWaitMs ?? HANDOFF_WAIT_MS,
      dispatch: (sessionId, event) => this.dispatch(sessionId, event),
    });
  }

  /**
   * Stopping: takes no more handoffs, and gives back now the Creates and Applies this replica
   * offered and nobody took yet, so none waits in Create for the stalled-wizard resumer.
   */
  stopHandoffs(): Promise<void> {
    return this.#handoff.stop();
  }

  /**
   * Replicas only: from now on this replica takes the Creates and Applies other replicas offer it
   * because it holds the keys typed into their wizards.
   */
  listenForHandoffs(): void {
    this.deps.store.handoffs?.listen(
      (handoff) =>
        void this.#handoff
          .take(handoff)
          .catch((error: unknown) =>
            this.deps.logger.warn(
              { session: handoff.session, reason: String(error) },
              "taking a handoff failed",
            ),
          ),
    );
  }

  attach(surface: Surface, output: WizardOutput): void {
    this.#outputs.set(surface, output);
  }

  /** The output surface attached for `surface` (install status messages go there too). */
  outputFor(surface: Surface): WizardOutput | undefined {
    return this.#outputs.get(surface);
  }

  /** What the wizard of a chat knows: the catalogs, and the profiles where that chat creates. */
  async context(chat: { surface: Surface; chat: string }): Promise<WizardContext> {
    return (await this.#contexts.of(chat)).context;
  }

  /** `beforeShown` learns the new session's id before its first screen is rendered. */
  async start(
    owner: Actor,
    surface: Surface,
    chat: string,
    beforeShown?: (sessionId: string) => void,
  ): Promise<WizardState> {
    const init = { id: this.#newId(), owner, surface, chat, at: this.#now() };
    beforeShown?.(init.id);
    const { context, slowHost } = await this.#contexts.of(init);
    const transition = startWizard(init, context);
    await this.deps.store.put(transition.state);
    await this.#run(transition.state, transition.effects);
    await this.#contexts.sayHostSlow(transition.state, slowHost);
    return transition.state;
  }

  /**
   * `/profile edit`: reads the profile through the backend and opens the wizard on its edit Review,
   * prefilled; a profile the backend cannot read or edit is refused with its reason.
   */
  async startEdit(
    owner: Actor,
    surface: Surface,
    chat: string,
    ref: string,
    beforeShown?: (sessionId: string) => Promise<void> | void,
  ): Promise<Outcome<WizardState>> {
    const { backend } = this.deps;
    const read = await backend.readForEdit(ref);
    if (!read.ok) return read;
    const init = { id: this.#newId(), owner, surface, chat, at: this.#now() };
    const { context } = await this.#contexts.of({ ...init, edit: true });
    const prefilled = draftFromProfile(backend.where(ref).name, read.value.current, context.catalog);
    await beforeShown?.(init.id);
    const transition = startEditWizard(
      init,
      {
        profile: ref,
        fingerprint: read.value.fingerprint,
        original: prefilled.draft,
        keysSet: read.value.keysSet,
        keptServers: prefilled.keptServers,
        notes: [...(read.value.notes ?? []), ...prefilled.notes],
      },
      context,
    );
    await this.deps.store.put(transition.state);
    await this.#run(transition.state, transition.effects);
    return { ok: true, value: transition.state };
  }

  /**
   * Steps one session with one event, after every earlier event of that session, and reads the
   * session as it is afterwards (effects may have moved it on).
   */
  dispatch(sessionId: string, event: WizardEvent): Promise<WizardState | undefined> {
    return this.#serial.run(sessionId, async () => {
      const stepped = await this.#process(sessionId, event);
      return stepped === "missing" ? undefined : ((await this.deps.store.get(sessionId)) ?? stepped);
    });
  }

  /**
   * The same without the read afterwards, for a caller that only needs to know whether the session
   * was there: the step's own read is the check, so a press is one read and one write (two round
   * trips to Postgres with replicas fewer than a check before and a read after).
   */
  #stepOnly(sessionId: string, event: WizardEvent): Promise<boolean> {
    return this.#serial.run(sessionId, async () => (await this.#process(sessionId, event)) !== "missing");
  }

  /** A wizard button press: the raw token is checked here, never trusted. */
  async press(rawToken: string, actor: Actor): Promise<PressAnswer> {
    const parsed = parseButtonToken(rawToken);
    if (!parsed.ok) return { ok: false, message: describe(parsed.error) };
    const found = await this.#stepOnly(parsed.value.sessionId, {
      type: "press",
      press: parsed.value,
      actor,
      at: this.#now(),
    });
    return found ? { ok: true } : WIZARD_ENDED;
  }

  text(sessionId: string, actor: Actor, text: string): Promise<WizardState | undefined> {
    return this.dispatch(sessionId, { type: "text", text, actor, at: this.#now() });
  }

  /** Several answers at once (a Discord modal for a step whose view offers `input.form`). */
  form(sessionId: string, actor: Actor, values: Record<string, string>): Promise<WizardState | undefined> {
    return this.dispatch(sessionId, { type: "form", values, actor, at: this.#now() });
  }

  /** A select menu submitted: its own token (`...:select`) and the item tokens now chosen. */
  async select(menuToken: string, valueTokens: readonly string[], actor: Actor): Promise<PressAnswer> {
    const menu = parseButtonToken(menuToken);
    if (!menu.ok) return { ok: false, message: describe(menu.error) };
    const chosen = [];
    for (const raw of valueTokens) {
      const parsed = parseButtonToken(raw);
      if (!parsed.ok) return { ok: false, message: describe(parsed.error) };
      chosen.push(parsed.value);
    }
    const { sessionId, rev } = menu.value;
    const found = await this.#stepOnly(sessionId, { type: "select", rev, chosen, actor, at: this.#now() });
    return found ? { ok: true } : WIZARD_ENDED;
  }

  /** The screen a session shows now (Discord builds a modal from its input when one is asked). */
  async currentView(sessionId: string): Promise<View | undefined> {
    const state = await this.deps.store.get(sessionId);
    return state ? renderView(state, await this.context(state)) : undefined;
  }

  cancel(sessionId: string, actor: Actor): Promise<WizardState | undefined> {
    return this.dispatch(sessionId, { type: "cancel", actor, at: this.#now() });
  }

  show(sessionId: string): Promise<WizardState | undefined> {
    return this.dispatch(sessionId, { type: "show", at: this.#now() });
  }

  /** The .env variable the session's current step asks for privately, if any. */
  async expectedSecret(sessionId: string): Promise<string | undefined> {
    const state = await this.deps.store.get(sessionId);
    return state ? expectedSecret(state, await this.context(state)) : undefined;
  }

  /** Whose wizard a button token points at (its owner's actor id), or undefined. */
  async ownerOf(rawToken: string): Promise<string | undefined> {
    const parsed = parseButtonToken(rawToken);
    return parsed.ok ? (await this.deps.store.get(parsed.value.sessionId))?.owner.id : undefined;
  }

  /** A session as it is now, read-only (adapters check ownership before acknowledging a press). */
  peek(sessionId: string): Promise<WizardState | undefined> {
    return this.deps.store.get(sessionId);
  }

  findOpen(surface: Surface, chat: string, ownerId: string): Promise<WizardState | undefined> {
    return this.deps.store.findOpen(surface, chat, ownerId);
  }

  /**
   * Records that the owner opened a private chat for this wizard's prompt of `env` (undefined: the
   * link is used up). One link per person: opening one unlinks their others, so a private message
   * goes to the prompt opened last.
   */
  async linkKeyPrompt(sessionId: string, env: string | undefined): Promise<void> {
    const state = env !== undefined ? await this.deps.store.get(sessionId) : undefined;
    if (state)
      for (const other of await this.deps.store.ownedBy(state.surface, state.owner.id))
        if (other.id !== sessionId && other.keyLink !== undefined)
          await this.#patch(other.id, { keyLink: null });
    await this.#patch(sessionId, { keyLink: env ?? null });
  }

  /** The newest wizard of this person whose key prompt they opened privately (its `keyLink` says which key). */
  async linkedKeyPrompt(surface: Surface, ownerId: string): Promise<WizardState | undefined> {
    return (await this.deps.store.ownedBy(surface, ownerId)).find((state) => state.keyLink !== undefined);
  }

  /** A secret typed privately: checked, kept in memory only, and announced to the core by name. */
  async submitSecret(
    sessionId: string,
    actor: Actor,
    raw: string,
  ): Promise<{ ok: boolean; message?: string }> {
    const state = await this.deps.store.get(sessionId);
    if (!state) return { ok: false, message: describe({ code: "session_missing" }) };
    if (state.owner.id !== actor.id)
      return { ok: false, message: describe({ code: "not_owner", params: { owner: state.owner.name } }) };
    const env = expectedSecret(state, await this.context(state));
    if (!env) return { ok: false, message: describe({ code: "input_unexpected" }) };
    const checked = checkSecretValue(raw);
    if (!checked.ok) return { ok: false, message: describe(checked.error) };
    const at = this.#now();
    this.vault.set(sessionId, env, checked.value, at);
    await this.dispatch(sessionId, { type: "secretProvided", env, actor, at });
    return { ok: true };
  }

  /** After a restart: every stored wizard is told so (and resumes an interrupted listing or create). */
  async restoreAll(): Promise<void> {
    for (const state of await this.deps.store.all())
      await this.dispatch(state.id, { type: "restored", at: this.#now() });
  }

  /**
   * Replicas only: resumes the wizards another replica left waiting on its work when it died. One
   * replica takes each (its compare-and-set of the session's time wins), then the wizard is resumed
   * as after a restart. Answers the ids resumed here.
   */
  async resumeStalled(): Promise<string[]> {
    if (!this.deps.store.shared) return [];
    const resumed: string[] = [];
    for (const candidate of await findStalled(this.deps.store, this.#now())) {
      const read = await this.deps.store.getVersioned(candidate.id);
      const now = this.#now();
      if (!read || !isStalled(read.value, now)) continue;
      if (!(await this.deps.store.replace({ ...read.value, updatedAt: now }, read.version))) continue;
      this.deps.logger.info(
        { session: candidate.id, step: read.value.step },
        "resuming a wizard a stopped replica left",
      );
      await this.dispatch(candidate.id, { type: "restored", at: now });
      resumed.push(candidate.id);
    }
    return resumed;
  }

  async sweepExpired(ttlMs: number): Promise<string[]> {
    const removed = await this.deps.store.sweepExpired(this.#now(), ttlMs);
    for (const id of removed) {
      this.vault.forget(id);
      this.#contexts.forget(id);
    }
    return removed;
  }

  /**
   * Steps the session as stored and writes the result only at the version it was read at. When
   * another replica changed it meanwhile, the event is stepped again against what it holds now: a
   * press rendered from the old step then gets "this step changed" and the current step, as a stale
   * button does. Effects run only after the write won. Gives the state it stepped to, or the one it
   * read when the event was dropped ("missing": no such session).
   */
  async #process(sessionId: string, event: WizardEvent): Promise<WizardState | "missing"> {
    for (let attempt = 1; ; attempt += 1) {
      const read = await this.deps.store.getVersioned(sessionId);
      if (!read) return "missing";
      const state = read.value;
      const { context, slowHost } = await this.#contexts.of(state);
      const transition = step(state, event, context);
      if (transition.state !== state && !(await this.deps.store.replace(transition.state, read.version))) {
        if (attempt < SESSION_RACE_ATTEMPTS) continue;
        this.deps.logger.warn(
          { session: sessionId, type: event.type },
          "session kept changing; event dropped",
        );
        return state;
      }
      this.#prescan(transition.state, context);
      await this.#run(transition.state, transition.effects);
      await this.#contexts.sayHostSlow(transition.state, slowHost);
      return transition.state;
    }
  }

  async #run(shown: WizardState, effects: readonly WizardEffect[]): Promise<void> {
    const output = this.#outputs.get(shown.surface);
    let state = shown;
    for (const effect of effects) {
      switch (effect.type) {
        case "render": {
          const ref = await output?.render(state, effect.view);
          if (typeof ref === "string" && ref !== state.screenRef && !effect.view.final) {
            state = { ...state, screenRef: ref };
            await this.#patch(state.id, { screenRef: ref });
          }
          break;
        }
        case "notify":
          await output?.notify(state, effect.actorId, effect.text);
          break;
        case "end":
          await this.deps.store.delete(state.id);
          this.vault.forget(state.id);
          this.#contexts.forget(state.id);
          this.deps.logger.info({ session: state.id, outcome: effect.outcome }, "wizard ended");
          break;
        case "listModels": {
          const listing = await listModelsFor(this.deps, effect.provider, effect.baseUrl, state.surface);
          const event: WizardEvent = listing.ok
            ? { type: "modelsListed", models: listing.value, at: this.#now() }
            : { type: "modelsListed", models: [], failure: listing.reason, at: this.#now() };
          await this.#process(state.id, event);
          break;
        }
        case "askModelFacts": {
          const facts = await modelFactsFor(
            this.deps,
            effect.provider,
            effect.baseUrl,
            effect.model,
            state.surface,
          );
          const event: WizardEvent = facts.ok
            ? { type: "modelFactsShown", model: effect.model, ...facts.value, at: this.#now() }
            : { type: "modelFactsShown", model: effect.model, failure: facts.reason, at: this.#now() };
          await this.#process(state.id, event);
          break;
        }
        case "listKeys": {
          // Names and why, never values; read only when Edit keys is opened, since finding them
          // reads every skill's SKILL.md.
          const listed = await this.deps.backend.keys(effect.profile);
          const event: WizardEvent = listed.ok
            ? {
                type: "keysListed",
                keys: [...listed.value.needed, ...listed.value.other].map((entry) => ({
                  key: entry.key,
                  set: entry.set,
                  why: entry.why.map(reasonText).join(", "),
                })),
                at: this.#now(),
              }
            : { type: "keysListed", keys: [], failure: listed.reason, at: this.#now() };
          await this.#process(state.id, event);
          break;
        }
        case "searchHub":
          // Not awaited: the answer comes back as an event, so this session's own presses (Back,
          // Cancel, another search) are handled while Hermes searches.
          void this.#searchHub(state, effect.query);
          break;
        case "startInstalls":
          await this.deps.installs?.start(
            state.owner,
            state.surface,
            state.chat,
            // An edit names its profile by ref already; Create by the name on the chat's target.
            state.edit ? effect.profile : (await this.#contexts.target(state)).refOf(effect.profile),
            effect.identifiers,
          );
          break;
        case "applyEdit": {
          const missing = this.#handoff.missing(state);
          if (missing.length > 0) {
            this.#handOff(state, missing);
            break;
          }
          const { event, undo } = await this.#edits.apply(state, effect);
          await this.#process(state.id, event);
          if (undo) await this.#edits.offerUndo(state, effect.profile, undo);
          break;
        }
        case "createProfile": {
          const missing = this.#handoff.missing(state);
          if (missing.length > 0) {
            this.#handOff(state, missing);
            break;
          }
          const report = await this.#creates.run(state, effect.blueprint);
          if (report === "elsewhere") break;
          await this.#process(state.id, {
            type: "createFinished",
            ok: report.ok,
            lines: reportLines(report),
            installs: report.hubInstalls.map((hub) => hub.identifier),
            at: this.#now(),
          });
          break;
        }
      }
    }
  }

  /**
   * What the surface keeps with the session (the message that shows the wizard, a key link opened),
   * written at whatever version the session has reached (only these fields; a press meanwhile is
   * kept), so the next event, on any replica, sees it.
   */
  async #patch(sessionId: string, patch: SessionPatch): Promise<void> {
    const entries = Object.entries(patch) as [keyof SessionPatch, string | null][];
    const changes = (state: WizardState) => entries.some(([key, value]) => (state[key] ?? null) !== value);
    const patched = (state: WizardState): WizardState => {
      const next: Record<string, unknown> = { ...state };
      for (const [key, value] of entries) {
        if (value === null) delete next[key];
        else next[key] = value;
      }
      return next as unknown as WizardState;
    };
    for (let attempt = 1; attempt <= SESSION_RACE_ATTEMPTS; attempt += 1) {
      const read = await this.deps.store.getVersioned(sessionId);
      if (!read || !changes(read.value)) return;
      if (await this.deps.store.replace(patched(read.value), read.version)) return;
    }
    this.deps.logger.warn(
      { session: sessionId, fields: Object.keys(patch) },
      "the session could not be updated",
    );
  }

  /**
   * Keys typed into this wizard are held by another replica (keys are never stored): the Create or
   * Apply is offered to it. Not awaited: the offer waits for a taker, and this session's other events
   * (a cancel, a press on the old screen) are answered meanwhile.
   */
  #handOff(state: WizardState, missing: readonly string[]): void {
    void this.#handoff
      .offer(state, missing)
      .catch((error: unknown) =>
        this.deps.logger.warn(
          { session: state.id, reason: String(error) },
          "handing a wizard's keys over failed",
        ),
      );
  }

  /** The hub skills a new profile's wizard has picked are scanned while its owner goes on. */
  #prescan(state: WizardState, context: WizardContext): void {
    if (!this.deps.prescan || !context.hubScans || state.edit || state.draft.hub.length === 0) return;
    this.deps.prescan.request(state.draft.hub);
  }

  /** A scan ended: the wizards on Review that show that skill show its result. */
  async hubScanned(identifier: string): Promise<void> {
    for (const state of await this.deps.store.all()) {
      if (state.step === "review" && !state.edit && state.draft.hub.includes(identifier))
        void this.dispatch(state.id, { type: "show", at: this.#now() }).catch((error: unknown) =>
          this.deps.logger.warn({ session: state.id, error: String(error) }, "showing a scan result failed"),
        );
    }
  }

  async #searchHub(state: WizardState, query: string): Promise<void> {
    const sessionId = state.id;
    const answer = await searchHubOn(this.deps, (await this.#contexts.target(state)).backend, query);
    await this.dispatch(sessionId, {
      type: "hubSearched",
      query,
      hits: answer.ok ? answer.value : [],
      ...(answer.ok ? {} : { failure: answer.reason }),
      at: this.#now(),
    });
  }
}
