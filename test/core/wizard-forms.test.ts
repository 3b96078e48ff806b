// Form and select events: the answers a Discord modal or select menu submits at once, applied by
// the same rules as one answer or one press at a time.
import { beforeAll, describe, expect, it } from "vitest";
import { parseButtonToken, type ButtonPress } from "../../src/core/tokens/button-token.ts";
import type { WizardContext } from "../../src/core/wizard/index.ts";
import { shippedContext } from "../helpers/catalog.ts";
import { MALLORY, WizardDriver } from "../helpers/wizard-driver.ts";

let ctx: WizardContext;
beforeAll(async () => {
  ctx = await shippedContext(["existing-bot"]);
});

function press(token: string): ButtonPress {
  const parsed = parseButtonToken(token);
  if (!parsed.ok) throw new Error(token);
  return parsed.value;
}

function toMcpList(driver: WizardDriver): void {
  driver.type("forms-bot");
  driver.press("Next");
  driver.press("OpenRouter");
  driver.press("anthropic/claude-sonnet-4");
  driver.press("Skip");
  driver.press("Optional skills");
  driver.press("Hub skills");
  driver.press("Done");
  driver.press("MCP servers");
  expect(driver.state.step).toBe("mcp.list");
}

describe("GIVEN the name step offers a form of name, display name and description", () => {
  it("THEN the view lists the three fields, the name first and required", () => {
    const driver = new WizardDriver(ctx);
    expect(driver.view.input?.form?.map((field) => [field.key, field.required])).toEqual([
      ["name", true],
      ["display_name", false],
      ["description", false],
    ]);
  });

  it("WHEN all three are valid THEN they are kept together and the menu follows", () => {
    const driver = new WizardDriver(ctx);
    driver.send({
      type: "form",
      values: { name: "Paper-Bot", display_name: " Paper Bot ", description: "Reads papers" },
      actor: driver.owner,
      at: 2_000,
    });
    expect(driver.state.step).toBe("identity.menu");
    expect(driver.state.draft).toMatchObject({
      name: "paper-bot",
      display_name: "Paper Bot",
      description: "Reads papers",
    });
  });

  it.each([
    [{ name: "../x", display_name: "ok" }, "cannot contain '/'"],
    [{ name: "fine", description: "d".repeat(1001) }, "the limit is 1000"],
    [{ name: "fine", display_name: "n".repeat(65) }, "the limit is 64"],
    [{ name: "existing-bot" }, "already exists"],
    [{ name: "fine", description: "x".repeat(5000) }, "5000 characters"],
  ])("WHEN %j is sent THEN nothing is kept and it says: %s", (values, message) => {
    const driver = new WizardDriver(ctx);
    const before = driver.state;
    driver.send({ type: "form", values, actor: driver.owner, at: 2_000 });
    expect(driver.state).toBe(before);
    expect(driver.view.notice?.text).toContain(message);
  });

  it("WHEN someone else sends the form THEN nothing happens", () => {
    const driver = new WizardDriver(ctx);
    const before = driver.state;
    driver.send({ type: "form", values: { name: "mine" }, actor: MALLORY, at: 2_000 });
    expect(driver.state).toBe(before);
  });

  it("WHEN a form arrives on a step without one THEN it is refused as unexpected", () => {
    const driver = new WizardDriver(ctx);
    driver.type("bot");
    driver.send({ type: "form", values: { name: "other" }, actor: driver.owner, at: 3_000 });
    expect(driver.state.draft.name).toBe("bot");
    expect(driver.view.notice?.tone).toBe("error");
  });
});

describe("GIVEN a custom MCP server asked as one form", () => {
  it("WHEN name and URL are sent THEN the auth question follows", () => {
    const driver = new WizardDriver(ctx);
    toMcpList(driver);
    driver.press("Add custom");
    driver.send({
      type: "form",
      values: { name: "docs", target: "https://mcp.example.com/mcp" },
      actor: driver.owner,
      at: 9_000,
    });
    expect(driver.state.step).toBe("mcp.custom_auth");
    expect(driver.state.customMcp).toMatchObject({ name: "docs", url: "https://mcp.example.com/mcp" });
  });

  it("WHEN name and a command line are sent THEN the server is added", () => {
    const driver = new WizardDriver(ctx);
    toMcpList(driver);
    driver.press("Add custom");
    driver.send({
      type: "form",
      values: { name: "local", target: "npx -y @scope/server --flag" },
      actor: driver.owner,
      at: 9_000,
    });
    expect(driver.state.step).toBe("mcp.list");
    expect(driver.state.draft.mcp).toContainEqual(
      expect.objectContaining({ name: "local", command: "npx", args: ["-y", "@scope/server", "--flag"] }),
    );
  });

  it("WHEN the name clashes with the catalog THEN nothing is added", () => {
    const driver = new WizardDriver(ctx);
    toMcpList(driver);
    driver.press("Add custom");
    driver.send({
      type: "form",
      values: { name: "github", target: "npx x" },
      actor: driver.owner,
      at: 9_000,
    });
    expect(driver.state.step).toBe("mcp.custom_name");
    expect(driver.view.notice?.text).toContain("github");
  });
});

