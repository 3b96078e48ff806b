// With replicas sharing the store, a key typed into a wizard is held only by the replica that read
// it (keys are never stored), and a round-robin load balancer sends the Create or Apply press to
// that replica one time in N. The replica that got the press and lacks a key offers the work to
// every replica (ports/handoffs.ts); the one holding all the keys the wizard was given claims it and
// runs it. Offerer and taker claim by one compare-and-set on the session's time as it was when the
// work was offered, so exactly one of them goes on: the taker runs the write, or, when no replica
// took it within the wait (its holder stopped, the keys are split between replicas), the offerer
// sends the wizard back to its Review saying which keys to type again. Nothing is written twice:
// the write runs only after a won claim, and only where every key is at hand.
import type { WizardEvent, WizardState } from "../../core/wizard/index.ts";
import type { Handoff } from "../ports/handoffs.ts";
import type { Store } from "../ports/store.ts";
import type { SecretVault } from "../secrets/secret-vault.ts";
import type { Logger } from "../system/logger.ts";
import { WRITE_STEPS } from "./stalled-wizards.ts";

/**
 * How long the replica that got Create or Apply without the keys waits for the holder to take it
 * before it gives up and tells the owner. A notification reaches a listening replica in
 * milliseconds; the rest is room for a busy replica's queue.
 */
export const HANDOFF_WAIT_MS = 5_000;

export interface KeyHandoffDeps {
  readonly store: Store;
  readonly vault: SecretVault;
  readonly logger: Logger;
  readonly now: () => number;
  readonly waitMs: number;
  /** Steps the session with an event, in order with its other events on this replica. */
  readonly dispatch: (sessionId: string, event: WizardEvent) => Promise<unknown>;
}

/** Tries at claiming when a field written beside the session (its message id) moved its version meanwhile. */
const CLAIM_ATTEMPTS = 5;

export class KeyHandoff {
  /** Offers waiting for a taker: woken early when this replica stops. */
  readonly #waits = new Set<() => void>();
  readonly #offers = new Set<Promise<void>>();
  #stopping = false;

  constructor(private readonly deps: KeyHandoffDeps) {}

  /**
   * The replica stops: it takes no more offers, and its own offers stop waiting and are given back
   * now (unless taken already), so no wizard is left in Create for the stalled-wizard resumer.
   */
  async stop(): Promise<void> {
    this.#stopping = true;
    for (const wake of this.#waits) wake();
    await Promise.allSettled([...this.#offers]);
  }

  /**
   * Keys the wizard says were typed but this replica does not hold, or holds from an earlier typing
   * (the owner typed the key again on another replica after the wizard gave it back).
   */
  missing(state: WizardState): string[] {
    if (!this.deps.store.shared) return [];
    return state.secrets.provided.filter((env) => !this.#holds(state, env));
  }

  /**
   * The values a write may use: the keys the wizard records as given (not one skipped or deleted
   * since), each as it was given then (not an older value this replica still holds).
   */
  given(state: WizardState): ReadonlyMap<string, string> {
    const held = this.deps.vault.valuesFor(state.id);
    const given = new Map<string, string>();
    for (const env of state.secrets.provided) {
      const value = held.get(env);
      if (value !== undefined && this.#holds(state, env)) given.set(env, value);
    }
    return given;
  }

  #holds(state: WizardState, env: string): boolean {
    if (!this.deps.vault.valuesFor(state.id).has(env)) return false;
    const recorded = state.secrets.givenAt?.[env];
    return recorded === undefined || this.deps.vault.givenAtFor(state.id).get(env) === recorded;
  }

  /**
   * `state` is in Create or Apply, written by this replica, which lacks `envs`: offered to the
   * others; after the wait, if none took it, back to Review with the keys to type again.
   */
  async offer(state: WizardState, envs: readonly string[]): Promise<void> {
    const offering = this.#offer(state, envs);
    this.#offers.add(offering);
    try {
      await offering;
    } finally {
      this.#offers.delete(offering);
    }
  }

  async #offer(state: WizardState, envs: readonly string[]): Promise<void> {
    const { handoffs } = this.deps.store;
    const handoff = { session: state.id, mark: state.updatedAt };
    let offered = false;
    if (handoffs && !this.#stopping) {
      try {
        await handoffs.offer(handoff);
        offered = true;
      } catch (error) {
        this.deps.logger.warn(
          { session: state.id, reason: String(error) },
          "offering a Create or Apply failed",
        );
      }
    }
    if (offered) await this.#wait();
    if (!(await this.#claim(handoff))) return;
    this.deps.logger.info({ session: state.id, keys: envs.length }, "no replica took the wizard's keys");
    await this.deps.dispatch(state.id, { type: "secretsElsewhere", envs, at: this.deps.now() });
  }

  /** An offer from any replica: taken when this one holds every key the wizard was given. */
  async take(handoff: Handoff): Promise<void> {
    if (this.#stopping) return;
    if (this.deps.vault.valuesFor(handoff.session).size === 0) return;
    const state = await this.deps.store.get(handoff.session);
    if (!state || !state.secrets.provided.every((env) => this.#holds(state, env))) return;
    if (!(await this.#claim(handoff))) return;
    this.deps.logger.info(
      { session: handoff.session },
      "took a Create or Apply: this replica holds its keys",
    );
    await this.deps.dispatch(handoff.session, { type: "handedOver", at: this.deps.now() });
  }

  /** The offer's wait: its full length, or until this replica stops. */
  #wait(): Promise<void> {
    return new Promise<void>((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.#waits.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, this.deps.waitMs);
      timer.unref();
      this.#waits.add(wake);
    });
  }

  /**
   * Moves the session's time on, if it is still in the offered write at the offered time. A version
   * moved by something else (the message id kept beside the session) is read again; a time moved on
   * means another replica claimed it.
   */
  async #claim(handoff: Handoff): Promise<boolean> {
    for (let attempt = 1; attempt <= CLAIM_ATTEMPTS; attempt += 1) {
      const read = await this.deps.store.getVersioned(handoff.session);
      if (!read || !WRITE_STEPS.includes(read.value.step) || read.value.updatedAt !== handoff.mark)
        return false;
      const claimedAt = Math.max(this.deps.now(), handoff.mark + 1);
      if (await this.deps.store.replace({ ...read.value, updatedAt: claimedAt }, read.version)) return true;
    }
    return false;
  }
}
