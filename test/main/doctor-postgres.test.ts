// The doctor's store check with DATABASE_URL: against the run's real Postgres (never a mock).
import { describe, expect, it } from "vitest";
import { postgresStoreResult } from "../../src/main/doctor/postgres-store-check.ts";
import { PostgresStore } from "../../src/app/store/postgres/postgres-store.ts";
import { SCHEMA_VERSION } from "../../src/app/store/postgres/migrations.ts";
import { adminQuery, useFileDatabase } from "../helpers/postgres-database.ts";
import { memoryLogger } from "../helpers/silent-logger.ts";

const database = useFileDatabase();

describe("GIVEN the doctor's store check with DATABASE_URL", () => {
  it("WHEN the database is empty, then migrated, then newer THEN it says so, and never prints the password", async () => {
    const url = await database();
    const empty = await postgresStoreResult(url);
    expect(empty).toMatchObject({ status: "ok", found: expect.stringContaining("no schema yet") as unknown });

    const store = await PostgresStore.open(url, memoryLogger().logger);
    await store.close();
    const current = await postgresStoreResult(url);
    expect(current).toMatchObject({ status: "ok" });
    expect(current.found).toContain(`schema ${SCHEMA_VERSION}`);

    await adminQuery(
      url,
      `INSERT INTO schema_migrations (version, description, applied_at) VALUES (${SCHEMA_VERSION + 1}, 'from the future', now())`,
    );
    expect(await postgresStoreResult(url)).toMatchObject({ status: "failed" });
  });

  it("WHEN the server cannot be reached THEN it fails with what to check, without the URL's password", async () => {
    const result = await postgresStoreResult("postgres://blueprint:hunter2secret@127.0.0.1:1/nothing");
    expect(result.status).toBe("failed");
    expect(result.found).toContain("127.0.0.1:1/nothing");
    expect(JSON.stringify(result)).not.toContain("hunter2secret");
  });
});
