// Two wizard runners as two replicas run them: each its own Postgres store on one shared database and
// its own key vault (keys are held in memory only, never stored), both writing profiles into one
// Hermes home and showing one chat. What a replica cannot know it must not pretend to: a Create or
// Apply that reaches the replica without the typed key is handed to the one that holds it (over
// Postgres LISTEN/NOTIFY), and when none takes it the key is not silently dropped; the message that
// shows the wizard is kept with the session, so a screen drawn by either replica edits that one message.
import { readFile, readdir } from "node:fs/promises";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { WizardRunner } from "../../src/app/runtime/wizard-runner.ts";
import { LOOKUP_STALL_MS, WRITE_STALL_MS } from "../../src/app/runtime/stalled-wizards.ts";
import { KeyHandoff } from "../../src/app/runtime/key-handoff.ts";
import { SecretVault } from "../../src/app/secrets/secret-vault.ts";
import { PostgresStore } from "../../src/app/store/postgres/postgres-store.ts";
import type { View } from "../../src/core/view.ts";
import type { WizardState } from "../../src/core/wizard/index.ts";
import { localBackend } from "../helpers/backend.ts";
import { shippedLibrary } from "../helpers/catalog.ts";
import { emptyTables, useFileDatabase } from "../helpers/postgres-database.ts";
import { RecordingOutput } from "../helpers/recording-output.ts";
import { memoryLogger } from "../helpers/silent-logger.ts";
import { useTempDirs } from "../helpers/temp-dir.ts";
import { ALICE } from "../helpers/wizard-driver.ts";

const tempDir = useTempDirs();
const database = useFileDatabase();
const opened: PostgresStore[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((store) => store.close()));
});

/** One chat as Telegram shows it: a screen is a new message unless the session names one to edit. */
class OneMessageChat extends RecordingOutput {
  posted = 0;
  readonly editedRefs: string[] = [];
  override async render(state: WizardState, view: View): Promise<string> {
    await super.render(state, view);
    if (state.screenRef !== undefined) {
      this.editedRefs.push(state.screenRef);
      return state.screenRef;
    }
    this.posted += 1;
    return `m-${this.posted}`;
  }
}

/** How long an offered Create or Apply waits here for a taker (HANDOFF_WAIT_MS in production). */
const HANDOFF_WAIT_MS = 400;

/**
 * `count` replicas' runners on this file's database, one chat, one Hermes home; `now` their clock.
 * `listening[i]`: replica i takes the Creates and Applies offered to the holder of their keys, as a
 * running replica does; one not listening stands for a replica that stopped after reading a key.
 */
async function replicas(count: number, now: () => number = Date.now, listening: readonly boolean[] = []) {
  const url = await database();
  await emptyTables(url);
  const root = await tempDir();
  const hermesHome = path.join(root, "hermes");
  const chat = new OneMessageChat();
  const library = await shippedLibrary();
  const replica = async (index: number) => {
    const store = await PostgresStore.open(url, memoryLogger().logger);
    opened.push(store);
    const { logger, lines } = memoryLogger();
    const runner = new WizardRunner({
      store,
      library,
      logger,
      backend: await localBackend({ hermesHome }),
      modelListTimeoutMs: 500,
      handoffWaitMs: HANDOFF_WAIT_MS,
      now,
    });
    runner.attach("console", chat);
    if (listening[index]) {
      runner.listenForHandoffs();
      await store.handoffs.whenListening();
    }
    return { runner, store, lines };
  };
  const started = [];
  for (let index = 0; index < count; index += 1) started.push(await replica(index));
  return { replicas: started, chat, hermesHome };
}

async function twoReplicas(listening: readonly boolean[] = []) {
  const {
    replicas: [a, b],
    chat,
    hermesHome,
  } = await replicas(2, Date.now, listening);
  if (!a || !b) throw new Error("two replicas expected");
  return { a, b, chat, hermesHome };
}

/** From /profile new to Review on `runner`, the OpenRouter key typed into it. */
async function toReview(runner: WizardRunner, chat: OneMessageChat, name: string): Promise<string> {
  const { id } = await runner.start(ALICE, "console", "chat-1");
  await runner.text(id, ALICE, name);
  for (const label of ["Next", "OpenRouter", "anthropic/claude-sonnet-4"])
    await chat.press(runner, id, label, ALICE);
  expect((await runner.submitSecret(id, ALICE, "sk-or-v1-TYPED-ON-A")).ok).toBe(true);
  for (const label of ["Optional skills", "Hub skills", "Done ▶", "MCP servers", "Next", "No persona"])
    await chat.press(runner, id, label, ALICE);
  expect(chat.view(id).title).toContain("Review");
  return id;
}

