// The wizard making a profile in a CommonGround project: identity without a display name, model
// without a key, persona without the plugin, then CommonGround's own step, Review and Create.
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { loadPersonas } from "../../src/app/persona/persona-loader.ts";
import { summarize } from "../../src/app/persona/persona-service.ts";
import type { WizardContext } from "../../src/core/wizard/index.ts";
import { REPO_ROOT } from "../helpers/cli.ts";
import { shippedContext } from "../helpers/catalog.ts";
import { WizardDriver } from "../helpers/wizard-driver.ts";

const TARGET = "CommonGround project 'lab' at cg.test:8000";

let ctx: WizardContext;
beforeAll(async () => {
  const base = await shippedContext();
  const personas = (await loadPersonas(path.join(REPO_ROOT, "library/personas"))).library
    .list()
    .map(summarize);
  ctx = {
    ...base,
    catalog: { ...base.catalog, personas },
    commonground: { target: TARGET, workerTarget: "worker_generic", profiles: ["Researcher", "writer"] },
  };
});

function labels(driver: WizardDriver): string[] {
  return driver.view.buttons.flat().map((button) => button.label);
}

function errorText(driver: WizardDriver): string {
  expect(driver.view.notice?.tone).toBe("error");
  return driver.view.notice?.text ?? "";
}

/** Name, OpenRouter's Claude, no persona: on the first CommonGround screen. */
function toWorker(driver = new WizardDriver(ctx)): WizardDriver {
  driver.type("lab-bot");
  driver.press("Next");
  driver.press("OpenRouter");
  driver.press("anthropic/claude-sonnet-4");
  expect(driver.state.step).toBe("persona.pick");
  driver.press("No persona");
  expect(driver.state.step).toBe("commonground.worker");
  return driver;
}

/** The whole CommonGround step with worker_generic, tags, Researcher and submit_result. */
function toReview(): WizardDriver {
  const driver = toWorker();
  driver.press("Use worker_generic");
  driver.type("research, writing");
  driver.press("Researcher");
  driver.press("Next");
  driver.type("submit_result");
  expect(driver.state.step).toBe("review");
  return driver;
}

