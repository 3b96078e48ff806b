// The real Hermes the conformance tests use as their oracle: `HERMES_BIN` when set, else a virtual
// environment with exactly the pinned `hermes-agent` release, created once and cached outside the
// checkout (~/.cache/agent-blueprint/). Nothing here is skipped quietly: when Hermes cannot be had,
// the reason travels to every test that needs it, and those tests fail with it.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { PINNED_HERMES_VERSION } from "../../src/app/hermes/discover.ts";

/** The Hermes release the bot is tested against (the last one on PyPI when this was pinned). */
export const HERMES_PIN = PINNED_HERMES_VERSION;
/** hermes-agent 0.19.0 declares Requires-Python >=3.11,<3.14. */
const PYTHONS = ["python3.11", "python3.12", "python3.13", "python3"];
/** pip needs a couple of minutes on a cold cache (about 230 MB of wheels); a hung index stops here. */
const PIP_TIMEOUT_MS = 15 * 60 * 1000;

export type HermesProvision = { ok: true; bin: string; how: string } | { ok: false; reason: string };

export function cacheDir(env: NodeJS.ProcessEnv = process.env): string {
  const base = env["XDG_CACHE_HOME"] || path.join(os.homedir(), ".cache");
  return path.join(base, "agent-blueprint", `hermes-agent-${HERMES_PIN}`);
}

export const HOW_TO_GET_HERMES = [
  `The conformance tests need the real Hermes (hermes-agent==${HERMES_PIN}, Python 3.11-3.13).`,
  `Either let the tests create it (needs python3.11+ with venv and pip, and PyPI reachable):`,
  `  rm -rf ${cacheDir()} && npm test`,
  `or point them at an installed Hermes: HERMES_BIN=/path/to/bin/hermes npm test`,
].join("\n");

function version(bin: string): string | undefined {
  try {
    const out = execFileSync(bin, ["--version"], {
      encoding: "utf8",
      timeout: 60_000,
      env: { ...process.env, NO_COLOR: "1" },
    });
    return /Hermes Agent v(\S+)/.exec(out)?.[1];
  } catch {
    return undefined;
  }
}

function findPython(): string | undefined {
  for (const python of PYTHONS) {
    try {
      const out = execFileSync(python, ["-c", "import sys; print('%d.%d' % sys.version_info[:2])"], {
        encoding: "utf8",
      }).trim();
      const minor = Number(out.split(".")[1]);
      if (out.startsWith("3.") && minor >= 11 && minor <= 13) return python;
    } catch {
      // not installed: try the next name
    }
  }
  return undefined;
}

/** Finds or builds the pinned Hermes. Synchronous: it runs once, before any test. */
export function provisionHermes(env: NodeJS.ProcessEnv = process.env): HermesProvision {
  const given = env["HERMES_BIN"];
  if (given) {
    const found = version(given);
    return found
      ? { ok: true, bin: given, how: `HERMES_BIN (Hermes ${found})` }
      : { ok: false, reason: `HERMES_BIN=${given} does not run as 'hermes --version'.` };
  }
  const dir = cacheDir(env);
  const bin = path.join(dir, "bin", "hermes");
  // A venv's scripts name their interpreter by absolute path, so it is built in place; the marker,
  // written last, tells a finished venv from one an interrupted run left half-built.
  const complete = path.join(dir, ".complete");
  if (existsSync(complete) && version(bin) === HERMES_PIN)
    return { ok: true, bin, how: `cached venv ${dir}` };
  const python = findPython();
  if (!python) return { ok: false, reason: "no Python 3.11-3.13 found on PATH" };
  try {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(path.dirname(dir), { recursive: true });
    process.stdout.write(`Installing hermes-agent==${HERMES_PIN} into ${dir} (once; about 2 minutes)…\n`);
    execFileSync(python, ["-m", "venv", dir], { stdio: "inherit" });
    execFileSync(
      path.join(dir, "bin", "pip"),
      ["install", "--quiet", "--disable-pip-version-check", `hermes-agent==${HERMES_PIN}`],
      { stdio: "inherit", timeout: PIP_TIMEOUT_MS },
    );
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    return {
      ok: false,
      reason: `installing hermes-agent==${HERMES_PIN} failed: ${(error as Error).message}`,
    };
  }
  const found = version(bin);
  if (found !== HERMES_PIN)
    return {
      ok: false,
      reason: `the venv at ${dir} was built but 'hermes --version' says ${found ?? "nothing"}`,
    };
  writeFileSync(complete, `hermes-agent==${HERMES_PIN}\n`);
  return { ok: true, bin, how: `new venv ${dir}` };
}
