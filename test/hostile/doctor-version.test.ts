// `blueprint doctor` runs the install command's `hermes --version`: a Hermes that answers with
// terminal escapes, or leaves a process behind holding its output, must neither reach the terminal
// raw nor hold the doctor. Through the real CLI.
import { describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.ts";
import { writeHostileHermes } from "../helpers/hostile-hermes-bin.ts";
import { useTempDirs } from "../helpers/temp-dir.ts";

const tempDir = useTempDirs();

async function doctorWith(other: readonly string[]) {
  const data = await tempDir();
  const hermes = await writeHostileHermes(await tempDir(), { other });
  return runCli(["doctor"], {
    env: {
      DATA_DIR: data,
      HERMES_BIN: hermes.bin,
      INSTALL_COMMAND: `${hermes.bin} skills install {identifier} --yes`,
      BLUEPRINT_ADAPTERS: "console",
    },
  });
}

describe("GIVEN a Hermes whose `--version` is hostile", () => {
  it("WHEN it answers with a window-title sequence, a clear-screen and a bidi override THEN doctor prints its version line without them", async () => {
    const result = await doctorWith([
      String.raw`printf '\033]0;pwned\007hermes \033[2J0.19.0 \342\200\256x\n'`,
    ]);
    expect(result.stdout).toContain("hermes 0.19.0 x");
    // eslint-disable-next-line no-control-regex -- the control characters are what is checked for
    expect(result.stdout).not.toMatch(/[\u001b\u0007\u202e]/);
  }, 60_000);

  it("WHEN it leaves a process that holds its output for 10 minutes THEN doctor still ends, saying the check failed", async () => {
    const result = await doctorWith(['echo "hermes 0.19.0"', "setsid sleep 600 &"]);
    expect(result.stdout).toMatch(/--version failed \(output held\)/);
  }, 60_000);
});
