import { readFile } from "node:fs/promises";
import path from "node:path";
import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { useBots } from "../helpers/bot-fixture.ts";
import { consoleWizard } from "../helpers/console-wizard.ts";

const bots = useBots();

describe("GIVEN the console adapter on a terminal", () => {
  it("WHEN a key is typed THEN the terminal echo is muted and the key is never shown, yet it reaches .env", async () => {
    const dir = await bots.tempDir();
    const input = new PassThrough();
    const output = new PassThrough();
    let screen = "";
    output.on("data", (chunk: Buffer) => (screen += chunk.toString()));
    // A real readline in terminal mode echoes every typed character to its output: the adapter
    // must swallow that echo while a secret is asked. The bot starts as `npm start` starts it, with
    // this terminal as its console.
    const bot = await bots.console({ data: dir, stdin: input, stdout: output, isTTY: true });
    const answers = consoleWizard({ name: "tty-bot", key: "sk-typed-in-a-tty" });
    for (const answer of answers) {
      for (const character of `${answer}\r`) input.write(character);
      await new Promise((resolve) => setTimeout(resolve, 15));
    }
    input.end();
    await bot.done;
    expect(screen).toContain("Profile 'tty-bot' created");
    expect(screen).toContain("tty-bot"); // ordinary answers are echoed
    expect(screen).not.toContain("sk-typed");
    expect(await readFile(path.join(dir, "hermes/profiles/tty-bot/.env"), "utf8")).toContain(
      "OPENAI_API_KEY=sk-typed-in-a-tty\n",
    );
  });
});
