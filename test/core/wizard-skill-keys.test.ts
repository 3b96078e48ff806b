// The keys the chosen built-in and optional skills declare are asked at the end of the skills step,
// one at a time, like an MCP server's keys: only for skills the profile gets, never twice, and
// "Skip all" ends the loop. Hub skills are not asked (their SKILL.md is unknown before the install).
import { beforeAll, describe, expect, it } from "vitest";
import type { Catalog } from "../../src/core/catalog.ts";
import { requiredSecrets } from "../../src/core/secrets.ts";
import type { EditSession, WizardContext } from "../../src/core/wizard/index.ts";
import { draftToBlueprint } from "../../src/core/wizard/draft-blueprint.ts";
import { shippedContext } from "../helpers/catalog.ts";
import { WizardDriver } from "../helpers/wizard-driver.ts";

let ctx: WizardContext;
beforeAll(async () => {
  const base = await shippedContext(["source-bot"]);
  // The shipped skills declare no keys: give one built-in and one optional skill some.
  const catalog: Catalog = {
    ...base.catalog,
    builtinSkills: base.catalog.builtinSkills.map((skill) =>
      skill.id === "research/web-research"
        ? { ...skill, env: [{ name: "SEARCH_API_KEY", optional: false }] }
        : skill,
    ),
    optionalSkills: base.catalog.optionalSkills.map((skill) =>
      skill.id === "research/arxiv-digest"
        ? {
            ...skill,
            env: [
              { name: "ARXIV_TOKEN", optional: false },
              // Declared by a second skill too: asked once.
              { name: "SEARCH_API_KEY", optional: false },
              { name: "ARXIV_MIRROR", optional: true },
            ],
          }
        : skill,
    ),
  };
  ctx = { ...base, catalog };
});

/** A fresh wizard at the built-in skills screen (OpenAI, key skipped). */
function toSkills(): WizardDriver {
  const driver = new WizardDriver(ctx);
  driver.type("keys-bot");
  for (const label of ["Next", "OpenAI", "gpt-4.1", "Skip"]) driver.press(label);
  expect(driver.state.step).toBe("skills.builtin");
  return driver;
}

const asked = (driver: WizardDriver) => driver.view.input?.kind === "secret" && driver.view.input.prompt;

describe("GIVEN skills that declare keys in their SKILL.md", () => {
  it("WHEN the default bundle and the optional skill are kept THEN each key is asked privately once, in turn, then Tools", () => {
    const driver = toSkills();
    for (const label of ["Optional skills", "research/arxiv-digest", "Hub skills", "Done"])
      driver.press(label);
    expect(driver.state.step).toBe("skills.secret");
    expect(asked(driver)).toBe("SEARCH_API_KEY");
    expect(driver.view.body[0]).toBe(
      "Send the SEARCH_API_KEY for skill web-research. It is written only to the profile's .env as SEARCH_API_KEY.",
    );
    driver.secret("SEARCH_API_KEY");
    expect(asked(driver)).toBe("ARXIV_TOKEN");
    // A key other than the one asked is refused, and the screen stays.
    driver.secret("ARXIV_MIRROR");
    expect(asked(driver)).toBe("ARXIV_TOKEN");
    driver.press("Skip (leave empty)");
    expect(asked(driver)).toBe("ARXIV_MIRROR");
    expect(driver.view.body.join("\n")).toContain("declares it optional");
    driver.press("Skip (leave empty)");
    expect(driver.state.step).toBe("tools.pick");
    const { givenAt, ...names } = driver.state.secrets;
    expect(names).toEqual({
      provided: ["SEARCH_API_KEY"],
      skipped: ["OPENAI_API_KEY", "ARXIV_TOKEN", "ARXIV_MIRROR"],
    });
    expect(Object.keys(givenAt ?? {})).toEqual(["SEARCH_API_KEY"]);
    // Back on Review nothing is asked again; the blueprint names every key for .env.
    const checked = draftToBlueprint(driver.state.draft, ctx);
    expect(checked.ok && requiredSecrets(checked.blueprint, ctx.catalog).map((entry) => entry.env)).toEqual([
      "OPENAI_API_KEY",
      "SEARCH_API_KEY",
      "ARXIV_TOKEN",
      "ARXIV_MIRROR",
    ]);
  });

  it("WHEN the skill declaring a key is deselected, or no built-ins are kept THEN its key is not asked", () => {
    const deselected = toSkills();
    deselected.press("research/web-research");
    for (const label of ["Optional skills", "Hub skills", "Done"]) deselected.press(label);
    expect(deselected.state.step).toBe("tools.pick");

    const none = toSkills();
    for (const label of ["No built-in skills", "Optional skills", "Hub skills", "Done"]) none.press(label);
    expect(none.state.step).toBe("tools.pick");
  });

  it("WHEN Skip all skill keys is pressed THEN every key still unasked is skipped and the wizard goes on", () => {
    const driver = toSkills();
    for (const label of ["Optional skills", "research/arxiv-digest", "Hub skills", "Done"])
      driver.press(label);
    driver.press("Skip all skill keys");
    expect(driver.state.step).toBe("tools.pick");
    expect(driver.state.secrets.skipped).toEqual([
      "OPENAI_API_KEY",
      "SEARCH_API_KEY",
      "ARXIV_TOKEN",
      "ARXIV_MIRROR",
    ]);
  });

  it("WHEN the profile is a clone THEN the built-ins' keys are not asked (its skills are its source's); the optional skill's are", () => {
    const driver = new WizardDriver(ctx);
    driver.type("clone-bot");
    driver.press("Clone");
    driver.press("source-bot");
    for (const label of ["Next", "OpenAI", "gpt-4.1", "Skip"]) driver.press(label);
    expect(driver.state.step).toBe("skills.optional");
    for (const label of ["research/arxiv-digest", "Hub skills", "Done"]) driver.press(label);
    expect(asked(driver)).toBe("ARXIV_TOKEN");
  });

  it("WHEN an edit adds the optional skill THEN only the keys .env does not hold yet are asked, and the edit's Review follows", () => {
    const original = {
      name: "keys-bot",
      provider: "openai",
      model: "gpt-4.1",
      noBuiltins: false,
      builtinOff: [],
      optional: [],
      hub: [],
      mcp: [],
    };
    const edit: EditSession = {
      profile: "keys-bot",
      fingerprint: "f",
      original,
      keysSet: ["SEARCH_API_KEY", "ARXIV_TOKEN"],
      keptServers: [],
      notes: [],
    };
    const driver = new WizardDriver(ctx, undefined, edit);
    driver.press("Edit skills");
    for (const label of ["Optional skills", "research/arxiv-digest", "Hub skills", "Done"])
      driver.press(label);
    expect(asked(driver)).toBe("ARXIV_MIRROR");
    driver.secret("ARXIV_MIRROR");
    expect(driver.state.step).toBe("edit.review");
  });
});
