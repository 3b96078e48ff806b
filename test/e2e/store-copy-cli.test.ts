// `blueprint store copy-to-postgres` through the real executable against the run's real Postgres:
// an embedded store written by BotStore (snapshot and journal both holding records of every kind)
// copied in, then read back through the Postgres store's port; a second run copies nothing twice; a
// dry run writes nothing, not even the tables; a bad DATABASE_URL is refused with a message that
// holds no password; the store files are never written.
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { Store } from "../../src/app/ports/store.ts";
import { BotStore } from "../../src/app/store/bot-store.ts";
import { journalFileOf } from "../../src/app/store/journal.ts";
import { PostgresStore } from "../../src/app/store/postgres/postgres-store.ts";
import { EXIT } from "../../src/app/system/exit.ts";
import type { WizardState } from "../../src/core/wizard/state.ts";
import { runCli } from "../helpers/cli.ts";
import { recordSecret } from "../helpers/leak-ledger.ts";
import {
  adminQuery,
  createDatabase,
  dropDatabase,
  postgresClusterUrl,
  useFileDatabase,
  withDatabase,
} from "../helpers/postgres-database.ts";
import { memoryLogger } from "../helpers/silent-logger.ts";
import { useTempDirs } from "../helpers/temp-dir.ts";
import { createRecord, installGroup, personaAction, session } from "../app/store/store-contract.ts";

const tempDir = useTempDirs();
const database = useFileDatabase();

/** Recent, so nothing the copy writes looks expired to a replica's sweep. */
const NOW = Date.now();
const PASSWORD = "pg-e2e-password-do-not-print-7f3a9c";
recordSecret(PASSWORD);

/** A session holding what jsonb refuses as text (NUL, a lone surrogate) and a key typed in its wizard. */
function awkwardSession(id: string): WizardState {
  const base = session(id, NOW, { surface: "discord", chat: "guild-1", owner: "u2" });
  return {
    ...base,
    step: "review",
    draft: { ...base.draft, name: "awkward", hub: ["nul\u0000inside", "lone \ud800 surrogate", "emoji 🧪"] },
    secrets: { provided: ["OPENROUTER_API_KEY"], skipped: [] },
  };
}

/** Every kind of record the embedded store holds, split in two: one half ends in the snapshot, the other in the journal. */
const RECORDS = {
  sessions: [session("s-telegram", NOW), awkwardSession("s-discord"), session("s-console", NOW - 1000)],
  creates: [
    ["s-telegram", createRecord("research-bot", NOW, "started")],
    ["s-ended", createRecord("old-bot", NOW - 5000, "done")],
  ],
  installs: [installGroup("g-running", NOW, false), installGroup("g-done", NOW - 2000, true)],
  personas: [
    [
      "research-bot",
      "analyst",
      { version: "1.0.0", hash: "h1", mode: "overlay", appliedBy: "u1", appliedAt: NOW },
    ],
    [
      "research-bot",
      "critic",
      { version: "2.1.0", hash: "h2", mode: "overlay", appliedBy: "u1", appliedAt: NOW },
    ],
    ["other-bot", "analyst", { version: "1.0.0", hash: "h3", mode: "ref", appliedBy: "u2", appliedAt: NOW }],
  ],
  bindings: [
    ["telegram:c1", { profile: "research-bot", by: "u1", at: NOW }],
    ["discord:guild-1", { profile: "other-bot", by: "u2", at: NOW }],
  ],
  actions: [
    ["a-undo", personaAction("research-bot", NOW)],
    [
      "a-confirm",
      { kind: "confirm-sync", profile: "other-bot", actorId: "u2", at: NOW, personaIds: ["analyst"] },
    ],
  ],
} as const;

/** How many records of each kind, as the command counts them. */
const IN_FILE = { sessions: 3, creates: 2, installs: 2, personas: 3, bindings: 2, actions: 2 };
const TOTAL = Object.values(IN_FILE).reduce((sum, count) => sum + count, 0);

async function writeHalf(store: Store, half: 0 | 1): Promise<void> {
  const pick = <T>(items: readonly T[]) => items.filter((_, index) => index % 2 === half);
  for (const state of pick(RECORDS.sessions)) await store.put(state);
  for (const [id, record] of pick(RECORDS.creates)) await store.putCreate(id, record);
  for (const group of pick(RECORDS.installs)) await store.putInstallGroup(group);
  for (const [profile, id, record] of pick(RECORDS.personas))
    await store.setPersonaRecord(profile, id, record);
  for (const [key, binding] of pick(RECORDS.bindings)) await store.setBinding(key, binding);
  for (const [id, action] of pick(RECORDS.actions)) await store.putAction(id, action);
}

