import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { writeProfile } from "../../src/app/profile/profile-writer.ts";
import type { PortResult } from "../../src/app/ports/wizard-output.ts";
import { BotStore } from "../../src/app/store/bot-store.ts";
import { parseBlueprintYaml } from "../../src/core/blueprint-yaml.ts";
import { describe as describeMessage } from "../../src/core/messages.ts";
import { WizardRunner } from "../../src/app/runtime/wizard-runner.ts";
import { type WizardOutput } from "../../src/app/ports/wizard-output.ts";
import type { View } from "../../src/core/view.ts";
import type { WizardState } from "../../src/core/wizard/index.ts";
import { localBackend } from "../helpers/backend.ts";
import { shippedLibrary } from "../helpers/catalog.ts";
import { memoryLogger } from "../helpers/silent-logger.ts";
import { useTempDirs } from "../helpers/temp-dir.ts";
import { ALICE, MALLORY } from "../helpers/wizard-driver.ts";
import { storeFilesText } from "../helpers/store-files.ts";

const tempDir = useTempDirs();
const openStores: BotStore[] = [];
// Registered after useTempDirs, so it runs before the folders are removed (after-hooks run in reverse).
afterEach(async () => {
  await Promise.all(openStores.splice(0).map((store) => store.flush()));
});

/** Records what the runner shows, like an adapter would. */
class RecordingOutput implements WizardOutput {
  views: View[] = [];
  notes: string[] = [];
  render(_state: WizardState, view: View): Promise<void> {
    this.views.push(view);
    return Promise.resolve();
  }
  notify(_state: WizardState, _actorId: string, text: string): Promise<void> {
    this.notes.push(text);
    return Promise.resolve();
  }
  statuses: View[] = [];
  sendStatus(_chat: string, view: View): Promise<PortResult> {
    this.statuses.push(view);
    return Promise.resolve({ ok: true, ref: "m1" });
  }
  editStatus(_chat: string, _ref: string, view: View): Promise<PortResult> {
    this.statuses.push(view);
    return Promise.resolve({ ok: true });
  }
  get last(): View {
    const view = this.views.at(-1);
    if (!view) throw new Error("nothing rendered");
    return view;
  }
  token(label: string): string {
    const view = this.last;
    const all = [...(view.choices?.items ?? []), ...view.buttons.flat()];
    const found = all.find((entry) => entry.label.startsWith(label));
    if (!found) throw new Error(`no '${label}' in ${all.map((entry) => entry.label).join(" | ")}`);
    return found.token;
  }
}

async function setup(dir?: string) {
  const root = dir ?? (await tempDir());
  const store = await BotStore.open(path.join(root, "store.json"), memoryLogger().logger, {
    flushDelayMs: 5,
  });
  const runner = new WizardRunner({
    store,
    library: await shippedLibrary(),
    logger: memoryLogger().logger,
    backend: await localBackend({ hermesHome: path.join(root, "hermes") }),
    modelListTimeoutMs: 500,
  });
  openStores.push(store);
  const output = new RecordingOutput();
  runner.attach("console", output);
  return { root, store, runner, output };
}

async function toReview(runner: WizardRunner, output: RecordingOutput, name: string): Promise<string> {
  const state = await runner.start(ALICE, "console", "chat-1");
  await runner.text(state.id, ALICE, name);
  for (const label of ["Next", "OpenRouter", "anthropic/claude-sonnet-4"])
    await runner.press(output.token(label), ALICE);
  expect((await runner.submitSecret(state.id, ALICE, "  sk-or-v1-SECRET-VALUE \n")).ok).toBe(true);
  for (const label of ["Optional skills", "Hub skills", "Done ▶", "MCP servers", "Next", "No persona"])
    await runner.press(output.token(label), ALICE);
  expect(output.last.title).toContain("Review");
  return state.id;
}

