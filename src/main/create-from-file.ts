// `blueprint create --from file.yaml`: the wizard's Create without the wizard. Secrets come from
// the environment variables the catalog names; missing ones are left empty and the report says so.
import path from "node:path";
import { checkBlueprintAgainstCatalog } from "../core/blueprint-checks.ts";
import { findProvider } from "../core/catalog.ts";
import { loginLines } from "../core/provider-login.ts";
import {
  filePersonas,
  readBlueprintFile,
  secretsFromEnvironment,
  unnamedSkillKeys,
} from "./blueprint-file.ts";
import type { CreateReport } from "../core/create-report.ts";
import { HERMES_SUBCOMMAND_NAMES } from "../core/limits.ts";
import { describe } from "../core/messages.ts";
import type { Setup } from "./load-setup.ts";
import { openBackend } from "./open-backend.ts";
import type { ProfileBackend } from "../app/ports/profile-backend.ts";
import type { Outcome } from "../app/ports/outcome.ts";
import { InstallQueue } from "../app/install/install-queue.ts";
import { BotStore } from "../app/store/bot-store.ts";

/**
 * Where `create --from` creates: the configured backend, or with `--host` (several targets: Hermes
 * hosts, a CommonGround project) that target's. A `--host` with one target, or naming none, is refused.
 */
export function createTarget(setup: Setup, host: string | undefined): Outcome<ProfileBackend> {
  const backend = openBackend(setup);
  if (host === undefined) return { ok: true, value: backend };
  if (!setup.config.hermesHosts && !setup.config.commonground)
    return {
      ok: false,
      reason:
        "it picks one of several targets; set HERMES_HOSTS (or COMMONGROUND_URL beside this Hermes) first",
    };
  const ref = backend.resolve(`${host}:default`);
  return ref.ok ? { ok: true, value: backend.forChat(ref.value).backend } : ref;
}

export type FileCreateResult =
  | { kind: "invalid"; problems: string[] }
  | { kind: "created" | "failed"; report: CreateReport; warnings: string[] };

export async function createFromFile(
  file: string,
  setup: Setup,
  env: NodeJS.ProcessEnv,
  backend: ProfileBackend = openBackend(setup),
): Promise<FileCreateResult> {
  const parsed = await readBlueprintFile(file);
  if (!parsed.ok) return { kind: "invalid", problems: parsed.problems };
  const { library } = setup;
  const personas = await filePersonas(setup);
  const catalog = { ...library.catalog, personas: personas.summaries() };
  const names = await backend.names();
  if (!names.ok)
    return {
      kind: "failed",
      report: {
        ok: false,
        name: parsed.blueprint.name,
        path: "",
        ...(backend.host ? { host: backend.host } : {}),
        steps: [],
        hubInstalls: [],
        problems: [names.reason],
      },
      warnings: [],
    };
  const problems = checkBlueprintAgainstCatalog(parsed.blueprint, catalog, names.value);
  if (problems.length > 0) return { kind: "invalid", problems };

  const secrets = secretsFromEnvironment(parsed.blueprint, setup, env);
  const report = await backend.create(parsed.blueprint, secrets, personas);
  const warnings = HERMES_SUBCOMMAND_NAMES.includes(parsed.blueprint.name)
    ? [describe({ code: "name_shadows_command", params: { name: parsed.blueprint.name } })]
    : [];
  // A profile on an OAuth provider is made without a credential: say the command that signs it in.
  const provider = parsed.blueprint.model
    ? findProvider(catalog, parsed.blueprint.model.provider)
    : undefined;
  const unnamed = unnamedSkillKeys(parsed.blueprint, catalog);
  if (report.ok && unnamed.length > 0)
    warnings.push(
      `Not taken from the environment: ${unnamed.join(", ")} (declared by built-in skills the file keeps without naming them). Set one with \`blueprint key set ${parsed.blueprint.name} <KEY>\`, or name the skills under skills.builtin.`,
    );
  const signIn = loginLines(parsed.blueprint.name, provider, backend.host);
  if (report.ok && signIn.length > 0) warnings.push(signIn.join("\n"));
  return { kind: report.ok ? "created" : "failed", report, warnings };
}

/**
 * Runs the report's hub installs in the foreground (same queue, same installer as the chat) and
 * returns the report with how each one ended; progress lines go to `progress` (stderr).
 */
export async function installHubSkills(
  setup: Setup,
  report: CreateReport,
  progress: (line: string) => void,
  backend: ProfileBackend = openBackend(setup),
): Promise<CreateReport> {
  if (report.hubInstalls.length === 0) return report;
  const { config, logger } = setup;
  const store = await BotStore.open(path.join(config.dataDir, "store.json"), logger);
  const seen = new Map<string, string>();
  const queue = new InstallQueue({
    store,
    executor: backend.installs,
    concurrency: config.installConcurrency,
    timeoutMs: config.installTimeoutMs,
    logger,
    secrets: setup.secrets,
    onChange: (group) => {
      for (const job of group.jobs) {
        const line = `${job.identifier}: ${job.phase}${job.detail ? ` — ${job.detail}` : ""}`;
        if (seen.get(job.identifier) !== line) progress(line);
        seen.set(job.identifier, line);
      }
    },
  });
  const actor = { id: "cli", name: "blueprint create" };
  const group = await queue.start(
    actor,
    "console",
    "cli",
    report.name,
    report.hubInstalls.map((hub) => hub.identifier),
  );
  await queue.idle();
  const ended = (await store.getInstallGroup(group.id))?.jobs ?? [];
  await store.flush();
  return {
    ...report,
    hubInstalls: ended.map((job) => ({
      identifier: job.identifier,
      status: job.status,
      ...(job.detail ? { detail: job.detail } : {}),
    })),
  };
}