/** A DATA_DIR whose store.json holds half the records and whose journal holds the other half. */
async function embeddedStore(): Promise<string> {
  const data = await tempDir();
  const file = path.join(data, "store.json");
  const { logger } = memoryLogger();
  const first = await BotStore.open(file, logger);
  await writeHalf(first, 0);
  await first.close();
  // Opening again folds the journal into the snapshot; what follows goes to the journal only.
  const second = await BotStore.open(file, logger);
  await writeHalf(second, 1);
  await second.close();
  expect(await readFile(journalFileOf(file), "utf8")).not.toBe("");
  return data;
}

async function storeFiles(data: string): Promise<string> {
  const file = path.join(data, "store.json");
  return `${await readFile(file, "utf8")}\n${await readFile(journalFileOf(file), "utf8")}`;
}

/** What JSON gives back for a value: the shape both stores promise (undefined-valued keys vanish). */
function asJson<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

/** Every record read back through the port equals the file's; sessions start at the first version. */
async function expectEveryRecord(store: Store): Promise<void> {
  for (const state of RECORDS.sessions) {
    const read = await store.getVersioned(state.id);
    expect(read?.value).toEqual(asJson(state));
    expect(read?.version).toBe(1);
  }
  for (const [id, record] of RECORDS.creates) expect(await store.getCreate(id)).toEqual(asJson(record));
  for (const group of RECORDS.installs) expect(await store.getInstallGroup(group.id)).toEqual(asJson(group));
  expect(await store.personaRecords("research-bot")).toEqual({
    analyst: RECORDS.personas[0][2],
    critic: RECORDS.personas[1][2],
  });
  expect(await store.personaRecords("other-bot")).toEqual({ analyst: RECORDS.personas[2][2] });
  for (const [key, binding] of RECORDS.bindings) expect(await store.binding(key)).toEqual(binding);
  for (const [id, action] of RECORDS.actions) expect(await store.action(id)).toEqual(asJson(action));
  expect(
    (await store.findOpen("discord", "guild-1", "u2"))?.id,
    "the copied session is found as a replica routes typed text",
  ).toBe("s-discord");
}

async function rowCounts(url: string): Promise<Record<string, number>> {
  const tables = [
    "wizard_sessions",
    "creates",
    "install_groups",
    "persona_records",
    "chat_bindings",
    "persona_actions",
  ];
  const [result] = await adminQuery(
    url,
    `SELECT ${tables.map((table) => `(SELECT count(*)::int FROM ${table}) AS ${table}`).join(", ")}`,
  );
  return result?.rows[0] as Record<string, number>;
}

function countLine(label: string, inFile: number, copied: number, present: number, verb = "copied"): string {
  return `  ${label}: ${inFile} in the file, ${copied} ${verb}, ${present} already in Postgres`;
}

describe("GIVEN an embedded store with every kind of record, in its snapshot and its journal", () => {
  it("WHEN it is copied to Postgres THEN the Postgres store returns the same records; a second run copies nothing twice; the files are unchanged", async () => {
    const data = await embeddedStore();
    const before = await storeFiles(data);
    const url = await database();
    const env = { DATA_DIR: data, DATABASE_URL: url };

    const first = await runCli(["store", "copy-to-postgres"], { env });
    expect(first.stderr).toBe("");
    expect(first.code).toBe(EXIT.ok);
    expect(first.stdout).toContain("The bot keeps no lock on DATA_DIR");
    expect(first.stdout).toContain(countLine("open wizards", 3, 3, 0));
    expect(first.stdout).toContain(countLine("create ledger entries", 2, 2, 0));
    expect(first.stdout).toContain(countLine("install groups", 2, 2, 0));
    expect(first.stdout).toContain(countLine("persona records", 3, 3, 0));
    expect(first.stdout).toContain(countLine("chat bindings", 2, 2, 0));
    expect(first.stdout).toContain(countLine("persona buttons", 2, 2, 0));
    expect(first.stdout).toContain(`Copied ${TOTAL} record(s); 0 already in Postgres were left as they are.`);
    // Counts only: no record's content reaches the output.
    for (const value of ["research-bot", "awkward", "analyst", "OPENROUTER_API_KEY"])
      expect(first.stdout).not.toContain(value);

    const store = await PostgresStore.open(url, memoryLogger().logger);
    try {
      await expectEveryRecord(store);
      const afterFirst = await rowCounts(url);
      expect(Object.values(afterFirst)).toEqual(Object.values(IN_FILE));

      // A replica moves a wizard on: the second run must not roll it back to the file's copy.
      const moved = { ...RECORDS.sessions[0], rev: 7, updatedAt: NOW + 1 };
      expect(await store.replace(moved, 1)).toBe(true);

      const second = await runCli(["store", "copy-to-postgres"], { env });
      expect(second.code).toBe(EXIT.ok);
      expect(second.stdout).toContain(countLine("open wizards", 3, 0, 3));
      expect(second.stdout).toContain(countLine("persona buttons", 2, 0, 2));
      expect(second.stdout).toContain(
        `Copied 0 record(s); ${TOTAL} already in Postgres were left as they are.`,
      );
      expect(await rowCounts(url)).toEqual(afterFirst);
      expect(await store.getVersioned(moved.id)).toEqual({ value: asJson(moved), version: 2 });

      const dry = await runCli(["store", "copy-to-postgres", "--dry-run"], { env });
      expect(dry.code).toBe(EXIT.ok);
      expect(dry.stdout).toContain(countLine("open wizards", 3, 0, 3, "to copy"));
      expect(dry.stdout).toContain(`Dry run: nothing was written.`);
    } finally {
      await store.close();
    }
    expect(await storeFiles(data), "the command only reads the embedded store").toBe(before);
  });

  it("WHEN a dry run targets a database the bot never used THEN it counts everything to copy and makes not even the tables", async () => {
    const data = await embeddedStore();
    const url = await createDatabase(postgresClusterUrl());
    try {
      const dry = await runCli(["store", "copy-to-postgres", "--dry-run"], {
        env: { DATA_DIR: data, DATABASE_URL: url },
      });
      expect(dry.stderr).toBe("");
      expect(dry.code).toBe(EXIT.ok);
      expect(dry.stdout).toContain("Dry run: counting what would be copied");
      expect(dry.stdout).toContain(countLine("open wizards", 3, 3, 0, "to copy"));
      expect(dry.stdout).toContain(countLine("persona records", 3, 3, 0, "to copy"));
      expect(dry.stdout).toContain(`Without --dry-run, ${TOTAL} record(s) would be copied`);
      const [tables] = await adminQuery(
        url,
        "SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'public'",
      );
      expect(tables?.rows[0]).toEqual({ n: 0 });
    } finally {
      await dropDatabase(url);
    }
  });
});

