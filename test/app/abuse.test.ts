// The hostile corpus (test/fixtures/hostile-inputs.ts, 200+ inputs) through every text prompt and
// form of the wizard, every command option, button tokens of every kind, key prompts and the
// blueprint-file import path, on the real runner, command router, store and profile writer. Each
// input must be refused with a clear message or accepted as a valid value; nothing may crash, and
// nothing may be written outside the profiles root.
import { existsSync } from "node:fs";
import { KnownSecrets } from "../../src/app/secrets/known-secrets.ts";
import { mkdir, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { commandEntries } from "../../commands/index.ts";
import { PACKAGE_ROOT } from "../../src/app/system/package-root.ts";
import { CommandRouter } from "../../src/app/runtime/command-router.ts";
import { OPEN_ACCESS } from "../../src/app/ports/command-context.ts";
import { loadConfig } from "../../src/app/system/config.ts";
import { createFromFile } from "../../src/main/create-from-file.ts";
import { PersonaService } from "../../src/app/persona/persona-service.ts";
import { ProfileService } from "../../src/app/profile/profile-service.ts";
import { BotStore } from "../../src/app/store/bot-store.ts";
import { WizardRunner } from "../../src/app/runtime/wizard-runner.ts";
import { BotRuntime } from "../../src/app/runtime/bot-runtime.ts";
import type { View } from "../../src/core/view.ts";
import type { Actor } from "../../src/core/wizard/index.ts";
import { CANARY, hostileCorpus } from "../fixtures/hostile-inputs.ts";
import { localBackend } from "../helpers/backend.ts";
import { shippedLibrary } from "../helpers/catalog.ts";
import { REPO_ROOT } from "../helpers/cli.ts";
import { RecordingOutput } from "../helpers/recording-output.ts";
import { memoryLogger } from "../helpers/silent-logger.ts";
import { useTempDirs } from "../helpers/temp-dir.ts";
import { storeFilesText } from "../helpers/store-files.ts";

const tempDir = useTempDirs();
const corpus = hostileCorpus();
const ALICE: Actor = { id: "u:alice", name: "alice" };
const MALLORY: Actor = { id: "u:mallory", name: "mallory" };
const SECRET = "sk-abuse-SECRET-0042";

interface World {
  root: string;
  data: string;
  profilesRoot: string;
  store: BotStore;
  runner: WizardRunner;
  runtime: BotRuntime;
  router: CommandRouter;
  output: RecordingOutput;
  logs: string[];
}

let world: World;
let outerDir: string;
let base: string;

beforeAll(async () => {
  // Nested, so that "../../x" from the profiles root still lands somewhere this test can see.
  base = await mkdtemp(path.join(os.tmpdir(), "blueprint-abuse-"));
  outerDir = path.join(base, "outer");
  const root = path.join(outerDir, "inner", "root");
  const data = path.join(root, "data");
  const hermesHome = path.join(root, "hermes");
  const profilesRoot = path.join(hermesHome, "profiles");
  await mkdir(profilesRoot, { recursive: true });
  const memory = memoryLogger();
  const store = await BotStore.open(path.join(data, "store.json"), memory.logger, { flushDelayMs: 5 });
  const backend = await localBackend({ hermesHome, profilesRoot, library: await shippedLibrary() });
  const personas = await PersonaService.open({
    store,
    backend,
    personasDir: path.join(REPO_ROOT, "library/personas"),
    logger: memory.logger,
  });
  const profiles = new ProfileService({ store, backend, logger: memory.logger });
  const runner = new WizardRunner({
    store,
    library: await shippedLibrary(),
    logger: memory.logger,
    backend,
    modelListTimeoutMs: 100,
    personas,
    profiles,
    // The Model step may be pointed at hostile URLs: no request leaves the test.
    listModels: () => Promise.resolve({ ok: false, reason: "not asked in this test" }),
  });
  const output = new RecordingOutput();
  runner.attach("console", output);
  const router = new CommandRouter(personas, OPEN_ACCESS, profiles);
  // Presses go where an adapter's go: through the chat runtime, which routes each token by its kind.
  const runtime = new BotRuntime({ wizards: runner, commands: router, store, personas, profiles });
  world = { root, data, profilesRoot, store, runner, runtime, router, output, logs: memory.lines };
}, 60_000);

afterAll(async () => {
  await world.store.flush();
  await rm(base, { recursive: true, force: true });
});

function view(session: string): View {
  return world.output.view(session);
}

async function press(session: string, label: string, actor: Actor = ALICE): Promise<void> {
  await world.output.press(world.runner, session, label, actor);
}

/** A fresh wizard walked to the step that asks for this text. */
async function sessionAt(step: string): Promise<string> {
  const state = await world.runner.start(ALICE, "console", `chat-${step}-${Math.random()}`);
  const id = state.id;
  const route: Record<string, (() => Promise<unknown>)[]> = {
    "identity.name": [],
    "identity.display_name": [
      () => world.runner.text(id, ALICE, "abuse-bot"),
      () => press(id, "Display name"),
    ],
    "identity.description": [() => world.runner.text(id, ALICE, "abuse-bot"), () => press(id, "Description")],
    "model.base_url": [
      () => world.runner.text(id, ALICE, "abuse-bot"),
      () => press(id, "Next"),
      () => press(id, "Ollama"),
    ],
    "model.model_text": [
      () => world.runner.text(id, ALICE, "abuse-bot"),
      () => press(id, "Next"),
      () => press(id, "OpenRouter"),
      () => press(id, "Type a model id"),
    ],
    "skills.hub": [
      () => world.runner.text(id, ALICE, "abuse-bot"),
      () => press(id, "Next"),
      () => press(id, "OpenRouter"),
      () => press(id, "anthropic/claude-sonnet-4"),
      () => press(id, "Skip"),
      () => press(id, "Optional skills"),
      () => press(id, "Hub skills"),
    ],
    "mcp.custom_name": [
      () => world.runner.text(id, ALICE, "abuse-bot"),
      () => press(id, "Next"),
      () => press(id, "OpenRouter"),
      () => press(id, "anthropic/claude-sonnet-4"),
      () => press(id, "Skip"),
      () => press(id, "Optional skills"),
      () => press(id, "Hub skills"),
      () => press(id, "Done"),
      () => press(id, "MCP servers"),
      () => press(id, "Add custom"),
    ],
  };
  route["mcp.custom_target"] = [
    ...(route["mcp.custom_name"] ?? []),
    () => world.runner.text(id, ALICE, "docs"),
  ];
  route["model.api_key"] = [
    () => world.runner.text(id, ALICE, "abuse-bot"),
    () => press(id, "Next"),
    () => press(id, "OpenRouter"),
    () => press(id, "anthropic/claude-sonnet-4"),
  ];
  for (const move of route[step] ?? []) await move();
  expect((await world.runner.peek(id))?.step).toBe(step);
  return id;
}

/** A refusal a person can act on: an error or warning that names the problem, no internals. */
function expectClearRefusal(text: string | undefined, input: string): void {
  expect(text, `no message for ${JSON.stringify(input).slice(0, 80)}`).toBeTruthy();
  expect(text).not.toMatch(/\n\s+at |\[object |TypeError|undefined is|Cannot read/);
}

function stringsIn(value: unknown): string[] {
  if (typeof value === "string") return [value];
  if (typeof value !== "object" || value === null) return [];
  return Object.values(value).flatMap(stringsIn);
}

/** C0 controls other than tab and newline, and the bidi embedding/override/isolate characters. */
function unsafeCharIn(text: string): boolean {
  return [...text].some((char) => {
    const code = char.codePointAt(0) ?? 0;
    return (
      (code < 0x20 && code !== 0x09 && code !== 0x0a) ||
      (code >= 0x202a && code <= 0x202e) ||
      (code >= 0x2066 && code <= 0x2069)
    );
  });
}

const TEXT_STEPS = [
  "identity.name",
  "identity.display_name",
  "identity.description",
  "model.base_url",
  "model.model_text",
  "skills.hub",
  "mcp.custom_name",
  "mcp.custom_target",
] as const;

describe("GIVEN the hostile corpus", () => {
  it("THEN it holds at least 200 inputs across every category", () => {
    expect(corpus.length).toBeGreaterThanOrEqual(200);
    expect(new Set(corpus.map((input) => input.category)).size).toBeGreaterThanOrEqual(8);
  });

  it.each(TEXT_STEPS)(
    "WHEN each input is typed at %s THEN it is refused clearly or accepted as a valid value, never a crash",
    async (step) => {
      let session = await sessionAt(step);
      const accepted: string[] = [];
      for (const { value } of corpus) {
        const before = await world.runner.peek(session);
        await world.runner.text(session, ALICE, value);
        const after = await world.runner.peek(session);
        if (after?.step === before?.step && after?.rev === before?.rev) {
          const notice = view(session).notice;
          expect(notice?.tone === "error" || notice?.tone === "warning").toBe(true);
          expectClearRefusal(notice?.text, value);
        } else {
          // Accepted: what was kept is the value as the rules normalised it, with no control or bidi character.
          for (const text of stringsIn(after?.draft))
            expect(unsafeCharIn(text), JSON.stringify(text)).toBe(false);
          accepted.push(value);
          await world.runner.cancel(session, ALICE);
          session = await sessionAt(step);
        }
      }
      // Free text (descriptions, display names) may take many inputs; names and paths take almost none.
      if (step === "identity.name" || step === "skills.hub" || step === "mcp.custom_name")
        expect(accepted.length, accepted.join(" | ")).toBeLessThan(corpus.length / 4);
    },
    120_000,
  );

  it("WHEN each input fills the name form (name, display name, description) THEN nothing is half kept", async () => {
    const session = await sessionAt("identity.name");
    for (const { value } of corpus) {
      await world.runner.form(session, ALICE, { name: value, display_name: value, description: value });
      const state = await world.runner.peek(session);
      if (state?.step !== "identity.name") {
        // Accepted as a whole: all three fields were valid.
        expect(state?.draft.name).toMatch(/^[a-z0-9][a-z0-9_-]{0,63}$/);
        return;
      }
      expect(state.draft.name).toBeUndefined();
      expect(state.draft.display_name).toBeUndefined();
      expectClearRefusal(view(session).notice?.text, value);
    }
  }, 120_000);

  it("WHEN each input is given as a key THEN it is refused or kept only in memory, and never stored or logged", async () => {
    const session = await sessionAt("model.api_key");
    for (const { value } of corpus) {
      const result = await world.runner.submitSecret(session, ALICE, value);
      if (result.ok) break;
      expectClearRefusal(result.message, value);
      expect(result.message).not.toContain(value.length > 3 ? value : "\u0000never");
    }
    const fresh = await sessionAt("model.api_key");
    expect((await world.runner.submitSecret(fresh, ALICE, SECRET)).ok).toBe(true);
    await world.store.flush();
    expect(storeFilesText(world.data)).not.toContain(SECRET);
    expect(world.logs.join("\n")).not.toContain(SECRET);
  }, 60_000);

  it("WHEN each input is every option of every command THEN each is refused clearly or answered, never a crash", async () => {
    let answered = 0;
    for (const entry of commandEntries().filter((candidate) => candidate.options.length > 0)) {
      for (const { value } of corpus) {
        for (const position of entry.options.keys()) {
          const args = entry.options.map((option, index) =>
            index === position ? value : option.name === "id" ? "engineering-code-reviewer" : "",
          );
          while (args.length > 0 && args[args.length - 1] === "") args.pop();
          // Through the chat runtime, as every surface calls it: some commands (edit, install) are
          // the runtime's own, the rest it hands to the command router.
          const outcome = await world.runtime.command(
            { entry, args },
            { actor: ALICE, surface: "console", chat: "c1" },
            { spell: (path) => `/${path}` },
          );
          const reply = outcome.kind === "reply" ? outcome.reply : undefined;
          expect(reply, `${entry.path} ${JSON.stringify(value).slice(0, 40)}`).toBeDefined();
          if (!reply?.ok) expectClearRefusal(reply?.text, value);
          else answered += 1;
        }
      }
    }
    // The only hostile values a command may accept are "no filter" lists (e.g. an empty category).
    expect(answered).toBeLessThan(20);
    expect(await readdir(world.profilesRoot)).toEqual([]);
  }, 120_000);

  it("WHEN forged, foreign or replayed button tokens are pressed THEN each is refused and nothing moves", async () => {
    const session = await sessionAt("identity.display_name");
    const before = await world.runner.peek(session);
    const prefixes = ["", "w:", "i:", "p:", "r:", `w:${session}:`, `w:${session}:0:`];
    for (const { value } of corpus) {
      for (const prefix of prefixes) {
        const notes = world.output.notes.length;
        const result = await world.runtime.press(`${prefix}${value}`, MALLORY);
        if (result.ok) {
          // A well-formed wizard token reached the core, which refused Mallory privately.
          expect(world.output.notes.slice(notes).join("\n")).toContain("Only alice can press");
        } else expectClearRefusal(result.message, value);
        expect(await world.runner.peek(session)).toEqual(before);
      }
      for (const suffix of [":cancel", ":retry", ":undo", ":confirm", ":delete", ":keep"]) {
        for (const prefix of ["i:", "p:", "r:"]) {
          const result = await world.runtime.press(`${prefix}${value}${suffix}`, ALICE);
          expect(result.ok).toBe(false);
        }
      }
    }
    // Alice's real buttons pressed by Mallory, and Alice's old (replayed) buttons: nothing moves.
    for (const button of view(session).buttons.flat()) await world.runtime.press(button.token, MALLORY);
    expect(await world.runner.peek(session)).toEqual(before);
    const old = view(session).buttons.flat()[0]?.token ?? "";
    await world.runner.text(session, ALICE, "Fine Name");
    const moved = await world.runner.peek(session);
    await world.runtime.press(old, ALICE);
    expect(await world.runner.peek(session)).toEqual(moved);
    expect(view(session).notice?.text).toMatch(/changed/);
  }, 120_000);

  it("WHEN each input is a blueprint file's name, model or skill THEN the import refuses it before writing", async () => {
    const loaded = loadConfig({ HERMES_HOME: path.dirname(world.profilesRoot) }, world.root, PACKAGE_ROOT);
    if (!loaded.ok) throw new Error(loaded.problems.join("; "));
    const runtime = {
      config: loaded.config,
      logger: memoryLogger().logger,
      library: await shippedLibrary(),
      secrets: new KnownSecrets(),
      env: {},
    };
    const dir = await tempDir();
    let created = 0;
    for (const [index, { value }] of corpus.entries()) {
      const documents = [
        { name: value, model: { provider: "openrouter", model: "x/y" } },
        { name: `abuse-file-${index}`, model: { provider: value, model: value } },
        {
          name: `abuse-file-${index}`,
          model: { provider: "openrouter", model: "x/y" },
          skills: { hub: [value] },
        },
        {
          name: `abuse-file-${index}`,
          model: { provider: "openrouter", model: "x/y" },
          mcp_servers: [{ name: value, command: value }],
        },
      ];
      for (const [n, document] of documents.entries()) {
        const file = path.join(dir, `blueprint-${index}-${n}.yaml`);
        await writeFile(file, JSON.stringify(document));
        const result = await createFromFile(file, runtime, {});
        if (result.kind === "invalid") expect(result.problems.length).toBeGreaterThan(0);
        else if (result.kind === "created") created += 1;
      }
    }
    // Only documents whose hostile part is a legal value after normalisation can create a profile.
    for (const name of await readdir(world.profilesRoot)) expect(name).toMatch(/^[a-z0-9][a-z0-9_-]{0,63}$/);
    expect(created).toBeLessThan(corpus.length);
  }, 300_000);

  it("WHEN the whole corpus has run THEN nothing was written outside the profiles root and the data folder", async () => {
    expect(existsSync(CANARY)).toBe(false);
    expect(await readdir(outerDir)).toEqual(["inner"]);
    expect(await readdir(path.join(outerDir, "inner"))).toEqual(["root"]);
    expect((await readdir(world.root)).sort()).toEqual(["data", "hermes"]);
    expect(await readdir(path.join(world.root, "hermes"))).toEqual(["profiles"]);
  });
});
