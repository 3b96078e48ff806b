// The bundled installer behind `blueprint install --profile <name> <identifier>`: fetch from the
// local hub into quarantine, scan, decide by trust level, move into skills/, record lock.json.
// It prints Hermes' own lines (Fetching:, Scan: … Verdict:, Installed:, …) for the progress parser.
import { cp, mkdir, readFile, rename, rm, stat } from "node:fs/promises";
import path from "node:path";
import matter from "gray-matter";
import { PROFILE_NAME_PATTERN } from "../../core/limits.ts";
import { resolveHubSkill, type TrustLevel } from "./hub-source.ts";
import { scanSkill, type Verdict } from "./skill-scanner.ts";
import { appendAudit, readLock, recordHubInstall } from "./skill-lock.ts";
import { withProfileLock } from "./profile-lock.ts";
import { hermesContentHash } from "../profile/skill-files.ts";

export interface InstallRequest {
  readonly profileDir: string;
  readonly identifier: string;
  readonly hubRoot: string;
  readonly print: (line: string) => void;
  readonly now?: () => Date;
}

/** Hermes' rule: dangerous is never installed; caution blocks community skills only. */
export function decide(
  trust: TrustLevel,
  verdict: Verdict,
): { allowed: true } | { allowed: false; reason: string } {
  if (verdict === "DANGEROUS")
    return { allowed: false, reason: "the scan found dangerous content; it is never installed" };
  if (verdict === "CAUTION" && trust === "community") {
    return { allowed: false, reason: "a community skill with a CAUTION verdict is not installed" };
  }
  return { allowed: true };
}

/** Returns the process exit code: 0 installed (or already there), 1 not installed. */
export async function installFromHub(request: InstallRequest): Promise<number> {
  const { profileDir, identifier, print } = request;
  const now = request.now ?? (() => new Date());
  print(`Fetching: ${identifier}`);
  const skill = await resolveHubSkill(request.hubRoot, identifier);
  if (!skill) {
    print(`Error: Could not fetch '${identifier}' from any source.`);
    return 1;
  }
  const front = matter(await readFile(path.join(skill.dir, "SKILL.md"), "utf8")).data as { name?: unknown };
  const name = typeof front.name === "string" ? front.name : "";
  if (!PROFILE_NAME_PATTERN.test(name)) {
    print(`Error: '${identifier}' has no valid name in its SKILL.md frontmatter.`);
    return 1;
  }
  const hubDir = path.join(profileDir, "skills", ".hub");
  await mkdir(hubDir, { recursive: true });
  return withProfileLock(hubDir, async () => {
    // Where Hermes puts it: an official skill under its category path (the identifier's middle
    // segments, e.g. official/security/password-audit → security/password-audit), others flat.
    const segments = identifier.split("/");
    const installPath =
      skill.source === "official" && segments.length >= 3 ? [...segments.slice(1, -1), name].join("/") : name;
    const target = path.join(profileDir, "skills", ...installPath.split("/"));
    const lock = await readLock(profileDir);
    const existing = await stat(target).then(
      () => true,
      () => false,
    );
    if (lock.installed[name] || existing) {
      print(
        `Warning: '${name}' is already installed at ${lock.installed[name]?.install_path ?? installPath}`,
      );
      return 0;
    }
    const quarantine = path.join(hubDir, "quarantine", `${name}-${process.pid}`);
    await rm(quarantine, { recursive: true, force: true });
    await cp(skill.dir, quarantine, { recursive: true, verbatimSymlinks: true });
    // Relative, as Hermes prints it: status messages quote these lines in chats.
    print(`Quarantined to ${path.relative(path.join(profileDir, "skills"), quarantine)}`);
    print("Running security scan...");
    const scan = await scanSkill(quarantine);
    print(`Scan: ${name} (${skill.source}/${skill.trust})  Verdict: ${scan.verdict}`);
    for (const finding of scan.findings) {
      print(
        `  ${finding.severity} ${finding.category}: ${finding.file}${finding.line ? `:${finding.line}` : ""} ${finding.what}`,
      );
    }
    const decision = decide(skill.trust, scan.verdict);
    const at = now();
    const outcome = {
      name,
      source: skill.source,
      trust: skill.trust,
      verdict: scan.verdict.toLowerCase(),
      at,
    };
    if (!decision.allowed) {
      await rm(quarantine, { recursive: true, force: true });
      await appendAudit(profileDir, outcome, "BLOCKED", identifier);
      print(`Installation blocked: ${decision.reason}.`);
      return 1;
    }
    print(`Decision: ALLOWED (${skill.trust}, ${scan.verdict})`);
    await mkdir(path.dirname(target), { recursive: true });
    await rename(quarantine, target);
    await recordHubInstall(profileDir, lock, {
      ...outcome,
      identifier,
      contentHash: await hermesContentHash(target),
      installPath,
      files: scan.files,
    });
    print(`Installed: ${installPath}`);
    print(`Files: ${scan.files.join(", ")}`);
    return 0;
  });
}