describe("GIVEN a DATABASE_URL the command cannot use", () => {
  it.each([
    [
      "nothing listens on its port",
      () => `postgres://blueprint:${PASSWORD}@127.0.0.1:1/blueprint`,
      "127.0.0.1:1/blueprint",
    ],
    [
      "its database does not exist",
      () => {
        const url = new URL(withDatabase(postgresClusterUrl(), "no_such_database"));
        url.password = PASSWORD;
        return url.toString();
      },
      "/no_such_database",
    ],
  ])(
    "WHEN %s THEN it exits 3 saying what to check, copies nothing, and prints no password (run and dry run)",
    async (_case, url, shown) => {
      const data = await embeddedStore();
      const before = await storeFiles(data);
      for (const args of [
        ["store", "copy-to-postgres"],
        ["store", "copy-to-postgres", "--dry-run"],
      ]) {
        const run = await runCli(args, { env: { DATA_DIR: data, DATABASE_URL: url() } });
        expect(run.code).toBe(EXIT.environment);
        expect(run.stderr).toContain(`Postgres at `);
        expect(run.stderr).toContain(shown);
        expect(run.stderr).toContain("Check DATABASE_URL");
        expect(run.stderr).toContain("Nothing was copied.");
        expect(`${run.stdout}${run.stderr}`).not.toContain(PASSWORD);
      }
      expect(await storeFiles(data)).toBe(before);
    },
  );

  it("WHEN DATABASE_URL is not set THEN it exits 3 and says to set it", async () => {
    const data = await embeddedStore();
    const run = await runCli(["store", "copy-to-postgres"], { env: { DATA_DIR: data } });
    expect(run.code).toBe(EXIT.environment);
    expect(run.stderr).toContain("Set DATABASE_URL");
    expect(run.stdout).toBe("");
  });

  it("WHEN store.json is damaged THEN it exits 3, leaves the file as it is and says to let the bot salvage it first", async () => {
    const data = await tempDir();
    const file = path.join(data, "store.json");
    await writeFile(file, '{"version": 3, "sessions": {"s1": {');
    const run = await runCli(["store", "copy-to-postgres"], {
      env: { DATA_DIR: data, DATABASE_URL: await database() },
    });
    expect(run.code).toBe(EXIT.environment);
    expect(run.stderr).toContain(
      `${file} is damaged (not JSON). Start the bot once on this DATA_DIR without DATABASE_URL`,
    );
    expect(await readFile(file, "utf8")).toBe('{"version": 3, "sessions": {"s1": {');
  });

  it("WHEN DATA_DIR holds no store THEN it exits 3 and says to check DATA_DIR", async () => {
    const data = await tempDir();
    const run = await runCli(["store", "copy-to-postgres"], {
      env: { DATA_DIR: data, DATABASE_URL: await database() },
    });
    expect(run.code).toBe(EXIT.environment);
    expect(run.stderr).toContain(
      `There is no embedded store at ${path.join(data, "store.json")}: check DATA_DIR.`,
    );
  });
});