/** A replica's handoff on `store` and `vault` whose dispatched events are only recorded (their types). */
function recordingHandoff(store: PostgresStore, vault: SecretVault, waitMs: number, dispatched: string[]) {
  return new KeyHandoff({
    store,
    vault,
    logger: memoryLogger().logger,
    now: Date.now,
    waitMs,
    dispatch: (_session, event) => Promise.resolve(dispatched.push(event.type)),
  });
}

/** Waits for the screen an offered Create or Apply ends on (taken, or given back after the wait). */
async function settled(chat: OneMessageChat, id: string, title: (shown: string) => boolean): Promise<View> {
  await expect.poll(() => title(chat.view(id).title), { timeout: 10 * HANDOFF_WAIT_MS + 5_000 }).toBe(true);
  return chat.view(id);
}

describe("GIVEN two replicas' wizard runners on one Postgres database, both listening for handoffs", () => {
  it("WHEN Create reaches the replica that did not read the typed key THEN the one that read it takes the Create: one profile, with the key", async () => {
    const { a, b, chat, hermesHome } = await twoReplicas([true, true]);
    const id = await toReview(a.runner, chat, "handed-over");
    await chat.press(b.runner, id, "✓ Create", ALICE);
    await settled(chat, id, (title) => title === "Profile created");
    expect(await readdir(path.join(hermesHome, "profiles"))).toEqual(["handed-over"]);
    const env = await readFile(path.join(hermesHome, "profiles/handed-over/.env"), "utf8");
    expect(env).toContain("OPENROUTER_API_KEY=sk-or-v1-TYPED-ON-A\n");
    expect(a.lines.some((line) => line.includes("took a Create or Apply"))).toBe(true);
    expect(b.lines.some((line) => line.includes("took a Create or Apply"))).toBe(false);
    // Nothing was given back after the wait, and the key is in no line either replica logged.
    await new Promise((resolve) => setTimeout(resolve, 2 * HANDOFF_WAIT_MS));
    expect(chat.view(id).title).toBe("Profile created");
    expect([...a.lines, ...b.lines].join("\n")).not.toContain("TYPED-ON-A");
  });

  it("WHEN an edit's Apply reaches the replica that did not read the new key THEN the one that read it applies the edit with that key", async () => {
    const { a, b, chat, hermesHome } = await twoReplicas([true, true]);
    const created = await toReview(a.runner, chat, "applied-there");
    await chat.press(a.runner, created, "✓ Create", ALICE);
    expect(chat.view(created).title).toBe("Profile created");
    const opened = await b.runner.startEdit(ALICE, "console", "chat-1", "applied-there");
    if (!opened.ok) throw new Error(opened.reason);
    const id = opened.value.id;
    await chat.press(b.runner, id, "Edit keys", ALICE);
    await chat.press(b.runner, id, "OPENROUTER_API_KEY", ALICE);
    expect((await a.runner.submitSecret(id, ALICE, "sk-or-v1-ROTATED-ON-A")).ok).toBe(true);
    if (chat.view(id).title.startsWith("Keys of")) await chat.press(b.runner, id, "◀ Back", ALICE);
    await chat.press(b.runner, id, "✓ Apply", ALICE);
    const shown = await settled(
      chat,
      id,
      (title) => title !== "Applying" && !title.startsWith("Edit profile"),
    );
    expect(`${shown.title}\n${shown.body.join("\n")}`).toContain("Profile updated");
    const env = await readFile(path.join(hermesHome, "profiles/applied-there/.env"), "utf8");
    expect(env).toContain("OPENROUTER_API_KEY=sk-or-v1-ROTATED-ON-A\n");
  });
});