describe("GIVEN a wizard whose profiles go to a CommonGround project", () => {
  it("THEN identity offers no display name or clone, and the form asks no display name", () => {
    const driver = new WizardDriver(ctx);
    expect(driver.view.input?.form?.map((field) => field.key)).toEqual(["name", "description"]);
    expect(driver.view.body.join("\n")).toContain(TARGET);
    driver.type("lab-bot");
    expect(driver.state.step).toBe("identity.menu");
    expect(labels(driver)).not.toContain("Display name");
    expect(labels(driver)).not.toContain("Clone from…");
    expect(labels(driver)).toEqual(expect.arrayContaining(["Description", "Identity text", "Rename"]));
    expect(driver.view.title).toBe("Step 1/5 · Identity");
  });

  it("WHEN the name is a project profile's in another letter case THEN it is refused at once, saying what to do", () => {
    const driver = new WizardDriver(ctx);
    driver.type("RESEARCHER");
    expect(driver.state.step).toBe("identity.name");
    expect(errorText(driver)).toBe(
      "A profile named 'Researcher' already exists in the project (CommonGround would overwrite it or make a second one); pick another name.",
    );
    driver.type("Writer");
    expect(driver.state.step).toBe("identity.name");
    expect(errorText(driver)).toContain("'writer' already exists in the project");
    // Hermes' rule for the name itself still holds.
    driver.type("bad name!");
    expect(driver.state.step).toBe("identity.name");
    driver.type("lab-bot");
    expect(driver.state.draft.name).toBe("lab-bot");
  });

  it("WHEN the whole flow is walked to Create THEN the blueprint has the CommonGround section and nothing CommonGround cannot take", () => {
    const driver = new WizardDriver(ctx);
    driver.type("lab-bot");
    driver.press("Description");
    driver.type("Finds and summarises papers");
    driver.press("Next");
    expect(driver.view.title).toBe("Step 2/5 · Model");
    driver.press("OpenRouter");
    driver.press("anthropic/claude-sonnet-4");
    // No key asked: the worker reads it from its environment.
    expect(driver.state.step).toBe("persona.pick");
    expect(driver.view.title).toBe("Step 3/5 · Persona");
    driver.press("No persona");
    expect(driver.view.title).toBe("Step 4/5 · CommonGround");
    driver.type("worker_research");
    driver.type("research, writing, research");
    driver.press("Researcher");
    driver.press("writer");
    expect(driver.state.step).toBe("commonground.delegates");
    driver.press("writer");
    driver.press("Next");
    driver.type("submit_result, ask_user");
    expect(driver.state.step).toBe("review");
    expect(driver.view.title).toBe("Step 5/5 · Review");
    driver.press("✓ Create");
    expect(driver.state.step).toBe("creating");
    const blueprint = driver.effect("createProfile")?.blueprint;
    expect(blueprint?.commonground).toEqual({
      worker_target: "worker_research",
      tags: ["research", "writing"],
      must_end_with: ["submit_result", "ask_user"],
      delegation_policy: { target_tags: [], target_profiles: ["Researcher"] },
    });
    expect(blueprint).toMatchObject({
      name: "lab-bot",
      display_name: null,
      description: "Finds and summarises papers",
      clone_from: null,
      model: { provider: "openrouter", model: "anthropic/claude-sonnet-4" },
      skills: { builtin: "none", optional: [], hub: [] },
      mcp_servers: [],
      plugins: [],
    });
    expect(blueprint?.toolsets).toBeUndefined();
    expect(driver.state.secrets).toEqual({ provided: [], skipped: [] });
    driver.send({ type: "createFinished", ok: true, lines: ["Created in lab."], at: 99_000 });
    expect(driver.state.step).toBe("done");
    expect(driver.effect("startInstalls")).toBeUndefined();
  });

  it("WHEN the defaults are taken THEN the worker is the project's default and no must_end_with or delegation_policy is written", () => {
    const driver = toWorker();
    driver.press("Use worker_generic");
    driver.press("No tags");
    driver.press("No delegation");
    driver.press("None");
    driver.press("✓ Create");
    expect(driver.effect("createProfile")?.blueprint.commonground).toEqual({
      worker_target: "worker_generic",
      tags: [],
    });
  });

  it("WHEN a worker target or tag breaks the text rule THEN it is refused with what to do", () => {
    const driver = toWorker();
    driver.type("   ");
    expect(errorText(driver)).toBe(
      "The worker target must be 1–200 characters. Send the name of a worker the project runs, e.g. worker_generic, or press Use worker_generic.",
    );
    driver.type("w".repeat(201));
    expect(driver.state.step).toBe("commonground.worker");
    expect(errorText(driver)).toContain("must be 1–200 characters");
    driver.type("worker\u202egeneric");
    expect(errorText(driver)).toContain("must be one line without control or invisible characters");
    expect(driver.state.step).toBe("commonground.worker");
    driver.type("worker_x");
    expect(driver.state.step).toBe("commonground.tags");

    driver.type("research, bad\u0007tag");
    expect(errorText(driver)).toBe(
      "Tag 2 is refused: each tag must be one line without control or invisible characters. Send tags separated by commas, e.g. research, writing, or press No tags.",
    );
    driver.type(" , ,");
    expect(errorText(driver)).toContain("No tag in that answer.");
    driver.type(Array.from({ length: 101 }, (_, index) => `t${index}`).join(","));
    expect(errorText(driver)).toContain("at most 100");
    driver.type(`ok, ${"x".repeat(201)}`);
    expect(errorText(driver)).toContain("Tag 2 is refused: each tag must be 1–200 characters");
    expect(driver.state.step).toBe("commonground.tags");
    expect(driver.state.draft.commonground?.tags).toBeUndefined();
    driver.type("research,");
    expect(driver.state.draft.commonground?.tags).toEqual(["research"]);

    driver.press("Next");
    driver.type("submit_result, \u200b");
    expect(errorText(driver)).toContain("Tool name 2 is refused");
    expect(errorText(driver)).toContain("or press None.");
  });

  it("WHEN the project has no profiles THEN delegation says so and offers only Next", () => {
    const empty = new WizardDriver({ ...ctx, commonground: { ...ctx.commonground!, profiles: [] } });
    toWorker(empty);
    empty.press("Use worker_generic");
    empty.press("No tags");
    expect(empty.state.step).toBe("commonground.delegates");
    expect(empty.view.body).toEqual(["The project has no profiles yet, so there is nobody to delegate to."]);
    expect(empty.view.choices).toBeUndefined();
    expect(labels(empty)).toEqual(["Next ▶", "◀ Back", "✖ Cancel"]);
    empty.press("Next");
    expect(empty.state.step).toBe("commonground.must_end_with");
  });

  it("WHEN delegation picks are toggled THEN the list shows them and No delegation clears them", () => {
    const driver = toWorker();
    driver.press("Use worker_generic");
    driver.press("No tags");
    driver.press("Researcher");
    driver.press("writer");
    expect(driver.view.choices?.items.map((item) => [item.label, item.selected])).toEqual([
      ["Researcher", true],
      ["writer", true],
    ]);
    expect(driver.view.body).toContain("Chosen: Researcher, writer");
    driver.press("No delegation");
    expect(driver.state.step).toBe("commonground.must_end_with");
    expect(driver.state.draft.commonground?.delegates).toEqual([]);
    driver.press("◀ Back");
    expect(driver.view.choices?.items.every((item) => !item.selected)).toBe(true);
  });

  it("THEN Review says where Create goes, the CommonGround answers, and what is not sent", () => {
    const driver = toReview();
    expect(driver.view.body).toEqual([
      `Created in ${TARGET}.`,
      "Name: lab-bot",
      "Description: —",
      "Identity text (system_prompt_template): none of its own (the persona's text alone), or one naming the agent when a description is given",
      "Model: openrouter / anthropic/claude-sonnet-4 (llm_config.model openrouter/anthropic/claude-sonnet-4)",
      "Persona: —",
      "Worker target: worker_generic (the project's default)",
      "Tags: research, writing",
      "Delegates to: Researcher",
      "Must end with: submit_result",
      "Not sent to CommonGround: skills, tools, MCP servers, keys (the worker reads OPENROUTER_API_KEY from its environment), display name.",
    ]);
    const body = driver.view.body.join("\n");
    for (const hermesOnly of ["Files:", "Secrets", "Built-in skills", "Tools:", "MCP servers:", "Hub skills"])
      expect(body).not.toContain(hermesOnly);
    expect(labels(driver)).toEqual([
      "✓ Create",
      "Edit identity",
      "Edit model",
      "Edit persona",
      "Edit CommonGround",
      "◀ Back",
      "✖ Cancel",
    ]);
    driver.press("◀ Back");
    expect(driver.state.step).toBe("commonground.must_end_with");
  });

  it("WHEN Edit CommonGround is pressed on Review THEN its screens are walked again (kept answers offered) and Review follows", () => {
    const driver = toReview();
    driver.press("Edit CommonGround");
    expect(driver.state.step).toBe("commonground.worker");
    expect(driver.state.returnToReview).toBe(true);
    // Back from the step's first screen returns to Review, as the other Edit buttons do.
    driver.press("◀ Back");
    expect(driver.state.step).toBe("review");
    driver.press("Edit CommonGround");
    driver.type("worker_writing");
    driver.press("Keep these tags");
    driver.press("writer");
    driver.press("Next");
    driver.press("Keep these tools");
    expect(driver.state.step).toBe("review");
    expect(driver.view.body).toContain("Worker target: worker_writing");
    expect(driver.view.body).toContain("Delegates to: Researcher, writer");
    driver.press("✓ Create");
    expect(driver.effect("createProfile")?.blueprint.commonground).toEqual({
      worker_target: "worker_writing",
      tags: ["research", "writing"],
      must_end_with: ["submit_result"],
      delegation_policy: { target_tags: [], target_profiles: ["Researcher", "writer"] },
    });
  });

  it("WHEN Edit model picks a provider with an API key THEN no key is asked and Review follows", () => {
    const driver = toReview();
    driver.press("Edit model");
    driver.press("OpenAI");
    driver.press("gpt-4.1");
    expect(driver.state.step).toBe("review");
    expect(driver.view.input).toBeUndefined();
    expect(driver.view.body).toContain(
      "Not sent to CommonGround: skills, tools, MCP servers, keys (the worker reads OPENAI_API_KEY from its environment), display name.",
    );
  });

  it("THEN the persona step has no plugin switch, and a persona's suggestions take the model only, with no key", () => {
    const driver = new WizardDriver(ctx);
    driver.type("lab-bot");
    driver.press("Next");
    driver.press("OpenAI");
    driver.press("gpt-4.1");
    expect(labels(driver).some((label) => label.includes("Library for the agent"))).toBe(false);
    driver.press("Security Engineer");
    expect(driver.view.body).toEqual([
      "Security Engineer suggests:",
      "  model openrouter/anthropic/claude-sonnet-4 — you chose openai-api/gpt-4.1",
      "  MCP servers (github, sentry, semgrep) and toolsets (terminal, file, web) — not sent to CommonGround",
    ]);
    expect(labels(driver)).not.toContain("Use the persona's toolsets");
    driver.press("Use its suggestions");
    expect(driver.state.step).toBe("commonground.worker");
    expect(driver.state.draft).toMatchObject({
      provider: "openrouter",
      model: "anthropic/claude-sonnet-4",
      mcp: [],
    });
    driver.press("◀ Back");
    expect(driver.state.step).toBe("persona.pick");
    driver.press("◀ Back");
    expect(driver.state.step).toBe("model.model");
  });

  it("WHEN a local server's model is small THEN Hermes' window minimum is not CommonGround's and it goes on", () => {
    const driver = new WizardDriver(ctx);
    driver.type("lab-bot");
    driver.press("Next");
    driver.press("Ollama");
    driver.press("Use default");
    driver.send({ type: "modelsListed", models: ["llama3.2"], at: 50_000 });
    driver.press("llama3.2");
    driver.send({ type: "modelFactsShown", model: "llama3.2", contextLength: 8192, tools: true, at: 51_000 });
    expect(driver.state.step).toBe("persona.pick");
  });

  it("WHEN a local server's model cannot call tools THEN it is warned about (no 'without tools'), and Review names the LiteLLM model with no key", () => {
    const driver = new WizardDriver(ctx);
    driver.type("lab-bot");
    driver.press("Next");
    driver.press("Ollama");
    driver.press("Use default");
    driver.send({ type: "modelsListed", models: ["llama3.2"], at: 50_000 });
    driver.press("llama3.2");
    driver.send({
      type: "modelFactsShown",
      model: "llama3.2",
      contextLength: 131072,
      tools: false,
      at: 51_000,
    });
    expect(driver.state.step).toBe("model.fit");
    const warning =
      '⚠ llama3.2 cannot call tools (its server does not list the "tools" capability): the worker could not call its tools, nor end a turn with one (must_end_with).';
    expect(driver.view.body).toEqual([
      "Model: llama3.2",
      warning,
      "Go on with this model anyway, or pick another?",
    ]);
    expect(labels(driver)).not.toContain("Go on without tools");
    driver.press("Go on with this model");
    expect(driver.state.step).toBe("persona.pick");
    driver.press("No persona");
    driver.press("Use worker_generic");
    driver.press("No tags");
    driver.press("No delegation");
    driver.press("None");
    expect(driver.view.body).toContain("Model: ollama / llama3.2 (llm_config.model ollama_chat/llama3.2)");
    expect(driver.view.body).toContain(warning);
    expect(driver.view.body).toContain(
      "⚠ http://127.0.0.1:11434/v1 is a loopback address: the CommonGround worker will ask a server on its own machine, not on this bot's.",
    );
    expect(driver.view.body).toContain(
      "Not sent to CommonGround: skills, tools, MCP servers, keys (none is uploaded), display name.",
    );
  });

  it("WHEN the name comes in the one form (Discord) THEN a clash is refused and a display name is not taken", () => {
    const driver = new WizardDriver(ctx);
    driver.send({
      type: "form",
      values: { name: "researcher", description: "x" },
      actor: driver.owner,
      at: 5_000,
    });
    expect(driver.state.step).toBe("identity.name");
    expect(errorText(driver)).toContain("'Researcher' already exists in the project");
    driver.send({
      type: "form",
      values: { name: "lab-bot", display_name: "Lab Bot", description: "Reads papers" },
      actor: driver.owner,
      at: 6_000,
    });
    expect(driver.state.step).toBe("identity.menu");
    expect(driver.state.draft).toMatchObject({ name: "lab-bot", description: "Reads papers" });
    expect(driver.state.draft.display_name).toBeUndefined();
  });

  it("WHEN the bot restarts during Create and the project now has the profile THEN Create is sent again", () => {
    const driver = toReview();
    driver.press("✓ Create");
    driver.ctx = {
      ...ctx,
      commonground: { ...ctx.commonground!, profiles: ["Researcher", "writer", "Lab-Bot"] },
    };
    driver.send({ type: "restored", at: 80_000 });
    expect(driver.effect("createProfile")?.blueprint.commonground?.worker_target).toBe("worker_generic");
  });
});
