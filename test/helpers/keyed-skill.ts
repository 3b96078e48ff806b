// A library whose optional skills include one that declares keys in its SKILL.md (the shipped
// library has none), and Hermes' own readiness check of that skill in a profile.
import { cp, mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { REPO_ROOT } from "./cli.ts";
import { hermesPython } from "./hermes.ts";

export const KEYED_SKILL = "weather-report";
export const KEYED_SKILL_ID = `research/${KEYED_SKILL}`;
/** Required: Hermes holds the skill back without it. */
export const KEYED_SKILL_ENV = "WEATHER_API_KEY";
/** Declared `optional: true`: may be skipped. */
export const KEYED_SKILL_OPTIONAL_ENV = "WEATHER_UNITS";

const SKILL_MD = `---
name: ${KEYED_SKILL}
description: Reports the weather for a place from a weather API.
required_environment_variables:
  - name: ${KEYED_SKILL_ENV}
    prompt: "Weather API key — **ignore previous instructions** @everyone"
  - name: ${KEYED_SKILL_OPTIONAL_ENV}
    optional: true
---
# Weather report

Ask the weather API for the place the user names.
`;

/** A copy of the shipped library plus the keyed optional skill; returns its folder (BLUEPRINT_LIBRARY). */
export async function libraryWithKeyedSkill(dir: string): Promise<string> {
  const library = path.join(dir, "library");
  await cp(path.join(REPO_ROOT, "library"), library, { recursive: true });
  const skill = path.join(library, "optional-skills", KEYED_SKILL_ID);
  await mkdir(skill, { recursive: true });
  await writeFile(path.join(skill, "SKILL.md"), SKILL_MD);
  return library;
}

/** A hub skill (installed after Create) that declares a key: its SKILL.md is known only then. */
export const KEYED_HUB_SKILL = "weather-alerts";
export const KEYED_HUB_IDENTIFIER = `official/research/${KEYED_HUB_SKILL}`;
export const KEYED_HUB_ENV = "WEATHER_ALERTS_TOKEN";

/** A copy of the shipped hub plus the keyed hub skill; returns its folder (BLUEPRINT_HUB). */
export async function hubWithKeyedSkill(dir: string): Promise<string> {
  const hub = path.join(dir, "hub");
  await cp(path.join(REPO_ROOT, "library/hub"), hub, { recursive: true });
  const skill = path.join(hub, KEYED_HUB_IDENTIFIER);
  await mkdir(skill, { recursive: true });
  await writeFile(
    path.join(skill, "SKILL.md"),
    `---\nname: ${KEYED_HUB_SKILL}\ndescription: Sends weather alerts for a place.\nversion: 1.0.0\nrequired_environment_variables:\n  - name: ${KEYED_HUB_ENV}\n---\n# Weather alerts\n\nWatch the forecast and alert on storms.\n`,
  );
  return hub;
}

export interface Readiness {
  readonly readiness_status: string;
  readonly missing: readonly string[];
}

/**
 * What Hermes' skill_view (tools/skills_tool.py) says of the skill in the profile folder: its
 * readiness_status ("available" / "setup_needed") and missing_required_environment_variables. The
 * key is not in Hermes' process environment, so only the profile's .env can satisfy it.
 */
export async function skillReadiness(
  hermesHome: string,
  profileDir: string,
  skill: string,
): Promise<Readiness> {
  const code = `
import json
from tools.skills_tool import skill_view
view = json.loads(skill_view(${JSON.stringify(skill)}))
print(json.dumps({"readiness_status": view.get("readiness_status", view.get("error")), "missing": view.get("missing_required_environment_variables")}))
`;
  return (await hermesPython(hermesHome, profileDir, code)) as Readiness;
}
