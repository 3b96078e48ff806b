// /profile use on its own: the binding it stores is what /persona commands without a profile act on
// (test/app/persona/persona-service.test.ts shows that side), so a bad name must store nothing.
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { type CommandContext } from "../../src/app/ports/command-context.ts";
import { ProfileService } from "../../src/app/profile/profile-service.ts";
import { BotStore } from "../../src/app/store/bot-store.ts";
import { localBackend } from "../helpers/backend.ts";
import { memoryLogger } from "../helpers/silent-logger.ts";
import { useTempDirs } from "../helpers/temp-dir.ts";
import { ALICE } from "../helpers/wizard-driver.ts";

const tempDir = useTempDirs();
const stores: BotStore[] = [];
afterEach(async () => {
  await Promise.all(stores.splice(0).map((store) => store.flush()));
});

const ctx: CommandContext = { actor: ALICE, surface: "telegram", chat: "group-1" };

async function setup() {
  const dir = await tempDir();
  const hermesHome = path.join(dir, "hermes");
  await mkdir(path.join(hermesHome, "profiles/bot"), { recursive: true });
  await writeFile(path.join(hermesHome, "profiles/bot/config.yaml"), "model: { default: gpt-4.1 }\n");
  const store = await BotStore.open(path.join(dir, "store.json"), memoryLogger().logger, {
    flushDelayMs: 5,
  });
  stores.push(store);
  const profiles = new ProfileService({
    store,
    backend: await localBackend({ hermesHome }),
    logger: memoryLogger().logger,
    now: () => 1_000,
  });
  return { profiles, store };
}

describe("GIVEN a chat and a profile 'bot'", () => {
  it("WHEN the chat uses it THEN the chat is bound to it, by whom and when", async () => {
    const { profiles, store } = await setup();
    const answer = await profiles.use(ctx, "bot");
    expect(answer).toEqual({
      ok: true,
      text: "This chat now works with profile 'bot'. /persona apply without a profile applies to it.",
    });
    expect(await store.binding("telegram:group-1")).toEqual({ profile: "bot", by: ALICE.id, at: 1_000 });
    expect(await store.binding("discord:group-1")).toBeUndefined();
  });

  it.each([
    ["a profile that does not exist", "ghost", /There is no profile 'ghost'/],
    ["a name with a path", "../bot", /cannot contain '\/'/],
  ])("WHEN the chat uses %s THEN it is refused and nothing is bound", async (_what, name, message) => {
    const { profiles, store } = await setup();
    const answer = await profiles.use(ctx, name);
    expect(answer.ok).toBe(false);
    expect(answer.text).toMatch(message);
    expect(await store.binding("telegram:group-1")).toBeUndefined();
  });
});

describe("GIVEN an Apply of the editor on 'bot' with its Undo offered to Alice", () => {
  async function appliedEdit() {
    const { profiles, store } = await setup();
    const backend = profiles.backend;
    const read = await backend.readForEdit("bot");
    if (!read.ok) throw new Error(read.reason);
    const { parseBlueprintYaml } = await import("../../src/core/blueprint-yaml.ts");
    const parsed = parseBlueprintYaml("name: bot\ndescription: Edited\n");
    if (!parsed.ok) throw new Error("bad fixture");
    const applied = await backend.applyEdit("bot", {
      blueprint: parsed.blueprint,
      keys: new Set(["description"]),
      fingerprint: read.value.fingerprint,
      secrets: new Map(),
    });
    if (!applied.ok || !applied.value.undoFingerprint) throw new Error("not applied");
    const button = await profiles.offerEditUndo("bot", ALICE, applied.value.undoFingerprint);
    return { profiles, store, button };
  }

  it("WHEN someone else presses Undo THEN it is refused and the edit stays; Alice's press undoes it once", async () => {
    const { profiles, button } = await appliedEdit();
    const mallory = { id: "u-mallory", name: "Mallory" };
    const description = async () => {
      const facts = await profiles.backend.facts("bot");
      return facts.ok ? facts.value.description : "unreadable";
    };
    expect(await profiles.press(mallory, button.token)).toEqual({
      ok: false,
      text: "Only the person who applied the edit can undo it.",
    });
    expect(await description()).toBe("Edited");
    const undone = await profiles.press(ALICE, button.token);
    expect(undone.ok).toBe(true);
    expect(undone.text).toContain("Undone on profile 'bot': put back as before the edit: profile.yaml.");
    expect(await description()).toBeUndefined();
    expect(await profiles.press(ALICE, button.token)).toEqual({
      ok: false,
      text: "That Undo has expired or was already used.",
    });
  });
});

describe("GIVEN two chats applying edits of 'bot' read at the same moment", () => {
  it("WHEN both Apply at once THEN exactly one writes and the other is told the profile changed", async () => {
    const { profiles } = await setup();
    const { backend } = profiles;
    const read = await backend.readForEdit("bot");
    if (!read.ok) throw new Error(read.reason);
    const { parseBlueprintYaml } = await import("../../src/core/blueprint-yaml.ts");
    const request = (description: string) => {
      const parsed = parseBlueprintYaml(`name: bot\ndescription: ${description}\n`);
      if (!parsed.ok) throw new Error("bad fixture");
      return {
        blueprint: parsed.blueprint,
        keys: new Set(["description"]),
        fingerprint: read.value.fingerprint,
        secrets: new Map<string, string>(),
      };
    };
    const results = await Promise.all([
      backend.applyEdit("bot", request("From chat one")),
      backend.applyEdit("bot", request("From chat two")),
    ]);
    expect(results.map((result) => result.ok).sort()).toEqual([false, true]);
    const loser = results.find((result) => !result.ok);
    expect(loser && !loser.ok && loser.reason).toContain(
      "the profile changed since the editor read it (profile.yaml)",
    );
    const facts = await backend.facts("bot");
    expect(facts.ok && facts.value.description).toBe(results[0]?.ok ? "From chat one" : "From chat two");
  });
});
