import { readdir, readFile, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { CREATE_LEDGER_MAX, JOURNAL_COMPACT_MIN_BYTES, BotStore } from "../../src/app/store/bot-store.ts";
import { journalFileOf } from "../../src/app/store/journal.ts";
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
    const store = await BotStore.open(file, memoryLogger().logger);
    await store.put(session("aaaa1111"));
    await store.put({ ...session("bbbb2222"), step: "model.provider", rev: 7 });
    await store.flush();
    const reopened = await BotStore.open(file, memoryLogger().logger);
    expect(await reopened.get("bbbb2222")).toMatchObject({ step: "model.provider", rev: 7 });
    expect(await reopened.all()).toHaveLength(2);
    expect(JSON.parse(await readFile(file, "utf8"))).toMatchObject({ version: 3 });
  });

  it("WHEN 1,000 transitions happen in a burst THEN they reach disk in a handful of writes", async () => {
    const file = path.join(await tempDir(), "store.json");
    const store = await BotStore.open(file, memoryLogger().logger, { flushDelayMs: 20 });
    for (let rev = 1; rev <= 1000; rev++) await store.put({ ...session("aaaa1111"), rev });
    await store.flush();
    expect(store.writes).toBeLessThanOrEqual(2);
    // One journal line per write, each holding the session once (its latest state).
    const journal = (await readFile(journalFileOf(file), "utf8")).split("\n").filter(Boolean);
    expect(journal.length).toBe(store.writes);
    expect(JSON.parse(journal.at(-1) ?? "[]")).toEqual([
      ["sessions", "aaaa1111", { ...session("aaaa1111"), rev: 1000 }],
    ]);
    expect((await (await BotStore.open(file, memoryLogger().logger)).get("aaaa1111"))?.rev).toBe(1000);
  });

  it("WHEN the store holds 10 or 2,000 sessions THEN one transition appends the same bytes (cost follows the change, not the store)", async () => {
    const appended: number[] = [];
    for (const count of [10, 2000]) {
      const file = path.join(await tempDir(), "store.json");
      const store = await BotStore.open(file, memoryLogger().logger, { flushDelayMs: 1 });
      for (let index = 0; index < count; index++)
        await store.put(session(`s${String(index).padStart(7, "0")}`));
      await store.flush();
      const before = (await stat(journalFileOf(file))).size;
      const compactions = store.compactions;
      await store.put({ ...session("s0000005"), rev: 2 });
      await store.flush();
      expect(store.compactions).toBe(compactions);
      appended.push((await stat(journalFileOf(file))).size - before);
    }
    expect(appended[0]).toBeGreaterThan(0);
    expect(appended[1]).toBe(appended[0]);
  });

  it("WHEN the journal outgrows the snapshot THEN it is folded into a new snapshot, and reopening gives the same store", async () => {
    const file = path.join(await tempDir(), "store.json");
    const store = await BotStore.open(file, memoryLogger().logger, { flushDelayMs: 1 });
    const big = (rev: number): WizardState => ({
      ...session("big00001"),
      rev,
      draft: { ...session("big00001").draft, description: "d".repeat(4000) },
    });
    // Each write appends ~4 KB, so the 1 MiB threshold is crossed after ~260 writes.
    let rev = 0;
    while (store.compactions < 2) {
      await store.put(big(++rev));
      await store.flush();
    }
    expect((await stat(journalFileOf(file))).size).toBeLessThan(JOURNAL_COMPACT_MIN_BYTES);
    const snapshot = JSON.parse(await readFile(file, "utf8")) as { sessions: Record<string, WizardState> };
    expect(snapshot.sessions["big00001"]?.rev).toBeGreaterThan(200);
    await store.put(big(++rev));
    await store.flush();
    expect((await (await BotStore.open(file, memoryLogger().logger)).get("big00001"))?.rev).toBe(rev);
  });

  it("WHEN more finished creates are recorded than the ledger holds THEN the oldest of ended wizards go first; an open wizard's record stays", async () => {
    const store = await BotStore.open(path.join(await tempDir(), "store.json"), memoryLogger().logger);
    await store.put(session("open0000"));
    await store.putCreate("open0000", { name: "kept", state: "done", at: 0 });
    const total = Math.ceil(CREATE_LEDGER_MAX * 1.1) + 1;
    for (let index = 1; index <= total; index++)
      await store.putCreate(`c${index}`, { name: `p${index}`, state: "done", at: index });
    expect((await store.getCreate("open0000"))?.name).toBe("kept");
    expect(await store.getCreate("c1")).toBeUndefined();
    expect((await store.getCreate(`c${total}`))?.name).toBe(`p${total}`);
    const kept = (
      await Promise.all(Array.from({ length: total }, (_, index) => store.getCreate(`c${index + 1}`)))
    ).filter(Boolean);
    expect(kept.length).toBeLessThanOrEqual(CREATE_LEDGER_MAX);
    expect(kept.length).toBeGreaterThan(CREATE_LEDGER_MAX * 0.9);
  });

  it("WHEN the file is garbage THEN the store starts empty, keeps a copy, and tells the operator", async () => {
    const dir = await tempDir();
    const file = path.join(dir, "store.json");
    await writeFile(file, '{"version": 1, "sessions": {"x": tru');
    const { logger, lines } = memoryLogger();
    const store = await BotStore.open(file, logger, { now: 42 });
    expect(await store.all()).toEqual([]);
    expect(await readdir(dir)).toContain("store.json.bad-42");
    expect(lines.join("\n")).toContain("kept a copy");
  });

  it("WHEN a version 1 file is opened THEN it is migrated with an empty install list", async () => {
    const file = path.join(await tempDir(), "store.json");
    await writeFile(
      file,
      JSON.stringify({ version: 1, sessions: { good0001: session("good0001") }, creates: {} }),
    );
    const store = await BotStore.open(file, memoryLogger().logger);
    expect((await store.get("good0001"))?.id).toBe("good0001");
    expect(await store.allInstallGroups()).toEqual([]);
    await store.put(session("next0001"));
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
    const store = await BotStore.open(file, memoryLogger().logger);
    expect((await store.all()).map((state) => state.id)).toEqual(["good0001"]);
  });

  it("WHEN the file comes from a newer schema THEN opening refuses with what to do", async () => {
    const file = path.join(await tempDir(), "store.json");
    await writeFile(file, JSON.stringify({ version: 99, sessions: {}, creates: {} }));
    await expect(BotStore.open(file, memoryLogger().logger)).rejects.toThrow(
      /newer agent-blueprint .* upgrade the bot/,
    );
  });

  it("WHEN sessions are older than the TTL THEN the sweep removes only those", async () => {
    const file = path.join(await tempDir(), "store.json");
    const store = await BotStore.open(file, memoryLogger().logger);
    await store.put(session("old00001", 1_000));
    await store.put(session("new00001", 90_000));
    expect(await store.sweepExpired(100_000, 50_000)).toEqual(["old00001"]);
    expect((await store.all()).map((state) => state.id)).toEqual(["new00001"]);
  });

  it("WHEN a person has two wizards in a chat THEN findOpen returns the newest", async () => {
    const store = await BotStore.open(path.join(await tempDir(), "store.json"), memoryLogger().logger);
    await store.put(session("first001", 1_000));
    await store.put(session("second01", 2_000));
    expect((await store.findOpen("console", "c", "u1"))?.id).toBe("second01");
    expect(await store.findOpen("console", "other", "u1")).toBeUndefined();
    await store.delete("second01");
    expect((await store.findOpen("console", "c", "u1"))?.id).toBe("first001");
    expect(await store.sweepExpired(10_000, 5_000)).toEqual(["first001"]);
    expect(await store.findOpen("console", "c", "u1")).toBeUndefined();
  });
});
