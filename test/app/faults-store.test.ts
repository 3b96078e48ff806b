// A store file truncated, emptied or filled with garbage: the bot opens it, keeps a copy of the bad
// file beside it, tells the operator, and carries on with every session it could recover. The same
// for its journal: a write cut short by a crash is dropped whole, a damaged one is kept aside.
import { readdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { BotStore } from "../../src/app/store/bot-store.ts";
import { journalFileOf } from "../../src/app/store/journal.ts";
import { newWizardState, type WizardState } from "../../src/core/wizard/state.ts";
import { memoryLogger } from "../helpers/silent-logger.ts";
import { useTempDirs } from "../helpers/temp-dir.ts";

const tempDir = useTempDirs();
const SESSIONS = 20;

function session(index: number): WizardState {
  const id = `sess${String(index).padStart(4, "0")}`;
  const base = newWizardState({
    id,
    owner: { id: `u${index}`, name: `User ${index}` },
    surface: "telegram",
    chat: `${index}`,
    at: 1000,
  });
  return {
    ...base,
    step: "model.provider",
    rev: index,
    draft: { ...base.draft, name: `bot-${index}`, description: 'line one\nline "two"' },
  };
}

/** A store with 20 sessions, an install group and a binding, as the bot writes its snapshot (at open). */
async function healthyStoreText(dir: string): Promise<string> {
  const file = path.join(dir, "healthy.json");
  const store = await BotStore.open(file, memoryLogger().logger);
  for (let index = 0; index < SESSIONS; index++) await store.put(session(index));
  await store.setBinding("telegram:1", { profile: "bot-1", by: "u1", at: 5 });
  await store.flush();
  // Opening folds the journal into the snapshot.
  await BotStore.open(file, memoryLogger().logger);
  return readFile(file, "utf8");
}

describe("GIVEN a damaged store file", () => {
  it.each([0.99, 0.9, 0.75, 0.5, 0.25, 0.1])(
    "WHEN it is cut at %d of its length THEN the bot opens it, keeps the bad file, says so, and keeps every whole session before the cut",
    async (fraction) => {
      const dir = await tempDir();
      const text = await healthyStoreText(dir);
      const file = path.join(dir, "store.json");
      const cut = text.slice(0, Math.floor(text.length * fraction));
      await writeFile(file, cut);
      const { logger, lines } = memoryLogger();
      const store = await BotStore.open(file, logger, { now: 7 });
      expect(await readFile(path.join(dir, "store.json.bad-7"), "utf8")).toBe(cut);
      expect(lines.join("\n")).toMatch(/kept a copy at .*store\.json\.bad-7 and recovered \d+ record/);
      const recovered = await store.all();
      // Every session whose record ended before the cut comes back exactly; none comes back changed.
      const whole = Array.from({ length: SESSIONS }, (_, index) => session(index)).filter((original) => {
        const start = cut.indexOf(`"${original.id}": {`);
        return start >= 0 && cut.indexOf("\n    }", start) >= 0;
      });
      expect(recovered.map((state) => state.id).sort()).toEqual(whole.map((state) => state.id).sort());
      for (const state of recovered) expect(state).toEqual(session(Number(state.id.slice(4))));
      if (fraction >= 0.9) expect(recovered.length).toBeGreaterThanOrEqual(SESSIONS * 0.8);
      // The bot carries on: a new session is stored and the file is whole again.
      await store.put(session(99));
      await store.flush();
      expect(JSON.parse(await readFile(file, "utf8"))).toMatchObject({ version: 3 });
    },
  );

  it.each([
    ["emptied", ""],
    ["garbage", "\u0000\u00ff\u00fe garbage ]]]} not json at all"],
    [
      "binary noise",
      Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256)).toString("latin1"),
    ],
    ["a JSON array", "[1, 2, 3]"],
  ])(
    "WHEN it is %s THEN the bot starts empty, keeps a copy and tells the operator",
    async (_label, content) => {
      const dir = await tempDir();
      const file = path.join(dir, "store.json");
      await writeFile(file, content, "latin1");
      const { logger, lines } = memoryLogger();
      const store = await BotStore.open(file, logger, { now: 9 });
      expect(await store.all()).toEqual([]);
      expect((await readdir(dir)).some((name) => name.startsWith("store.json"))).toBe(true);
      expect(lines.join("\n")).toMatch(/session store (unreadable|has no schema version)/);
      await store.put(session(1));
      await store.flush();
      expect((await BotStore.open(file, logger)).get("sess0001")).toBeDefined();
    },
  );

  it("WHEN the middle of one record is garbage THEN only that record is lost", async () => {
    const dir = await tempDir();
    const text = await healthyStoreText(dir);
    const file = path.join(dir, "store.json");
    const broken = text.replace(`"name": "bot-7"`, `"name": "bot-7\u0000\u0001 ]]] {{{`);
    await writeFile(file, broken);
    const store = await BotStore.open(file, memoryLogger().logger);
    expect(await store.all()).toHaveLength(SESSIONS - 1);
    expect(await store.get("sess0007")).toBeUndefined();
    expect((await store.binding("telegram:1"))?.profile).toBe("bot-1");
  });
});

