// Finds the Hermes beside the bot the way an operator's shell would (HERMES_BIN, else `hermes` on
// PATH), then asks that Hermes — its own Python, named on the first line of its script — where its
// skill and MCP catalogs are. Hermes resolves them from HERMES_BUNDLED_SKILLS, HERMES_OPTIONAL_SKILLS
// and HERMES_OPTIONAL_MCPS, else its packaged data folders, else folders beside its package; asking
// it gives Hermes' answer, not our copy of its rules. No Hermes found is a normal mode: the bot then
// uses its own library/ catalogs and the bundled installer.
import path from "node:path";
import { isDirectory } from "../system/file-kind.ts";
import { superviseGroup } from "../system/process-group.ts";
import { resolveProgram } from "../system/program-path.ts";
import { hermesChildEnv } from "./child-env.ts";
import { interpreterOf } from "./interpreter.ts";
import { checkHermesProviders, type HermesProvider } from "./hermes-providers.ts";
import { cleanOutsideText, OUTSIDE_DETAIL_MAX_CHARS } from "../../core/outside-text.ts";
import { hasDisallowedChars } from "../../core/text-rules.ts";
import { toolsetCatalogSchema, type ToolsetCatalog } from "../../core/toolsets.ts";

export type { HermesProvider } from "./hermes-providers.ts";

/** The Hermes version the tests run as the oracle (test/setup/hermes-venv.ts installs exactly this). */
export const PINNED_HERMES_VERSION = "0.19.0";
/** How long asking Hermes (its version, its folders) may take before it counts as not answering. */
export const HERMES_PROBE_TIMEOUT_MS = 20_000;
/**
 * The probe's answer is read up to this much. Hermes 0.19's is about 30 KB (most of it model ids);
 * a bigger one is not Hermes' answer, and is not kept in memory.
 */
export const HERMES_PROBE_MAX_BYTES = 4 * 1024 * 1024;

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
  /** Hermes' toolset registry and platforms; undefined when this Hermes has none the bot can read. */
  readonly toolsets?: ToolsetCatalog;
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
 * OAuth providers come with `login: "oauth"` and no key: only those `hermes auth add <id>` signs in
 * (hermes_cli/auth_commands.py _OAUTH_CAPABLE_PROVIDERS), so the login command the bot names exists.
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
  try:
    from hermes_cli.auth_commands import _OAUTH_CAPABLE_PROVIDERS as oauth_capable
  except Exception:
    oauth_capable = set()
  for pid, cfg in PROVIDER_REGISTRY.items():
    if cfg.auth_type == "api_key" and cfg.api_key_env_vars:
      add(pid, cfg.name, cfg.api_key_env_vars[0], cfg.inference_base_url, list(hermes_models._PROVIDER_MODELS.get(pid, [])))
    elif str(cfg.auth_type).startswith("oauth") and pid in oauth_capable:
      key = ("oauth", pid)
      if key in seen: continue
      seen.add(key)
      providers.append({"id": pid, "name": cfg.name, "login": "oauth",
        "models": [m for m in hermes_models._PROVIDER_MODELS.get(pid, []) if isinstance(m, str)]})
except Exception:
  pass
toolsets = None
try:
  from hermes_cli import tools_config as tc
  restricted = getattr(tc, "_TOOLSET_PLATFORM_RESTRICTIONS", {})
  label = getattr(tc, "gui_toolset_label", lambda text: text)
  effective = getattr(tc, "_get_effective_configurable_toolsets", lambda: tc.CONFIGURABLE_TOOLSETS)()
  plugin_keys = getattr(tc, "_get_plugin_toolset_keys", lambda: set())()
  def entry(k, l, d):
    e = {"id": k, "label": label(l), "description": d}
    if k in restricted: e["platforms"] = sorted(restricted[k])
    if k in plugin_keys: e["plugin"] = True
    return e
  toolsets = {
    "platforms": list(tc.PLATFORMS.keys()),
    "toolsets": [entry(k, l, d) for k, l, d in effective],
  }
except Exception:
  pass
