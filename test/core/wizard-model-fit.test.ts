// The Model step after a local model is picked: the server is asked about it (context window, tool
// calling), the window goes into the blueprint (config.yaml model.context_length), and a model that
// cannot call tools or whose window is below Hermes' minimum is warned about, on its screen and at
// Review, with the choice to go on or pick another. With a Hermes host, a loopback server address
// is said to mean the host's machine, and the listing says whose models it shows.
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { loadPersonas } from "../../src/app/persona/persona-loader.ts";
import { summarize } from "../../src/app/persona/persona-service.ts";
import { REPO_ROOT } from "../helpers/cli.ts";
import { HERMES_MIN_CONTEXT_TOKENS } from "../../src/core/model-fit.ts";
import type { WizardContext } from "../../src/core/wizard/index.ts";
import { draftToBlueprint } from "../../src/core/wizard/draft-blueprint.ts";
import { shippedContext } from "../helpers/catalog.ts";
import { WizardDriver } from "../helpers/wizard-driver.ts";

let ctx: WizardContext;
let remote: WizardContext;
let withPersonas: WizardContext;
beforeAll(async () => {
  ctx = await shippedContext([]);
  const personas = (await loadPersonas(path.join(REPO_ROOT, "library/personas"))).library
    .list()
    .map(summarize);
  withPersonas = { ...ctx, catalog: { ...ctx.catalog, personas } };
  remote = { ...ctx, remote: { host: "hermes-box:9119", cannotSet: [] } };
});

/** A wizard at the Ollama model list, the server having listed qwen3:8b and tiny:1b. */
function atOllamaModels(context: WizardContext = ctx): WizardDriver {
  const driver = new WizardDriver(context);
  driver.type("local-bot");
  driver.press("Next");
  driver.press("Ollama");
  driver.press("Use default");
  driver.send({ type: "modelsListed", models: ["qwen3:8b", "tiny:1b"], at: 50_000 });
  return driver;
}

function toReview(driver: WizardDriver): void {
  driver.press("Optional skills");
  driver.press("Hub skills");
  driver.press("Done");
  driver.press("MCP servers");
  driver.press("Next");
  driver.press("No persona");
  expect(driver.state.step).toBe("review");
}

