// `blueprint apply --from file.yaml [--dry-run] [--host <name>]`: make an existing profile match a
// blueprint file, in this machine's Hermes home or on a Hermes host (through its dashboard).
// The file's `name` picks the profile; only the keys the file gives are matched. The change list is
// printed first; --dry-run stops there. A second identical apply finds nothing to change and writes
// no file. Keys come from the environment as for `create --from`. Added hub skills are installed afterwards by the same queue as Create's.
import { checkBlueprintAgainstCatalog } from "../core/blueprint-checks.ts";
import { DEFAULT_PROFILE } from "../core/blueprint.ts";
import { changeLine, NO_CHANGES, type ProfileChange } from "../core/edit/profile-change.ts";
import { pluginsRefusal } from "../app/backend/dashboard-backend.ts";
import { personasPluginStep } from "../app/persona/plugin-on-profile.ts";
import type { Outcome } from "../app/ports/outcome.ts";
import type { PersonaLookup } from "../app/ports/persona-lookup.ts";
import type { ProfileBackend } from "../app/ports/profile-backend.ts";
import { PERSONAS_PLUGIN } from "../app/profile/personas-plugin.ts";
import type { Setup } from "./load-setup.ts";
import { filePersonas, readBlueprintFile, secretsFromEnvironment } from "./blueprint-file.ts";
import { createTarget, installHubSkills } from "./create-from-file.ts";
import { EXIT } from "../app/system/exit.ts";

export interface ApplyOptions {
  readonly dryRun: boolean;
  /** With several Hermes hosts (HERMES_HOSTS): the host whose profile is edited. */
  readonly host?: string;
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
  const { library } = setup;
  const target = createTarget(setup, options.host);
  if (!target.ok) {
    err(`--host: ${target.reason}`);
    return EXIT.badInput;
  }
  // With several hosts and no --host, the first host, as `create --from` picks it; its profiles
  // are then named as that host names them (no `<host>:` prefix).
  const backend = options.host === undefined ? target.value.forChat(undefined).backend : target.value;
  const parsed = await readBlueprintFile(file);
  if (!parsed.ok) {
    err(`${file}: ${parsed.problems.length} problem(s):\n${parsed.problems.map((p) => `  ${p}`).join("\n")}`);
    return EXIT.badInput;
  }
  const { blueprint, present } = parsed;
  const name = blueprint.name;
  const on = backend.host ? ` on ${backend.host}` : "";
  const names = await backend.names();
  if (!names.ok) {
    err(`The profiles${on} could not be listed: ${names.reason}`);
    return EXIT.failed;
  }
  if (name !== DEFAULT_PROFILE && !names.value.includes(name)) {
    err(`There is no profile '${name}'${on} to apply to. Create it with: blueprint create --from ${file}`);
    return EXIT.badInput;
  }
  const personas = await filePersonas(setup);
  const catalog = { ...library.catalog, personas: personas.summaries() };
  const others = names.value.filter((profile) => profile !== name);
  const problems = checkBlueprintAgainstCatalog(blueprint, catalog, others).filter(
    // clone_from is for Create only; apply says it ignores it.
    (problem) => !problem.startsWith("clone_from:"),
  );
  if (problems.length > 0) {
    err(`${file}: ${problems.length} problem(s):\n${problems.map((p) => `  ${p}`).join("\n")}`);
    return EXIT.badInput;
  }

  const secrets = secretsFromEnvironment(blueprint, setup, env);
  const shown = `${name === DEFAULT_PROFILE ? "the default profile" : `profile '${name}'`}${on}`;
  // `plugins:` in the file: the profile gets exactly those (a host cannot take one at all).
  const withPlugins = present.has("plugins");
  if (withPlugins && blueprint.plugins.length > 0 && !backend.personasPlugin) {
    err(`${file}: ${pluginsRefusal(backend.host ?? "this host", blueprint.plugins)}`);
    return EXIT.badInput;
  }
  // With the personas plugin the persona is its default, by reference, as a Create makes it.
  const byReference =
    withPlugins && blueprint.plugins.includes(PERSONAS_PLUGIN) && blueprint.persona?.mode === "overlay";
  const edited = await backend.applyEdit(name, {
    // An overlay persona in config.yaml is cleared (`persona: null`): the plugin's default takes its place.
    blueprint: byReference ? { ...blueprint, persona: null } : blueprint,
    keys: present,
    secrets,
    personas,
    dryRun: options.dryRun,
  });
  if (!edited.ok) {
    err(`Not applied to ${shown}: ${edited.reason}. Run apply again to plan from the profile as it is now.`);
    return EXIT.failed;
  }
  const result = edited.value;
  for (const note of result.notes) err(`note: ${note}`);
  for (const key of result.missingKeys)
    err(
      `note: ${key} is not set; set it with: blueprint key set ${name} ${key} (the value is read from stdin)`,
    );
  const plugin =
    withPlugins && backend.personasPlugin
      ? await applyPlugin(backend, name, personas, {
          want: blueprint.plugins.includes(PERSONAS_PLUGIN),
          run: !options.dryRun,
          ...(byReference && blueprint.persona
            ? { defaultPersona: personas.get(blueprint.persona.id)?.meta.id ?? null }
            : {}),
        })
      : { ok: true as const, value: undefined };
  if (!plugin.ok) {
    err(`The personas plugin of ${shown} was not changed: ${plugin.reason}.`);
    return EXIT.failed;
  }
  const changes = [...result.changes, ...(plugin.value ? [plugin.value] : [])];
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
  out(`Applied to ${shown}${result.written.length > 0 ? ` (${result.written.join(", ")} written)` : ""}.`);
  for (const file of result.reformatted)
    err(
      `note: ${file} was written again in full (its formatting could not be kept exactly; its content is as planned)`,
    );
  for (const id of result.copied) out(`  optional skill ${id}: copied`);
  for (const failure of result.copyFailures) out(`  optional skill ${failure}: failed`);
  if (result.installs.length === 0) return result.copyFailures.length > 0 ? EXIT.failed : EXIT.ok;
  const report = await installHubSkills(
    setup,
    {
      ok: true,
      name,
      path: "",
      steps: [],
      hubInstalls: result.installs.map((identifier) => ({ identifier, status: "pending" as const })),
      problems: [],
    },
    err,
    backend,
  );
  for (const install of report.hubInstalls)
    out(`  ${install.identifier}: ${install.status}${install.detail ? ` — ${install.detail}` : ""}`);
  const failed = report.hubInstalls.some((install) => install.status !== "done");
  return failed || result.copyFailures.length > 0 ? EXIT.failed : EXIT.ok;
}

/**
 * The personas plugin made as the file says, after the rest of the apply: files before config.yaml
 * enables it, config.yaml before the files go. Returns the change, or none when it already matches.
 */
async function applyPlugin(
  backend: ProfileBackend,
  name: string,
  personas: PersonaLookup,
  options: { want: boolean; run: boolean; defaultPersona?: string | null },
): Promise<Outcome<ProfileChange | undefined>> {
  const files = backend.personasPlugin;
  if (!files) return { ok: true, value: undefined };
  const config = await backend.readConfig(name);
  if (!config.ok) return config;
  const { doc } = config.value;
  const step = await personasPluginStep(files, name, personas, doc, options);
  if (!step.ok) return step;
  if (!options.run || !step.value.change) return { ok: true, value: step.value.change };
  if (step.value.configChanged) {
    const written = await backend.writeConfig(name, { doc });
    if (!written.ok) return written;
  }
  if (!options.want) {
    const removed = await files.remove(name);
    if (!removed.ok) return removed;
  }
  return { ok: true, value: step.value.change };
}
