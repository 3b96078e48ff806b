// The handoff channel between replicas (LISTEN/NOTIFY on the real Postgres): an offer made by one
// store reaches every store listening on the same database, payloads that are not offers are
// ignored, and a listening connection the server drops is opened again, so later offers still arrive.
import { afterEach, describe, expect, it } from "vitest";
import type { Handoff } from "../../../src/app/ports/handoffs.ts";
import {
  decodeHandoff,
  encodeHandoff,
  HANDOFF_CHANNEL,
} from "../../../src/app/store/postgres/handoff-channel.ts";
import { PostgresStore } from "../../../src/app/store/postgres/postgres-store.ts";
import { adminQuery, useFileDatabase } from "../../helpers/postgres-database.ts";
import { memoryLogger } from "../../helpers/silent-logger.ts";

const database = useFileDatabase();
const opened: PostgresStore[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((store) => store.close()));
});

async function listeningStore(
  url: string,
): Promise<{ store: PostgresStore; heard: Handoff[]; lines: string[] }> {
  const { logger, lines } = memoryLogger();
  const store = await PostgresStore.open(url, logger);
  opened.push(store);
  const heard: Handoff[] = [];
  store.handoffs.listen((handoff) => heard.push(handoff));
  await store.handoffs.whenListening();
  return { store, heard, lines };
}

describe("GIVEN two replicas' stores listening for handoffs on one database", () => {
  it("WHEN one offers a session's Create THEN both hear the offer (the offerer too), session and time as sent", async () => {
    const url = await database();
    const a = await listeningStore(url);
    const b = await listeningStore(url);
    await a.store.handoffs.offer({ session: "s-1", mark: 1_700_000_000_123 });
    await expect.poll(() => b.heard).toEqual([{ session: "s-1", mark: 1_700_000_000_123 }]);
    await expect.poll(() => a.heard).toEqual([{ session: "s-1", mark: 1_700_000_000_123 }]);
  });

  it("WHEN something else is notified on the channel THEN it is ignored, and the next offer still arrives", async () => {
    const url = await database();
    const b = await listeningStore(url);
    await adminQuery(
      url,
      `SELECT pg_notify('${HANDOFF_CHANNEL}', 'not json')`,
      `SELECT pg_notify('${HANDOFF_CHANNEL}', '{"session": 7, "mark": 1}')`,
      `SELECT pg_notify('${HANDOFF_CHANNEL}', '{"session": "s-2"}')`,
      `SELECT pg_notify('another_channel', '${encodeHandoff({ session: "s-0", mark: 1 })}')`,
    );
    await b.store.handoffs.offer({ session: "s-3", mark: 3 });
    await expect.poll(() => b.heard).toEqual([{ session: "s-3", mark: 3 }]);
  });

  it("WHEN the server drops the listening connection THEN the replica listens again and hears later offers", async () => {
    const url = await database();
    const a = await listeningStore(url);
    const b = await listeningStore(url);
    const [killed] = await adminQuery(
      url,
      "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'agent-blueprint handoffs' AND datname = current_database()",
    );
    expect(killed?.rowCount).toBe(2);
    await expect
      .poll(() => b.lines.some((line) => line.includes("stopped listening for handoffs")))
      .toBe(true);
    // Offered until heard: an offer made before the listener is back is lost (the offerer's wait covers it).
    await expect
      .poll(
        async () => {
          await a.store.handoffs.offer({ session: "s-4", mark: 4 });
          return b.heard.some((handoff) => handoff.session === "s-4");
        },
        { timeout: 10_000, interval: 250 },
      )
      .toBe(true);
  });

  it("WHEN a store is closed THEN its listening connection is gone from the server", async () => {
    const url = await database();
    const a = await listeningStore(url);
    await a.store.close();
    const [left] = await adminQuery(
      url,
      "SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = 'agent-blueprint handoffs' AND datname = current_database()",
    );
    expect((left?.rows[0] as { n: number }).n).toBe(0);
  });
});

describe("GIVEN an offer's payload", () => {
  it("WHEN it is decoded THEN only a string session and a finite time make an offer", () => {
    expect(decodeHandoff(encodeHandoff({ session: "abc", mark: 5 }))).toEqual({ session: "abc", mark: 5 });
    for (const payload of ["", "null", "[]", '{"session":"a","mark":"5"}', '{"session":"a","mark":1e999}'])
      expect(decodeHandoff(payload)).toBeUndefined();
  });
});
