// The store port's contract (store-contract.ts) on the Postgres store, in a database of this file's
// own (emptied before each test), then what only the Postgres store promises: session versions and
// inbound claims that outlive a restart of the bot, several replicas on one database, migrations
// that several replicas may run at once, a server restart survived without reopening, and a URL
// whose password never reaches a log line.
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import { MIGRATIONS, SCHEMA_VERSION } from "../../../src/app/store/postgres/migrations.ts";
import { PostgresStore, READY_TIMEOUT_MS } from "../../../src/app/store/postgres/postgres-store.ts";
import {
  adminQuery,
  createDatabase,
  dropDatabase,
  emptyTables,
  postgresClusterUrl,
  useFileDatabase,
} from "../../helpers/postgres-database.ts";
import { PostgresServer } from "../../helpers/postgres-server.ts";
import { memoryLogger } from "../../helpers/silent-logger.ts";
import { session, storeContract } from "./store-contract.ts";

const database = useFileDatabase();

storeContract("PostgresStore", async () => {
  const url = await database();
  const { logger } = memoryLogger();
  // The first open of the file makes the tables; later tests start from them, emptied.
  const first = await PostgresStore.open(url, logger);
  await emptyTables(url);
  let current = first;
  return {
    store: current,
    async reopen() {
      await current.close();
      current = await PostgresStore.open(url, logger);
      return current;
    },
    cleanup: () => current.close(),
  };
});

const LEASE_MS = 30_000;
const T0 = 1_700_000_000_000;

/** Opens a store on `url`, closed after the test. */
function useStores(): (url: string) => Promise<PostgresStore> {
  const opened: PostgresStore[] = [];
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((store) => store.close()));
  });
  return async (url) => {
    const store = await PostgresStore.open(url, memoryLogger().logger);
    opened.push(store);
    return store;
  };
}

describe("GIVEN the Postgres store beyond the port's contract", () => {
  const openStore = useStores();

  beforeEach(async () => {
    await emptyTables(await database());
  });

  // The embedded store keeps both in memory on purpose (one process; its confirmed update offset
  // drops repeats across restarts): only a shared store must keep them for the next process.
  it("WHEN the bot restarts THEN a session's version and the inbound claims are still there", async () => {
    const url = await database();
    const before = await openStore(url);
    await before.put(session("s1"));
    const read = await before.getVersioned("s1");
    await before.claimInbound("tg:claimed", T0, LEASE_MS);
    await before.claimInbound("tg:done", T0, LEASE_MS);
    await before.finishInbound("tg:done", T0 + 1);
    await before.close();

    const after = await openStore(url);
    expect((await after.getVersioned("s1"))?.version).toBe(read?.version);
    expect(await after.claimInbound("tg:claimed", T0 + 1, LEASE_MS)).toBe(false);
    expect(await after.claimInbound("tg:done", T0 + 10 * LEASE_MS, LEASE_MS)).toBe(false);
    expect(await after.replace({ ...session("s1"), rev: 2 }, read?.version ?? -1)).toBe(true);
  });

  it("WHEN two replicas race on one database THEN one replace, one create claim, one button and one update win", async () => {
    const url = await database();
    const [a, b] = await Promise.all([openStore(url), openStore(url)]);
    await a.put(session("s1"));
    await a.putAction("button", { kind: "confirm-delete", profile: "bot", actorId: "u1", at: T0 });
    const read = await b.getVersioned("s1");
    const replaced = await Promise.all([
      a.replace({ ...session("s1"), rev: 2 }, read?.version ?? -1),
      b.replace({ ...session("s1"), rev: 3 }, read?.version ?? -1),
    ]);
    expect(replaced.filter(Boolean)).toHaveLength(1);
    const claimed = await Promise.all(
      [a, b, a, b].map((store) => store.claimCreate("s1", { name: "x", state: "started", at: T0 })),
    );
    expect(claimed.filter((found) => found === undefined)).toHaveLength(1);
    const taken = await Promise.all([a, b, a, b].map((store) => store.takeAction("button")));
    expect(taken.filter(Boolean)).toHaveLength(1);
    const inbound = await Promise.all([a, b, a, b].map((store) => store.claimInbound("tg:1", T0, LEASE_MS)));
    expect(inbound.filter(Boolean)).toHaveLength(1);
  });

  it("WHEN several replicas start together on an empty database THEN the migrations run once and every replica opens", async () => {
    const url = await createDatabase(postgresClusterUrl());
    try {
      const { logger, lines } = memoryLogger();
      const stores = await Promise.all(Array.from({ length: 4 }, () => PostgresStore.open(url, logger)));
      await Promise.all(stores.map((store) => store.close()));
      const applied = lines.map(
        (line) => (JSON.parse(line) as { migrationsApplied?: number[] }).migrationsApplied,
      );
      expect(applied.filter((versions) => versions?.length)).toEqual([
        MIGRATIONS.map((migration) => migration.version),
      ]);
      const [versions] = await adminQuery(url, "SELECT version FROM schema_migrations ORDER BY version");
      expect(versions?.rows.map((row: { version: number }) => row.version)).toEqual([SCHEMA_VERSION]);
      // Opening again applies nothing.
      await (await openStore(url)).ready();
      const [again] = await adminQuery(url, "SELECT count(*)::int AS n FROM schema_migrations");
      expect(again?.rows[0]).toEqual({ n: MIGRATIONS.length });
    } finally {
      await dropDatabase(url);
    }
  });

  it("WHEN the database was migrated by a newer bot THEN open refuses, saying to upgrade", async () => {
    const url = await createDatabase(postgresClusterUrl());
    try {
      await (await PostgresStore.open(url, memoryLogger().logger)).close();
      await adminQuery(
        url,
        `INSERT INTO schema_migrations (version, description) VALUES (${SCHEMA_VERSION + 1}, 'future')`,
      );
      await expect(PostgresStore.open(url, memoryLogger().logger)).rejects.toThrow(
        /newer than this agent-blueprint.*upgrade/,
      );
    } finally {
      await dropDatabase(url);
    }
  });

  it("WHEN the URL carries a password THEN the log names host, port and database, never the password or user", async () => {
    const url = new URL(await database());
    url.username = "postgres";
    // Trust authentication on the test cluster: the password is sent nowhere that checks it.
    url.password = "pw-never-logged-7c1e";
    const { logger, lines } = memoryLogger();
    const store = await PostgresStore.open(url.toString(), logger);
    await store.close();
    const text = lines.join("\n");
    expect(text).toContain(`127.0.0.1:${url.port}${url.pathname}`);
    expect(text).not.toContain("pw-never-logged-7c1e");
    expect(text).not.toContain("postgres://");
  });
});

