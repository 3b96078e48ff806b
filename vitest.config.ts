import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // End-to-end tests start real subprocesses; give them room on a shared 2-core machine.
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // The real Hermes the conformance tests judge profiles with (test/setup/hermes.ts), then the
    // secret-leak check across the whole suite (test/helpers/leak-ledger.ts).
    globalSetup: ["test/setup/hermes.ts", "test/setup/leak-check.ts"],
    setupFiles: ["test/setup/ledger-hooks.ts"],
  },
});
