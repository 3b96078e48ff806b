// The wizard when profiles are made on a Hermes host through its dashboard: Review says where
// Create goes and, before Create, what of the draft cannot be set there; the installs started after
// Create are the ones the create reported (optional skills included on a host).
import { beforeAll, describe, expect, it } from "vitest";
import type { WizardContext } from "../../src/core/wizard/index.ts";
import { shippedContext } from "../helpers/catalog.ts";
import { walkToReview, WizardDriver } from "../helpers/wizard-driver.ts";

let local: WizardContext;
let remote: WizardContext;
beforeAll(async () => {
  local = await shippedContext([]);
  remote = { ...local, remote: { host: "hermes-box:9119", cannotSet: ["display_name"] } };
});

describe("GIVEN Review with a Hermes host", () => {
  it("WHEN a display name was given THEN Review names the host and says the display name cannot be set there", () => {
    const driver = new WizardDriver(remote);
    walkToReview(driver, "named-bot", "Named Bot");
    expect(driver.state.step).toBe("review");
    expect(driver.view.body).toContain("Created by Hermes on hermes-box:9119 through its dashboard.");
    expect(driver.view.body.join("\n")).toContain(
      "Cannot be set remotely (Hermes 0.19's dashboard has no endpoint for it): display name 'Named Bot'.",
    );
    expect(driver.view.body.join("\n")).not.toContain("Files: profiles/");
  });

  it("WHEN no display name was given THEN nothing is listed as unsettable", () => {
    const driver = new WizardDriver(remote);
    walkToReview(driver);
    expect(driver.view.body.join("\n")).not.toContain("Cannot be set remotely");
  });

  it("WHEN profiles are made on this machine THEN Review names the folder, not a host", () => {
    const driver = new WizardDriver(local);
    walkToReview(driver, "named-bot", "Named Bot");
    expect(driver.view.body.join("\n")).toContain("Files: profiles/named-bot/");
    expect(driver.view.body.join("\n")).not.toContain("Created by Hermes on");
  });
});

describe("GIVEN Create finished", () => {
  it("WHEN the report names installs THEN exactly those start; without them, the draft's hub skills", () => {
    const reported = new WizardDriver(remote);
    walkToReview(reported);
    reported.press("✓ Create");
    reported.send({
      type: "createFinished",
      ok: true,
      lines: ["Profile 'research-bot' created on hermes-box:9119."],
      installs: ["official/devops/docker-debug"],
      at: 60_000,
    });
    expect(reported.effect("startInstalls")).toEqual({
      type: "startInstalls",
      profile: "research-bot",
      identifiers: ["official/devops/docker-debug"],
    });
    const plain = new WizardDriver(local);
    walkToReview(plain);
    plain.press("✓ Create");
    plain.send({ type: "createFinished", ok: true, lines: ["Profile 'research-bot' created."], at: 60_000 });
    expect(plain.effect("startInstalls")).toBeUndefined();
  });
});
