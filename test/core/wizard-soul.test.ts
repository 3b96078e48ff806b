import { beforeAll, describe, expect, it } from "vitest";
import { HERMES_DEFAULT_SOUL } from "../../src/core/hermes-soul.ts";
import { SOUL_MAX_CHARS } from "../../src/core/limits.ts";
import { SOUL_PREVIEW_MAX_CHARS } from "../../src/core/wizard/soul-screen.ts";
import type { WizardContext } from "../../src/core/wizard/index.ts";
import { draftToBlueprint } from "../../src/core/wizard/draft-blueprint.ts";
import { shippedContext } from "../helpers/catalog.ts";
import { WizardDriver } from "../helpers/wizard-driver.ts";

let ctx: WizardContext;
beforeAll(async () => {
  ctx = await shippedContext([]);
});

function atSoul(): WizardDriver {
  const driver = new WizardDriver(ctx);
  driver.type("souly");
  driver.press("Identity text");
  expect(driver.state.step).toBe("identity.soul");
  return driver;
}

describe("GIVEN the identity text screen", () => {
  it("WHEN a text arrives in parts with Windows line ends THEN they are joined by line breaks and kept only on Use this text", () => {
    const driver = atSoul();
    driver.type("# Souly\r\n\r\nYou review code.");
    driver.type("Be brief.");
    expect(driver.state.draft.soul).toBeUndefined();
    expect(driver.view.body.join("\n")).toContain("Received so far: 35 characters");
    driver.press("✓ Use this text");
    expect(driver.state.step).toBe("identity.menu");
    expect(driver.state.draft.soul).toBe("# Souly\n\nYou review code.\nBe brief.");
    expect(
      draftToBlueprint({ ...driver.state.draft, provider: "openai", model: "gpt-4.1" }, ctx),
    ).toMatchObject({
      ok: true,
      blueprint: { soul: "# Souly\n\nYou review code.\nBe brief." },
    });
  });

  it.each([
    ["a control character", "bad\u0007bell", "control or invisible"],
    ["a bidi override", "abc\u202Edef", "control or invisible"],
  ])("WHEN the text holds %s THEN it is refused and nothing is kept", (_what, text, message) => {
    const driver = atSoul();
    driver.type(text);
    expect(driver.state.soulPending).toBeUndefined();
    expect(driver.view.notice?.text).toContain(message);
  });

  it("WHEN the parts together pass the limit THEN the last part is refused and the text so far stays", () => {
    const driver = atSoul();
    driver.type("x".repeat(SOUL_MAX_CHARS - 10));
    driver.type("y".repeat(20));
    expect(driver.state.soulPending).toHaveLength(SOUL_MAX_CHARS - 10);
    expect(driver.view.notice?.text).toContain(`the limit is ${SOUL_MAX_CHARS}`);
  });

  it("WHEN Preview is pressed THEN the text is shown, cut at the preview size", () => {
    const driver = atSoul();
    driver.type("z".repeat(SOUL_PREVIEW_MAX_CHARS + 5));
    driver.press("Preview");
    expect(driver.view.notice?.text).toBe(`${"z".repeat(SOUL_PREVIEW_MAX_CHARS)}\n…(5 more characters)`);
  });

  it("WHEN Use Hermes' default is pressed THEN the draft holds Hermes' own text", () => {
    const driver = atSoul();
    driver.press("Use Hermes' default");
    expect(driver.state.draft.soul).toBe(HERMES_DEFAULT_SOUL);
    expect(driver.view.body).toContain("Identity text: Hermes' default");
  });
});
