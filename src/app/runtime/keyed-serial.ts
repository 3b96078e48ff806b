// Runs work one at a time per key (a wizard session, a profile), in arrival order; different keys
// run concurrently. Used wherever a read-modify-write must not interleave with its twin.
export class KeyedSerial {
  readonly #tails = new Map<string, Promise<unknown>>();

  run<T>(key: string, work: () => Promise<T>): Promise<T> {
    const previous = this.#tails.get(key) ?? Promise.resolve();
    const next = previous.then(work, work);
    this.#tails.set(key, next);
    const cleanUp = () => {
      if (this.#tails.get(key) === next) this.#tails.delete(key);
    };
    next.then(cleanUp, cleanUp);
    return next;
  }
}
