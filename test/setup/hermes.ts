// Global setup: finds or installs the pinned Hermes once per run (see hermes-venv.ts) and hands the
// result to every test file. Tests that need Hermes read it with `hermes()` (test/helpers/hermes.ts)
// and fail with the reason and how to get Hermes when it is missing: never a silent skip.
import type { TestProject } from "vitest/node";
import { provisionHermes, type HermesProvision } from "./hermes-venv.ts";

declare module "vitest" {
  export interface ProvidedContext {
    hermes: HermesProvision;
  }
}

export default function setup(project: TestProject): void {
  const provision = provisionHermes();
  process.stdout.write(
    provision.ok
      ? `hermes: ${provision.bin} (${provision.how})\n`
      : `hermes: NOT AVAILABLE: ${provision.reason}\n`,
  );
  project.provide("hermes", provision);
}
