// With replicas, a key typed into a wizard lives only in the memory of the replica that read it
// (keys are never stored). When Create or Apply reaches another replica, that one offers the work to
// every replica through this port; the one holding the keys takes it. An offer names the session and
// the time its Create or Apply was written (`mark`), never a key.

export interface Handoff {
  readonly session: string;
  /** The session's `updatedAt` when the offer was made: whoever takes the work first moves it on. */
  readonly mark: number;
}

export interface Handoffs {
  /** Tells every replica, this one too. Rejects when it cannot be sent (the caller falls back). */
  offer(handoff: Handoff): Promise<void>;
  /**
   * Calls `taker` with every offer made by any replica from now on. Offers made while the channel is
   * down (the database restarting) are not seen: their offerer falls back after its wait.
   */
  listen(taker: (handoff: Handoff) => void): void;
  /** Stops listening. */
  close(): Promise<void>;
}
