import { defineConfig } from "vitest/config";

/**
 * `npm run test:unit` (`vitest run --mode unit`): the fast tests only, in well under a minute, with
 * no real Hermes provisioned and no subprocess-heavy file: a test that needs either is not a unit.
 * (A mode of this config rather than a second config file: a vitest.unit.config.ts at the root is
 * outside tsconfig.json's files, and the type-aware `eslint .` of `npm test` refuses such a file.)
 */
const UNIT_FOLDERS = ["core", "app", "adapters", "lint", "fakes", "docs"].map(
  (folder) => `test/${folder}/**/*.test.ts`,
);

/** Files in those folders left to the full run, each with why. */
const NOT_UNITS = [
  // ~14 s: every install runs a real installer subprocess (a fake Hermes shell script), timeouts,
  // process-group kills and cancels waited out in real time.
  "test/app/install/install-queue.test.ts",
  // ~9 s: the whole hostile corpus through every command and the blueprint import (one test ~6 s).
  "test/app/abuse.test.ts",
  // Spawns fake Hermes processes that hang, crash or answer garbage, and waits out a 1 s deadline.
  "test/app/hub-search.test.ts",
  // Needs the real Postgres that only the full run's global setup starts (test/setup/postgres.ts).
  "test/app/store/postgres-store.test.ts",
  // The same, and replicas dying mid-install: brought back by the reaper, once by pg-boss's expiry (~20 s).
  "test/app/install/pg-boss-queue.test.ts",
  // Two wizard runners as replicas on one Postgres database: needs that real Postgres too.
  "test/app/wizard-runner-replicas.test.ts",
  // The handoff channel (LISTEN/NOTIFY) on that real Postgres, its connection killed and listened again.
  "test/app/store/postgres-handoffs.test.ts",
];

export default defineConfig(({ mode }) => ({
  test: {
    // End-to-end tests start real subprocesses; give them room on a shared 2-core machine.
    testTimeout: 30_000,
    hookTimeout: 30_000,
    setupFiles: ["test/setup/ledger-hooks.ts"],
    ...(mode === "unit"
      ? {
          include: UNIT_FOLDERS,
          exclude: NOT_UNITS,
          // No global setup: neither the real Hermes nor the suite-wide leak check (ledgers are
          // written only when it runs, see test/helpers/leak-ledger.ts).
        }
      : {
          include: ["test/**/*.test.ts"],
          // The real Hermes the conformance tests judge profiles with (test/setup/hermes.ts), one
          // throwaway Postgres cluster for the store tests (test/setup/postgres.ts), then the
          // secret-leak check across the whole suite (test/helpers/leak-ledger.ts).
          globalSetup: ["test/setup/hermes.ts", "test/setup/postgres.ts", "test/setup/leak-check.ts"],
        }),
  },
}));
