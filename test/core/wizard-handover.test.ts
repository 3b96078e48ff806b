// A Create or Apply handed to the replica that holds the wizard's typed keys: the core asks for the
// same write again from the session as stored, checked as the press checked it.
import { beforeAll, describe, expect, it } from "vitest";
import type { WizardContext } from "../../src/core/wizard/index.ts";
import { shippedContext } from "../helpers/catalog.ts";
import { walkToReview, WizardDriver } from "../helpers/wizard-driver.ts";

let ctx: WizardContext;
beforeAll(async () => {
  ctx = await shippedContext();
});

describe("GIVEN a wizard in Create, handed over to the replica holding its keys", () => {
  it("WHEN the handover is stepped THEN the same Create is asked for as the press asked for, and the session is not changed", () => {
    const driver = new WizardDriver(ctx);
    walkToReview(driver, "handed-bot");
    driver.press("✓ Create");
    expect(driver.state.step).toBe("creating");
    const pressed = driver.effect("createProfile");
    const before = driver.state;
    const handed = driver.send({ type: "handedOver", at: 99_000 });
    expect(handed.state).toBe(before);
    expect(handed.effects).toEqual([pressed]);
  });

  it("WHEN the name was taken meanwhile THEN nothing is created: back to Review with the reason", () => {
    const driver = new WizardDriver(ctx);
    walkToReview(driver, "handed-bot");
    driver.press("✓ Create");
    driver.ctx = { ...ctx, profiles: ["handed-bot"] };
    driver.send({ type: "handedOver", at: 99_000 });
    expect(driver.effect("createProfile")).toBeUndefined();
    expect(driver.state.step).toBe("review");
    expect(driver.view.notice?.tone).toBe("error");
    expect(driver.view.notice?.text).toContain("handed-bot");
  });

  it("WHEN the wizard is not in Create or Apply (a late handover) THEN nothing happens", () => {
    const driver = new WizardDriver(ctx);
    walkToReview(driver, "handed-bot");
    const before = driver.state;
    const handed = driver.send({ type: "handedOver", at: 99_000 });
    expect(handed.state).toBe(before);
    expect(handed.effects).toEqual([]);
  });
});

describe("GIVEN a Create given back because its key was held by another replica", () => {
  it("WHEN the key is dropped from the keys given THEN the other keys keep the time they were given", () => {
    const driver = new WizardDriver(ctx);
    walkToReview(driver, "handed-bot");
    driver.state = {
      ...driver.state,
      step: "creating",
      secrets: { provided: ["A_KEY", "B_KEY"], skipped: [], givenAt: { A_KEY: 10, B_KEY: 20 } },
    };
    driver.send({ type: "secretsElsewhere", envs: ["A_KEY"], at: 99_000 });
    expect(driver.state.step).toBe("review");
    expect(driver.state.secrets.provided).toEqual(["B_KEY"]);
    expect(driver.state.secrets.givenAt).toEqual({ A_KEY: 10, B_KEY: 20 });
  });
});