describe("GIVEN two replicas' wizard runners on one Postgres database, the one that read the key stopped, the other running", () => {
  it("WHEN Create reaches the replica that did not read the typed key THEN after the wait no profile is made: Review says so, and Create there makes it without the key", async () => {
    const { a, b, chat, hermesHome } = await twoReplicas([false, true]);
    const id = await toReview(a.runner, chat, "split-keys");
    await chat.press(b.runner, id, "✓ Create", ALICE);
    const shown = await settled(chat, id, (title) => title.includes("Review"));
    expect(shown.notice?.tone).toBe("warning");
    expect(shown.notice?.text).toContain("Not created yet: OPENROUTER_API_KEY was typed while another copy");
    expect(await readdir(hermesHome).catch(() => [])).not.toContain("profiles");

    await chat.press(b.runner, id, "✓ Create", ALICE);
    expect(chat.view(id).title).toBe("Profile created");
    const env = await readFile(path.join(hermesHome, "profiles/split-keys/.env"), "utf8");
    expect(env).not.toContain("TYPED-ON-A");
  });

  it("WHEN an edit's Apply reaches the replica that did not read the new key THEN after the wait nothing is written: the edit Review says so, and the key typed there is applied", async () => {
    const { a, b, chat, hermesHome } = await twoReplicas([false, true]);
    const created = await toReview(a.runner, chat, "edited-keys");
    await chat.press(a.runner, created, "✓ Create", ALICE);
    expect(chat.view(created).title).toBe("Profile created");
    const envFile = path.join(hermesHome, "profiles/edited-keys/.env");
    const before = await readFile(envFile, "utf8");
    expect(before).toContain("OPENROUTER_API_KEY=sk-or-v1-TYPED-ON-A\n");

    const opened = await a.runner.startEdit(ALICE, "console", "chat-1", "edited-keys");
    if (!opened.ok) throw new Error(opened.reason);
    const id = opened.value.id;
    const setKey = async (replica: WizardRunner, value: string) => {
      await chat.press(replica, id, "Edit keys", ALICE);
      await chat.press(replica, id, "OPENROUTER_API_KEY", ALICE);
      expect((await replica.submitSecret(id, ALICE, value)).ok).toBe(true);
      if (chat.view(id).title.startsWith("Keys of")) await chat.press(replica, id, "◀ Back", ALICE);
      expect(chat.view(id).title).toBe("Edit profile 'edited-keys'");
    };
    await setKey(a.runner, "sk-or-v1-ROTATED-ON-A");
    await chat.press(b.runner, id, "✓ Apply", ALICE);
    await settled(chat, id, (title) => title === "Edit profile 'edited-keys'");
    expect(chat.view(id).notice?.text).toContain(
      "Not applied yet: OPENROUTER_API_KEY was typed while another copy",
    );
    expect(await readFile(envFile, "utf8")).toBe(before);

    await setKey(b.runner, "sk-or-v1-ROTATED-ON-B");
    await chat.press(b.runner, id, "✓ Apply", ALICE);
    expect(`${chat.view(id).title}\n${chat.view(id).body.join("\n")}`).toContain("Profile updated");
    const after = await readFile(envFile, "utf8");
    expect(after).toContain("OPENROUTER_API_KEY=sk-or-v1-ROTATED-ON-B\n");
    expect(after).not.toContain("ROTATED-ON-A");
  });

  it("WHEN one replica posted the wizard's message THEN the session keeps it, and every later screen, drawn by either replica, edits that message", async () => {
    const { a, b, chat } = await twoReplicas();
    const { id } = await a.runner.start(ALICE, "console", "chat-1");
    expect(chat.posted).toBe(1);
    expect((await b.store.get(id))?.screenRef).toBe("m-1");
    await b.runner.text(id, ALICE, "one-message");
    await chat.press(a.runner, id, "Next", ALICE);
    await chat.press(b.runner, id, "OpenRouter", ALICE);
    expect(chat.posted).toBe(1);
    expect(chat.editedRefs).toEqual(["m-1", "m-1", "m-1"]);
  });
});

