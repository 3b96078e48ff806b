import { readFile } from "node:fs/promises";
import path from "node:path";
import { PassThrough } from "node:stream";
import { afterEach, describe, expect, it } from "vitest";
import { ConsoleAdapter } from "../../src/adapters/console/index.ts";
import { SessionStore } from "../../src/app/session-store.ts";
import { WizardRunner } from "../../src/app/wizard-runner.ts";
import { shippedLibrary } from "../helpers/catalog.ts";
import { memoryLogger } from "../helpers/silent-logger.ts";
import { useTempDirs } from "../helpers/temp-dir.ts";

const tempDir = useTempDirs();
const stores: SessionStore[] = [];
afterEach(async () => {
  await Promise.all(stores.splice(0).map((store) => store.flush()));
});

describe("GIVEN the console adapter on a terminal", () => {
  it("WHEN a key is typed THEN the terminal echo is muted and the key is never shown, yet it reaches .env", async () => {
    const dir = await tempDir();
    const store = await SessionStore.open(path.join(dir, "store.json"), memoryLogger().logger, {
      flushDelayMs: 5,
    });
    stores.push(store);
    const runner = new WizardRunner({
      store,
      library: await shippedLibrary(),
      logger: memoryLogger().logger,
      hermesHome: path.join(dir, "hermes"),
      profilesRoot: path.join(dir, "hermes/profiles"),
      modelListTimeoutMs: 500,
    });
    const input = new PassThrough();
    const output = new PassThrough();
    let screen = "";
    output.on("data", (chunk: Buffer) => (screen += chunk.toString()));
    // A real readline in terminal mode echoes every typed character to its output: the adapter
    // must swallow that echo while a secret is asked.
    const adapter = new ConsoleAdapter(
      runner,
      { input, output, isTTY: true },
      { id: "console:tester", name: "tester" },
    );
    const done = adapter.run();
    const answers = [
      "/profile new",
      "tty-bot",
      "Next",
      "OpenAI",
      "gpt-4.1",
      "sk-typed-in-a-tty",
      "Optional skills",
      "Hub skills",
      "done",
      "Next",
      "No persona",
      "Create",
    ];
    for (const answer of answers) {
      for (const character of `${answer}\r`) input.write(character);
      await new Promise((resolve) => setTimeout(resolve, 15));
    }
    input.end();
    await done;
    expect(screen).toContain("Profile 'tty-bot' created");
    expect(screen).toContain("tty-bot"); // ordinary answers are echoed
    expect(screen).not.toContain("sk-typed");
    expect(await readFile(path.join(dir, "hermes/profiles/tty-bot/.env"), "utf8")).toContain(
      "OPENAI_API_KEY=sk-typed-in-a-tty\n",
    );
  });
});
