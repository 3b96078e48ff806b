// Runs in every test file: after its last test, its ledger (see test/helpers/leak-ledger.ts) is
// written for the leak check that follows the whole suite.
import { afterAll, expect } from "vitest";
import { flushLedger } from "../helpers/leak-ledger.ts";

afterAll(() => {
  flushLedger(expect.getState().testPath ?? "unknown");
});
