import { mkdir, symlink, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import {
  PROFILE_NAMES_TTL_MS,
  ProfileNames,
  REMOTE_PROFILE_NAMES_TTL_MS,
} from "../../src/app/profile/profile-names.ts";
import { existingAmong, listProfiles } from "../../src/app/profile/profiles-root.ts";
import { localBackend } from "../helpers/backend.ts";
import { useTempDirs } from "../helpers/temp-dir.ts";

const tempDir = useTempDirs();

describe("GIVEN the cached list of profile names", () => {
  it("WHEN a profile appears THEN it is seen after the TTL, or at once after invalidate", async () => {
    const root = await tempDir();
    let now = 0;
    const names = new ProfileNames(await localBackend({ hermesHome: root, profilesRoot: root }), () => now);
    expect(await names.get()).toEqual([]);
    await mkdir(path.join(root, "alpha"));
    expect(await names.get()).toEqual([]);
    now += PROFILE_NAMES_TTL_MS;
    expect(await names.get()).toEqual(["alpha"]);
    await mkdir(path.join(root, "beta"));
    names.invalidate();
    expect(await names.get()).toEqual(["alpha", "beta"]);
  });

  it("WHEN many ask at once THEN the profiles are listed once", async () => {
    let listings = 0;
    const names = new ProfileNames({
      names: () => {
        listings += 1;
        return Promise.resolve({ ok: true, value: ["alpha"] });
      },
    });
    const results = await Promise.all(Array.from({ length: 50 }, () => names.get()));
    expect(new Set(results).size).toBe(1);
    expect(listings).toBe(1);
  });

  it("WHEN the profiles are on a Hermes host THEN they are listed at most once per the longer TTL, and a failed listing keeps the last names", async () => {
    let now = 0;
    let answer: { ok: true; value: string[] } | { ok: false; reason: string } = { ok: true, value: ["a"] };
    const names = new ProfileNames(
      { host: "hermes-box:9119", names: () => Promise.resolve(answer) },
      () => now,
    );
    expect(await names.get()).toEqual(["a"]);
    answer = { ok: true, value: ["a", "b"] };
    now += PROFILE_NAMES_TTL_MS;
    expect(await names.get()).toEqual(["a"]);
    now += REMOTE_PROFILE_NAMES_TTL_MS;
    expect(await names.get()).toEqual(["a", "b"]);
    let asked = 0;
    answer = { ok: false, reason: "down" };
    const failing = new ProfileNames(
      {
        host: "hermes-box:9119",
        names: () => {
          asked += 1;
          return Promise.resolve(answer);
        },
      },
      () => now,
    );
    expect(await failing.get()).toEqual([]);
    expect(await failing.get()).toEqual([]);
    expect(asked).toBe(1);
    names.invalidate();
    expect(await names.get()).toEqual(["a", "b"]);
  });
});

describe("GIVEN the cached list of profile names and a backend that throws or never answers", () => {
  it("WHEN the listing throws THEN the names known so far come back, and the next listing is tried afresh (no rejected promise is kept)", async () => {
    let now = 0;
    let fail = false;
    let asked = 0;
    const names = new ProfileNames(
      {
        host: "hermes-box:9119",
        names: () => {
          asked += 1;
          return fail
            ? Promise.reject(new Error("socket hang up"))
            : Promise.resolve({ ok: true, value: ["a"] });
        },
      },
      () => now,
    );
    expect(await names.get()).toEqual(["a"]);
    fail = true;
    now += REMOTE_PROFILE_NAMES_TTL_MS;
    expect(await names.get()).toEqual(["a"]);
    fail = false;
    now += REMOTE_PROFILE_NAMES_TTL_MS;
    expect(await names.get()).toEqual(["a"]);
    expect(asked).toBe(3);
  });

  it("WHEN the listing never ends THEN a bounded wait gives up after its time with the names known, and later callers do not wait again", async () => {
    const names = new ProfileNames({ host: "hermes-box:9119", names: () => new Promise(() => undefined) });
    expect(await names.within(50)).toEqual({ names: [], late: true });
    // The second caller does not wait its minute for a listing already overdue: it answers at once.
    const startedAt = Date.now();
    expect(await names.within(60_000)).toEqual({ names: [] });
    expect(Date.now() - startedAt).toBeLessThan(1000);
  });
});

describe("GIVEN a profiles root with profiles, a file and a staging folder", () => {
  it("WHEN existingAmong asks about some names THEN it answers as listProfiles would, without listing", async () => {
    const root = await tempDir();
    await mkdir(path.join(root, "alpha"));
    await mkdir(path.join(root, ".beta.staging-12"));
    await writeFile(path.join(root, "gamma"), "not a profile");
    await symlink(path.join(root, "alpha"), path.join(root, "delta"));
    const asked = ["alpha", "beta", "gamma", "delta", "../alpha", undefined, null, "ALPHA"];
    const listed = await listProfiles(root);
    expect(await existingAmong(root, asked)).toEqual(asked.filter((name) => name && listed.includes(name)));
    expect(await existingAmong(root, asked)).toEqual(["alpha", "delta"]);
  });
});