describe("GIVEN the Postgres store and a server that restarts", () => {
  // A cluster of this describe's own: stopping the run's shared one would cut every other file off.
  // Started by the first test that asks (not in beforeAll), so without Postgres each test fails
  // with how to get it rather than being reported skipped.
  let cluster: Promise<{ server: PostgresServer; url: string }> | undefined;
  const ownCluster = () =>
    (cluster ??= PostgresServer.create().then(async (server) => ({
      server,
      url: await createDatabase(server.url()),
    })));
  const openStore = useStores();
  afterAll(async () => {
    await cluster?.then(({ server }) => server.destroy()).catch(() => undefined);
  });

  it("WHEN the server stops THEN ready() is false and calls reject; once it is back, the same store works without reopening", async () => {
    const { server, url } = await ownCluster();
    const store = await openStore(url);
    await store.put(session("s1"));
    // Several connections in the pool, all cut by the stop.
    await Promise.all(Array.from({ length: 5 }, () => store.get("s1")));
    expect(await store.ready()).toBe(true);

    await server.stop();
    const asked = Date.now();
    expect(await store.ready()).toBe(false);
    expect(Date.now() - asked).toBeLessThanOrEqual(READY_TIMEOUT_MS + 500);
    await expect(store.get("s1")).rejects.toThrow();
    await expect(store.put(session("s2"))).rejects.toThrow();

    await server.start();
    expect(await store.ready()).toBe(true);
    expect((await store.get("s1"))?.id).toBe("s1");
    await store.put(session("s2"));
    expect((await store.get("s2"))?.id).toBe("s2");
  });

  it("WHEN the server restarts between two calls THEN the next call succeeds on a new connection", async () => {
    const { server, url } = await ownCluster();
    const store = await openStore(url);
    await store.put(session("s3"));
    await Promise.all(Array.from({ length: 5 }, () => store.get("s3")));
    await server.restart();
    expect((await store.get("s3"))?.id).toBe("s3");
    expect(await store.claimInbound("after-restart", T0, LEASE_MS)).toBe(true);
  });
});
