// One contract for the store port (src/app/ports/store.ts), run with the same test bodies against
// every implementation: the embedded lowdb store (bot-store.test.ts) and the Postgres store
// (postgres-store.test.ts). What the port promises in its comments is checked here; what only one
// implementation promises (the Postgres store keeps session versions and inbound claims across a
// restart, the embedded one keeps them in memory by design) is tested beside that implementation.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Store } from "../../../src/app/ports/store.ts";
import {
  INBOUND_DEDUPE_KEEP_MS,
  type CreateRecord,
  type PersonaAction,
} from "../../../src/app/ports/store.ts";
import { CREATE_LEDGER_MAX } from "../../../src/app/store/bot-store.ts";
import { queuedJob, type InstallGroup } from "../../../src/core/install/install-job.ts";
import { newWizardState, type Surface, type WizardState } from "../../../src/core/wizard/state.ts";

export interface OpenedStore {
  /** The store under test, empty. */
  readonly store: Store;
  /** Closes the store and opens a new one on the same data, as a restart of the process would. */
  reopen(): Promise<Store>;
  /** Closes whatever is open and removes its data. */
  cleanup(): Promise<void>;
}

/** Callers racing for one thing (a create, a button, an inbound update, a compare-and-set). */
const RACERS = 20;
/** A fake clock's "now": the port takes times as numbers, so no test waits for real time. */
const T0 = 1_700_000_000_000;
const HOUR_MS = 60 * 60 * 1000;
const TTL_MS = 24 * HOUR_MS;
const LEASE_MS = 30_000;

export function session(
  id: string,
  at = T0,
  where: { surface?: Surface; chat?: string; owner?: string } = {},
): WizardState {
  return newWizardState({
    id,
    owner: { id: where.owner ?? "u1", name: "U" },
    surface: where.surface ?? "telegram",
    chat: where.chat ?? "c1",
    at,
  });
}

export function createRecord(name: string, at = T0, state: CreateRecord["state"] = "started"): CreateRecord {
  return { name, state, at };
}

export function installGroup(id: string, updatedAt: number, finished: boolean): InstallGroup {
  const job = queuedJob("owner/skill");
  return {
    id,
    owner: { id: "u1", name: "U" },
    surface: "telegram",
    chat: "c1",
    profile: "research-bot",
    jobs: [finished ? { ...job, status: "done", phase: "installed", endedAt: updatedAt } : job],
    createdAt: updatedAt,
    updatedAt,
  };
}

export function personaAction(profile: string, at = T0): PersonaAction {
  return {
    kind: "undo",
    profile,
    actorId: "u1",
    at,
    previous: { "model.default": "qwen3:8b", "agent.personalities.x": null },
  };
}

/** What JSON gives back for a value: the shape both stores promise (undefined-valued keys vanish). */
function asJson<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

/** A session holding what a text store finds hard: NUL, a lone surrogate, emoji, quotes, an undefined key. */
function awkwardSession(id: string): WizardState {
  const base = session(id);
  const awkward: WizardState = {
    ...base,
    draft: {
      ...base.draft,
      hub: ["nul\u0000inside", "lone \ud800 surrogate", "emoji 🧪", 'quote " back \\ slash'],
    },
    pages: { "skills.optional": 2 },
    report: ["line 1", "ünïcödé line 2"],
  };
  // A key present with the value undefined, as a spread of a partial object leaves one.
  return Object.assign(awkward, { soulPending: undefined as unknown as string });
}

function byId<T extends { id: string }>(items: readonly T[]): T[] {
  return [...items].sort((a, b) => a.id.localeCompare(b.id));
}

function winners(results: readonly unknown[], won: (result: unknown) => boolean): number {
  return results.filter(won).length;
}

