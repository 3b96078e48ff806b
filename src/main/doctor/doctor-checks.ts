// The doctor's checks, in the order a newcomer would fix things: configuration, the Hermes home,
// the store, the libraries, the install command, then each platform.
import { postgresStoreResult } from "./postgres-store-check.ts";
import { execa } from "execa";
import { PINNED_HERMES_VERSION, type HermesDiscovery, type HermesFolder } from "../../app/hermes/discover.ts";
import { access, constants, mkdir, readdir, readFile, rename } from "node:fs/promises";
import path from "node:path";
import { loadPersonas } from "../../app/persona/persona-loader.ts";
import { installCommandFor } from "../../app/install/install-command-template.ts";
import { loadLibrary } from "../../app/library/library-loader.ts";
import { resolveProgram } from "../../app/system/program-path.ts";
import { staleStaging, sweepStaging } from "../../app/profile/profiles-root.ts";
import { STORE_SCHEMA_VERSION } from "../../app/store/bot-store.ts";
import type { AppConfig } from "../../app/system/config.ts";
import { DashboardClient } from "../../app/hermes/dashboard-client.ts";
import { hermesChildEnv } from "../../app/hermes/child-env.ts";
import { superviseGroup } from "../../app/system/process-group.ts";
import { cleanOutsideText, OUTSIDE_LABEL_MAX_CHARS } from "../../core/outside-text.ts";
import { configSecrets } from "../load-setup.ts";
import { DOCTOR_PROBE_TIMEOUT_MS, type CheckResult, type DoctorCheck } from "./doctor.ts";
import { discordCheck, telegramCheck } from "./platform-checks.ts";