describe("GIVEN a select menu over a list", () => {
  it("WHEN one provider is chosen THEN it is the same as pressing it", () => {
    const driver = new WizardDriver(ctx);
    driver.type("bot");
    driver.press("Next");
    const choices = driver.view.choices;
    const openRouter = choices?.items.find((item) => item.label.startsWith("OpenRouter"));
    if (!choices || !openRouter) throw new Error("no provider list");
    driver.send({
      type: "select",
      rev: press(choices.selectToken).rev,
      chosen: [press(openRouter.token)],
      actor: driver.owner,
      at: 5_000,
    });
    expect(driver.state.draft.provider).toBe("openrouter");
  });

  it("WHEN a multi list is submitted THEN each changed item toggles, in one step", () => {
    const driver = new WizardDriver(ctx);
    toMcpList(driver);
    const choices = driver.view.choices;
    if (!choices) throw new Error("no MCP list");
    const [first, second] = choices.items;
    if (!first || !second) throw new Error("MCP page too short");
    const revBefore = driver.state.rev;
    driver.send({
      type: "select",
      rev: revBefore,
      chosen: [press(first.token), press(second.token)],
      actor: driver.owner,
      at: 9_000,
    });
    expect(driver.state.rev).toBe(revBefore + 1);
    const chosenNow = driver.view.choices?.items.filter((item) => item.selected).map((item) => item.label);
    expect(chosenNow).toEqual([first.label, second.label]);
    // Submitting only the second one again un-chooses the first.
    const again = driver.view.choices?.items[1];
    if (!again) throw new Error("second item gone");
    driver.send({
      type: "select",
      rev: driver.state.rev,
      chosen: [press(again.token)],
      actor: driver.owner,
      at: 10_000,
    });
    expect(driver.view.choices?.items.filter((item) => item.selected).map((item) => item.label)).toEqual([
      second.label,
    ]);
  });

  it("WHEN the menu is from an older screen THEN nothing toggles and the current screen says so", () => {
    const driver = new WizardDriver(ctx);
    toMcpList(driver);
    const old = driver.view.choices;
    const item = old?.items[0];
    if (!old || !item) throw new Error("no MCP list");
    driver.press("Add custom");
    driver.press("◀ Back");
    const before = driver.state;
    driver.send({
      type: "select",
      rev: press(old.selectToken).rev,
      chosen: [press(item.token)],
      actor: driver.owner,
      at: 9_500,
    });
    expect(driver.state).toBe(before);
    expect(driver.view.notice?.text).toMatch(/changed/i);
  });

  it("WHEN someone else submits it THEN they get a private refusal and nothing changes", () => {
    const driver = new WizardDriver(ctx);
    toMcpList(driver);
    const item = driver.view.choices?.items[0];
    if (!item) throw new Error("no MCP list");
    const before = driver.state;
    driver.send({
      type: "select",
      rev: driver.state.rev,
      chosen: [press(item.token)],
      actor: MALLORY,
      at: 9_500,
    });
    expect(driver.state).toBe(before);
    expect(driver.effect("notify")).toMatchObject({ actorId: MALLORY.id });
  });

  it("WHEN a value is a token for another action THEN it is refused as unknown", () => {
    const driver = new WizardDriver(ctx);
    toMcpList(driver);
    const before = driver.state;
    const forged = press(driver.tokenFor("Next"));
    driver.send({ type: "select", rev: driver.state.rev, chosen: [forged], actor: driver.owner, at: 9_500 });
    expect(driver.state).toBe(before);
    expect(driver.view.notice?.tone).toBe("warning");
  });
});
