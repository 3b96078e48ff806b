// `blueprint doctor [--fix]`: checks the installation stage by stage, like a good setup wizard, and
// says for each what it found and what it would change. Nothing changes without --fix; a second
// run after --fix finds nothing to change. Exit: 0 healthy, 3 a problem --fix cannot repair (the
// environment), 4 a problem --fix would repair.
import { EXIT } from "../../app/system/exit.ts";
import type { AppConfig } from "../../app/system/config.ts";
import type { HermesDiscovery } from "../../app/hermes/discover.ts";

/** How long `hermes --version` and `getMe` may take before the check says they did not answer. */
export const DOCTOR_PROBE_TIMEOUT_MS = 10_000;

/** Exit code when every failed check is one `--fix` could repair. */
export const EXIT_FIXABLE = 4;

export type CheckStatus = "ok" | "fixable" | "fixed" | "failed" | "skipped";

export interface CheckResult {
  readonly status: CheckStatus;
  /** What was found. */
  readonly found: string;
  /** For fixable: what --fix would do; for fixed: what it did; for failed: what the operator should do. */
  readonly action?: string;
}

export interface DoctorCheck {
  readonly name: string;
  run(context: DoctorContext): Promise<CheckResult>;
}

export interface DoctorContext {
  readonly config: AppConfig;
  readonly fix: boolean;
  /** The Hermes beside the bot, asked once for every check that depends on it. */
  readonly hermes: HermesDiscovery;
  /** Discord guild whose commands are compared (unset: the global commands). */
  readonly guildId?: string;
}

const MARK: Record<CheckStatus, string> = { ok: "✓", fixable: "✗", fixed: "✓", failed: "✗", skipped: "–" };

export async function runChecks(
  checks: readonly DoctorCheck[],
  context: DoctorContext,
  print: (line: string) => void,
  firstNumber = 1,
): Promise<number> {
  let fixable = 0;
  let failed = 0;
  for (const [index, check] of checks.entries()) {
    let result: CheckResult;
    try {
      result = await check.run(context);
    } catch (error) {
      result = { status: "failed", found: `the check itself failed: ${(error as Error).message}` };
    }
    print(`${MARK[result.status]} ${index + firstNumber}. ${check.name}: ${result.found}`);
    if (result.action) {
      const label = { fixable: "would", fixed: "did", failed: "to do", ok: "", skipped: "" }[result.status];
      print(`     ${label}: ${result.action}`);
    }
    if (result.status === "fixable") fixable += 1;
    if (result.status === "failed") failed += 1;
  }
  const summary =
    failed > 0
      ? `${failed} problem(s) need you${fixable > 0 ? `, ${fixable} more --fix can repair` : ""}.`
      : fixable > 0
        ? `${fixable} problem(s) that \`blueprint doctor --fix\` repairs.`
        : "Healthy.";
  print(summary);
  return failed > 0 ? EXIT.environment : fixable > 0 ? EXIT_FIXABLE : EXIT.ok;
}