describe("GIVEN a local model is picked", () => {
  it("WHEN the server reports a big window and tools THEN the window is kept for config.yaml and the wizard goes on", () => {
    const driver = atOllamaModels();
    driver.press("qwen3:8b");
    expect(driver.state.step).toBe("model.checking");
    expect(driver.effect("askModelFacts")).toEqual({
      type: "askModelFacts",
      provider: "ollama",
      baseUrl: "http://127.0.0.1:11434/v1",
      model: "qwen3:8b",
    });
    driver.send({
      type: "modelFactsShown",
      model: "qwen3:8b",
      contextLength: 131_072,
      tools: true,
      at: 60_000,
    });
    expect(driver.state.step).toBe("skills.builtin");
    expect(driver.state.draft.context_length).toBe(131_072);
    toReview(driver);
    const body = driver.view.body.join("\n");
    expect(body).toContain("Context window: 131,072 tokens (written as model.context_length)");
    expect(body).toContain("Tool calling: yes");
    expect(body).not.toContain("⚠");
    const checked = draftToBlueprint(driver.state.draft, ctx);
    expect(checked.ok && checked.blueprint.model?.context_length).toBe(131_072);
  });

  it("WHEN the model cannot call tools THEN it says so and offers to go on or pick another; Review warns too", () => {
    const driver = atOllamaModels();
    driver.press("tiny:1b");
    driver.send({
      type: "modelFactsShown",
      model: "tiny:1b",
      contextLength: 131_072,
      tools: false,
      at: 60_000,
    });
    expect(driver.state.step).toBe("model.fit");
    expect(driver.view.body.join("\n")).toContain("tiny:1b cannot call tools");
    driver.press("Pick another model");
    expect(driver.state.step).toBe("model.model");
    driver.press("tiny:1b");
    driver.send({
      type: "modelFactsShown",
      model: "tiny:1b",
      contextLength: 131_072,
      tools: false,
      at: 61_000,
    });
    driver.press("Go on with this model");
    expect(driver.state.step).toBe("skills.builtin");
    toReview(driver);
    expect(driver.view.body.join("\n")).toContain("tiny:1b cannot call tools");
  });

  it("WHEN the model cannot call tools THEN 'Go on without tools' chooses no toolset, the Tools step says why and Clear empties it again", () => {
    const driver = atOllamaModels();
    driver.press("tiny:1b");
    driver.send({
      type: "modelFactsShown",
      model: "tiny:1b",
      contextLength: 131_072,
      tools: false,
      at: 60_000,
    });
    driver.press("Go on without tools");
    expect(driver.state.step).toBe("skills.builtin");
    expect(driver.state.draft.toolsets).toEqual([]);
    driver.press("Optional skills");
    driver.press("Hub skills");
    driver.press("Done");
    expect(driver.state.step).toBe("tools.pick");
    expect(driver.view.body.join("\n")).toContain("Chosen: none");
    driver.press("Safe preset");
    expect(driver.view.body.join("\n")).toContain("tiny:1b cannot call tools (its server said so)");
    driver.press("Clear");
    expect(driver.state.draft.toolsets).toEqual([]);
    driver.press("MCP servers");
    driver.press("Next");
    driver.press("No persona");
    const checked = draftToBlueprint(driver.state.draft, ctx);
    expect(checked.ok && checked.blueprint.toolsets).toEqual([]);
  });

  it("WHEN the model can call tools THEN neither 'Go on without tools' nor Clear is offered", () => {
    const driver = atOllamaModels();
    driver.press("qwen3:8b");
    driver.send({
      type: "modelFactsShown",
      model: "qwen3:8b",
      contextLength: 32_000,
      tools: true,
      at: 60_000,
    });
    expect(driver.state.step).toBe("model.fit");
    const labels = () => driver.view.buttons.flat().map((button) => button.label);
    expect(labels()).not.toContain("Go on without tools");
    driver.press("Go on with this model");
    driver.press("Optional skills");
    driver.press("Hub skills");
    driver.press("Done");
    expect(driver.state.step).toBe("tools.pick");
    expect(labels()).not.toContain("Clear");
  });

  it("WHEN its window is below Hermes' minimum THEN the screen says the number and Hermes' minimum", () => {
    const driver = atOllamaModels();
    driver.press("tiny:1b");
    driver.send({ type: "modelFactsShown", model: "tiny:1b", contextLength: 8192, tools: true, at: 60_000 });
    expect(driver.state.step).toBe("model.fit");
    expect(driver.view.body.join("\n")).toContain(
      `context window of 8,192 tokens; Hermes refuses to start an agent below ${HERMES_MIN_CONTEXT_TOKENS.toLocaleString("en-US")}`,
    );
  });

  it.each([
    ["negative", -5],
    ["fractional", 1.5],
    ["absurd", 1e15],
    ["not a number", Number.NaN],
  ])("WHEN the window reported is %s THEN it is not kept", (_what, contextLength) => {
    const driver = atOllamaModels();
    driver.press("qwen3:8b");
    driver.send({ type: "modelFactsShown", model: "qwen3:8b", contextLength, tools: true, at: 60_000 });
    expect(driver.state.step).toBe("skills.builtin");
    expect(driver.state.draft.context_length).toBeUndefined();
  });

  it("WHEN an answer is about another model THEN it is ignored; WHEN the server cannot say THEN the wizard goes on and Review says so", () => {
    const driver = atOllamaModels();
    driver.press("qwen3:8b");
    const before = driver.state;
    driver.send({ type: "modelFactsShown", model: "tiny:1b", contextLength: 4096, tools: false, at: 60_000 });
    expect(driver.state).toBe(before);
    driver.send({
      type: "modelFactsShown",
      model: "qwen3:8b",
      failure: "no answer within 3000 ms",
      at: 61_000,
    });
    expect(driver.state.step).toBe("skills.builtin");
    toReview(driver);
    expect(driver.view.body.join("\n")).toContain("the server could not say (no answer within 3000 ms)");
  });

  it("WHEN another model is picked after one with a window THEN the old window is not kept", () => {
    const driver = atOllamaModels();
    driver.press("qwen3:8b");
    driver.send({
      type: "modelFactsShown",
      model: "qwen3:8b",
      contextLength: 131_072,
      tools: true,
      at: 60_000,
    });
    driver.press("◀ Back");
    driver.press("tiny:1b");
    expect(driver.state.draft.context_length).toBeUndefined();
  });

  it("WHEN a persona's suggestions switch to another model THEN the old model's window is not written for it", () => {
    const driver = atOllamaModels(withPersonas);
    driver.press("qwen3:8b");
    driver.send({
      type: "modelFactsShown",
      model: "qwen3:8b",
      contextLength: 131_072,
      tools: true,
      at: 60_000,
    });
    expect(driver.state.draft.context_length).toBe(131_072);
    driver.press("Optional skills");
    driver.press("Hub skills");
    driver.press("Done");
    driver.press("MCP servers");
    driver.press("Next");
    driver.press("Security Engineer");
    driver.press("Use its suggestions");
    expect(driver.state.draft.model).toBe("anthropic/claude-sonnet-4");
    expect(driver.state.draft.context_length).toBeUndefined();
    const checked = draftToBlueprint(driver.state.draft, withPersonas);
    expect(checked.ok && checked.blueprint.model?.context_length).toBeUndefined();
  });

  it("WHEN the bot restarts while the server is asked THEN it is asked again", () => {
    const driver = atOllamaModels();
    driver.press("qwen3:8b");
    driver.send({ type: "restored", at: 70_000 });
    expect(driver.effect("askModelFacts")?.model).toBe("qwen3:8b");
  });

  it("WHEN a cloud model is picked THEN no server is asked", () => {
    const driver = new WizardDriver(ctx);
    driver.type("cloud-bot");
    driver.press("Next");
    driver.press("OpenRouter");
    driver.press("anthropic/claude-sonnet-4");
    expect(driver.state.step).toBe("model.api_key");
    expect(driver.effect("askModelFacts")).toBeUndefined();
  });
});

