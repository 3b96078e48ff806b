// A `hermes` that lies, stalls or floods, installed the way the real one is (a script whose #!
// interpreter answers the bot's discovery probe), for the faults the real Hermes cannot be made to
// show. Every call writes the environment it was given to a file, so a test can check that no
// token of the bot reached a Hermes subprocess. Used as HERMES_BIN: the bot then installs with
// `hermes skills install <id> --yes` and searches with `hermes skills search … -- <query>`.
import { chmod, readdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { REPO_ROOT } from "./cli.ts";

/** Records a skill in the profile's lock.json as Hermes does: `node $RECORD_LOCK <name> <identifier>`. */
export const RECORD_LOCK = path.join(REPO_ROOT, "test/fixtures/installers/record-lock.mjs");

export interface HostileHermesOptions {
  /** Shell lines for `skills install`: `$ID` is the identifier, HERMES_HOME the profile. */
  readonly install?: readonly string[];
  /** Shell lines for `skills search`. */
  readonly search?: readonly string[];
  /** What the discovery probe prints (default: Hermes 0.19 with the shipped library as its trees). */
  readonly probe?: unknown;
  /** Shell lines the probe runs instead of printing `probe` (a probe that stalls, say). */
  readonly probeScript?: readonly string[];
  /** Shell lines for every other call (`--version`); default: prints Hermes' version line. */
  readonly other?: readonly string[];
}

/** Which subprocess a recorded environment belongs to. */
export type HermesCall = "probe" | "skills search" | "skills install" | "other";

export interface HostileHermes {
  readonly bin: string;
  readonly dir: string;
  /** The environment each call was started with (`env` output), and which call it was. */
  readonly environments: () => Promise<{ readonly call: HermesCall; readonly env: string }[]>;
}

/** The probe's answer of a Hermes whose folders are the shipped library's: the wizard looks as usual. */
export function libraryProbe(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    version: "0.19.0",
    bundledSkills: path.join(REPO_ROOT, "library/skills"),
    optionalSkills: path.join(REPO_ROOT, "library/optional-skills"),
    optionalMcps: path.join(REPO_ROOT, "library/mcps"),
    providers: [],
    ...extra,
  };
}

export async function writeHostileHermes(dir: string, options: HostileHermesOptions): Promise<HostileHermes> {
  const python = path.join(dir, "python3");
  const probeFile = path.join(dir, "probe.json");
  const envDir = path.join(dir, "environments");
  await writeFile(probeFile, JSON.stringify(options.probe ?? libraryProbe()));
  await writeFile(
    python,
    [
      "#!/bin/sh",
      `mkdir -p '${envDir}'`,
      // The discovery probe (`python -c <code>`): the answer this Hermes was given.
      'if [ "$1" = "-c" ]; then',
      `  env > '${envDir}/probe-'$$`,
      ...(options.probeScript ?? [`  cat '${probeFile}'`]),
      "  exit 0",
      "fi",
      'exec /bin/sh "$@"',
      "",
    ].join("\n"),
  );
  const hermes = path.join(dir, "hermes");
  await writeFile(
    hermes,
    [
      `#!${python}`,
      `env > '${envDir}/'"$1-$2-"$$`,
      `RECORD_LOCK='${RECORD_LOCK}'`,
      'if [ "$1 $2" = "skills install" ]; then',
      '  ID="$3"',
      ...(options.install ?? ["echo \"Error: Could not fetch '$ID' from any source.\""]),
      "  exit 0",
      "fi",
      'if [ "$1 $2" = "skills search" ]; then',
      ...(options.search ?? ["echo '[]'"]),
      "  exit 0",
      "fi",
      ...(options.other ?? ['echo "hermes 0.19.0"']),
      "",
    ].join("\n"),
  );
  await chmod(python, 0o755);
  await chmod(hermes, 0o755);
  return {
    bin: hermes,
    dir,
    environments: async () => {
      const names = await readdir(envDir).catch(() => [] as string[]);
      return Promise.all(
        names.map(async (name) => ({
          call: callOf(name),
          env: await readFile(path.join(envDir, name), "utf8"),
        })),
      );
    },
  };
}

function callOf(file: string): HermesCall {
  if (file.startsWith("probe-")) return "probe";
  if (file.startsWith("skills-search-")) return "skills search";
  if (file.startsWith("skills-install-")) return "skills install";
  return "other";
}
