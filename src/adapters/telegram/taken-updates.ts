// In webhook mode an update's request is answered as soon as the update is taken (claimed in the
// store, so no other delivery of it will run), not when its handling ends. Telegram keeps at most
// max_connections requests open per bot (40 by default), whichever replicas they reach: a request
// held for the whole handling caps the bot at max_connections ÷ handling time updates a second.
// Measured with one replica on Postgres and 500 users pausing 2 s (bench:load, LOAD_REPLICAS=1):
// held, Telegram updates waited 6.6 s at the median while Discord, answered at once, waited 0.36 s.
// What answering early gives up: an update still running when its replica dies is not delivered
// again (Telegram saw a 200) — as before for updates past WEBHOOK_ANSWER_WITHIN_MS, now for all;
// the wizard it belonged to stays at its last written step (the store wrote whole steps only).

/** Lets the webhook endpoint learn when the inbound middleware has taken a given update. */
export class TakenUpdates {
  readonly #waiting = new WeakMap<object, () => void>();

  /** Resolves once `update` is taken; never for a duplicate, a refusal or a malformed body. */
  whenTaken(update: object): Promise<void> {
    return new Promise((resolve) => this.#waiting.set(update, resolve));
  }

  /** Called by the inbound middleware with the very update object grammY handles. */
  taken(update: object): void {
    this.#waiting.get(update)?.();
    this.#waiting.delete(update);
  }
}
