// The scan before Create without Hermes: the bundled installer's own steps short of installing —
// resolve in the hub, copy into a scratch quarantine, scan, decide by trust — so the verdict
// Review shows is the one `blueprint install` reaches for the same skill.
import { cp, mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import matter from "gray-matter";
import { PROFILE_NAME_PATTERN } from "../../core/limits.ts";
import { isHubIdentifier } from "../../core/hub-identifier.ts";
import type { HubScan } from "../../core/install/hub-scan.ts";
import { decide } from "./hub-installer.ts";
import { resolveHubSkill } from "./hub-source.ts";
import { scanSkill } from "./skill-scanner.ts";

export async function scanFromBundledHub(identifier: string, hubRoot: string): Promise<HubScan> {
  if (!isHubIdentifier(identifier))
    return { status: "failed", reason: "not a hub identifier the bot fetches" };
  const skill = await resolveHubSkill(hubRoot, identifier);
  if (!skill) return { status: "failed", reason: "not fetched: the hub has no such skill" };
  const front = matter(await readFile(path.join(skill.dir, "SKILL.md"), "utf8")).data as { name?: unknown };
  if (typeof front.name !== "string" || !PROFILE_NAME_PATTERN.test(front.name))
    return { status: "failed", reason: "its SKILL.md has no valid name, so the install refuses it" };
  const quarantine = await mkdtemp(path.join(os.tmpdir(), "blueprint-prescan-"));
  try {
    const copy = path.join(quarantine, front.name);
    await cp(skill.dir, copy, { recursive: true, verbatimSymlinks: true });
    const scan = await scanSkill(copy);
    const decision = decide(skill.trust, scan.verdict);
    return {
      status: "scanned",
      verdict: scan.verdict === "SAFE" ? "safe" : scan.verdict === "CAUTION" ? "caution" : "dangerous",
      trust: skill.trust,
      allowed: decision.allowed,
      // The bundled installer has no --force: what it refuses, it refuses.
      forceOnly: false,
      reason: decision.allowed ? "" : decision.reason,
    };
  } finally {
    await rm(quarantine, { recursive: true, force: true });
  }
}
