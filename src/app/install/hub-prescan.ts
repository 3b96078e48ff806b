// The scan before Create: each hub skill picked in the wizard is fetched and scanned in the
// background while its owner goes on; Review reads the results through the wizard's context.
// Results are kept per identifier for a while (the same skill picked in two wizards is scanned
// once), a few scans run at a time, and a scan that throws counts as not scanned.
import type { HubScan, HubScans } from "../../core/install/hub-scan.ts";

/** Scans running at once: each is a fetch and, with Hermes, a Python process. */
export const PRESCAN_CONCURRENCY = 2;
/** Results kept at most (oldest dropped first). */
export const PRESCAN_RESULTS_MAX = 256;
/** A result older than this is scanned again when the skill is picked again (the skill may have changed). */
export const PRESCAN_RESULT_TTL_MS = 15 * 60 * 1000;

export type ScanOne = (identifier: string) => Promise<HubScan>;

interface Entry {
  scan: HubScan;
  at: number;
}

export class HubPrescanner {
  readonly #results = new Map<string, Entry>();
  readonly #waiting: string[] = [];
  #running = 0;

  constructor(
    private readonly scanOne: ScanOne,
    private readonly options: {
      /** Told when a scan ends, so the wizards showing that skill can show its result. */
      readonly onDone?: (identifier: string) => void;
      /** Told when a scan throws (the log gets it; the chat gets only "the scan failed"). */
      readonly onError?: (identifier: string, error: unknown) => void;
      readonly now?: () => number;
    } = {},
  ) {}

  /** Starts scans for the identifiers not scanned (or scanned too long ago); the rest wait. */
  request(identifiers: readonly string[]): void {
    const now = this.#now();
    for (const identifier of identifiers) {
      const entry = this.#results.get(identifier);
      if (entry && (entry.scan.status === "scanning" || now - entry.at < PRESCAN_RESULT_TTL_MS)) continue;
      this.#put(identifier, { status: "scanning" });
      this.#waiting.push(identifier);
    }
    this.#pump();
  }

  /** The results now (a copy: the wizard's context must not change under a step). */
  scans(): HubScans {
    return new Map([...this.#results].map(([id, entry]) => [id, entry.scan]));
  }

  /** Resolves when nothing is scanning or waiting (tests, and a graceful stop). */
  async idle(): Promise<void> {
    while (this.#running > 0 || this.#waiting.length > 0)
      await new Promise((resolve) => setTimeout(resolve, 20));
  }

  #pump(): void {
    while (this.#running < PRESCAN_CONCURRENCY) {
      const identifier = this.#waiting.shift();
      if (identifier === undefined) return;
      this.#running += 1;
      void this.scanOne(identifier)
        .catch((error: unknown): HubScan => {
          this.options.onError?.(identifier, error);
          return { status: "failed", reason: "the scan failed (see the bot's log)" };
        })
        .then((scan) => {
          this.#put(identifier, scan);
          this.#running -= 1;
          this.#pump();
          this.options.onDone?.(identifier);
        });
    }
  }

  #put(identifier: string, scan: HubScan): void {
    this.#results.delete(identifier);
    this.#results.set(identifier, { scan, at: this.#now() });
    while (this.#results.size > PRESCAN_RESULTS_MAX) {
      const oldest = this.#results.keys().next().value;
      if (oldest === undefined) break;
      this.#results.delete(oldest);
    }
  }

  #now(): number {
    return (this.options.now ?? Date.now)();
  }
}
