import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { loadPersonas } from "../../../src/app/persona/persona-loader.ts";
import type { PersonaLibrary } from "../../../src/core/persona/persona-library.ts";
import { TELEGRAM_MESSAGE_MAX_CHARS } from "../../../src/adapters/telegram/limits.ts";
import { DISCORD_MAX_MESSAGES_PER_REPLY } from "../../../src/adapters/discord/limits.ts";
import { splitMessage } from "../../../src/adapters/shared/split-message.ts";
import { parseCommand } from "../../../commands/index.ts";
import { REPO_ROOT } from "../../helpers/cli.ts";

let library: PersonaLibrary;
beforeAll(async () => {
  library = (await loadPersonas(path.join(REPO_ROOT, "library/personas"))).library;
});

describe("GIVEN the persona library", () => {
  it("THEN list is sorted by category then name, and can be filtered", () => {
    const engineering = library.list("engineering").map((persona) => persona.meta.name);
    expect(engineering).toEqual([
      "Backend Architect",
      "Code Reviewer",
      "Frontend Engineer",
      "Security Engineer",
    ]);
    const categories = library.list().map((persona) => persona.meta.category);
    expect(categories).toEqual([...categories].sort());
  });

  it("THEN get finds by id or alias, case-insensitively", () => {
    expect(library.get("engineering-security-engineer")?.meta.name).toBe("Security Engineer");
    expect(library.get("AppSec")?.meta.id).toBe("engineering-security-engineer");
    expect(library.get("nobody")).toBeUndefined();
  });

  it.each([
    ["security", "engineering-security-engineer"],
    ["incident", "devops-incident-commander"],
    ["incid", "devops-incident-commander"],
    ["release notes", "writing-release-communicator"],
    ["wcag", "design-accessibility-specialist"],
    ["code-reviewer", "engineering-code-reviewer"],
  ])("WHEN searching %j THEN %s ranks first", (query, id) => {
    expect(library.search(query)[0]?.meta.id).toBe(id);
  });

  it("THEN search returns at most 25 and nothing for words no persona has", () => {
    expect(library.search("").length).toBeLessThanOrEqual(25);
    expect(library.search("zzzqqq")).toEqual([]);
  });

  it("THEN unknown ids get close suggestions", () => {
    expect(library.closest("engineering-securty-engineer")[0]).toBe("engineering-security-engineer");
  });
});

describe("GIVEN replies and commands", () => {
  it("WHEN a persona's text is split for Telegram THEN every part fits and nothing is lost", () => {
    const text = Array.from({ length: 60 }, (_, i) => `Paragraph ${i} ${"word ".repeat(40)}`).join("\n\n");
    const parts = splitMessage(text, TELEGRAM_MESSAGE_MAX_CHARS);
    expect(parts.length).toBeGreaterThan(DISCORD_MAX_MESSAGES_PER_REPLY - 1);
    for (const part of parts) expect(part.length).toBeLessThanOrEqual(TELEGRAM_MESSAGE_MAX_CHARS);
    expect(parts.join(" ").replace(/\s+/g, " ").trim()).toBe(text.replace(/\s+/g, " ").trim());
    expect(splitMessage("x".repeat(5000), 2000).map((part) => part.length)).toEqual([2000, 2000, 1000]);
  });

  it.each([
    [
      "/persona apply engineering-security-engineer bot ref",
      "persona.apply",
      ["engineering-security-engineer", "bot", "ref"],
    ],
    ["/persona_apply@agent_blueprint_bot x", "persona.apply", ["x"]],
    ["/profile_use research-bot", "profile.use", ["research-bot"]],
    ["persona list", "persona.list", []],
    ["/profile new", "wizard.start", []],
  ])("WHEN %j is typed THEN it is %s with %j", (text, intent, args) => {
    expect(parseCommand(text)).toMatchObject({ entry: { intent }, args });
  });

  it("WHEN an unknown command is typed THEN nothing matches", () => {
    expect(parseCommand("/persona frobnicate")).toBeUndefined();
  });
});
