// Global setup: one throwaway PostgreSQL cluster for the whole run (test/helpers/postgres-server.ts),
// its URL handed to every test file. Each file makes its own database in it
// (test/helpers/postgres-database.ts), so files never see each other's rows. When Postgres cannot
// be had, the reason travels to the tests that need it, and they fail with it: never a skip.
import type { TestProject } from "vitest/node";
import { PostgresServer } from "../helpers/postgres-server.ts";

export type PostgresProvision = { ok: true; url: string } | { ok: false; reason: string };

declare module "vitest" {
  export interface ProvidedContext {
    postgres: PostgresProvision;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const started = Date.now();
  let server: PostgresServer | undefined;
  try {
    server = await PostgresServer.create();
    process.stdout.write(`postgres: ${server.url()} (started in ${Date.now() - started} ms)\n`);
    project.provide("postgres", { ok: true, url: server.url() });
  } catch (error) {
    const reason = (error as Error).message;
    process.stdout.write(`postgres: NOT AVAILABLE: ${reason.split("\n")[0] ?? ""}\n`);
    project.provide("postgres", { ok: false, reason });
  }
  return async () => {
    await server?.destroy();
  };
}