describe("GIVEN two replicas stepping one session at the same moment", () => {
  it("WHEN one replica's press is written first THEN the other's compare-and-set loses, it steps the press again against what is stored, and the user gets 'This step changed' with the step advanced once", async () => {
    const { a, b, chat } = await twoReplicas();
    const { id } = await a.runner.start(ALICE, "console", "chat-1");
    await a.runner.text(id, ALICE, "raced");
    const next = chat
      .view(id)
      .buttons.flat()
      .find((button) => button.label.startsWith("Next"));
    if (!next) throw new Error("no Next on the identity menu");
    const before = await a.store.getVersioned(id);

    // Replica A reads the session and steps it, then stalls before its write (a GC pause, a slow
    // round trip) until B has pressed the same button.
    const replace = a.store.replace.bind(a.store);
    let releaseA: () => void = () => undefined;
    const stalled = new Promise<void>((resolve) => (releaseA = resolve));
    let stalls = 1;
    let lost = 0;
    a.store.replace = async (state, version) => {
      if (stalls-- > 0) await stalled;
      const won = await replace(state, version);
      if (!won) lost += 1;
      return won;
    };
    const pressOnA = a.runner.press(next.token, ALICE);
    await new Promise((resolve) => setTimeout(resolve, 50));
    await b.runner.press(next.token, ALICE);
    expect((await b.store.get(id))?.step).toBe("model.provider");
    releaseA();
    await pressOnA;
    expect(lost).toBe(1);

    const after = await b.store.getVersioned(id);
    expect(after?.value.step).toBe("model.provider");
    expect(after?.value.rev).toBe((before?.value.rev ?? 0) + 1);
    expect(chat.view(id).notice?.text).toBe(
      "This step changed since that button was shown. Here is the current one.",
    );
  });
});

describe("GIVEN a replica that died while its wizard worked (Create pressed, the profile not made)", () => {
  it("WHEN another replica looks after the work's bound THEN exactly one replica resumes it and the profile is made once; before the bound none touches it", async () => {
    let now = Date.now();
    const { replicas: three, chat, hermesHome } = await replicas(3, () => now);
    const [dead, b, c] = three;
    if (!dead || !b || !c) throw new Error("three replicas expected");
    const id = await toReview(dead.runner, chat, "orphaned");
    // The dead replica got as far as the press and its claim: the session says "creating", the
    // ledger "started", and nothing more happens (the process is gone).
    const read = await dead.store.getVersioned(id);
    if (!read) throw new Error("no session");
    expect(await dead.store.replace({ ...read.value, step: "creating", updatedAt: now }, read.version)).toBe(
      true,
    );
    expect(await dead.store.claimCreate(id, { name: "orphaned", state: "started", at: now })).toBeUndefined();

    now += WRITE_STALL_MS - 1000;
    expect(await b.runner.resumeStalled()).toEqual([]);
    expect((await b.store.get(id))?.step).toBe("creating");

    now += 2000;
    // Both replicas look at the same moment: each has read the session before either writes.
    let arrived = 0;
    let bothRead: () => void = () => undefined;
    const barrier = new Promise<void>((resolve) => (bothRead = resolve));
    for (const { store } of [b, c]) {
      const replace = store.replace.bind(store);
      let first = true;
      store.replace = async (state, version) => {
        if (first) {
          first = false;
          if (++arrived === 2) bothRead();
          await barrier;
        }
        return replace(state, version);
      };
    }
    const [byB, byC] = await Promise.all([b.runner.resumeStalled(), c.runner.resumeStalled()]);
    expect([...byB, ...byC]).toEqual([id]);
    expect(await readdir(path.join(hermesHome, "profiles"))).toEqual(["orphaned"]);
    expect(chat.view(id).title).toBe("Profile created");
    // The key typed into the dead replica died with it: the resumed wizard said so.
    expect(JSON.stringify([...chat.views.values()])).not.toContain("TYPED-ON-A");
    expect(await readFile(path.join(hermesHome, "profiles/orphaned/.env"), "utf8")).not.toContain(
      "TYPED-ON-A",
    );
    expect(await b.store.get(id)).toBeUndefined();
  });
});

