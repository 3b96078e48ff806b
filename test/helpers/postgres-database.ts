// A database of its own for each test file, in the run's one Postgres cluster (test/setup/postgres.ts),
// so files running side by side never see each other's rows; dropped after the file's last test.
import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, inject } from "vitest";
import { HOW_TO_GET_POSTGRES } from "./postgres-server.ts";

/** The cluster's maintenance database URL, or a failure that says how to get Postgres (never a skip). */
export function postgresClusterUrl(): string {
  const provision = inject("postgres");
  if (!provision)
    throw new Error(`The run has no Postgres global setup (test/setup/postgres.ts).\n${HOW_TO_GET_POSTGRES}`);
  if (!provision.ok) throw new Error(`${provision.reason}\n${HOW_TO_GET_POSTGRES}`);
  return provision.url;
}

/** The URL of the same cluster with another database. */
export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

/** Runs statements as the superuser on one database. */
export async function adminQuery(url: string, ...statements: string[]): Promise<pg.QueryResult[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const results: pg.QueryResult[] = [];
    for (const statement of statements) results.push(await client.query(statement));
    return results;
  } finally {
    await client.end();
  }
}

/** A new empty database in the cluster at `clusterUrl`; its URL. */
export async function createDatabase(clusterUrl: string): Promise<string> {
  const name = `blueprint_test_${randomBytes(6).toString("hex")}`;
  await adminQuery(clusterUrl, `CREATE DATABASE ${name}`);
  return withDatabase(clusterUrl, name);
}

export async function dropDatabase(url: string): Promise<void> {
  const name = new URL(url).pathname.slice(1);
  // FORCE: a store the test forgot to close must not keep the database (and the run) alive.
  await adminQuery(withDatabase(url, "postgres"), `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
}

/** This file's database (made on first use), dropped after the file's last test. */
export function useFileDatabase(): () => Promise<string> {
  let made: Promise<string> | undefined;
  afterAll(async () => {
    if (made) await dropDatabase(await made);
  });
  return () => (made ??= createDatabase(postgresClusterUrl()));
}

/** Empties every table but the migrations' record, so the next test starts from a clean store. */
export async function emptyTables(url: string): Promise<void> {
  const [tables] = await adminQuery(
    url,
    "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'schema_migrations'",
  );
  const names = (tables?.rows ?? []).map((row) => `"${String((row as { tablename: string }).tablename)}"`);
  if (names.length > 0) await adminQuery(url, `TRUNCATE ${names.join(", ")}`);
}
