// Which updates the handlers are working on, whichever way they came (long polling or a webhook):
// the newest one handed over (a polling stop confirms the offset past it), how many are still
// running (a webhook stop waits for them), and the "telegram update handled" log line each one
// ends with (tests wait for it).
import type { Context, MiddlewareFn } from "grammy";
import type { Logger } from "../../app/system/logger.ts";

export class UpdateTracker {
  #highestUpdateId = -1;
  #inFlight = 0;

  constructor(private readonly logger: Logger) {}

  /** The newest update handed to the handlers, -1 before the first. */
  get highestUpdateId(): number {
    return this.#highestUpdateId;
  }

  /** Updates whose handlers have not ended yet. */
  get inFlight(): number {
    return this.#inFlight;
  }

  middleware(): MiddlewareFn<Context> {
    return async (ctx, next) => {
      const started = performance.now();
      this.#highestUpdateId = Math.max(this.#highestUpdateId, ctx.update.update_id);
      this.#inFlight += 1;
      try {
        await next();
      } finally {
        this.#inFlight -= 1;
        this.logger.trace(
          { update_id: ctx.update.update_id, ms: Math.round(performance.now() - started) },
          "telegram update handled",
        );
      }
    };
  }
}
