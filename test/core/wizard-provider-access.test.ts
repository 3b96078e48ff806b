// Providers only Hermes knows that the wizard could not offer before: one without a model list asks
// for the model id straight away; an OAuth one takes no key, and Review and the Create report name the
// exact `hermes -p <name> auth add <provider> --type oauth` that signs the profile in (on the host,
// with a Hermes host).
import { beforeAll, describe, expect, it } from "vitest";
import type { ProviderInfo } from "../../src/core/catalog.ts";
import type { WizardContext } from "../../src/core/wizard/index.ts";
import { draftToBlueprint } from "../../src/core/wizard/draft-blueprint.ts";
import { shippedContext } from "../helpers/catalog.ts";
import { WizardDriver } from "../helpers/wizard-driver.ts";

const NO_LIST: ProviderInfo = {
  slug: "fireworks",
  label: "Fireworks AI",
  api_key_env: "FIREWORKS_API_KEY",
  base_url: null,
  models_endpoint: null,
  models: [],
};
const OAUTH: ProviderInfo = {
  slug: "nous",
  label: "Nous Portal",
  api_key_env: null,
  base_url: null,
  models_endpoint: null,
  models: ["Hermes-4-405B"],
  login: "oauth",
};

let ctx: WizardContext;
beforeAll(async () => {
  const shipped = await shippedContext([]);
  // First on the list, so the provider screen's first page shows them.
  ctx = {
    ...shipped,
    catalog: { ...shipped.catalog, providers: [NO_LIST, OAUTH, ...shipped.catalog.providers] },
  };
});

function atProviders(context: WizardContext = ctx): WizardDriver {
  const driver = new WizardDriver(context);
  driver.type("signed-bot");
  driver.press("Next");
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

describe("GIVEN a provider Hermes knows without a model list", () => {
  it("WHEN it is picked THEN the model id is asked at once, Back returns to the providers, and its key is asked after", () => {
    const driver = atProviders();
    expect(driver.view.choices?.items[0]?.description).toBe("key: FIREWORKS_API_KEY; type the model id");
    driver.press("Fireworks AI");
    expect(driver.state.step).toBe("model.model_text");
    expect(driver.view.body.join("\n")).toContain("Hermes has no model list for Fireworks AI.");
    driver.press("◀ Back");
    expect(driver.state.step).toBe("model.provider");
    driver.press("Fireworks AI");
    driver.type("accounts/fireworks/models/qwen3-235b");
    expect(driver.state.draft.model).toBe("accounts/fireworks/models/qwen3-235b");
    expect(driver.state.step).toBe("model.api_key");
    // Back from the key (and from the skills after it) returns to where the id was typed, not to an empty list.
    driver.press("◀ Back");
    expect(driver.state.step).toBe("model.model_text");
    driver.type("accounts/fireworks/models/qwen3-235b");
    driver.press("Skip");
    expect(driver.state.step).toBe("skills.builtin");
    driver.press("◀ Back");
    expect(driver.state.step).toBe("model.api_key");
  });
});

describe("GIVEN an OAuth provider", () => {
  it("WHEN picked THEN no key is asked; Review and the Create report name the sign-in command", () => {
    const driver = atProviders();
    expect(driver.view.choices?.items[1]?.description).toBe("sign in with Hermes (OAuth)");
    driver.press("Nous Portal");
    driver.press("Hermes-4-405B");
    expect(driver.state.step).toBe("skills.builtin");
    toReview(driver);
    const command = "hermes -p signed-bot auth add nous --type oauth";
    expect(driver.view.body).toContain(`  ${command}`);
    expect(driver.view.body.join("\n")).toContain("run on the machine Hermes runs on");
    const checked = draftToBlueprint(driver.state.draft, ctx);
    expect(checked.ok && checked.blueprint.model).toMatchObject({ provider: "nous", model: "Hermes-4-405B" });
    driver.press("✓ Create");
    driver.send({ type: "createFinished", ok: true, lines: ["Profile 'signed-bot' created."], at: 90_000 });
    expect(driver.state.report).toEqual([
      "Profile 'signed-bot' created.",
      "Sign-in: Nous Portal uses OAuth, which the bot cannot do from a chat. After Create, run on the machine Hermes runs on:",
      `  ${command}`,
    ]);
  });

  it("WHEN profiles are made on a Hermes host THEN the command is to be run on that host", () => {
    const driver = atProviders({ ...ctx, remote: { host: "hermes-box:9119", cannotSet: [] } });
    driver.press("Nous Portal");
    driver.press("Hermes-4-405B");
    toReview(driver);
    expect(driver.view.body.join("\n")).toContain("After Create, run on the Hermes host hermes-box:9119:");
  });

  it("WHEN a key provider is picked THEN no sign-in is mentioned", () => {
    const driver = atProviders();
    driver.press("Fireworks AI");
    driver.type("some-model");
    driver.press("Skip");
    toReview(driver);
    expect(driver.view.body.join("\n")).not.toContain("Sign-in");
  });
});
