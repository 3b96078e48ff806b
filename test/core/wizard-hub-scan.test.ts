// Review with the scan before Create: each hub skill's verdict and trust on one line ("scanning…"
// until its scan ends), the ones the install would refuse marked and offered for dropping, and
// whatever the scan reports shown as one bounded plain line.
import { beforeAll, describe, expect, it } from "vitest";
import type { HubScan } from "../../src/core/install/hub-scan.ts";
import { OUTSIDE_DETAIL_MAX_CHARS } from "../../src/core/outside-text.ts";
import type { WizardContext } from "../../src/core/wizard/index.ts";
import { shippedContext } from "../helpers/catalog.ts";
import { WizardDriver } from "../helpers/wizard-driver.ts";

const SAFE = "acme/agent-skills/changelog";
const BLOCKED = "shady/skills/env-exfil";
const PENDING = "official/security/password-audit";

let base: WizardContext;
beforeAll(async () => {
  base = await shippedContext([]);
});

/** Identity to Review with the hub skills typed on the Hub step. */
function walkWithHub(driver: WizardDriver, hub: readonly string[]): void {
  driver.type("scanned-bot");
  driver.press("Next");
  driver.press("OpenRouter");
  driver.press("anthropic/claude-sonnet-4");
  driver.press("Skip");
  driver.press("Optional skills");
  driver.press("Hub skills");
  driver.type(hub.join(" "));
  driver.press("Done");
  driver.press("MCP servers");
  driver.press("Next");
  driver.press("No persona");
}

const scanned = (verdict: "safe" | "dangerous", allowed: boolean, reason = ""): HubScan => ({
  status: "scanned",
  verdict,
  trust: "community",
  allowed,
  forceOnly: false,
  reason,
});

describe("GIVEN hub skills picked and their scans before Create", () => {
  it("WHEN Review shows THEN each skill has its verdict and trust, scanning… while not done, and the refused one says it will not be installed", () => {
    const scans = new Map<string, HubScan>([
      [SAFE, scanned("safe", true)],
      [BLOCKED, scanned("dangerous", false, "the scan found dangerous content; it is never installed")],
      [PENDING, { status: "scanning" }],
    ]);
    const driver = new WizardDriver({ ...base, hubScans: scans });
    walkWithHub(driver, [SAFE, BLOCKED, PENDING]);
    expect(driver.state.step).toBe("review");
    expect(driver.view.body).toEqual(
      expect.arrayContaining([
        `  ${SAFE}: ✓ safe · community`,
        `  ${BLOCKED}: ✗ dangerous · community — will not be installed: the scan found dangerous content; it is never installed`,
        `  ${PENDING}: scanning…`,
        "  1 of them will not be installed. Create anyway (the install reports them blocked), or drop them first.",
      ]),
    );
    expect(driver.tokens().map((token) => token.label)).toContain("Drop the skills the scan refuses");
  });

  it("WHEN the refused skills are dropped THEN Create makes the profile without them; the others stay", () => {
    const scans = new Map<string, HubScan>([
      [SAFE, scanned("safe", true)],
      [BLOCKED, scanned("dangerous", false, "never installed")],
    ]);
    const driver = new WizardDriver({ ...base, hubScans: scans });
    walkWithHub(driver, [SAFE, BLOCKED]);
    driver.press("Drop the skills the scan refuses");
    expect(driver.state.draft.hub).toEqual([SAFE]);
    expect(driver.tokens().map((token) => token.label)).not.toContain("Drop the skills the scan refuses");
    driver.press("✓ Create");
    const create = driver.effect("createProfile");
    expect(create?.type === "createProfile" ? create.blueprint.skills.hub : undefined).toEqual([SAFE]);
  });

  it("WHEN a refused skill is kept THEN Create is still possible and installs are asked for all of them", () => {
    const driver = new WizardDriver({
      ...base,
      hubScans: new Map([[BLOCKED, scanned("dangerous", false, "never installed")]]),
    });
    walkWithHub(driver, [BLOCKED]);
    driver.press("✓ Create");
    const create = driver.effect("createProfile");
    expect(create?.type === "createProfile" ? create.blueprint.skills.hub : undefined).toEqual([BLOCKED]);
  });

  it("WHEN the scan's reason is hostile (escapes, line breaks, a flood) THEN Review shows one plain bounded line", () => {
    const hostile = `\u001b[2J\u001b]0;pwned\u0007Blocked\n✓ Profile 'admin' created\u202e ${"x".repeat(10_000)}`;
    const driver = new WizardDriver({
      ...base,
      hubScans: new Map([
        [BLOCKED, scanned("dangerous", false, hostile)],
        [SAFE, { status: "failed", reason: hostile }],
      ]),
    });
    walkWithHub(driver, [BLOCKED, SAFE]);
    const lines = driver.view.body.filter(
      (line) => line.startsWith(`  ${BLOCKED}:`) || line.startsWith(`  ${SAFE}:`),
    );
    expect(lines).toHaveLength(2);
    for (const line of lines) {
      // eslint-disable-next-line no-control-regex -- the escapes must not be there
      expect(line).not.toMatch(/[\u001b\u0007\u202e\n]/);
      expect(line).toContain("Blocked ✓ Profile 'admin' created");
      expect(line.length).toBeLessThan(
        `  ${BLOCKED}: ✗ dangerous · community — will not be installed: `.length +
          OUTSIDE_DETAIL_MAX_CHARS +
          1,
      );
    }
  });

  it("WHEN the app scans nothing (a Hermes host, INSTALL_COMMAND) THEN Review lists the hub skills as before", () => {
    const driver = new WizardDriver(base);
    walkWithHub(driver, [SAFE]);
    expect(driver.view.body).toContain(`Hub skills (installed after Create): ${SAFE}`);
    expect(driver.view.body.join("\n")).not.toContain("scanning…");
  });
});