describe("GIVEN the runner with a real store and writer", () => {
  it("WHEN Create is pressed twice at once THEN exactly one profile is created and the secret reaches only .env", async () => {
    const { root, runner, output, store } = await setup();
    const id = await toReview(runner, output, "twice");
    const create = output.token("✓ Create");
    const answers = await Promise.all([runner.press(create, ALICE), runner.press(create, ALICE)]);
    // The second press is stepped after the first ended the wizard: it says so, for a surface that
    // did not look the session up first, and marks it `ended` for one that did (they stay silent).
    expect(answers).toEqual([
      { ok: true },
      { ok: false, ended: true, message: describeMessage({ code: "session_missing" }) },
    ]);
    expect(output.last.title).toBe("Profile created");
    expect(await readdir(path.join(root, "hermes", "profiles"))).toEqual(["twice"]);
    expect(await readFile(path.join(root, "hermes/profiles/twice/.env"), "utf8")).toContain(
      "OPENROUTER_API_KEY=sk-or-v1-SECRET-VALUE\n",
    );
    await store.flush();
    expect(storeFilesText(root)).not.toContain("SECRET-VALUE");
    expect(JSON.stringify(output.views)).not.toContain("SECRET-VALUE");
    expect(await store.get(id)).toBeUndefined();
  });

  it("WHEN a secret with a space or line break is sent THEN it is refused and not kept", async () => {
    const { runner, output } = await setup();
    const state = await runner.start(ALICE, "console", "chat-1");
    await runner.text(state.id, ALICE, "keys");
    for (const label of ["Next", "OpenAI", "gpt-4.1"]) await runner.press(output.token(label), ALICE);
    expect(await runner.submitSecret(state.id, ALICE, "two words")).toEqual({
      ok: false,
      message: "A key is one line of visible characters without spaces. Send it again, or press Skip.",
    });
    const foreign = await runner.submitSecret(state.id, MALLORY, "sk-x");
    expect(foreign.ok).toBe(false);
    expect(foreign.message).toContain("Only Alice");
    expect(runner.vault.valuesFor(state.id).size).toBe(0);
  });

  it("WHEN the bot restarts mid-wizard THEN the wizard resumes at its step and the old buttons still work", async () => {
    const first = await setup();
    const state = await first.runner.start(ALICE, "console", "chat-1");
    await first.runner.text(state.id, ALICE, "resumed");
    const next = first.output.token("Next");
    await first.store.flush();

    const second = await setup(first.root);
    await second.runner.restoreAll();
    expect((await second.store.get(state.id))?.step).toBe("identity.menu");
    expect(await second.runner.press(next, ALICE)).toEqual({ ok: true });
    expect((await second.store.get(state.id))?.step).toBe("model.provider");
  });

  it("WHEN the bot died after the rename but before recording it THEN the restart reports the profile instead of failing on 'exists'", async () => {
    const first = await setup();
    const id = await toReview(first.runner, first.output, "survivor");
    // The crash window: the store says Create started, the rename already put the profile in place.
    const session = await first.store.get(id);
    if (!session) throw new Error("session missing");
    await first.store.put({ ...session, step: "creating" });
    await first.store.putCreate(id, { name: "survivor", state: "started", at: 1 });
    const blueprint = parseBlueprintYaml(
      "name: survivor\nmodel: { provider: openrouter, model: anthropic/claude-sonnet-4 }\n",
    );
    if (!blueprint.ok) throw new Error("bad fixture");
    const written = await writeProfile(blueprint.blueprint, new Map(), {
      hermesHome: path.join(first.root, "hermes"),
      profilesRoot: path.join(first.root, "hermes", "profiles"),
      library: await shippedLibrary(),
    });
    expect(written.ok).toBe(true);
    await first.store.flush();

    const second = await setup(first.root);
    await second.runner.restoreAll();
    expect(second.output.last.title).toBe("Profile created");
    expect(second.output.last.body.join("\n")).toContain("finished before the bot restarted");
    expect(await readdir(path.join(first.root, "hermes", "profiles"))).toEqual(["survivor"]);
  });
});

describe("GIVEN a person with two open wizards whose key prompts they open privately", () => {
  it("WHEN they open one link, then the other THEN only the one opened last is linked, and clearing it leaves none", async () => {
    const { runner } = await setup();
    const first = await runner.start(ALICE, "console", "group-1");
    const second = await runner.start(ALICE, "console", "group-2");
    await runner.start(MALLORY, "console", "group-1");
    expect(await runner.linkedKeyPrompt("console", ALICE.id)).toBeUndefined();
    await runner.linkKeyPrompt(first.id, "OPENROUTER_API_KEY");
    expect((await runner.linkedKeyPrompt("console", ALICE.id))?.id).toBe(first.id);
    await runner.linkKeyPrompt(second.id, "OPENAI_API_KEY");
    expect(await runner.linkedKeyPrompt("console", ALICE.id)).toMatchObject({
      id: second.id,
      keyLink: "OPENAI_API_KEY",
    });
    expect((await runner.peek(first.id))?.keyLink).toBeUndefined();
    expect(await runner.linkedKeyPrompt("console", MALLORY.id)).toBeUndefined();
    await runner.linkKeyPrompt(second.id, undefined);
    expect(await runner.linkedKeyPrompt("console", ALICE.id)).toBeUndefined();
  });
});