print(json.dumps({
  "version": __version__,
  "toolsets": toolsets,
  "bundledSkills": str(skills_sync._get_bundled_dir()),
  "optionalSkills": str(skills_sync._get_optional_dir()),
  "optionalMcps": str(mcp_catalog._catalog_root()),
  "providers": providers,
}))
`;

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
  const child = execa(python, ["-c", FOLDERS_PROBE], {
    env: { ...hermesChildEnv(env), NO_COLOR: "1" },
    extendEnv: false,
    reject: false,
    stdin: "ignore",
    maxBuffer: HERMES_PROBE_MAX_BYTES,
    // Its own process group, so the deadline reaches everything it started; a descendant holding
    // the output open cannot keep the start-up waiting.
    detached: true,
  });
  const end = await superviseGroup(child, child, { timeoutMs: HERMES_PROBE_TIMEOUT_MS });
  if (end.stopped !== undefined) {
    const why =
      end.stopped === "output held"
        ? "it ended, but a process it left behind kept its answer open"
        : `no answer in ${HERMES_PROBE_TIMEOUT_MS / 1000} s`;
    return { status: "broken", bin, reason: `asking Hermes for its folders failed: ${why}` };
  }
  const probe = end.result;
  if (probe.isMaxBuffer)
    return {
      status: "broken",
      bin,
      reason: `asking Hermes for its folders failed: it answered more than ${HERMES_PROBE_MAX_BYTES / 1024 / 1024} MiB`,
    };
  if (probe.exitCode !== 0) {
    const lastLine = probe.stderr.trim().split("\n").at(-1) ?? "";
    const why = cleanOutsideText(lastLine, OUTSIDE_DETAIL_MAX_CHARS) || `exit code ${String(probe.exitCode)}`;
    return { status: "broken", bin, reason: `asking Hermes for its folders failed: ${why}` };
  }
  let answer: Record<string, unknown>;
  try {
    answer = JSON.parse(probe.stdout.trim().split("\n").at(-1) ?? "") as Record<string, unknown>;
  } catch {
    return { status: "broken", bin, reason: "Hermes answered something that is not its folders" };
  }
  if (typeof answer !== "object" || answer === null)
    return { status: "broken", bin, reason: "Hermes answered something that is not its folders" };
  const folder = async (key: string): Promise<HermesFolder> => {
    const where = folderPath(answer[key]);
    return { path: where, exists: where !== "" && (await isDirectory(where)) };
  };
  const version =
    (typeof answer["version"] === "string"
      ? cleanOutsideText(answer["version"], HERMES_VERSION_MAX_CHARS)
      : "") || "unknown";
  return {
    status: "found",
    install: {
      bin,
      version,
      pinned: version === PINNED_HERMES_VERSION,
      bundledSkills: await folder("bundledSkills"),
      optionalSkills: await folder("optionalSkills"),
      optionalMcps: await folder("optionalMcps"),
      providers: checkHermesProviders(answer["providers"]),
      ...hermesToolsets(answer["toolsets"]),
    },
  };
}

/**
 * Hermes' toolsets as the wizard offers them: its answer checked by the same schema as the shipped
 * list, labels cleaned; an answer that does not fit is not used (the shipped list is).
 */
function hermesToolsets(value: unknown): { toolsets?: ToolsetCatalog } {
  const parsed = toolsetCatalogSchema.safeParse(value);
  if (!parsed.success) return {};
  return {
    toolsets: {
      platforms: parsed.data.platforms,
      toolsets: parsed.data.toolsets.map((toolset) => ({
        ...toolset,
        label: cleanOutsideText(toolset.label, OUTSIDE_DETAIL_MAX_CHARS),
        description: cleanOutsideText(toolset.description, OUTSIDE_DETAIL_MAX_CHARS),
      })),
    },
  };
}

/** A folder Hermes named: an absolute path without control characters, else none (""). */
function folderPath(value: unknown): string {
  if (typeof value !== "string" || value.length > FOLDER_PATH_MAX_CHARS) return "";
  return path.isAbsolute(value) && !hasDisallowedChars(value) ? value : "";
}

/** A version string longer than this is not one ("0.19.0"). */
const HERMES_VERSION_MAX_CHARS = 40;
/** Linux's PATH_MAX: a longer folder path cannot be opened anyway. */
const FOLDER_PATH_MAX_CHARS = 4096;
