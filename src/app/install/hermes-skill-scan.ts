// The scan before Create with the Hermes beside the bot: Hermes' own Python fetches the skill the
// way `hermes skills install` does (hermes_cli/skills_hub._resolve_source_meta_and_bundle over its
// source router), writes it to quarantine (tools/skills_hub.quarantine_bundle), scans it
// (tools/skills_guard.scan_skill) and asks its install policy (should_allow_install) — then
// removes it. Nothing is installed: HERMES_HOME is a scratch folder, deleted afterwards, so the
// quarantine, caches and audit log of this run touch no profile.
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { z } from "zod";
import { isHubIdentifier } from "../../core/hub-identifier.ts";
import type { HubScan } from "../../core/install/hub-scan.ts";
import { hermesChildEnv } from "../hermes/child-env.ts";
import { interpreterOf } from "../hermes/interpreter.ts";
import { superviseGroup } from "../system/process-group.ts";

/** The probe's answer is one JSON line; anything longer than this is not its answer. */
export const HERMES_SCAN_MAX_BYTES = 1024 * 1024;

/**
 * Run by Hermes' interpreter with the identifier as its one argument (never inside the code).
 * Mirrors hermes_cli/skills_hub.do_install up to the install policy: the same sources, the same
 * scan source ("official" or the bundle's identifier), the same refusal of a nameless URL skill
 * on a non-interactive install (`--yes`), and the policy asked twice (as installed, and with --force).
 */
const SCAN_PROBE = `
import json, shutil, sys
identifier = sys.argv[1]
from tools.skills_hub import GitHubAuth, create_source_router, ensure_hub_dirs, quarantine_bundle
from hermes_cli.skills_hub import _resolve_source_meta_and_bundle
from tools.skills_guard import scan_skill, should_allow_install
def answer(**fields):
  print(json.dumps(fields))
  sys.exit(0)
ensure_hub_dirs()
meta, bundle, _ = _resolve_source_meta_and_bundle(identifier, create_source_router(GitHubAuth()))
if not bundle:
  answer(status="failed", reason="not fetched: no hub source has it (check the identifier or the network)")
bundle_meta = getattr(bundle, "metadata", {}) or {}
if bundle.source == "url" and (not bundle.name or bundle_meta.get("awaiting_name")):
  answer(status="failed", reason="its SKILL.md has no name, so the install refuses it")
try:
  q = quarantine_bundle(bundle)
except ValueError as exc:
  answer(status="failed", reason="the install refuses it: " + str(exc))
try:
  if bundle.source == "official":
    scan_source = "official"
  else:
    scan_source = getattr(bundle, "identifier", "") or getattr(meta, "identifier", "") or identifier
  result = scan_skill(q, source=scan_source)
  allowed, reason = should_allow_install(result, force=False)
  forced, _ = should_allow_install(result, force=True)
finally:
  shutil.rmtree(q, ignore_errors=True)
answer(status="scanned", verdict=result.verdict, trust=result.trust_level, allowed=allowed is True, forced=forced is True, reason=reason)
`;

const answerSchema = z.discriminatedUnion("status", [
  z.object({ status: z.literal("failed"), reason: z.string() }),
  z.object({
    status: z.literal("scanned"),
    verdict: z.enum(["safe", "caution", "dangerous"]),
    trust: z.enum(["builtin", "trusted", "community"]),
    allowed: z.boolean(),
    forced: z.boolean(),
    reason: z.string(),
  }),
]);

export interface HermesScanOptions {
  readonly hermesBin: string;
  readonly env: NodeJS.ProcessEnv;
  /** The install time limit (INSTALL_TIMEOUT_S): a scan fetches what an install would. */
  readonly timeoutMs: number;
}

export async function scanWithHermes(identifier: string, options: HermesScanOptions): Promise<HubScan> {
  // The address policy of installs: only identifiers a chat may hand to the installer are fetched.
  if (!isHubIdentifier(identifier))
    return { status: "failed", reason: "not a hub identifier the bot fetches" };
  const python = await interpreterOf(options.hermesBin).catch(() => undefined);
  if (!python) return { status: "failed", reason: "Hermes could not be started" };
  const scratch = await mkdtemp(path.join(os.tmpdir(), "blueprint-prescan-"));
  try {
    const { execa } = await import("execa");
    const child = execa(python, ["-c", SCAN_PROBE, identifier], {
      env: { ...hermesChildEnv(options.env), HERMES_HOME: scratch, NO_COLOR: "1" },
      extendEnv: false,
      reject: false,
      stdin: "ignore",
      maxBuffer: HERMES_SCAN_MAX_BYTES,
      detached: true,
    });
    const end = await superviseGroup(child, child, { timeoutMs: options.timeoutMs });
    if (end.stopped !== undefined)
      return {
        status: "failed",
        reason: `no answer within the install time limit (${options.timeoutMs / 1000} s)`,
      };
    const run = end.result;
    if (run.isMaxBuffer || run.exitCode !== 0)
      return { status: "failed", reason: "Hermes' scan did not finish" };
    let parsed: unknown;
    try {
      parsed = JSON.parse(run.stdout.trim().split("\n").at(-1) ?? "");
    } catch {
      return { status: "failed", reason: "Hermes' scan answered something else" };
    }
    const answer = answerSchema.safeParse(parsed);
    if (!answer.success) return { status: "failed", reason: "Hermes' scan answered something else" };
    const value = answer.data;
    if (value.status === "failed") return value;
    return {
      status: "scanned",
      verdict: value.verdict,
      trust: value.trust,
      allowed: value.allowed,
      forceOnly: !value.allowed && value.forced,
      reason: value.reason,
    };
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}
