// The layer rules of eslint.config.js, shown biting: an import that runs back up the layers
// (main → adapters → app → core) is an error in the file that makes it, and the allowed
// direction is not. The project's own sources are linted by `npm run lint`; this test proves the
// rules it relies on are switched on for the folders they guard.
import { Linter } from "eslint";
import tseslint from "typescript-eslint";
import { describe, expect, it } from "vitest";
import { layers } from "../../eslint.config.js";

const linter = new Linter({ configType: "flat" });
const config = [{ files: ["**/*.ts"], languageOptions: { parser: tseslint.parser } }, ...layers];

/** The layer-rule messages for one import line written in `file`. */
function problems(file: string, importLine: string): string[] {
  return linter
    .verify(`${importLine}\nexport {};\n`, config, { filename: file })
    .filter((message) => message.ruleId === "no-restricted-imports")
    .map((message) => message.message);
}

describe("GIVEN the layer rules of eslint.config.js", () => {
  it.each([
    [
      "src/app/runtime/x.ts",
      'import { TelegramAdapter } from "../../adapters/telegram/index.ts";',
      "never imports an adapter",
    ],
    [
      "src/app/profile/x.ts",
      'import { startBot } from "../../main/start-bot.ts";',
      "never imports an adapter or main",
    ],
    ["src/app/x.ts", 'import { Bot } from "grammy";', "platform-free"],
    ["src/app/x.ts", 'import { Client } from "discord.js";', "platform-free"],
    [
      "src/adapters/telegram/x.ts",
      'import { loadSetup } from "../../main/load-setup.ts";',
      "never import main",
    ],
    [
      "src/core/wizard/x.ts",
      'import { BotStore } from "../../app/store/bot-store.ts";',
      "never import the app",
    ],
    ["src/core/x.ts", 'import { readFile } from "node:fs/promises";', "no Node APIs"],
    ["src/core/x.ts", 'import { execa } from "execa";', "no SDKs or I/O libraries"],
    [
      "commands/x.ts",
      'import { WizardRunner } from "../src/app/runtime/wizard-runner.ts";',
      "never import the app",
    ],
  ])("WHEN %s imports upward (%s) THEN lint refuses it", (file, importLine, reason) => {
    const found = problems(file, importLine);
    expect(found).toHaveLength(1);
    expect(found[0]).toContain(reason);
  });

  it.each([
    ["src/main/x.ts", 'import { TelegramAdapter } from "../adapters/telegram/index.ts";'],
    ["src/main/x.ts", 'import { Api } from "grammy";'],
    ["src/adapters/discord/x.ts", 'import type { ChatRuntime } from "../../app/ports/chat-runtime.ts";'],
    ["src/adapters/discord/x.ts", 'import { Client } from "discord.js";'],
    ["src/app/runtime/x.ts", 'import type { View } from "../../core/view.ts";'],
    ["src/app/system/x.ts", 'import { readFile } from "node:fs/promises";'],
  ])("WHEN %s imports downward (%s) THEN lint lets it", (file, importLine) => {
    expect(problems(file, importLine)).toEqual([]);
  });
});
