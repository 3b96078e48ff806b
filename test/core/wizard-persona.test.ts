import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { loadPersonas } from "../../src/app/persona/persona-loader.ts";
import { summarize } from "../../src/app/persona/persona-service.ts";
import type { WizardContext } from "../../src/core/wizard/index.ts";
import { REPO_ROOT } from "../helpers/cli.ts";
import { shippedContext } from "../helpers/catalog.ts";
import { WizardDriver } from "../helpers/wizard-driver.ts";

let ctx: WizardContext;
beforeAll(async () => {
  const base = await shippedContext();
  const personas = (await loadPersonas(path.join(REPO_ROOT, "library/personas"))).library
    .list()
    .map(summarize);
  ctx = { ...base, catalog: { ...base.catalog, personas } };
});

function toPersonaStep(): WizardDriver {
  const driver = new WizardDriver(ctx);
  driver.type("sec-bot");
  for (const label of [
    "Next",
    "OpenAI",
    "gpt-4.1",
    "Skip",
    "Optional skills",
    "Hub skills",
    "Done",
    "MCP servers",
    "Next",
  ])
    driver.press(label);
  expect(driver.state.step).toBe("persona.pick");
  return driver;
}

describe("GIVEN the Persona step with the library loaded", () => {
  it("THEN personas are listed by category, a page at a time", () => {
    const driver = toPersonaStep();
    const labels = driver.view.choices?.items.map((item) => item.label) ?? [];
    expect(labels[0]).toBe("Accessibility Specialist (design)");
    expect(driver.view.choices?.pageCount).toBe(2);
  });

  it("WHEN a persona is picked THEN its suggestions are shown, unmatched ones named, and 'Keep my choices' changes nothing", () => {
    const driver = toPersonaStep();
    driver.press("Security Engineer");
    expect(driver.state.step).toBe("persona.suggest");
    expect(driver.view.body).toEqual([
      "Security Engineer suggests:",
      "  model openrouter/anthropic/claude-sonnet-4 — you chose openai-api/gpt-4.1",
      "  MCP server github",
      "  MCP server sentry",
      "  MCP server semgrep — not in the catalog; add it as a custom server if you have one",
      "  toolsets terminal, file, web (⚠ terminal, file give the agent the machine)",
      '    — you chose web, skills, todo, memory, session_search, clarify; only "Use the persona\'s toolsets" changes them',
    ]);
    driver.press("Keep my choices");
    expect(driver.state.step).toBe("review");
    expect(driver.state.draft).toMatchObject({
      provider: "openai-api",
      model: "gpt-4.1",
      mcp: [],
      persona: { id: "engineering-security-engineer", mode: "overlay" },
    });
  });

  it("WHEN 'Use its suggestions' is pressed THEN the model and catalog MCP servers are taken, their keys asked, then Review", () => {
    const driver = toPersonaStep();
    driver.press("Security Engineer");
    driver.press("Use its suggestions");
    expect(driver.state.draft.provider).toBe("openrouter");
    expect(driver.state.draft.model).toBe("anthropic/claude-sonnet-4");
    expect(driver.state.draft.mcp.map((server) => server.name)).toEqual(["github", "sentry"]);
    expect(driver.view.input).toMatchObject({ kind: "secret", prompt: "OPENROUTER_API_KEY" });
    driver.secret("OPENROUTER_API_KEY");
    expect(driver.state.step).toBe("review");
    driver.press("✓ Create");
    expect(driver.effect("createProfile")?.blueprint.persona).toEqual({
      id: "engineering-security-engineer",
      mode: "overlay",
    });
  });
});

describe("GIVEN the Persona step's 'library for the agent' switch (the personas plugin)", () => {
  it("WHEN it is switched on THEN the blueprint asks for the plugin and Review says the persona is its default, by reference", () => {
    const driver = toPersonaStep();
    expect(driver.view.body.join("\n")).toContain("Library for the agent: off");
    driver.press("🎭 Library for the agent: off");
    expect(driver.state.step).toBe("persona.pick");
    expect(driver.state.draft.plugins).toEqual(["personas"]);
    expect(driver.view.body.join("\n")).toContain("persona_list, persona_get, persona_apply");
    driver.press("Security Engineer");
    driver.press("Keep my choices");
    const review = driver.view.body.join("\n");
    expect(review).toContain("engineering-security-engineer, the plugin's default persona (by reference)");
    expect(review).toContain("Persona library for the agent: plugins/personas");
    driver.press("✓ Create");
    expect(driver.effect("createProfile")?.blueprint.plugins).toEqual(["personas"]);
  });

  it("WHEN it is switched on and off again THEN the blueprint has no plugin", () => {
    const driver = toPersonaStep();
    driver.press("🎭 Library for the agent: off");
    driver.press("🎭 Library for the agent: on");
    driver.press("No persona");
    expect(driver.view.body.join("\n")).not.toContain("Persona library for the agent");
    driver.press("✓ Create");
    expect(driver.effect("createProfile")?.blueprint.plugins).toEqual([]);
  });

  it("WHEN the profile goes to a Hermes host THEN the switch is not offered and the step says why", () => {
    const driver = new WizardDriver({
      ...ctx,
      remote: { host: "hermes-box:9119", cannotSet: ["display_name"] },
    });
    driver.type("sec-bot");
    for (const label of [
      "Next",
      "OpenAI",
      "gpt-4.1",
      "Skip",
      "Optional skills",
      "Hub skills",
      "Done",
      "MCP servers",
      "Next",
    ])
      driver.press(label);
    expect(driver.state.step).toBe("persona.pick");
    expect(driver.view.body.join("\n")).toContain("cannot be installed on hermes-box:9119");
    expect(driver.view.buttons.flat().map((button) => button.label)).not.toContain(
      "🎭 Library for the agent: off",
    );
    expect(() => driver.press("🎭 Library for the agent: off")).toThrow();
  });
});
