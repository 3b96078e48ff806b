// The real Hermes as the judge of the profiles the bot makes. Every call runs the pinned Hermes
// (test/setup/hermes.ts) as a subprocess against a Hermes home, offline, with the shipped library
// as its bundled and optional skill trees. Parsers read what Hermes prints for people (Rich tables
// at 200 columns); where a judgement needs more than print-outs, a few lines of Python ask Hermes'
// own functions, in Hermes' own virtual environment.
import { execFile } from "node:child_process";
import path from "node:path";
import { inject } from "vitest";
import { HOW_TO_GET_HERMES } from "../setup/hermes-venv.ts";
import { REPO_ROOT } from "./cli.ts";
import { recordArtifact } from "./leak-ledger.ts";

/** A Hermes call that takes longer than this is a hang: the oracle fails instead of waiting. */
const HERMES_CALL_TIMEOUT_MS = 60_000;

export interface HermesRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** The Hermes binary, or a failure that says how to get it (tests that need Hermes never skip). */
export function hermesBin(): string {
  const provision = inject("hermes");
  if (!provision.ok) throw new Error(`${provision.reason}\n${HOW_TO_GET_HERMES}`);
  return provision.bin;
}

/** The environment Hermes runs in: offline, no API key, its HOME beside the Hermes home. */
export function hermesEnv(hermesHome: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    PATH: process.env["PATH"] ?? "",
    HOME: path.join(path.dirname(hermesHome), "hermes-user-home"),
    HERMES_HOME: hermesHome,
    HERMES_BUNDLED_SKILLS: path.join(REPO_ROOT, "library/skills"),
    HERMES_OPTIONAL_SKILLS: path.join(REPO_ROOT, "library/optional-skills"),
    COLUMNS: "200",
    NO_COLOR: "1",
    TERM: "dumb",
    PYTHONIOENCODING: "utf-8",
    ...extra,
  };
}