export function storeContract(name: string, open: () => Promise<OpenedStore>): void {
  describe(`GIVEN the store port on ${name}`, () => {
    let subject: OpenedStore;
    let store: Store;
    beforeEach(async () => {
      subject = await open();
      store = subject.store;
    });
    afterEach(async () => {
      await subject.cleanup();
    });

    describe("wizard sessions", () => {
      it("WHEN a session is put THEN get, getVersioned and all give it back as JSON would", async () => {
        const state = awkwardSession("s-awkward");
        await store.put(state);
        await store.put(session("s-plain"));
        expect(await store.get("s-awkward")).toEqual(asJson(state));
        expect((await store.getVersioned("s-awkward"))?.value).toEqual(asJson(state));
        expect(byId(await store.all())).toEqual(byId([asJson(state), session("s-plain")]));
      });

      it("WHEN a session was never put or was deleted THEN get and getVersioned give undefined, and a second delete is harmless", async () => {
        await store.put(session("s1"));
        await store.delete("s1");
        await store.delete("s1");
        await store.delete("never");
        expect(await store.get("s1")).toBeUndefined();
        expect(await store.getVersioned("s1")).toBeUndefined();
        expect(await store.getVersioned("never")).toBeUndefined();
        expect(await store.all()).toEqual([]);
      });

      it("WHEN findOpen is asked THEN it gives the newest session of that surface, chat and owner only", async () => {
        await store.put(session("older", T0 + 1000));
        await store.put(session("newest", T0 + 3000));
        await store.put(session("middle", T0 + 2000));
        await store.put(session("other-owner", T0 + 9000, { owner: "u2" }));
        await store.put(session("other-chat", T0 + 9000, { chat: "c2" }));
        await store.put(session("other-surface", T0 + 9000, { surface: "discord" }));
        expect((await store.findOpen("telegram", "c1", "u1"))?.id).toBe("newest");
        expect((await store.findOpen("telegram", "c1", "u2"))?.id).toBe("other-owner");
        expect((await store.findOpen("discord", "c1", "u1"))?.id).toBe("other-surface");
        expect(await store.findOpen("console", "c1", "u1")).toBeUndefined();

        await store.delete("newest");
        expect((await store.findOpen("telegram", "c1", "u1"))?.id).toBe("middle");
        const older = await store.getVersioned("older");
        expect(older).toBeDefined();
        expect(await store.replace({ ...session("older"), updatedAt: T0 + 5000 }, older?.version ?? -1)).toBe(
          true,
        );
        expect((await store.findOpen("telegram", "c1", "u1"))?.id).toBe("older");
      });

      it("WHEN a person's open wizards are asked for THEN every one of that surface and owner comes back, in any chat, newest first", async () => {
        await store.put(session("group-older", T0 + 1000, { chat: "group" }));
        await store.put(session("private-newest", T0 + 3000));
        await store.put(session("group-middle", T0 + 2000, { chat: "group" }));
        await store.put(session("other-owner", T0 + 9000, { owner: "u2" }));
        await store.put(session("other-surface", T0 + 9000, { surface: "discord" }));
        const ids = async () => (await store.ownedBy("telegram", "u1")).map((state) => state.id);
        expect(await ids()).toEqual(["private-newest", "group-middle", "group-older"]);
        expect(await store.ownedBy("console", "u1")).toEqual([]);
        await store.delete("group-middle");
        expect(await ids()).toEqual(["private-newest", "group-older"]);
      });

      it("WHEN stalled sessions are asked for THEN exactly those in the given steps not written since the bound come back, a NUL-holding one too", async () => {
        await store.put({ ...session("creating-old", T0), step: "creating" });
        await store.put({ ...session("creating-new", T0 + 5000), step: "creating" });
        await store.put({ ...session("applying-old", T0), step: "applying" });
        await store.put({ ...session("idle-old", T0), step: "review" });
        // jsonb refuses NUL: this one is kept wrapped, its step invisible to a query on the column.
        await store.put({ ...session("wrapped-old", T0), step: "creating", soulPending: "a\u0000b" });
        await store.put({ ...session("wrapped-idle", T0), step: "review", soulPending: "a\u0000b" });
        const stalled = await store.stalled(["creating", "applying"], T0 + 1000);
        expect(stalled.map((state) => state.id).sort()).toEqual([
          "applying-old",
          "creating-old",
          "wrapped-old",
        ]);
        expect(stalled.find((state) => state.id === "wrapped-old")?.soulPending).toBe("a\u0000b");
        expect(await store.stalled(["creating"], T0)).toEqual([]);
      });

      it("WHEN a session moves to another owner or chat THEN findOpen follows it", async () => {
        await store.put(session("s1", T0, { chat: "c1" }));
        await store.put(session("s1", T0 + 1, { chat: "c2" }));
        expect(await store.findOpen("telegram", "c1", "u1")).toBeUndefined();
        expect((await store.findOpen("telegram", "c2", "u1"))?.id).toBe("s1");
      });

      it("WHEN a session is put again THEN its version moves on, and replace at the old version fails", async () => {
        await store.put(session("s1"));
        const first = await store.getVersioned("s1");
        await store.put({ ...session("s1"), rev: 2 });
        const second = await store.getVersioned("s1");
        expect(second?.version).toBeGreaterThan(first?.version ?? Infinity);
        expect(await store.replace({ ...session("s1"), rev: 3 }, first?.version ?? -1)).toBe(false);
        expect((await store.get("s1"))?.rev).toBe(2);
      });

      it("WHEN replace names the version read THEN it writes once, and a second replace from the same read fails", async () => {
        await store.put(session("s1"));
        const read = await store.getVersioned("s1");
        expect(await store.replace({ ...session("s1"), rev: 2 }, read?.version ?? -1)).toBe(true);
        const after = await store.getVersioned("s1");
        expect(after?.value.rev).toBe(2);
        expect(after?.version).not.toBe(read?.version);
        expect(await store.replace({ ...session("s1"), rev: 3 }, read?.version ?? -1)).toBe(false);
        expect((await store.get("s1"))?.rev).toBe(2);
        expect(await store.replace({ ...session("s1"), rev: 4 }, after?.version ?? -1)).toBe(true);
      });

      it(`WHEN ${RACERS} replaces race from the same read THEN exactly one wins and its state is kept`, async () => {
        await store.put(session("s1"));
        const read = await store.getVersioned("s1");
        const results = await Promise.all(
          Array.from({ length: RACERS }, (_, index) =>
            store.replace({ ...session("s1"), rev: 100 + index }, read?.version ?? -1),
          ),
        );
        expect(winners(results, (won) => won === true)).toBe(1);
        expect((await store.get("s1"))?.rev).toBe(100 + results.indexOf(true));
      });

      it("WHEN the session was deleted or never existed THEN replace is false and writes nothing", async () => {
        await store.put(session("s1"));
        const read = await store.getVersioned("s1");
        await store.delete("s1");
        expect(await store.replace({ ...session("s1"), rev: 2 }, read?.version ?? -1)).toBe(false);
        expect(await store.get("s1")).toBeUndefined();
        expect(await store.replace(session("never"), 0)).toBe(false);
        expect(await store.replace(session("never"), 1)).toBe(false);
        expect(await store.get("never")).toBeUndefined();
      });
    });

    describe("create ledger", () => {
      it("WHEN records are put, read and deleted THEN each round trips", async () => {
        const done: CreateRecord = {
          ...createRecord("bot", T0, "done"),
          report: { ok: true, name: "bot", path: "/p/bot", steps: [], hubInstalls: [], problems: [] },
        };
        await store.putCreate("s1", createRecord("bot"));
        expect(await store.getCreate("s1")).toEqual(createRecord("bot"));
        await store.putCreate("s1", done);
        expect(await store.getCreate("s1")).toEqual(done);
        await store.deleteCreate("s1");
        await store.deleteCreate("s1");
        expect(await store.getCreate("s1")).toBeUndefined();
      });

      it("WHEN claimCreate is called THEN the first caller wins (undefined) and later ones get the record found", async () => {
        expect(await store.claimCreate("s1", createRecord("first"))).toBeUndefined();
        expect(await store.claimCreate("s1", createRecord("second"))).toEqual(createRecord("first"));
        await store.putCreate("s1", createRecord("first", T0 + 5, "done"));
        expect(await store.claimCreate("s1", createRecord("third"))).toEqual(
          createRecord("first", T0 + 5, "done"),
        );
      });

      it(`WHEN ${RACERS} callers claim one create at once THEN exactly one wins and every other gets its record`, async () => {
        const results = await Promise.all(
          Array.from({ length: RACERS }, (_, index) =>
            store.claimCreate("s1", createRecord(`racer-${index}`)),
          ),
        );
        expect(winners(results, (result) => result === undefined)).toBe(1);
        const winner = `racer-${results.indexOf(undefined)}`;
        for (const result of results) if (result) expect(result.name).toBe(winner);
        expect((await store.getCreate("s1"))?.name).toBe(winner);
      });

      it(`WHEN the ledger passes CREATE_LEDGER_MAX by a tenth THEN the oldest finished creates of ended wizards go first, down to ${CREATE_LEDGER_MAX}`, async () => {
        await store.put(session("open-wizard"));
        await store.putCreate("open-wizard", createRecord("open", T0 - 2, "done"));
        await store.putCreate("still-started", createRecord("started", T0 - 1, "started"));
        const total = Math.floor(CREATE_LEDGER_MAX * 1.1) - 1;
        const id = (index: number) => `c${String(index).padStart(5, "0")}`;
        for (let index = 0; index < total; index++)
          await store.putCreate(id(index), createRecord(id(index), T0 + index, "done"));
        // The 1,101st record pruned 101, the oldest removable; the two that cannot go stay.
        const pruned = Math.floor(CREATE_LEDGER_MAX * 1.1) + 1 - CREATE_LEDGER_MAX;
        expect(await store.getCreate(id(0))).toBeUndefined();
        expect(await store.getCreate(id(pruned - 1))).toBeUndefined();
        expect(await store.getCreate(id(pruned))).toBeDefined();
        expect(await store.getCreate(id(total - 1))).toBeDefined();
        expect(await store.getCreate("open-wizard")).toBeDefined();
        expect(await store.getCreate("still-started")).toBeDefined();
      });
    });

    describe("install groups", () => {
      it("WHEN groups are put and put again THEN get and allInstallGroups give the latest of each", async () => {
        await store.putInstallGroup(installGroup("g1", T0, false));
        await store.putInstallGroup(installGroup("g2", T0, false));
        await store.putInstallGroup({
          ...installGroup("g1", T0 + 10, true),
          messageRef: "42",
          skillKeysMissing: ["K"],
        });
        expect(await store.getInstallGroup("g1")).toEqual({
          ...installGroup("g1", T0 + 10, true),
          messageRef: "42",
          skillKeysMissing: ["K"],
        });
        expect(await store.getInstallGroup("none")).toBeUndefined();
        expect(byId(await store.allInstallGroups()).map((group) => group.id)).toEqual(["g1", "g2"]);
      });
    });

    describe("persona records, chat bindings and forgetProfile", () => {
      const record = {
        version: "1.0.0",
        hash: "abc",
        mode: "overlay",
        appliedBy: "u1",
        appliedAt: T0,
      } as const;

      it("WHEN persona records are set and cleared THEN personaRecords gives that profile's only", async () => {
        expect(await store.personaRecords("bot")).toEqual({});
        await store.setPersonaRecord("bot", "writer", record);
        await store.setPersonaRecord("bot", "coder", { ...record, version: "2.0.0" });
        await store.setPersonaRecord("other", "writer", record);
        await store.setPersonaRecord("bot", "writer", { ...record, hash: "def" });
        expect(await store.personaRecords("bot")).toEqual({
          writer: { ...record, hash: "def" },
          coder: { ...record, version: "2.0.0" },
        });
        await store.setPersonaRecord("bot", "coder", null);
        await store.setPersonaRecord("bot", "never", null);
        expect(await store.personaRecords("bot")).toEqual({ writer: { ...record, hash: "def" } });
      });

      it("WHEN a chat is bound and bound again THEN binding gives the latest", async () => {
        expect(await store.binding("telegram:1")).toBeUndefined();
        await store.setBinding("telegram:1", { profile: "bot", by: "u1", at: T0 });
        await store.setBinding("telegram:1", { profile: "other", by: "u2", at: T0 + 1 });
        expect(await store.binding("telegram:1")).toEqual({ profile: "other", by: "u2", at: T0 + 1 });
      });

      it("WHEN a profile is forgotten THEN its persona records and bindings go, and other profiles' stay", async () => {
        await store.setPersonaRecord("bot", "writer", record);
        await store.setPersonaRecord("other", "writer", record);
        await store.setBinding("telegram:1", { profile: "bot", by: "u1", at: T0 });
        await store.setBinding("discord:2", { profile: "bot", by: "u1", at: T0 });
        await store.setBinding("telegram:3", { profile: "other", by: "u1", at: T0 });
        await store.forgetProfile("bot");
        await store.forgetProfile("never-existed");
        expect(await store.personaRecords("bot")).toEqual({});
        expect(await store.binding("telegram:1")).toBeUndefined();
        expect(await store.binding("discord:2")).toBeUndefined();
        expect(await store.personaRecords("other")).toEqual({ writer: record });
        expect(await store.binding("telegram:3")).toEqual({ profile: "other", by: "u1", at: T0 });
      });
    });

    describe("persona actions", () => {
      it("WHEN an action is put, read, taken and deleted THEN take gives it once", async () => {
        await store.putAction("a1", personaAction("bot"));
        await store.putAction("a2", personaAction("bot"));
        expect(await store.action("a1")).toEqual(personaAction("bot"));
        expect(await store.takeAction("a1")).toEqual(personaAction("bot"));
        expect(await store.takeAction("a1")).toBeUndefined();
        expect(await store.action("a1")).toBeUndefined();
        await store.deleteAction("a2");
        await store.deleteAction("a2");
        expect(await store.action("a2")).toBeUndefined();
        expect(await store.takeAction("never")).toBeUndefined();
      });

      it(`WHEN ${RACERS} presses take one button at once THEN exactly one gets it`, async () => {
        await store.putAction("a1", personaAction("bot"));
        const results = await Promise.all(Array.from({ length: RACERS }, () => store.takeAction("a1")));
        expect(winners(results, (result) => result !== undefined)).toBe(1);
        expect(results.find((result) => result !== undefined)).toEqual(personaAction("bot"));
      });
    });

    describe("inbound dedupe", () => {
      it("WHEN an update is claimed THEN a second claim within the lease is refused, and one after it takes it over", async () => {
        expect(await store.claimInbound("tg:1", T0, LEASE_MS)).toBe(true);
        expect(await store.claimInbound("tg:1", T0 + 1, LEASE_MS)).toBe(false);
        expect(await store.claimInbound("tg:1", T0 + LEASE_MS, LEASE_MS)).toBe(false);
        expect(await store.claimInbound("tg:1", T0 + LEASE_MS + 1, LEASE_MS)).toBe(true);
        // The takeover is a new claim: its own lease starts then.
        expect(await store.claimInbound("tg:1", T0 + LEASE_MS + 2, LEASE_MS)).toBe(false);
        expect(await store.claimInbound("tg:2", T0, LEASE_MS)).toBe(true);
      });

      it("WHEN an update was finished THEN it is never claimed again, however late, until the sweep prunes it", async () => {
        expect(await store.claimInbound("tg:1", T0, LEASE_MS)).toBe(true);
        await store.finishInbound("tg:1", T0 + 10);
        expect(await store.claimInbound("tg:1", T0 + 10 * LEASE_MS, LEASE_MS)).toBe(false);
        expect(await store.claimInbound("tg:1", T0 + INBOUND_DEDUPE_KEEP_MS, LEASE_MS)).toBe(false);
        await store.finishInbound("tg:never-claimed", T0);
        expect(await store.claimInbound("tg:never-claimed", T0 + LEASE_MS + 1, LEASE_MS)).toBe(false);

        await store.sweepExpired(T0 + 10 + INBOUND_DEDUPE_KEEP_MS, TTL_MS);
        expect(await store.claimInbound("tg:1", T0 + 10 + INBOUND_DEDUPE_KEEP_MS, LEASE_MS)).toBe(false);
        await store.sweepExpired(T0 + 11 + INBOUND_DEDUPE_KEEP_MS, TTL_MS);
        expect(await store.claimInbound("tg:1", T0 + 11 + INBOUND_DEDUPE_KEEP_MS, LEASE_MS)).toBe(true);
      });

      it(`WHEN ${RACERS} deliveries of one update are claimed at once THEN exactly one is taken`, async () => {
        const results = await Promise.all(
          Array.from({ length: RACERS }, () => store.claimInbound("tg:1", T0, LEASE_MS)),
        );
        expect(winners(results, (taken) => taken === true)).toBe(1);
      });

      it(`WHEN ${RACERS} takeovers of a lapsed claim race THEN exactly one is taken`, async () => {
        await store.claimInbound("tg:1", T0, LEASE_MS);
        const later = T0 + LEASE_MS + 1;
        const results = await Promise.all(
          Array.from({ length: RACERS }, () => store.claimInbound("tg:1", later, LEASE_MS)),
        );
        expect(winners(results, (taken) => taken === true)).toBe(1);
      });
    });

    describe("sweepExpired", () => {
      it("WHEN the sweep runs THEN it removes what outlived the TTL, keeps the rest, and returns the expired session ids", async () => {
        const now = T0 + 10 * TTL_MS;
        const expiredAt = now - TTL_MS - 1;
        await store.put(session("expired", expiredAt));
        await store.put(session("at-the-edge", now - TTL_MS));
        await store.put(session("fresh", now - 1));
        // Create records: of a wizard expiring now, of one long ended, of one ended recently, of an open one.
        await store.putCreate("expired", createRecord("a", expiredAt, "done"));
        await store.putCreate("ended-long-ago", createRecord("b", expiredAt, "done"));
        await store.putCreate("ended-recently", createRecord("c", now - 10, "done"));
        await store.putCreate("fresh", createRecord("d", now - 5 * TTL_MS, "started"));
        await store.putInstallGroup(installGroup("finished-old", expiredAt, true));
        await store.putInstallGroup(installGroup("running-old", expiredAt, false));
        await store.putInstallGroup(installGroup("finished-recent", now - 10, true));
        await store.putAction("old-button", personaAction("bot", expiredAt));
        await store.putAction("recent-button", personaAction("bot", now - 10));

        expect(await store.sweepExpired(now, TTL_MS)).toEqual(["expired"]);

        expect(byId(await store.all()).map((state) => state.id)).toEqual(["at-the-edge", "fresh"]);
        expect(await store.getCreate("expired")).toBeUndefined();
        expect(await store.getCreate("ended-long-ago")).toBeUndefined();
        expect(await store.getCreate("ended-recently")).toBeDefined();
        expect(await store.getCreate("fresh")).toBeDefined();
        expect(byId(await store.allInstallGroups()).map((group) => group.id)).toEqual([
          "finished-recent",
          "running-old",
        ]);
        expect(await store.action("old-button")).toBeUndefined();
        expect(await store.action("recent-button")).toBeDefined();
        expect(await store.sweepExpired(now, TTL_MS)).toEqual([]);
      });

      it("WHEN inbound records pass INBOUND_DEDUPE_KEEP_MS THEN the sweep prunes them and keeps younger ones", async () => {
        const now = T0 + 2 * INBOUND_DEDUPE_KEEP_MS;
        await store.claimInbound("claimed-old", now - INBOUND_DEDUPE_KEEP_MS - 1, LEASE_MS);
        await store.finishInbound("finished-old", now - INBOUND_DEDUPE_KEEP_MS - 1);
        await store.claimInbound("finished-young", now - INBOUND_DEDUPE_KEEP_MS - 5, LEASE_MS);
        await store.finishInbound("finished-young", now - 5);
        await store.sweepExpired(now, TTL_MS);
        expect(await store.claimInbound("claimed-old", now, LEASE_MS)).toBe(true);
        expect(await store.claimInbound("finished-old", now, LEASE_MS)).toBe(true);
        expect(await store.claimInbound("finished-young", now, LEASE_MS)).toBe(false);
      });
    });

    describe("lifecycle", () => {
      it("WHEN the store is asked if it is ready THEN it is, and flush resolves", async () => {
        expect(await store.ready()).toBe(true);
        await store.put(session("s1"));
        await store.flush();
      });

      it("WHEN every kind of record is written and the store reopened THEN what was kept is there and what was removed is gone", async () => {
        const state = awkwardSession("kept");
        await store.put(state);
        await store.put(session("deleted"));
        await store.delete("deleted");
        await store.putCreate("kept", createRecord("bot", T0, "done"));
        await store.putCreate("deleted", createRecord("bot"));
        await store.deleteCreate("deleted");
        await store.putInstallGroup(installGroup("g1", T0, true));
        await store.setPersonaRecord("bot", "writer", {
          version: "1",
          hash: "h",
          mode: "overlay",
          appliedBy: "u1",
          appliedAt: T0,
        });
        await store.setPersonaRecord("bot", "cleared", {
          version: "1",
          hash: "h",
          mode: "ref",
          appliedBy: "u1",
          appliedAt: T0,
        });
        await store.setPersonaRecord("bot", "cleared", null);
        await store.setBinding("telegram:1", { profile: "bot", by: "u1", at: T0 });
        await store.putAction("kept", personaAction("bot"));
        await store.putAction("taken", personaAction("bot"));
        await store.takeAction("taken");
        await store.flush();

        const reopened = await subject.reopen();
        // Exactly what JSON gives back: the undefined-valued key is gone, NUL and the lone surrogate kept.
        expect(await reopened.get("kept")).toStrictEqual(asJson(state));
        expect(await reopened.get("deleted")).toBeUndefined();
        expect((await reopened.findOpen("telegram", "c1", "u1"))?.id).toBe("kept");
        expect(await reopened.getCreate("kept")).toEqual(createRecord("bot", T0, "done"));
        expect(await reopened.getCreate("deleted")).toBeUndefined();
        expect(await reopened.getInstallGroup("g1")).toEqual(installGroup("g1", T0, true));
        expect(Object.keys(await reopened.personaRecords("bot"))).toEqual(["writer"]);
        expect(await reopened.binding("telegram:1")).toEqual({ profile: "bot", by: "u1", at: T0 });
        expect(await reopened.action("kept")).toEqual(personaAction("bot"));
        expect(await reopened.action("taken")).toBeUndefined();

        // The reopened store is a working one: a compare-and-set at the version it reports succeeds.
        const read = await reopened.getVersioned("kept");
        expect(await reopened.replace({ ...session("kept"), rev: 9 }, read?.version ?? -1)).toBe(true);
        expect((await reopened.get("kept"))?.rev).toBe(9);
        expect(await reopened.ready()).toBe(true);
      });
    });
  });
}