describe("GIVEN a damaged store journal", () => {
  /** Three writes: sessions 0–9; sessions 10–19 and a binding; session 3 deleted. Returns the files' texts. */
  async function journaledStore(dir: string): Promise<{ snapshot: string; lines: string[] }> {
    const file = path.join(dir, "source.json");
    const store = await BotStore.open(file, memoryLogger().logger, { flushDelayMs: 1 });
    for (let index = 0; index < 10; index++) await store.put(session(index));
    await store.flush();
    for (let index = 10; index < SESSIONS; index++) await store.put(session(index));
    await store.setBinding("telegram:1", { profile: "bot-1", by: "u1", at: 5 });
    await store.flush();
    await store.delete("sess0003");
    await store.flush();
    const lines = (await readFile(journalFileOf(file), "utf8")).split("\n").filter(Boolean);
    expect(lines).toHaveLength(3);
    return { snapshot: await readFile(file, "utf8"), lines };
  }

  const ids = async (store: BotStore) => (await store.all()).map((state) => state.id).sort();
  const range = (from: number, to: number) =>
    Array.from({ length: to - from }, (_, offset) => session(from + offset).id);

  it("WHEN the last write was cut short at any byte THEN every earlier write comes back whole and the cut one not at all", async () => {
    const dir = await tempDir();
    const { snapshot, lines } = await journaledStore(dir);
    const second = `${lines[0]}\n${lines[1]}\n`;
    const head = `${lines[0]}\n`;
    // Every cut inside the second write, from its first byte to one short of its newline.
    const cuts = [
      1,
      2,
      10,
      100,
      Math.floor((second.length - head.length) / 2),
      second.length - head.length - 1,
    ];
    for (const cut of cuts) {
      const file = path.join(dir, `cut-${cut}.json`);
      await writeFile(file, snapshot);
      await writeFile(journalFileOf(file), second.slice(0, head.length + cut));
      const { logger, lines: logs } = memoryLogger();
      const store = await BotStore.open(file, logger);
      expect(await ids(store)).toEqual(range(0, 10));
      expect(await store.binding("telegram:1")).toBeUndefined();
      expect(logs.join("\n")).toContain("ends in a write cut short");
      for (const state of await store.all()) expect(state).toEqual(session(Number(state.id.slice(4))));
    }
  });

  it("WHEN a write in the middle is garbage THEN only that write is lost, the journal is kept aside, and the operator is told", async () => {
    const dir = await tempDir();
    const { snapshot, lines } = await journaledStore(dir);
    const file = path.join(dir, "store.json");
    const damaged = `${lines[0]}\n${(lines[1] ?? "").replace('"bot-12"', '"bot-12\u0000 ]]] {{{')}\n${lines[2]}\n`;
    await writeFile(file, snapshot);
    await writeFile(journalFileOf(file), damaged);
    const { logger, lines: logs } = memoryLogger();
    const store = await BotStore.open(file, logger, { now: 11 });
    expect(await ids(store)).toEqual(range(0, 10).filter((id) => id !== "sess0003"));
    expect(await readFile(`${journalFileOf(file)}.bad-11`, "utf8")).toBe(damaged);
    expect(logs.join("\n")).toMatch(/1 unreadable write\(s\); kept a copy at .*store\.json\.journal\.bad-11/);
    // Open folded what was recovered into the snapshot: the next start reads the same, with no warning.
    const { logger: quiet, lines: quietLogs } = memoryLogger();
    expect(await ids(await BotStore.open(file, quiet))).toEqual(await ids(store));
    expect(quietLogs.join("\n")).not.toContain("unreadable");
  });

  it("WHEN the process stopped between writing a new snapshot and emptying the journal THEN replaying it again changes nothing", async () => {
    const dir = await tempDir();
    const { snapshot, lines } = await journaledStore(dir);
    const file = path.join(dir, "store.json");
    const journal = `${lines.join("\n")}\n`;
    await writeFile(file, snapshot);
    await writeFile(journalFileOf(file), journal);
    const expected = await ids(await BotStore.open(file, memoryLogger().logger));
    expect(expected).toEqual(range(0, SESSIONS).filter((id) => id !== "sess0003"));
    // The snapshot now holds everything; the journal comes back as if it had never been emptied.
    await writeFile(journalFileOf(file), journal);
    const again = await BotStore.open(file, memoryLogger().logger);
    expect(await ids(again)).toEqual(expected);
    expect((await again.binding("telegram:1"))?.profile).toBe("bot-1");
  });
});
