// The skills a local Create puts into the staged profile: every built-in (copied as Hermes' sync
// copies them, with the bundled manifest and the categories' DESCRIPTION.md files), or the
// no-bundled-skills marker, and the chosen optional skills, recorded as official hub installs.
import { copyFile, mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import type { Blueprint } from "../../core/blueprint.ts";
import { findSkill } from "../../core/blueprint-checks.ts";
import type { SkillInfo } from "../../core/catalog.ts";
import type { CreateStep } from "../../core/create-report.ts";
import { readLock, recordHubInstall } from "../install/skill-lock.ts";
import { scanSkill } from "../install/skill-scanner.ts";
import type { LoadedLibrary } from "../library/library-loader.ts";
import { descriptionFiles } from "../library/skill-tree.ts";
import { errorCode, isDiskFault } from "./create-abort.ts";
import { NO_BUNDLED_SKILLS_TEXT } from "./hermes-defaults.ts";
import { exists } from "./profiles-root.ts";
import { copySkillDir, copyTree, hermesContentHash, writeBundledManifest } from "./skill-files.ts";

export async function copySkills(
  staging: string,
  blueprint: Blueprint,
  library: LoadedLibrary,
  cloned: boolean,
  steps: CreateStep[],
  now: () => Date,
): Promise<void> {
  const skillsDir = path.join(staging, "skills");
  if (!cloned && blueprint.skills.builtin === "none") {
    await writeFile(path.join(staging, ".no-bundled-skills"), NO_BUNDLED_SKILLS_TEXT);
    steps.push({ step: "built-in skills", ok: true, detail: "none (.no-bundled-skills marker written)" });
  } else if (!cloned) {
    const manifest: [string, string][] = [];
    const failures: string[] = [];
    // As Hermes' sync: each skill at its own path below the tree, named in the manifest by its
    // frontmatter name, then the categories' DESCRIPTION.md files.
    for (const skill of library.catalog.builtinSkills) {
      const from = library.skillDirs.get(skill.id);
      try {
        if (!from) throw new Error("missing from the library");
        const { hash } = await copySkillDir(from, path.join(skillsDir, ...skill.id.split("/")));
        manifest.push([skill.name, hash]);
      } catch (error) {
        if (isDiskFault(error)) throw error;
        failures.push(`${skill.id} (${errorCode(error)})`);
      }
    }
    // Hermes writes no manifest when its tree does not exist (an empty tree gets an empty one).
    if (await exists(library.builtinRoot)) {
      await copyDescriptions(library.builtinRoot, skillsDir);
      await writeBundledManifest(skillsDir, manifest);
    }
    steps.push({
      step: "built-in skills",
      ok: failures.length === 0,
      detail: `${manifest.length} copied, listed in skills/.bundled_manifest${failures.length > 0 ? `; failed: ${failures.join(", ")}` : ""}`,
    });
  }
  if (blueprint.skills.optional.length === 0) return;
  const { copied, failures } = await copyOptionalSkills(staging, blueprint.skills.optional, library, now);
  steps.push({
    step: "optional skills",
    ok: failures.length === 0,
    detail: `${copied.join(", ") || "none copied"}${failures.length > 0 ? `; failed: ${failures.join(", ")}` : ""}`,
  });
}

/**
 * Optional skills copied from the library into a profile (staged by Create, or existing for an
 * edit) and recorded as Hermes' own official installs; one already there is left as it is.
 */
export async function copyOptionalSkills(
  profileDir: string,
  wanted: readonly string[],
  library: LoadedLibrary,
  now: () => Date,
): Promise<{ copied: string[]; failures: string[] }> {
  const skillsDir = path.join(profileDir, "skills");
  const copied: string[] = [];
  const failures: string[] = [];
  for (const name of wanted) {
    const skill = findSkill(library.catalog.optionalSkills, name);
    const from = skill ? library.optionalSkillDirs.get(skill.id) : undefined;
    try {
      if (!skill || !from) throw new Error("not in the library");
      const to = path.join(skillsDir, skill.category, skill.name);
      if (await exists(to)) continue;
      await copyTree(from, to);
      await recordOfficialInstall(profileDir, skill, now());
      copied.push(skill.id);
    } catch (error) {
      if (isDiskFault(error)) throw error;
      failures.push(`${name} (${errorCode(error)})`);
    }
  }
  return { copied, failures };
}

/** Hermes' sync copies each category's DESCRIPTION.md that the profile does not have yet. */
async function copyDescriptions(root: string, skillsDir: string): Promise<void> {
  for (const relative of await descriptionFiles(root)) {
    const to = path.join(skillsDir, relative);
    if (await exists(to)) continue;
    await mkdir(path.dirname(to), { recursive: true });
    await copyFile(path.join(root, relative), to);
  }
}

/**
 * An optional skill is what Hermes' `skills install official/<category>/<name>` makes of it: the
 * files under skills/<category>/<name>, scanned, and recorded in skills/.hub/lock.json and audit.log
 * as an official hub skill, so `hermes skills list` shows it as such (not as a hand-made local one).
 */
async function recordOfficialInstall(profileDir: string, skill: SkillInfo, at: Date): Promise<void> {
  const target = path.join(profileDir, "skills", skill.category, skill.name);
  const scan = await scanSkill(target);
  await recordHubInstall(profileDir, await readLock(profileDir), {
    name: skill.name,
    source: "official",
    identifier: `official/${skill.id}`,
    trust: "builtin",
    verdict: scan.verdict.toLowerCase(),
    contentHash: await hermesContentHash(target),
    installPath: `${skill.category}/${skill.name}`,
    files: [...scan.files].sort(),
    at,
  });
}
