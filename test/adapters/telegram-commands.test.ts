// Commands as Telegram spells them (no spaces in a command name) and the /start deep link that
// carries a key prompt's session into a private chat: the menu, help and the link's round trip.
import { describe, expect, it } from "vitest";
import { commandEntries, parseCommand } from "../../commands/index.ts";
import {
  deepLinkSession,
  secretDeepLink,
  telegramCommand,
  telegramCommands,
  telegramHelp,
} from "../../src/adapters/telegram/commands.ts";
import { TELEGRAM_COMMAND_DESCRIPTION_MAX_CHARS } from "../../src/adapters/telegram/limits.ts";

describe("GIVEN the command table on Telegram", () => {
  it("WHEN it becomes the menu THEN every name is one word Telegram accepts, and each parses back to its entry", () => {
    const menu = telegramCommands();
    expect(menu).toHaveLength(commandEntries().length);
    expect(menu.map((item) => item.command)).toContain("profile_new");
    for (const item of menu) {
      // Telegram's rule for a command name: 1–32 of a–z, 0–9 and _.
      expect(item.command).toMatch(/^[a-z0-9_]{1,32}$/);
      expect(item.description.length).toBeLessThanOrEqual(TELEGRAM_COMMAND_DESCRIPTION_MAX_CHARS);
      expect(parseCommand(`/${item.command}`)?.entry.path).toBe(item.command.replace("_", " "));
    }
  });

  it("WHEN a command is spelled for a hint or help THEN its space becomes an underscore", () => {
    expect(telegramCommand("profile new")).toBe("/profile_new");
    expect(telegramCommand("help")).toBe("/help");
    const help = telegramHelp().split("\n");
    expect(help).toHaveLength(commandEntries().length);
    expect(help).toContainEqual(expect.stringMatching(/^\/profile_new — \S/));
  });
});

describe("GIVEN the deep link a group's key prompt shows", () => {
  it("WHEN it is opened THEN the /start message it sends names the session again", () => {
    const link = secretDeepLink("blueprint_bot", "ab12cd34");
    expect(link).toBe("https://t.me/blueprint_bot?start=s_ab12cd34");
    const payload = new URL(link).searchParams.get("start");
    expect(deepLinkSession(`/start ${payload}`)).toBe("ab12cd34");
  });

  it.each([
    ["a plain /start", "/start"],
    ["another prefix", "/start x_ab12cd34"],
    ["a session id too short", "/start s_ab1"],
    ["a session id too long", `/start s_${"a".repeat(17)}`],
    ["characters a session id never holds", "/start s_AB12CD34"],
    ["more after the id", "/start s_ab12cd34 extra"],
    ["another command", "/help s_ab12cd34"],
  ])("WHEN the text is %s THEN it names no session", (_case, text) => {
    expect(deepLinkSession(text)).toBeUndefined();
  });
});