async function writable(dir: string): Promise<boolean> {
  try {
    await access(dir, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

async function isDir(dir: string): Promise<boolean> {
  try {
    return (await readdir(dir)) !== undefined;
  } catch {
    return false;
  }
}

/** With HERMES_URL the Hermes there keeps the profiles and installs: local checks of them do not apply. */
function remoteSkip(config: AppConfig): CheckResult | undefined {
  if (config.hermesHosts)
    return {
      status: "skipped",
      found: `profiles are made by the Hermes hosts ${config.hermesHosts.map((host) => host.name).join(", ")} (HERMES_HOSTS), not on this machine`,
    };
  return config.remoteHermes
    ? {
        status: "skipped",
        found: `profiles are made by the Hermes at ${new URL(config.remoteHermes.url).host} (HERMES_URL), not on this machine`,
      }
    : undefined;
}

export const hermesDashboardCheck: DoctorCheck = {
  name: "Hermes dashboard",
  async run({ config }) {
    const hosts = config.hermesHosts ?? (config.remoteHermes ? [{ name: "", ...config.remoteHermes }] : []);
    if (hosts.length === 0)
      return { status: "skipped", found: "HERMES_URL is not set: profiles are made on this machine" };
    // Every token the configuration holds: a host that echoes one into its error is not quoted raw.
    const secrets = configSecrets(config);
    const results = await Promise.all(
      hosts.map(async (host) => {
        const client = new DashboardClient({ ...host, secrets });
        const label = host.name ? `${host.name} (${client.host})` : client.host;
        const listed = await client.listProfiles();
        return listed.ok
          ? {
              ok: true,
              line: `${label} answers and accepts the token; ${listed.value.length} profile(s) there (the root one included)`,
            }
          : {
              ok: false,
              token: listed.failure.fault === "token",
              line: `${host.name ? `${host.name}: ` : ""}${listed.failure.message}`,
            };
      }),
    );
    const failed = results.filter((result) => !result.ok);
    if (failed.length === 0) return { status: "ok", found: results.map((result) => result.line).join("; ") };
    const tokenVariable = config.hermesHosts ? "HERMES_TOKEN_<HOST>" : "HERMES_TOKEN";
    return {
      status: "failed",
      found: results.map((result) => result.line).join("; "),
      action: failed.some((result) => "token" in result && result.token)
        ? `set ${tokenVariable} to the HERMES_DASHBOARD_SESSION_TOKEN \`hermes serve\` runs with on that host`
        : "start `hermes serve` (or `hermes dashboard`) there with HERMES_DASHBOARD_SESSION_TOKEN set, and check its URL",
    };
  },
};

export const hermesHomeCheck: DoctorCheck = {
  name: "Hermes home",
  async run({ config, fix }) {
    const skip = remoteSkip(config);
    if (skip) return skip;
    const root = config.profilesRoot;
    if (!(await isDir(root))) {
      if (!fix)
        return {
          status: "fixable",
          found: `${root} does not exist`,
          action: `create ${root} (and ${config.hermesHome})`,
        };
      await mkdir(root, { recursive: true });
      return { status: "fixed", found: `${root} was missing`, action: `created ${root}` };
    }
    if (!(await writable(root)))
      return {
        status: "failed",
        found: `${root} is not writable by this user`,
        action: "give the bot's user write access, or point HERMES_HOME elsewhere",
      };
    // Only folders whose process is gone: a running bot's create in progress is not a leftover.
    const leftovers = await staleStaging(root);
    if (leftovers.length === 0) return { status: "ok", found: `${root} exists and is writable` };
    if (!fix)
      return {
        status: "fixable",
        found: `${leftovers.length} folder(s) left by an interrupted create or delete: ${leftovers.join(", ")}`,
        action: "remove them (the bot also does at start)",
      };
    await sweepStaging(root);
    return {
      status: "fixed",
      found: `${leftovers.length} leftover folder(s)`,
      action: `removed ${leftovers.join(", ")}`,
    };
  },
};

export const storeCheck: DoctorCheck = {
  name: "Session store",
  async run({ config, fix }) {
    if (config.databaseUrl) return postgresStoreResult(config.databaseUrl);
    const file = path.join(config.dataDir, "store.json");
    let text: string;
    try {
      text = await readFile(file, "utf8");
    } catch {
      if (!(await isDir(config.dataDir)) && !fix)
        return {
          status: "fixable",
          found: `${config.dataDir} does not exist`,
          action: `create ${config.dataDir}`,
        };
      if (!(await isDir(config.dataDir))) {
        await mkdir(config.dataDir, { recursive: true });
        return {
          status: "fixed",
          found: `${config.dataDir} was missing`,
          action: `created ${config.dataDir}`,
        };
      }
      return { status: "ok", found: `no ${file} yet (the bot creates it at start)` };
    }
    let version: unknown;
    try {
      version = (JSON.parse(text) as { version?: unknown }).version;
    } catch {
      version = undefined;
    }
    if (typeof version !== "number") {
      const aside = `${file}.bad-${Date.now()}`;
      if (!fix)
        return {
          status: "fixable",
          found: `${file} is not a store (empty, truncated or not JSON with a schema version)`,
          action: `move it aside to ${path.basename(file)}.bad-<time> so the bot starts with an empty store`,
        };
      await rename(file, aside);
      return { status: "fixed", found: `${file} was unreadable`, action: `moved it to ${aside}` };
    }
    if (version > STORE_SCHEMA_VERSION)
      return {
        status: "failed",
        found: `${file} has schema ${version}, newer than this bot's ${STORE_SCHEMA_VERSION}`,
        action: "upgrade agent-blueprint, or move the file away",
      };
    const note =
      version < STORE_SCHEMA_VERSION ? `; it migrates to ${STORE_SCHEMA_VERSION} at the next start` : "";
    return { status: "ok", found: `${file} opens, schema ${version}${note}` };
  },
};

export const personaCheck: DoctorCheck = {
  name: "Persona library",
  async run({ config }) {
    const dir = path.join(config.libraryDir, "personas");
    const { library, problems } = await loadPersonas(dir, { lint: true });
    if (problems.length === 0 && library.size > 0)
      return { status: "ok", found: `${library.size} persona(s) in ${dir}, lint clean` };
    return {
      status: "failed",
      found: `${problems.length} problem(s) in ${dir}: ${problems
        .slice(0, 3)
        .map((problem) => `${path.basename(problem.file)}: ${problem.reason}`)
        .join("; ")}${problems.length > 3 ? "; …" : ""}`,
      action: "run `blueprint personas lint` for the full list and fix the files",
    };
  },
};

export const catalogCheck: DoctorCheck = {
  name: "Catalogs",
  async run({ config, hermes }) {
    try {
      const { catalog, warnings, sources, notOffered } = await loadLibrary(
        config.libraryDir,
        hermes.status === "found" ? hermes.install : undefined,
      );
      const counts = [
        `${catalog.providers.length} providers`,
        `${catalog.builtinSkills.length} built-in skills (${sources.builtinSkills})`,
        `${catalog.optionalSkills.length} optional skills (${sources.optionalSkills})`,
        `${catalog.mcps.length} MCP servers (${sources.mcps.join(" + ")})`,
        ...notOffered.map((entry) => `not offered: ${entry.name}, it ${entry.reason}`),
      ].join("; ");
      if (warnings.length === 0) return { status: "ok", found: counts };
      return {
        status: "failed",
        found: `${counts}; ${warnings.length} file(s) skipped: ${warnings.slice(0, 3).join("; ")}`,
        action: `fix the files under ${config.libraryDir}`,
      };
    } catch (error) {
      return { status: "failed", found: (error as Error).message, action: `fix ${config.libraryDir}` };
    }
  },
};

export const installCommandCheck: DoctorCheck = {
  name: "Install command",
  async run({ config, hermes }) {
    const skip = remoteSkip(config);
    if (skip) return skip;
    const command = installCommandFor(config, hermes.status === "found" ? hermes.install : undefined);
    const resolved = await resolveProgram(command.file);
    const shown = [command.file, ...command.args].join(" ");
    if (!resolved)
      return {
        status: "failed",
        found: `'${command.file}' (${command.kind === "template" ? "from INSTALL_COMMAND" : command.kind}) is not an executable on PATH`,
        action: "install it, or set INSTALL_COMMAND to a program that exists",
      };
    if (command.kind === "bundled") return { status: "ok", found: `the bundled installer: ${shown}` };
    if (command.kind === "hermes")
      return { status: "ok", found: `Hermes installs hub skills: ${shown} (HERMES_HOME = the profile)` };
    if (path.basename(command.file) !== "hermes") return { status: "ok", found: `${shown} (${resolved})` };
    // In its own group and supervised like every Hermes subprocess: a descendant that keeps the
    // output open cannot hold the doctor past its deadline.
    const child = execa(resolved, ["--version"], {
      reject: false,
      env: hermesChildEnv(process.env),
      extendEnv: false,
      detached: true,
      stdin: "ignore",
      maxBuffer: 64 * 1024,
    });
    const end = await superviseGroup(child, child, { timeoutMs: DOCTOR_PROBE_TIMEOUT_MS });
    const exitCode = end.stopped ? undefined : end.result.exitCode;
    if (exitCode !== 0)
      return {
        status: "failed",
        found: `${resolved} --version failed (${end.stopped ?? `exit code ${String(exitCode)}`})`,
        action: "check the Hermes installation",
      };
    const stdout = end.stopped ? "" : String(end.result.stdout);
    const said = cleanOutsideText(stdout.trim().split("\n")[0] ?? "", OUTSIDE_LABEL_MAX_CHARS);
    return { status: "ok", found: `${shown}; ${said}` };
  },
};

export const hermesCheck: DoctorCheck = {
  name: "Hermes",
  run: ({ config, hermes: found }) =>
    Promise.resolve(remoteSkip(config) ?? hermesResult(config.libraryDir, found)),
};

function hermesResult(libraryDir: string, found: HermesDiscovery): CheckResult {
  if (found.status === "none")
    return {
      status: "skipped",
      found: `${found.reason}: the bot uses its own catalogs (${libraryDir}) and the bundled installer`,
    };
  if (found.status === "broken")
    return { status: "failed", found: found.reason, action: "fix HERMES_BIN, or reinstall Hermes" };
  const { install } = found;
  const folder = (label: string, entry: HermesFolder) =>
    `${label} ${entry.path}${entry.exists ? "" : " (missing)"}`;
  return {
    status: "ok",
    found: [
      `${install.bin}, version ${install.version} (${install.pinned ? "the version the tests pin" : `the tests pin ${PINNED_HERMES_VERSION}`})`,
      folder("bundled skills", install.bundledSkills),
      folder("optional skills", install.optionalSkills),
      folder("MCP catalog", install.optionalMcps),
      "hub skills are installed by this Hermes (unless INSTALL_COMMAND says otherwise)",
    ].join("; "),
  };
}

export const DOCTOR_CHECKS: readonly DoctorCheck[] = [
  hermesHomeCheck,
  storeCheck,
  personaCheck,
  catalogCheck,
  installCommandCheck,
  hermesCheck,
  hermesDashboardCheck,
  discordCheck,
  telegramCheck,
];
