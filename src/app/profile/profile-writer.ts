// Create, the synchronous half (the hub installs follow in the background): build the whole profile in a dot-named staging folder,
// then rename it into place, so a half-built profile is never visible under its name. What goes
// into the folder is profile-contents.ts.
import { mkdir, rename, rm } from "node:fs/promises";
import path from "node:path";
import type { WriterOptions } from "./writer-options.ts";
import type { Blueprint } from "../../core/blueprint.ts";
import { checkBlueprintAgainstCatalog } from "../../core/blueprint-checks.ts";
import type { CreateReport, CreateStep } from "../../core/create-report.ts";
import { CreateAbort, errorCode } from "./create-abort.ts";
import { buildContents } from "./profile-contents.ts";
import { existingAmong, exists, profileDir, stagingName } from "./profiles-root.ts";

/** The folders Hermes creates in every new profile. */
export const PROFILE_DIRS = [
  "memories",
  "sessions",
  "skills",
  "skins",
  "logs",
  "plans",
  "workspace",
  "cron",
  "home",
] as const;

export async function writeProfile(
  blueprint: Blueprint,
  secrets: ReadonlyMap<string, string>,
  options: WriterOptions,
): Promise<CreateReport> {
  const { profilesRoot, library } = options;
  const finalDir = profileDir(options.hermesHome, profilesRoot, blueprint.name);
  const failed = (problems: string[]): CreateReport => ({
    ok: false,
    name: blueprint.name,
    path: finalDir,
    steps: [],
    hubInstalls: [],
    problems,
  });

  const catalog = { ...library.catalog, personas: options.personas?.summaries() ?? library.catalog.personas };
  const problems = checkBlueprintAgainstCatalog(
    blueprint,
    catalog,
    await existingAmong(profilesRoot, [blueprint.name, blueprint.clone_from]),
  );
  if (problems.length === 0 && (await exists(finalDir)))
    problems.push(`name: a profile named '${blueprint.name}' already exists. Pick another name.`);
  if (problems.length > 0) return failed(problems);

  try {
    await mkdir(profilesRoot, { recursive: true });
  } catch (error) {
    return failed([
      `profiles root: the profiles folder cannot be created (${errorCode(error)}). Check HERMES_HOME and its permissions (blueprint doctor shows where it is).`,
    ]);
  }
  const staging = path.join(profilesRoot, stagingName(blueprint.name, process.pid));
  const steps: CreateStep[] = [];
  try {
    await rm(staging, { recursive: true, force: true });
    await mkdir(staging);
    for (const dir of PROFILE_DIRS) await mkdir(path.join(staging, dir));
    steps.push({ step: "directories", ok: true, detail: PROFILE_DIRS.join(" ") });
    await buildContents(staging, blueprint, secrets, options, steps);
    await options.beforeRename?.();
    if (await exists(finalDir))
      throw new CreateAbort(`name: '${blueprint.name}' was created by someone else meanwhile`);
    await rename(staging, finalDir);
  } catch (error) {
    await rm(staging, { recursive: true, force: true }).catch(() => undefined);
    const reason =
      error instanceof CreateAbort ? error.message : `write failed (${errorCode(error)}); nothing was kept`;
    return failed([reason]);
  }
  return {
    ok: true,
    name: blueprint.name,
    path: finalDir,
    steps,
    hubInstalls: blueprint.skills.hub.map((identifier) => ({ identifier, status: "pending" as const })),
    problems: [],
  };
}