describe("GIVEN a replica that died while it read an edited profile's keys (Edit keys pressed)", () => {
  it("WHEN the lookups' bound passes THEN no replica resumes it (a host may list for minutes, and a resume forgets typed keys); Back and Edit keys on another replica read the list", async () => {
    let now = Date.now();
    const { replicas: two, chat } = await replicas(2, () => now);
    const [dead, b] = two;
    if (!dead || !b) throw new Error("two replicas expected");
    const created = await toReview(dead.runner, chat, "keys-orphaned");
    await chat.press(dead.runner, created, "✓ Create", ALICE);
    const opened = await dead.runner.startEdit(ALICE, "console", "chat-1", "keys-orphaned");
    if (!opened.ok) throw new Error(opened.reason);
    const id = opened.value.id;
    // The dead replica got as far as the press: the session waits on Edit keys with no list.
    const read = await dead.store.getVersioned(id);
    if (!read) throw new Error("no session");
    expect(await dead.store.replace({ ...read.value, step: "edit.keys", updatedAt: now }, read.version)).toBe(
      true,
    );

    now += 2 * LOOKUP_STALL_MS;
    expect(await b.runner.resumeStalled()).toEqual([]);
    expect((await b.store.get(id))?.step).toBe("edit.keys");
    await b.runner.dispatch(id, { type: "show", at: now });
    expect(chat.view(id).body.join("\n")).toContain("Reading which keys");
    await chat.press(b.runner, id, "◀ Back", ALICE);
    await chat.press(b.runner, id, "Edit keys", ALICE);
    expect(chat.view(id).title).toBe("Keys of 'keys-orphaned'");
    expect(chat.view(id).choices?.items.map((item) => item.label)).toContain(
      "OPENROUTER_API_KEY: set — provider openrouter",
    );
  });
});

describe("GIVEN a Create offered by the replica without the key at the moment its wait ends", () => {
  it("WHEN the holder takes it at that same moment THEN exactly one of them goes on: either the Create is run or the wizard is given back, never both", async () => {
    const { a, b, chat } = await twoReplicas();
    const id = await toReview(a.runner, chat, "raced-handoff");
    const read = await a.store.getVersioned(id);
    if (!read) throw new Error("no session");
    const mark = Date.now();
    expect(await a.store.replace({ ...read.value, step: "creating", updatedAt: mark }, read.version)).toBe(
      true,
    );
    const creating = await a.store.get(id);
    if (!creating) throw new Error("no session");

    // Both have read the session before either writes its claim.
    let arrived = 0;
    let bothRead: () => void = () => undefined;
    const barrier = new Promise<void>((resolve) => (bothRead = resolve));
    for (const { store } of [a, b]) {
      const replace = store.replace.bind(store);
      store.replace = async (state, version) => {
        if (++arrived === 2) bothRead();
        await barrier;
        return replace(state, version);
      };
    }
    const dispatched: string[] = [];
    const handoff = (replica: { store: PostgresStore }, vault: SecretVault) =>
      recordingHandoff(replica.store, vault, 0, dispatched);
    const holder = new SecretVault();
    holder.set(
      id,
      "OPENROUTER_API_KEY",
      "sk-or-v1-TYPED-ON-A",
      creating.secrets.givenAt?.["OPENROUTER_API_KEY"],
    );
    await Promise.all([
      handoff(b, new SecretVault()).offer(creating, ["OPENROUTER_API_KEY"]),
      handoff(a, holder).take({ session: id, mark }),
    ]);
    expect(arrived).toBe(2);
    expect(dispatched).toHaveLength(1);
    expect(["handedOver", "secretsElsewhere"]).toContain(dispatched[0]);
    // A late offer for the same moment finds the work moved on: nobody takes it again.
    await handoff(a, holder).take({ session: id, mark });
    expect(dispatched).toHaveLength(1);
  });
});

