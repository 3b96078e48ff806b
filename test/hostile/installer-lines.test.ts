// Problem 11 of the hostile-answers issue: an installer's lines reach chats and reports. C1 controls
// (U+009B, the 8-bit CSI; U+0085) and bidi overrides (U+202E) must be gone as the project's own
// disallowed-character table says, through the real start-up path.
import { describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.ts";
import { writeHostileHermes } from "../helpers/hostile-hermes-bin.ts";
import { useTempDirs } from "../helpers/temp-dir.ts";
import { consoleWizard, piped } from "../helpers/console-wizard.ts";

const tempDir = useTempDirs();

/** C1 (8-bit CSI + "2J" clears a screen; NEL breaks a line) and a right-to-left override. */
const HOSTILE_LINE = String.raw`printf 'Error: \302\2332J screen \342\200\256reversed\302\205 forged line\n'`;
const C1_AND_BIDI = /[\u0080-\u009f\u202a-\u202e\u2066-\u2069]/;

describe("GIVEN an installer that prints C1 controls and bidi overrides", () => {
  it("WHEN a console Create runs it THEN the status lines carry none of them", async () => {
    const data = await tempDir();
    const hermes = await writeHostileHermes(await tempDir(), { install: [HOSTILE_LINE] });
    const input = piped(consoleWizard({ name: "bidi", hub: "acme/agent-skills/bidi-line" }));
    const result = await runCli(["start"], {
      input,
      env: { DATA_DIR: data, HERMES_BIN: hermes.bin, PROGRESS_MIN_INTERVAL_MS: "200" },
    });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("✗ acme/agent-skills/bidi-line: failed — 2J screen reversed forged line");
    expect(result.stdout).not.toMatch(C1_AND_BIDI);
  }, 60_000);
});
