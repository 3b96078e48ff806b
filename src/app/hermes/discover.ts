// Finds the Hermes beside the bot the way an operator's shell would (HERMES_BIN, else `hermes` on
// PATH), then asks that Hermes — its own Python, named on the first line of its script — where its
// skill and MCP catalogs are. Hermes resolves them from HERMES_BUNDLED_SKILLS, HERMES_OPTIONAL_SKILLS
// and HERMES_OPTIONAL_MCPS, else its packaged data folders, else folders beside its package; asking
// it gives Hermes' answer, not our copy of its rules. No Hermes found is a normal mode: the bot then
// uses its own library/ catalogs and the bundled installer.
import { open } from "node:fs/promises";
import path from "node:path";
import { isDirectory } from "../file-kind.ts";
import { resolveProgram } from "../program-path.ts";

/** The Hermes version the tests run as the oracle (test/setup/hermes-venv.ts installs exactly this). */
export const PINNED_HERMES_VERSION = "0.19.0";
/** How long asking Hermes (its version, its folders) may take before it counts as not answering. */
export const HERMES_PROBE_TIMEOUT_MS = 20_000;

export interface HermesFolder {
  readonly path: string;
  readonly exists: boolean;
}

export interface HermesInstall {
  readonly bin: string;
  readonly version: string;
  readonly pinned: boolean;
  readonly bundledSkills: HermesFolder;
  readonly optionalSkills: HermesFolder;
  readonly optionalMcps: HermesFolder;
  /** Hermes' API-key providers; empty when this Hermes keeps them elsewhere. */
  readonly providers: readonly HermesProvider[];
}

export type HermesDiscovery =
  | { readonly status: "none"; readonly reason: string }
  | { readonly status: "broken"; readonly bin: string; readonly reason: string }
  | { readonly status: "found"; readonly install: HermesInstall };

/**
 * Python run by Hermes' own interpreter: the same functions Hermes calls to find its folders, and
 * its provider registry (hermes_cli/auth.py PROVIDER_REGISTRY, the API-key providers: the first of
 * `api_key_env_vars` is the .env key Hermes reads first) with its model lists (hermes_cli/models.py).
 * OpenRouter is not in the registry (Hermes handles it apart) and is added the same way Hermes lists it.
 */
const FOLDERS_PROBE = `
import json
from hermes_cli import __version__
from hermes_cli import mcp_catalog
from tools import skills_sync
providers = []
try:
  from hermes_cli.auth import PROVIDER_REGISTRY
  from hermes_cli import models as hermes_models
  seen = set()
  def add(pid, name, env, url, model_ids):
    key = (name, env, url)
    if key in seen: return
    seen.add(key)
    providers.append({"id": pid, "name": name, "env": env, "models": [m for m in model_ids if isinstance(m, str)]})
  add("openrouter", "OpenRouter", "OPENROUTER_API_KEY", "openrouter", [m for m, _ in hermes_models.OPENROUTER_MODELS])
  for pid, cfg in PROVIDER_REGISTRY.items():
    if cfg.auth_type == "api_key" and cfg.api_key_env_vars:
      add(pid, cfg.name, cfg.api_key_env_vars[0], cfg.inference_base_url, list(hermes_models._PROVIDER_MODELS.get(pid, [])))
except Exception:
  pass
print(json.dumps({
  "version": __version__,
  "bundledSkills": str(skills_sync._get_bundled_dir()),
  "optionalSkills": str(skills_sync._get_optional_dir()),
  "optionalMcps": str(mcp_catalog._catalog_root()),
  "providers": providers,
}))
`;

/** A provider as Hermes' registry describes it (validated by the catalog loader before use). */
export interface HermesProvider {
  readonly id: string;
  readonly name: string;
  /** The .env variable Hermes reads the key from (the first it looks at). */
  readonly env: string;
  readonly models: readonly string[];
}

export async function discoverHermes(
  hermesBin: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
): Promise<HermesDiscovery> {
  // HERMES_BIN is an absolute path (config resolves it), so it is checked as it is, not on PATH.
  if (hermesBin && !(await resolveProgram(hermesBin)))
    return {
      status: "broken",
      bin: hermesBin,
      reason: `${hermesBin} is not an executable file (HERMES_BIN)`,
    };
  const bin = hermesBin ?? (await resolveProgram("hermes", env["PATH"] ?? ""));
  if (!bin) return { status: "none", reason: "HERMES_BIN is not set and there is no `hermes` on PATH" };
  const python = await interpreterOf(bin);
  if (!python)
    return {
      status: "broken",
      bin,
      reason: `${bin} is not a Python script with a #! line (a Hermes install?)`,
    };
  const { execa } = await import("execa");
  const probe = await execa(python, ["-c", FOLDERS_PROBE], {
    env: { ...env, NO_COLOR: "1" },
    extendEnv: false,
    timeout: HERMES_PROBE_TIMEOUT_MS,
    reject: false,
    stdin: "ignore",
  });
  if (probe.exitCode !== 0) {
    const why = probe.timedOut
      ? `no answer in ${HERMES_PROBE_TIMEOUT_MS / 1000} s`
      : (probe.stderr.trim().split("\n").at(-1) ?? `exit code ${String(probe.exitCode)}`);
    return { status: "broken", bin, reason: `asking Hermes for its folders failed: ${why}` };
  }
  let answer: Record<string, unknown>;
  try {
    answer = JSON.parse(probe.stdout.trim().split("\n").at(-1) ?? "") as Record<string, unknown>;
  } catch {
    return { status: "broken", bin, reason: "Hermes answered something that is not its folders" };
  }
  const folder = async (key: string): Promise<HermesFolder> => {
    const value = answer[key];
    const where = typeof value === "string" ? value : "";
    return { path: where, exists: where !== "" && (await isDirectory(where)) };
  };
  const version = typeof answer["version"] === "string" ? answer["version"] : "unknown";
  return {
    status: "found",
    install: {
      bin,
      version,
      pinned: version === PINNED_HERMES_VERSION,
      bundledSkills: await folder("bundledSkills"),
      optionalSkills: await folder("optionalSkills"),
      optionalMcps: await folder("optionalMcps"),
      providers: Array.isArray(answer["providers"]) ? answer["providers"].filter(isHermesProvider) : [],
    },
  };
}

/** The interpreter on a script's `#!` line (`#!/path/python3.11`, or `#!/usr/bin/env python3`). */
async function interpreterOf(script: string): Promise<string | undefined> {
  const handle = await open(script, "r");
  try {
    const buffer = Buffer.alloc(512);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    const first = buffer.subarray(0, bytesRead).toString("utf8").split("\n")[0] ?? "";
    if (!first.startsWith("#!")) return undefined;
    const [command, argument] = first.slice(2).trim().split(/\s+/);
    if (!command) return undefined;
    return path.basename(command) === "env" && argument ? argument : command;
  } finally {
    await handle.close();
  }
}

function isHermesProvider(value: unknown): value is HermesProvider {
  if (typeof value !== "object" || value === null) return false;
  const entry = value as Record<string, unknown>;
  return (
    typeof entry["id"] === "string" &&
    typeof entry["name"] === "string" &&
    typeof entry["env"] === "string" &&
    Array.isArray(entry["models"]) &&
    entry["models"].every((model) => typeof model === "string")
  );
}
