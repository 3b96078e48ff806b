// After the installs end with a skill installed, the skill keys the profile lacks are read once per
// installed count and put on the group for its status message: required skill keys only.
import { describe, expect, it } from "vitest";
import { queuedJob, type InstallGroup } from "../../../src/core/install/install-job.ts";
import { missingSkillKeys, SkillKeysNote } from "../../../src/app/install/skill-keys-note.ts";
import type { ProfileKeys } from "../../../src/app/ports/profile-backend.ts";

const KEYS: ProfileKeys = {
  needed: [
    { key: "OPENROUTER_API_KEY", set: false, why: [{ kind: "provider", name: "openrouter" }] },
    { key: "WEATHER_TOKEN", set: false, why: [{ kind: "skill", name: "weather", optional: false }] },
    { key: "WEATHER_UNITS", set: false, why: [{ kind: "skill", name: "weather", optional: true }] },
    { key: "SEARCH_KEY", set: true, why: [{ kind: "skill", name: "search", optional: false }] },
  ],
  other: [],
};

function group(status: "done" | "failed" | "running"): InstallGroup {
  return {
    id: "grp00001",
    owner: { id: "u", name: "U" },
    surface: "console",
    chat: "c",
    profile: "p1",
    jobs: [
      { ...queuedJob("a/b/one"), status, phase: status === "done" ? "installed" : "failed", detail: "" },
    ],
    createdAt: 0,
    updatedAt: 0,
  };
}

describe("GIVEN a create's hub installs", () => {
  it("THEN only required skill keys that are not set count as missing", () => {
    expect(missingSkillKeys(KEYS)).toEqual(["WEATHER_TOKEN"]);
  });

  it("WHEN they end with one installed THEN the keys are read once and put on the group; running or none installed, not read", async () => {
    const stored = new Map<string, InstallGroup>();
    const noted: InstallGroup[] = [];
    let reads = 0;
    const note = new SkillKeysNote({
      keys: () => {
        reads += 1;
        return Promise.resolve({ ok: true, value: KEYS });
      },
      store: {
        getInstallGroup: (id) => Promise.resolve(stored.get(id)),
        putInstallGroup: (g) => Promise.resolve(void stored.set(g.id, g)),
      },
      onNoted: (g) => noted.push(g),
    });
    for (const status of ["running", "failed"] as const) {
      stored.set("grp00001", group(status));
      await note.check(group(status));
    }
    expect(reads).toBe(0);
    stored.set("grp00001", group("done"));
    await note.check(group("done"));
    await note.check(group("done"));
    expect(reads).toBe(1);
    expect(noted.map((g) => g.skillKeysMissing)).toEqual([["WEATHER_TOKEN"]]);
    expect(stored.get("grp00001")?.skillKeysMissing).toEqual(["WEATHER_TOKEN"]);
  });

  it("WHEN the keys cannot be read (the backend fails or the bot is stopping) THEN nothing is noted and nothing throws", async () => {
    const noted: InstallGroup[] = [];
    const note = new SkillKeysNote({
      keys: () => Promise.reject(new Error("store closed")),
      store: {
        getInstallGroup: () => Promise.resolve(group("done")),
        putInstallGroup: () => Promise.resolve(),
      },
      onNoted: (g) => noted.push(g),
    });
    await expect(note.check(group("done"))).resolves.toBeUndefined();
    expect(noted).toEqual([]);
  });
});
