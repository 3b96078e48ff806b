// `blueprint apply --from file.yaml [--dry-run]`: make an existing profile match a blueprint file.
// The file's `name` picks the profile; only the keys the file gives are matched. The change list is
// printed first; --dry-run stops there. A second identical apply finds nothing to change and writes
// no file. Keys come from the environment as for `create --from`. Added hub skills are installed afterwards by the same queue as Create's.
import path from "node:path";
import { checkBlueprintAgainstCatalog } from "../core/blueprint-checks.ts";
import { DEFAULT_PROFILE } from "../core/blueprint.ts";
import { record } from "../core/edit/current-profile.ts";
import { planEdit, type EditPlan } from "../core/edit/plan-edit.ts";
import { changeLine, NO_CHANGES } from "../core/edit/profile-change.ts";
import type { Setup } from "./load-setup.ts";
import { readBlueprintFile } from "./blueprint-file.ts";
import { installHubSkills } from "./create-from-file.ts";
import { openBackend } from "./open-backend.ts";
import { loadPersonas } from "../app/persona/persona-loader.ts";
import { summarize } from "../app/persona/persona-catalog.ts";
import { personalityPreset, renderPersonality } from "../app/persona/personality.ts";
import { applyLocalEdit } from "../app/profile/edit/apply-local-edit.ts";
import { currentProfile } from "../app/profile/edit/read-current-profile.ts";
import { readProfileTexts } from "../app/profile/edit/profile-texts.ts";
import { copyOptionalSkills } from "../app/profile/profile-skills.ts";
import { planEnvKeys } from "../app/profile/edit/plan-env-keys.ts";
import { checkSecretValue } from "../app/secrets/secret-vault.ts";
import { requiredSecrets } from "../core/secrets.ts";
import { exists, listProfiles, profileDir } from "../app/profile/profiles-root.ts";
import { EXIT } from "../app/system/exit.ts";

export interface ApplyOptions {
  readonly dryRun: boolean;
}

/** Runs the command; returns its exit code. `out` gets the change list and the result, `err` problems. */
export async function applyFromFile(
  file: string,
  setup: Setup,
  env: NodeJS.ProcessEnv,
  options: ApplyOptions,
  out: (line: string) => void,
  err: (line: string) => void,
): Promise<number> {
  const { config, library } = setup;
  if (config.remoteHermes || config.hermesHosts) {
    err(
      "apply --from edits profiles in this machine's Hermes home; on a Hermes host (HERMES_URL or HERMES_HOSTS) it is not available yet. Unset them to edit a local profile.",
    );
    return EXIT.badInput;
  }
  const parsed = await readBlueprintFile(file);
  if (!parsed.ok) {
    err(`${file}: ${parsed.problems.length} problem(s):\n${parsed.problems.map((p) => `  ${p}`).join("\n")}`);
    return EXIT.badInput;
  }
  const { blueprint, present } = parsed;
  const name = blueprint.name;
  const dir = profileDir(config.hermesHome, config.profilesRoot, name);
  if (!(await exists(dir))) {
    err(`There is no profile '${name}' to apply to. Create it with: blueprint create --from ${file}`);
    return EXIT.badInput;
  }
  const personaLibrary = (await loadPersonas(path.join(config.libraryDir, "personas"))).library;
  const catalog = { ...library.catalog, personas: personaLibrary.list().map(summarize) };
  const others = (await listProfiles(config.profilesRoot)).filter((profile) => profile !== name);
  const problems = checkBlueprintAgainstCatalog(blueprint, catalog, others).filter(
    // clone_from is for Create only; apply says it ignores it.
    (problem) => !problem.startsWith("clone_from:"),
  );
  if (problems.length > 0) {
    err(`${file}: ${problems.length} problem(s):\n${problems.map((p) => `  ${p}`).join("\n")}`);
    return EXIT.badInput;
  }

  const texts = await readProfileTexts(dir);
  const current = currentProfile(texts);
  if (!current.ok) {
    err(`Profile '${name}': ${current.reason}`);
    return EXIT.failed;
  }
  const wanted = blueprint.persona ? personaLibrary.get(blueprint.persona.id) : undefined;
  const activeName = record(current.value.config["display"])["personality"];
  const activePreset =
    typeof activeName === "string"
      ? record(record(current.value.config["agent"])["personalities"])[activeName]
      : undefined;
  const plan: EditPlan = planEdit(current.value, blueprint, present, {
    catalog,
    ...(wanted
      ? {
          persona: {
            id: wanted.meta.id,
            preset: personalityPreset(wanted),
            rendered: renderPersonality(personalityPreset(wanted)),
          },
        }
      : {}),
    ...(activePreset !== undefined ? { renderedActive: renderPersonality(activePreset) } : {}),
  });

  const secrets = new Map<string, string>();
  const needed = requiredSecrets(blueprint, library.catalog).map((entry) => entry.env);
  for (const key of needed) {
    const checked = checkSecretValue(env[key] ?? "");
    if (checked.ok) {
      secrets.set(key, checked.value);
      setup.secrets.add(checked.value);
    }
  }
  const keys = planEnvKeys(texts.env, needed, secrets);
  const changes = [...plan.changes, ...keys.changes];
  for (const key of keys.missing)
    err(
      `note: ${key} is not set; set it with: blueprint key set ${name} ${key} (the value is read from stdin)`,
    );

  const shown = name === DEFAULT_PROFILE ? "the default profile" : `profile '${name}'`;
  for (const note of plan.notes) err(`note: ${note}`);
  if (changes.length === 0) {
    out(NO_CHANGES);
    return EXIT.ok;
  }
  out(`${changes.length} change(s) to ${shown}:`);
  for (const change of changes) out(`  ${changeLine(change)}`);
  if (options.dryRun) {
    out("Dry run: nothing was written.");
    return EXIT.ok;
  }
  const applied = await applyLocalEdit(dir, plan, texts, keys.set);
  if (!applied.ok) {
    err(`Not applied to ${shown}: ${applied.reason}`);
    return EXIT.failed;
  }
  const { written, reformatted } = applied.value;
  out(`Applied to ${shown}${written.length > 0 ? ` (${written.join(", ")} written)` : ""}.`);
  for (const file of reformatted)
    err(
      `note: ${file} was written again in full (its formatting could not be kept exactly; its content is as planned)`,
    );
  if (plan.copies.length > 0) {
    const copied = await copyOptionalSkills(dir, plan.copies, library, () => new Date());
    for (const id of copied.copied) out(`  optional skill ${id}: copied`);
    for (const failure of copied.failures) out(`  optional skill ${failure}: failed`);
    if (copied.failures.length > 0 && plan.installs.length === 0) return EXIT.failed;
  }
  if (plan.installs.length === 0) return EXIT.ok;
  const backend = openBackend(setup);
  const report = await installHubSkills(
    setup,
    {
      ok: true,
      name,
      path: "",
      steps: [],
      hubInstalls: plan.installs.map((identifier) => ({ identifier, status: "pending" as const })),
      problems: [],
    },
    err,
    backend,
  );
  const failed = report.hubInstalls.filter((install) => install.status !== "done");
  for (const install of report.hubInstalls)
    out(`  ${install.identifier}: ${install.status}${install.detail ? ` — ${install.detail}` : ""}`);
  return failed.length === 0 ? EXIT.ok : EXIT.failed;
}