describe("GIVEN Create offered for a wizard given two keys", () => {
  /** When the wizard records each key as given. */
  const GIVEN = { OPENROUTER_API_KEY: 1_000, MCP_DOCS_API_KEY: 2_000 } as const;
  /** A session in Create with both keys provided, and a recorder of what each KeyHandoff dispatches. */
  async function offeredWithTwoKeys(waitMs: number) {
    const { a, b, chat } = await twoReplicas();
    const id = await toReview(a.runner, chat, "two-keys");
    const read = await a.store.getVersioned(id);
    if (!read) throw new Error("no session");
    const mark = Date.now();
    const creating = {
      ...read.value,
      step: "creating" as const,
      updatedAt: mark,
      secrets: {
        ...read.value.secrets,
        provided: ["OPENROUTER_API_KEY", "MCP_DOCS_API_KEY"],
        givenAt: { OPENROUTER_API_KEY: GIVEN.OPENROUTER_API_KEY, MCP_DOCS_API_KEY: GIVEN.MCP_DOCS_API_KEY },
      },
    };
    expect(await a.store.replace(creating, read.version)).toBe(true);
    const dispatched: string[] = [];
    const handoff = (replica: { store: PostgresStore }, vault: SecretVault) =>
      recordingHandoff(replica.store, vault, waitMs, dispatched);
    return { a, b, id, mark, creating, dispatched, handoff };
  }

  it("WHEN the only replica offered it holds one of the two THEN it does not take it: the offerer gives it back", async () => {
    const { a, b, id, mark, creating, dispatched, handoff } = await offeredWithTwoKeys(0);
    const partial = new SecretVault();
    partial.set(id, "OPENROUTER_API_KEY", "sk-or-v1-ONLY-ONE", GIVEN.OPENROUTER_API_KEY);
    await handoff(a, partial).take({ session: id, mark });
    expect(dispatched).toEqual([]);
    expect((await a.store.get(id))?.updatedAt).toBe(mark);
    await handoff(b, new SecretVault()).offer(creating, ["OPENROUTER_API_KEY", "MCP_DOCS_API_KEY"]);
    expect(dispatched).toEqual(["secretsElsewhere"]);
  });

  it("WHEN the offering replica stops during its wait THEN it gives the wizard back at once, and takes no offer after", async () => {
    const { b, id, mark, creating, dispatched, handoff } = await offeredWithTwoKeys(60_000);
    const offerer = handoff(b, new SecretVault());
    const offered = offerer.offer(creating, ["OPENROUTER_API_KEY"]);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(dispatched).toEqual([]);
    // The wait is a minute, past this test's timeout: only the stop can end it.
    await offerer.stop();
    await offered;
    expect(dispatched).toEqual(["secretsElsewhere"]);

    const holder = new SecretVault();
    holder.set(id, "OPENROUTER_API_KEY", "k1", GIVEN.OPENROUTER_API_KEY);
    holder.set(id, "MCP_DOCS_API_KEY", "k2", GIVEN.MCP_DOCS_API_KEY);
    // Offered again (the recorder stepped nothing, so the session is still in Create, at its claimed time).
    const again = (await b.store.get(id))?.updatedAt ?? mark;
    const stopped = handoff(b, holder);
    await stopped.stop();
    await stopped.take({ session: id, mark: again });
    expect(dispatched).toEqual(["secretsElsewhere"]);
    expect((await b.store.get(id))?.updatedAt).toBe(again);
  });
});

describe("GIVEN a key typed again on another replica after the wizard gave it back", () => {
  it("WHEN the replica holding the older value meets Create THEN it counts that key as missing, does not take the offer, and writes nothing of it; the one holding the newer value takes it", async () => {
    const { a, b, chat } = await twoReplicas();
    const id = await toReview(a.runner, chat, "retyped");
    const read = await a.store.getVersioned(id);
    if (!read) throw new Error("no session");
    const firstTyped = read.value.secrets.givenAt?.["OPENROUTER_API_KEY"];
    expect(firstTyped).toBeDefined();
    const mark = Date.now();
    // Typed again on B later, after a give-back: the session records the newer time.
    const retypedAt = (firstTyped ?? 0) + 60_000;
    const creating = {
      ...read.value,
      step: "creating" as const,
      updatedAt: mark,
      secrets: { ...read.value.secrets, givenAt: { OPENROUTER_API_KEY: retypedAt } },
    };
    expect(await a.store.replace(creating, read.version)).toBe(true);
    const dispatched: string[] = [];
    const handoff = (replica: { store: PostgresStore }, vault: SecretVault) =>
      recordingHandoff(replica.store, vault, 0, dispatched);
    const older = a.runner.vault;
    const newer = new SecretVault();
    newer.set(id, "OPENROUTER_API_KEY", "sk-or-v1-TYPED-AGAIN-ON-B", retypedAt);

    const onA = handoff(a, older);
    expect(onA.missing(creating)).toEqual(["OPENROUTER_API_KEY"]);
    expect([...onA.given(creating)]).toEqual([]);
    await onA.take({ session: id, mark });
    expect(dispatched).toEqual([]);

    const onB = handoff(b, newer);
    expect(onB.missing(creating)).toEqual([]);
    expect(onB.given(creating).get("OPENROUTER_API_KEY")).toBe("sk-or-v1-TYPED-AGAIN-ON-B");
    await onB.take({ session: id, mark });
    expect(dispatched).toEqual(["handedOver"]);

    // A session stored before key times were kept: the value held counts as given.
    const { givenAt: _dropped, ...untimed } = creating.secrets;
    expect(onA.missing({ ...creating, secrets: untimed })).toEqual([]);
  });
});
