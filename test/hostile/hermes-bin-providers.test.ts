// Problem 13 of the hostile-answers issue: Hermes' provider registry, as the discovery probe
// reports it, is outside text: labels with terminal escapes, C1 and bidi characters, a 1 MB model
// id, ids and key names no provider has. Shown on the Model step only after the checks; and a
// probe that answers more than the cap is refused at start-up with a reason, not read into memory.
import { describe, expect, it } from "vitest";
import { HERMES_PROBE_MAX_BYTES } from "../../src/app/hermes/discover.ts";
import { MODEL_ID_MAX_CHARS } from "../../src/core/limits.ts";
import { runCli } from "../helpers/cli.ts";
import { libraryProbe, writeHostileHermes } from "../helpers/hostile-hermes-bin.ts";
import { useTempDirs } from "../helpers/temp-dir.ts";

const tempDir = useTempDirs();

const HUGE_MODEL = "m".repeat(1024 * 1024);
const HOSTILE_PROVIDERS = [
  {
    id: "aaa-evil",
    // An OSC window title, a bidi override and NEL (C1) around the name.
    name: "\u001b]0;pwned\u0007Evil\u202eAI\u0085",
    env: "EVIL_API_KEY",
    models: ["evil-good-model", HUGE_MODEL, "bad\u001b[2Jmodel", "two words", 42],
  },
  { id: "BAD ID!", name: "Dropped By Id", env: "DROP_API_KEY", models: ["x1"] },
  { id: "dropped-env", name: "Dropped By Env", env: "lower-case; rm -rf", models: ["x2"] },
];

describe("GIVEN a Hermes whose provider registry is hostile", () => {
  it("WHEN the Model step lists providers and one is chosen THEN labels are plain, bad ids are dropped, and only valid model ids are offered", async () => {
    const data = await tempDir();
    const hermes = await writeHostileHermes(await tempDir(), {
      probe: libraryProbe({ providers: HOSTILE_PROVIDERS }),
    });
    const result = await runCli(["start"], {
      input: ["/profile new", "prov", "Next", "Next page", "EvilAI", ""].join("\n"),
      env: { DATA_DIR: data, HERMES_BIN: hermes.bin },
    });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("EvilAI — key: EVIL_API_KEY");
    expect(result.stdout).toContain("evil-good-model");
    expect(result.stdout).not.toContain("pwned");
    // eslint-disable-next-line no-control-regex -- finding control characters is the point
    expect(result.stdout).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e]/);
    expect(result.stdout).not.toContain("m".repeat(MODEL_ID_MAX_CHARS + 1));
    expect(result.stdout).not.toContain("Dropped By");
    expect(result.stdout).not.toContain("two words");
  }, 60_000);

  it("WHEN the probe answers more than its cap THEN the start-up refuses that Hermes with the reason", async () => {
    const data = await tempDir();
    const hermes = await writeHostileHermes(await tempDir(), {
      probe: libraryProbe({
        providers: [{ ...HOSTILE_PROVIDERS[0], models: ["x".repeat(HERMES_PROBE_MAX_BYTES)] }],
      }),
    });
    const result = await runCli(["start"], {
      input: "/profile new\n",
      env: { DATA_DIR: data, HERMES_BIN: hermes.bin },
    });
    expect(result.code).toBe(3);
    expect(result.stderr).toContain(`it answered more than ${HERMES_PROBE_MAX_BYTES / 1024 / 1024} MiB`);
  }, 60_000);
});
