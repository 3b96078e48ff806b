// A stand-in `hermes` that misbehaves on purpose (hangs, crashes, prints garbage), installed the way
// the real one is: a script whose #! interpreter answers the bot's discovery probe like Hermes'
// Python would. Used only for the faults the real Hermes cannot be made to show.
import { chmod, writeFile } from "node:fs/promises";
import path from "node:path";

/** hang, crash, garbage: every call; mixed: installs whose identifier contains "hang" hang, others install. */
export type FakeHermesMode = "hang" | "crash" | "garbage" | "mixed";

const RECORD_LOCK = path.resolve(import.meta.dirname, "../fixtures/installers/record-lock.mjs");

export async function writeFakeHermes(dir: string, mode: FakeHermesMode): Promise<string> {
  const python = path.join(dir, "python3");
  const missing = path.join(dir, "missing");
  await writeFile(
    python,
    [
      "#!/bin/sh",
      // The discovery probe (`python -c <code>`): Hermes' answer, with folders that do not exist.
      `if [ "$1" = "-c" ]; then echo '{"version":"0.19.0","bundledSkills":"${missing}","optionalSkills":"${missing}","optionalMcps":"${missing}"}'; exit 0; fi`,
      'exec /bin/sh "$@"',
      "",
    ].join("\n"),
  );
  const body: Record<FakeHermesMode, string[]> = {
    hang: ['echo "Fetching: $3"', "sleep 300 & wait"],
    crash: [
      'echo "Traceback (most recent call last):" >&2',
      'echo "RuntimeError: the fake Hermes fell over" >&2',
      "exit 1",
    ],
    garbage: ["printf '\\377\\376{{{ not json ]]]\\n'", "exit 0"],
    mixed: [
      'case "$3" in',
      '  *hang*) echo "Fetching: $3"; sleep 300 & wait ;;',
      `  *) node ${RECORD_LOCK} "\${3##*/}" "$3"; echo "Installed: \${3##*/}" ;;`,
      "esac",
    ],
  };
  const hermes = path.join(dir, "hermes");
  await writeFile(hermes, [`#!${python}`, ...body[mode], ""].join("\n"));
  await chmod(python, 0o755);
  await chmod(hermes, 0o755);
  return hermes;
}
