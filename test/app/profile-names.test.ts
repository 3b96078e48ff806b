import { mkdir } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { PROFILE_NAMES_TTL_MS, ProfileNames } from "../../src/app/profile/profile-names.ts";
import { useTempDirs } from "../helpers/temp-dir.ts";

const tempDir = useTempDirs();

describe("GIVEN the cached list of profile names", () => {
  it("WHEN a profile appears THEN it is seen after the TTL, or at once after invalidate", async () => {
    const root = await tempDir();
    let now = 0;
    const names = new ProfileNames(root, () => now);
    expect(await names.get()).toEqual([]);
    await mkdir(path.join(root, "alpha"));
    expect(await names.get()).toEqual([]);
    now += PROFILE_NAMES_TTL_MS;
    expect(await names.get()).toEqual(["alpha"]);
    await mkdir(path.join(root, "beta"));
    names.invalidate();
    expect(await names.get()).toEqual(["alpha", "beta"]);
  });

  it("WHEN many ask at once THEN the folder is listed once", async () => {
    const root = await tempDir();
    const names = new ProfileNames(root);
    const results = await Promise.all(Array.from({ length: 50 }, () => names.get()));
    expect(new Set(results).size).toBe(1);
  });
});