describe("GIVEN profiles are made on a Hermes host", () => {
  it("WHEN the server address is loopback THEN the model list warns it is the host's machine and says whose models it lists", () => {
    const driver = atOllamaModels(remote);
    const body = driver.view.body.join("\n");
    expect(body).toContain(
      "on the Hermes host hermes-box:9119 it means the host's own machine, not this bot's",
    );
    expect(body).toContain("asked from this bot's own machine; the agent will run on hermes-box:9119");
    driver.press("qwen3:8b");
    driver.send({
      type: "modelFactsShown",
      model: "qwen3:8b",
      contextLength: 131_072,
      tools: true,
      at: 60_000,
    });
    // The facts are this bot's machine's: shown, never written into the host's config.
    expect(driver.state.draft.context_length).toBeUndefined();
    toReview(driver);
    expect(driver.view.body.join("\n")).toContain("it means the host's own machine");
    expect(driver.view.body.join("\n")).toContain(
      "131,072 tokens on this bot's machine (not written: Hermes on the host will ask its own server)",
    );
  });

  it("WHEN the server cannot be asked THEN the note says it was asked from the bot's machine, not the host", () => {
    const driver = new WizardDriver(remote);
    driver.type("far-bot");
    driver.press("Next");
    driver.press("Ollama");
    driver.press("Use default");
    driver.send({ type: "modelsListed", models: [], failure: "ECONNREFUSED", at: 50_000 });
    expect(driver.view.body.join("\n")).toContain(
      "It was asked from this bot's machine, not from hermes-box:9119.",
    );
  });

  it("WHEN the address is not loopback THEN there is no loopback warning; WHEN there is no host THEN neither", () => {
    const driver = new WizardDriver(remote);
    driver.type("lan-bot");
    driver.press("Next");
    driver.press("Ollama");
    driver.type("http://192.168.1.20:11434");
    driver.send({ type: "modelsListed", models: ["qwen3:8b"], at: 50_000 });
    expect(driver.view.body.join("\n")).not.toContain("loopback");
    expect(atOllamaModels().view.body.join("\n")).not.toContain("loopback");
  });
});
