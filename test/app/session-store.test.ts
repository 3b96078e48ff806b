import { readdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { SessionStore } from "../../src/app/session-store.ts";
import { newWizardState, type WizardState } from "../../src/core/wizard/state.ts";
import { memoryLogger } from "../helpers/silent-logger.ts";
import { useTempDirs } from "../helpers/temp-dir.ts";

const tempDir = useTempDirs();

function session(id: string, at = 1000): WizardState {
  return newWizardState({ id, owner: { id: "u1", name: "U" }, surface: "console", chat: "c", at });
}

describe("GIVEN the session store", () => {
  it("WHEN sessions are put and the store reopened THEN they are all there", async () => {
    const file = path.join(await tempDir(), "store.json");
    const store = await SessionStore.open(file, memoryLogger().logger);
    store.put(session("aaaa1111"));
    store.put({ ...session("bbbb2222"), step: "model.provider", rev: 7 });
    await store.flush();
    const reopened = await SessionStore.open(file, memoryLogger().logger);
    expect(reopened.get("bbbb2222")).toMatchObject({ step: "model.provider", rev: 7 });
    expect(reopened.all()).toHaveLength(2);
    expect(JSON.parse(await readFile(file, "utf8"))).toMatchObject({ version: 3 });
  });

  it("WHEN 1,000 transitions happen in a burst THEN they reach disk in a handful of writes", async () => {
    const file = path.join(await tempDir(), "store.json");
    const store = await SessionStore.open(file, memoryLogger().logger, { flushDelayMs: 20 });
    for (let rev = 1; rev <= 1000; rev++) store.put({ ...session("aaaa1111"), rev });
    await store.flush();
    expect(store.writes).toBeLessThanOrEqual(2);
    const saved = JSON.parse(await readFile(file, "utf8")) as { sessions: Record<string, WizardState> };
    expect(saved.sessions["aaaa1111"]?.rev).toBe(1000);
  });

  it("WHEN the file is garbage THEN the store starts empty, keeps a copy, and tells the operator", async () => {
    const dir = await tempDir();
    const file = path.join(dir, "store.json");
    await writeFile(file, '{"version": 1, "sessions": {"x": tru');
    const { logger, lines } = memoryLogger();
    const store = await SessionStore.open(file, logger, { now: 42 });
    expect(store.all()).toEqual([]);
    expect(await readdir(dir)).toContain("store.json.bad-42");
    expect(lines.join("\n")).toContain("kept a copy");
  });

  it("WHEN a version 1 file is opened THEN it is migrated with an empty install list", async () => {
    const file = path.join(await tempDir(), "store.json");
    await writeFile(
      file,
      JSON.stringify({ version: 1, sessions: { good0001: session("good0001") }, creates: {} }),
    );
    const store = await SessionStore.open(file, memoryLogger().logger);
    expect(store.get("good0001")?.id).toBe("good0001");
    expect(store.allInstallGroups()).toEqual([]);
    store.put(session("next0001"));
    await store.flush();
    expect(JSON.parse(await readFile(file, "utf8"))).toMatchObject({
      version: 3,
      installs: {},
      personas: {},
      bindings: {},
    });
  });

  it("WHEN one record is malformed THEN only that one is dropped", async () => {
    const file = path.join(await tempDir(), "store.json");
    await writeFile(
      file,
      JSON.stringify({
        version: 1,
        sessions: { good0001: session("good0001"), bad00001: { id: "bad00001", step: "nowhere" } },
        creates: {},
      }),
    );
    const store = await SessionStore.open(file, memoryLogger().logger);
    expect(store.all().map((state) => state.id)).toEqual(["good0001"]);
  });

  it("WHEN the file comes from a newer schema THEN opening refuses with what to do", async () => {
    const file = path.join(await tempDir(), "store.json");
    await writeFile(file, JSON.stringify({ version: 99, sessions: {}, creates: {} }));
    await expect(SessionStore.open(file, memoryLogger().logger)).rejects.toThrow(
      /newer agent-blueprint .* upgrade the bot/,
    );
  });

  it("WHEN sessions are older than the TTL THEN the sweep removes only those", async () => {
    const file = path.join(await tempDir(), "store.json");
    const store = await SessionStore.open(file, memoryLogger().logger);
    store.put(session("old00001", 1_000));
    store.put(session("new00001", 90_000));
    expect(store.sweepExpired(100_000, 50_000)).toEqual(["old00001"]);
    expect(store.all().map((state) => state.id)).toEqual(["new00001"]);
  });

  it("WHEN a person has two wizards in a chat THEN findOpen returns the newest", async () => {
    const store = await SessionStore.open(path.join(await tempDir(), "store.json"), memoryLogger().logger);
    store.put(session("first001", 1_000));
    store.put(session("second01", 2_000));
    expect(store.findOpen("console", "c", "u1")?.id).toBe("second01");
    expect(store.findOpen("console", "other", "u1")).toBeUndefined();
  });
});