function run(file: string, args: readonly string[], env: Record<string, string>): Promise<HermesRun> {
  return new Promise((resolve) => {
    execFile(
      file,
      [...args],
      { env, timeout: HERMES_CALL_TIMEOUT_MS, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
        recordArtifact(`hermes ${args.join(" ")}`, `${stdout}\n${stderr}`);
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** `hermes <args>` against this Hermes home. */
export function hermes(
  hermesHome: string,
  args: readonly string[],
  extraEnv: Record<string, string> = {},
): Promise<HermesRun> {
  return run(hermesBin(), args, hermesEnv(hermesHome, extraEnv));
}

/** `hermes <args>` that must succeed; its output otherwise becomes the failure. */
export async function hermesOk(
  hermesHome: string,
  args: readonly string[],
  extraEnv: Record<string, string> = {},
): Promise<string> {
  const result = await hermes(hermesHome, args, extraEnv);
  if (result.code !== 0)
    throw new Error(`hermes ${args.join(" ")} exited ${result.code}:\n${result.stdout}\n${result.stderr}`);
  return result.stdout;
}

/** Python in Hermes' own environment, with HERMES_HOME set to one profile folder. */
export async function hermesPython(
  hermesHome: string,
  profileDir: string,
  code: string,
  extraEnv: Record<string, string> = {},
): Promise<unknown> {
  const python = path.join(path.dirname(hermesBin()), "python");
  const env = hermesEnv(hermesHome, { HERMES_HOME: profileDir, ...extraEnv });
  const result = await run(python, ["-c", code], env);
  const last = result.stdout.trim().split("\n").at(-1) ?? "";
  if (result.code !== 0 || !last.startsWith("{"))
    throw new Error(`Hermes' python failed (${result.code}):\n${result.stdout}\n${result.stderr}`);
  return JSON.parse(last) as unknown;
}

export interface ShownProfile {
  readonly model: string;
  readonly provider: string;
  readonly skills: number;
  readonly env: string;
  readonly soul: string;
}

/** `hermes profile show NAME`: "Model:   <model> (<provider>)", "Skills:  N", ".env:    exists". */
export async function profileShow(hermesHome: string, name: string): Promise<ShownProfile> {
  const out = await hermesOk(hermesHome, ["profile", "show", name]);
  const field = (label: string) => new RegExp(`^${label}:\\s+(.*)$`, "m").exec(out)?.[1]?.trim() ?? "";
  const model = /^(.*?)(?:\s+\(([^)]*)\))?$/.exec(field("Model"));
  return {
    model: model?.[1] ?? "",
    provider: model?.[2] ?? "",
    skills: Number(field("Skills")),
    env: field("\\.env"),
    soul: field("SOUL\\.md"),
  };
}

/** `hermes profile list`: the profile names in its table. */
export async function profileList(hermesHome: string): Promise<string[]> {
  const out = await hermesOk(hermesHome, ["profile", "list"]);
  return (
    out
      .split("\n")
      // " ◆default   …" marks the active profile; a name wider than its column is followed by one space.
      .map((line) => /^ [ ◆]([a-z0-9][a-z0-9_-]*) /.exec(line)?.[1])
      .filter((name): name is string => name !== undefined)
  );
}

export interface ListedServer {
  readonly name: string;
  readonly transport: string;
  readonly enabled: boolean;
}

/** `hermes -p NAME mcp list`: one row per server, "✓ enabled" / "✗ disabled". */
export async function mcpList(hermesHome: string, name: string): Promise<ListedServer[]> {
  const out = await hermesOk(hermesHome, ["-p", name, "mcp", "list"]);
  return out.split("\n").flatMap((line) => {
    const row = /^\s{2}(\S+)\s{2,}(\S.*?)\s{2,}\S+\s{2,}([✓✗])\s+(enabled|disabled)\s*$/.exec(line);
    return row?.[1] ? [{ name: row[1], transport: row[2] ?? "", enabled: row[4] === "enabled" }] : [];
  });
}

export interface ListedSkill {
  readonly name: string;
  readonly category: string;
  readonly source: string;
  readonly trust: string;
  readonly enabled: boolean;
}

/** `hermes -p NAME skills list`: the Rich table's rows. */
export async function skillsList(hermesHome: string, name: string): Promise<ListedSkill[]> {
  const out = await hermesOk(hermesHome, ["-p", name, "skills", "list"]);
  return out.split("\n").flatMap((line) => {
    const cells = line.split("│").map((cell) => cell.trim());
    if (cells.length !== 7 || cells[1] === "Name") return [];
    return [
      {
        name: cells[1] ?? "",
        category: cells[2] ?? "",
        source: cells[3] ?? "",
        trust: cells[4] ?? "",
        enabled: cells[5] === "enabled",
      },
    ];
  });
}

export interface ConfigCheck {
  /** "33 ✓" when current; "0 → 33 (update available)" when Hermes would migrate the file. */
  readonly version: string;
  readonly current: boolean;
  /** Required variables Hermes reports missing (✗). */
  readonly missing: string[];
}

/** `hermes -p NAME config check`: the version line and the required section. */
export async function configCheck(hermesHome: string, name: string): Promise<ConfigCheck> {
  const out = await hermesOk(hermesHome, ["-p", name, "config", "check"]);
  const version = /Config version:\s*(.*)$/m.exec(out)?.[1]?.trim() ?? "";
  const missing = [...out.matchAll(/✗\s+(\S+)\s+\(missing\)/g)].map((match) => match[1] ?? "");
  return { version, current: version.endsWith("✓"), missing };
}

export interface ResolvedPersonality {
  /** display.personality as Hermes validates it (lower-cased; "" for none). */
  readonly active: string;
  /** That preset rendered by Hermes (`_validate_personality`). */
  readonly rendered: string;
  /** The prompt a new Hermes session starts with (cli.py: env override, else agent.system_prompt). */
  readonly startupPrompt: string;
  readonly presets: string[];
}

const PERSONALITY_PROBE = `
import contextlib, io, json, os
with contextlib.redirect_stdout(io.StringIO()):
    from cli import load_cli_config
    from tui_gateway.server import _validate_personality
    cfg = load_cli_config()
    agent = cfg.get("agent") or {}
    name, rendered = _validate_personality(str((cfg.get("display") or {}).get("personality") or ""))
    startup = os.getenv("HERMES_EPHEMERAL_SYSTEM_PROMPT", "") or agent.get("system_prompt", "") or ""
print(json.dumps({"active": name, "rendered": rendered, "startupPrompt": startup,
                  "presets": sorted((agent.get("personalities") or {}).keys())}))
`;

/** Hermes' own personality resolution for one profile folder. */
export async function personality(hermesHome: string, profileDir: string): Promise<ResolvedPersonality> {
  return (await hermesPython(hermesHome, profileDir, PERSONALITY_PROBE)) as ResolvedPersonality;
}

/** Hermes' own identity slot for a profile: agent/prompt_builder.py load_soul_md (what a session starts with). */
export async function loadSoulMd(hermesHome: string, profileDir: string): Promise<string | null> {
  return ((await hermesPython(hermesHome, profileDir, LOAD_SOUL)) as { soul: string | null }).soul;
}

const LOAD_SOUL = `
import contextlib, io, json
with contextlib.redirect_stdout(io.StringIO()):
    from agent.prompt_builder import load_soul_md
    soul = load_soul_md()
print(json.dumps({"soul": soul}))
`;

/** Hermes' reading of a profile's model section, and its minimum. */
const CONTEXT_PROBE = `
import contextlib, io, json
with contextlib.redirect_stdout(io.StringIO()):
    from hermes_cli.config import load_config
    from agent.model_metadata import MINIMUM_CONTEXT_LENGTH, get_model_context_length
    model = load_config().get("model") or {}
    raw = model.get("context_length")
    configured = int(raw) if raw is not None else None
    resolved = get_model_context_length(model.get("default", ""), base_url=model.get("base_url", ""),
        config_context_length=configured, provider=model.get("provider", "")) if configured else None
print(json.dumps({"configured": configured, "resolved": resolved, "minimum": MINIMUM_CONTEXT_LENGTH}))
`;

export interface HermesContext {
  configured: number | null;
  resolved: number | null;
  minimum: number;
}

/** Hermes' own reading of a profile's context window (model.context_length, as agent_init reads it). */
export async function hermesContext(home: string, profile: string): Promise<HermesContext> {
  return (await hermesPython(home, path.join(home, "profiles", profile), CONTEXT_PROBE)) as HermesContext;
}
