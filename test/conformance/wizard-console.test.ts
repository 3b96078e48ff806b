// The real Hermes judges what the console wizard (piped, as `npm start` runs it) and a blueprint
// file (`create --from`) make, each with a persona picked, a hub install and secrets.
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.ts";
import { useTempDirs } from "../helpers/temp-dir.ts";
import {
  expectHermesAgrees,
  hermesOfficialRow,
  wizardConsoleScript,
  wizardTarget,
  wizardTargetBlueprint,
} from "./judge.ts";

const tempDir = useTempDirs();
const OPENROUTER_KEY = "sk-or-conformance-console-1";
const GITHUB_KEY = "ghp-conformance-console-2";

let official: { source: string; trust: string };
beforeAll(async () => {
  official = await hermesOfficialRow(path.join(await tempDir(), "hermes"));
}, 120_000);

describe("GIVEN the real Hermes 0.19 as the judge", () => {
  it("WHEN the console wizard picks a persona and creates THEN Hermes reads the profile the way the user chose it", async () => {
    const data = await tempDir();
    const result = await runCli(["start"], {
      input: [...wizardConsoleScript("conform-console", OPENROUTER_KEY, GITHUB_KEY), ""].join("\n"),
      env: { DATA_DIR: data, HERMES_HOME: path.join(data, "hermes") },
    });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("✓ persona: engineering-security-engineer v1.0.0");
    expect(result.stdout).toContain("✓ official/security/password-audit: installed");
    await expectHermesAgrees(path.join(data, "hermes"), wizardTarget("conform-console"), official);
  }, 120_000);

  it("WHEN the same profile comes from a blueprint file THEN Hermes reads it the same way", async () => {
    const data = await tempDir();
    const file = path.join(data, "blueprint.yaml");
    await writeFile(file, wizardTargetBlueprint("conform-file"));
    const result = await runCli(["create", "--from", file], {
      env: {
        DATA_DIR: data,
        HERMES_HOME: path.join(data, "hermes"),
        OPENROUTER_API_KEY: OPENROUTER_KEY,
        GITHUB_TOKEN: GITHUB_KEY,
      },
    });
    expect(result.stderr).not.toContain("problem");
    expect(result.code).toBe(0);
    await expectHermesAgrees(path.join(data, "hermes"), wizardTarget("conform-file"), official);
  }, 120_000);
});
