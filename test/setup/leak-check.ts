// Global setup of the suite: a folder for the ledgers, and after every test file has run, the
// search for every secret in every artifact. A secret anywhere but a profile's .env fails the run.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { LEAK_DIR_ENV } from "../helpers/leak-ledger.ts";

/** In a full run this many test files record ledgers; below that, a run of a few files is not held to a minimum. */
const FULL_RUN_FILES = 30;
/** A full run creates profiles with keys on every surface; fewer secrets means the ledger broke. */
const FULL_RUN_MIN_SECRETS = 3;

interface Ledger {
  readonly testFile: string;
  readonly secrets: string[];
  readonly artifacts: { label: string; text: string }[];
}

export default function setup(): () => void {
  const dir = mkdtempSync(path.join(os.tmpdir(), "blueprint-leaks-"));
  process.env[LEAK_DIR_ENV] = dir;
  return () => {
    const ledgers = readdirSync(dir).map(
      (name) => JSON.parse(readFileSync(path.join(dir, name), "utf8")) as Ledger,
    );
    rmSync(dir, { recursive: true, force: true });
    const secrets = new Set(ledgers.flatMap((ledger) => ledger.secrets));
    const leaks: string[] = [];
    let searched = 0;
    for (const ledger of ledgers) {
      for (const artifact of ledger.artifacts) {
        searched += 1;
        for (const secret of secrets)
          if (artifact.text.includes(secret))
            leaks.push(`${secret.slice(0, 6)}… in ${path.basename(ledger.testFile)}: ${artifact.label}`);
      }
    }
    process.stdout.write(
      `leak check: ${secrets.size} secret(s) from profiles' .env searched in ${searched} artifact(s) of ${ledgers.length} test file(s): ${leaks.length} leak(s)\n`,
    );
    if (leaks.length > 0) {
      // vitest reports an error thrown here but keeps its exit status: set it too.
      process.exitCode = 1;
      throw new Error(`secrets found outside .env:\n${leaks.join("\n")}`);
    }
    if (ledgers.length >= FULL_RUN_FILES && secrets.size < FULL_RUN_MIN_SECRETS) {
      process.exitCode = 1;
      throw new Error(`leak check found only ${secrets.size} secret(s) in a full run: the ledger is broken`);
    }
  };
}
