// The profile-name rule as the installed Hermes enforces it: for every candidate, the bot accepts a
// name exactly when `hermes profile create` does, and under the same (normalised) folder name.
import { readdir } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { checkProfileName } from "../../src/core/profile-name.ts";
import { hermes } from "../helpers/hermes.ts";
import { useTempDirs } from "../helpers/temp-dir.ts";

const tempDir = useTempDirs();

const CANDIDATES = [
  "research-bot",
  "Mixed-Case", // normalised to mixed-case by both
  "  padded  ",
  "a",
  "9lives",
  "x__y-z",
  "a".repeat(64),
  "a".repeat(65),
  "_under",
  ".hidden",
  "has space",
  "dot.name",
  "ümlaut",
  "emoji😀",
  "../etc",
  "a/b",
  "default",
  "Default",
  "hermes",
  "test",
  "tmp",
  "root",
  "sudo",
  "chat", // a Hermes subcommand: a valid name that cannot get a shell alias
  "profile",
];

describe("GIVEN the real Hermes 0.19", () => {
  it("WHEN each candidate name is tried on both THEN the bot accepts exactly what Hermes accepts, under the same folder name", async () => {
    const home = path.join(await tempDir(), "hermes");
    const verdicts: { name: string; ours: string | false; hermes: string | false }[] = [];
    for (const name of CANDIDATES) {
      const before = new Set(await readdir(path.join(home, "profiles")).catch(() => []));
      const result = await hermes(home, ["profile", "create", name, "--no-alias"]);
      const after = (await readdir(path.join(home, "profiles")).catch(() => [])).filter(
        (entry) => !before.has(entry),
      );
      const ours = checkProfileName(name);
      verdicts.push({
        name,
        ours: ours.ok ? ours.value.name : false,
        hermes: result.code === 0 ? (after[0] ?? "(created nothing)") : false,
      });
    }
    expect(verdicts.filter((entry) => entry.ours !== entry.hermes)).toEqual([]);
    // The rule has teeth on both sides: some names pass, some do not.
    expect(verdicts.filter((entry) => entry.hermes !== false).length).toBeGreaterThan(5);
    expect(verdicts.filter((entry) => entry.hermes === false).length).toBeGreaterThan(10);
  }, 120_000);
});
