import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { CurrentProfile } from "../../src/core/edit/current-profile.ts";
import { draftChanges } from "../../src/core/edit/draft-changes.ts";
import { draftFromProfile } from "../../src/core/edit/profile-draft.ts";
import { loadPersonas } from "../../src/app/persona/persona-loader.ts";
import { summarize } from "../../src/app/persona/persona-service.ts";
import { platformToolsets, SAFE_TOOLSETS } from "../../src/core/toolsets.ts";
import { draftToBlueprint } from "../../src/core/wizard/draft-blueprint.ts";
import type { EditSession, WizardContext } from "../../src/core/wizard/index.ts";
import { REPO_ROOT } from "../helpers/cli.ts";
import { shippedContext } from "../helpers/catalog.ts";
import { ALICE, walkToReview, WizardDriver } from "../helpers/wizard-driver.ts";

let ctx: WizardContext;
beforeAll(async () => {
  const base = await shippedContext();
  const personas = (await loadPersonas(path.join(REPO_ROOT, "library/personas"))).library
    .list()
    .map(summarize);
  ctx = { ...base, catalog: { ...base.catalog, personas } };
});

function toTools(): WizardDriver {
  const driver = new WizardDriver(ctx);
  driver.type("tool-bot");
  for (const label of ["Next", "OpenAI", "gpt-4.1", "Skip", "Optional skills", "Hub skills", "Done"])
    driver.press(label);
  expect(driver.state.step).toBe("tools.pick");
  return driver;
}

/** Every selected item of the Tools list, over all its pages. */
function selected(driver: WizardDriver): string[] {
  return ctx.catalog.toolsets.toolsets
    .filter((toolset) => (driver.state.draft.toolsets ?? SAFE_TOOLSETS).includes(toolset.id))
    .map((toolset) => toolset.id);
}

describe("GIVEN the Tools step of Create", () => {
  it("THEN it comes after Skills as step 4 of 7, prefilled with the safe preset, and leads to MCP servers", () => {
    const driver = toTools();
    expect(driver.view.title).toBe("Step 4/7 · Tools");
    expect(driver.state.draft.toolsets).toBeUndefined();
    const items = driver.view.choices?.items ?? [];
    const web = items.find((item) => item.label.startsWith("Web"));
    expect(web?.selected).toBe(true);
    expect(driver.view.body.join("\n")).toContain(
      "Chosen: web, skills, todo, memory, session_search, clarify",
    );
    // Why each machine toolset is marked, in the body too (Telegram shows list items by label only).
    expect(driver.view.body).toContain("⚠ terminal: runs shell commands on the machine Hermes runs on");
    expect(driver.view.body.join("\n")).not.toContain("(chosen)");
    driver.press("MCP servers");
    expect(driver.state.step).toBe("mcp.list");
    driver.press("◀ Back");
    expect(driver.state.step).toBe("tools.pick");
  });

  it("THEN every toolset that gives the agent the machine is marked, with why", () => {
    const driver = toTools();
    const items = driver.view.choices?.items ?? [];
    const terminal = items.find((item) => item.label.includes("Terminal"));
    expect(terminal?.label.startsWith("⚠ ")).toBe(true);
    expect(terminal?.description).toContain(
      "⚠ gives the agent the machine: runs shell commands on the machine Hermes runs on",
    );
    for (const label of ["Browser", "File", "Code Execution"])
      expect(items.find((item) => item.label.includes(label))?.description).toContain(
        "⚠ gives the agent the machine",
      );
    expect(items.find((item) => item.label.startsWith("Web"))?.description).not.toContain("⚠");
  });

  it("WHEN terminal is switched on THEN the step and Review say it gives the agent the machine, and Create writes it", () => {
    const driver = toTools();
    driver.press("⚠ Terminal");
    expect(driver.state.draft.toolsets).toEqual([...SAFE_TOOLSETS, "terminal"]);
    expect(driver.view.body.join("\n")).toContain("(⚠ terminal gives the agent the machine)");
    expect(driver.view.body).toContain(
      "⚠ terminal (chosen): runs shell commands on the machine Hermes runs on",
    );
    driver.press("MCP servers");
    driver.press("Next");
    driver.press("No persona");
    expect(driver.state.step).toBe("review");
    expect(driver.view.body).toContain(
      "Tools: web, skills, todo, memory, session_search, clarify, terminal (⚠ terminal gives the agent the machine)",
    );
    driver.press("✓ Create");
    expect(driver.effect("createProfile")?.blueprint.toolsets).toEqual([...SAFE_TOOLSETS, "terminal"]);
  });

  it("WHEN 'Safe preset' is pressed THEN the chosen list is the safe preset again", () => {
    const driver = toTools();
    driver.press("⚠ Terminal");
    driver.press("Web");
    driver.press("Safe preset");
    expect(driver.state.draft.toolsets).toEqual(SAFE_TOOLSETS);
    expect(selected(driver)).toEqual(
      ctx.catalog.toolsets.toolsets.map((t) => t.id).filter((id) => SAFE_TOOLSETS.includes(id)),
    );
  });

  it("WHEN no persona is picked THEN there is no persona button", () => {
    const labels = toTools()
      .tokens()
      .map((token) => token.label);
    expect(labels).toContain("Safe preset");
    expect(labels).not.toContain("Persona's toolsets");
  });

  it("WHEN the wizard never touched the Tools step THEN Create still writes the safe preset, never Hermes' default", () => {
    const driver = new WizardDriver(ctx);
    walkToReview(driver);
    expect(driver.view.body).toContain("Tools: web, skills, todo, memory, session_search, clarify");
    const checked = draftToBlueprint(driver.state.draft, ctx);
    expect(checked.ok && checked.blueprint.toolsets).toEqual(SAFE_TOOLSETS);
    driver.press("✓ Create");
    const blueprint = driver.effect("createProfile")?.blueprint;
    expect(blueprint?.toolsets).toEqual(SAFE_TOOLSETS);
    // Every platform Hermes knows gets the list: none is left to the default with the shell.
    const written = platformToolsets(blueprint?.toolsets ?? [], ctx.catalog.toolsets);
    expect(Object.keys(written)).toEqual(ctx.catalog.toolsets.platforms);
    expect(Object.values(written).every((list) => !list.includes("terminal"))).toBe(true);
  });

  it("WHEN the profile is a clone THEN the step says its set replaces the source's toolsets", () => {
    const driver = new WizardDriver({ ...ctx, profiles: ["existing-bot"] });
    driver.type("clone-bot");
    driver.press("Clone from");
    driver.press("existing-bot");
    for (const label of ["Next", "OpenAI", "gpt-4.1", "Skip", "Hub skills", "Done"]) driver.press(label);
    expect(driver.state.step).toBe("tools.pick");
    expect(driver.view.body).toContain("This set replaces the toolsets of the clone source 'existing-bot'.");
  });

  it("WHEN 'Edit tools' is pressed on Review THEN the step opens and Done returns to Review", () => {
    const driver = new WizardDriver(ctx);
    walkToReview(driver);
    driver.press("Edit tools");
    expect(driver.state.step).toBe("tools.pick");
    driver.press("page ▶");
    driver.press("Memory");
    driver.press("Done");
    expect(driver.state.step).toBe("review");
    expect(driver.view.body).toContain("Tools: web, skills, todo, session_search, clarify");
  });
});

describe("GIVEN a persona picked after the Tools step", () => {
  function toSuggest(): WizardDriver {
    const driver = toTools();
    driver.press("MCP servers");
    driver.press("Next");
    driver.press("Security Engineer");
    expect(driver.state.step).toBe("persona.suggest");
    return driver;
  }

  it("WHEN 'Use its suggestions' is pressed THEN the toolsets are not changed silently", () => {
    const driver = toSuggest();
    driver.press("Use its suggestions");
    expect(driver.state.draft.toolsets).toBeUndefined();
  });

  it("WHEN 'Use the persona's toolsets' is pressed THEN they are chosen, marked on Review", () => {
    const driver = toSuggest();
    driver.press("Use the persona's toolsets");
    expect(driver.state.step).toBe("persona.suggest");
    expect(driver.state.draft.toolsets).toEqual(["terminal", "file", "web"]);
    // Taken: the button goes, there is nothing left to take.
    expect(driver.tokens().map((t) => t.label)).not.toContain("Use the persona's toolsets");
    driver.press("Keep my choices");
    expect(driver.view.body).toContain(
      "Tools: terminal, file, web (⚠ terminal, file give the agent the machine)",
    );
  });

  it("WHEN the Tools step is opened again THEN it offers the persona's toolsets and the safe preset", () => {
    const driver = toSuggest();
    driver.press("Keep my choices");
    driver.press("Edit tools");
    driver.press("Persona's toolsets");
    expect(driver.state.draft.toolsets).toEqual(["terminal", "file", "web"]);
    driver.press("Safe preset");
    expect(driver.state.draft.toolsets).toEqual(SAFE_TOOLSETS);
  });
});

/** A profile as the editor reads it, with `platform_toolsets` as given. */
function profile(platformToolsets: Record<string, unknown> | undefined): CurrentProfile {
  return {
    config: {
      model: { provider: "openrouter", default: "anthropic/claude-sonnet-4" },
      ...(platformToolsets ? { platform_toolsets: platformToolsets } : {}),
    },
    meta: {},
    soul: undefined,
    hubInstalls: [],
    builtinsPresent: undefined,
  };
}

function everyPlatform(list: string[]): Record<string, string[]> {
  return Object.fromEntries(ctx.catalog.toolsets.platforms.map((platform) => [platform, list]));
}

function editSession(current: CurrentProfile): EditSession {
  const prefilled = draftFromProfile("old-bot", current, ctx.catalog);
  return {
    profile: "old-bot",
    fingerprint: "f",
    original: prefilled.draft,
    keysSet: [],
    keptServers: prefilled.keptServers,
    notes: prefilled.notes,
  };
}

describe("GIVEN the editor", () => {
  it("WHEN every platform has the same toolsets THEN they are the draft's, and nothing is noted", () => {
    const { draft, notes } = draftFromProfile(
      "old-bot",
      profile(everyPlatform(["web", "terminal", "my-mcp"])),
      ctx.catalog,
    );
    expect(draft.toolsets).toEqual(["terminal", "web"]);
    expect(notes.join("\n")).not.toContain("toolsets");
  });

  it("WHEN a platform-only toolset is on its platform THEN the lists still count as the same", () => {
    const written = platformToolsets(["web", "discord"], ctx.catalog.toolsets);
    const { draft } = draftFromProfile("old-bot", profile(written), ctx.catalog);
    expect(draft.toolsets).toEqual(["discord", "web"]);
  });

  it("WHEN the platforms differ THEN the toolsets are left undefined and a note says what an edit does", () => {
    const lists = { ...everyPlatform(["web"]), telegram: ["web", "terminal"] };
    const { draft, notes } = draftFromProfile("old-bot", profile(lists), ctx.catalog);
    expect(draft.toolsets).toBeUndefined();
    expect(notes).toContain(
      "toolsets differ by platform; the editor leaves them as they are unless you pick a set, which then applies to every platform",
    );
  });

  it("WHEN the profile has no lists THEN the note says Hermes' default applies", () => {
    const { draft, notes } = draftFromProfile("old-bot", profile(undefined), ctx.catalog);
    expect(draft.toolsets).toBeUndefined();
    expect(notes.join("\n")).toContain(
      "toolsets are Hermes' default (the shell included) on every platform; the editor leaves them as they are",
    );
  });

  it("WHEN the toolsets are not touched THEN toolsets is not a changed key", () => {
    const session = editSession(profile(everyPlatform(["web"])));
    expect(draftChanges(session.original, session.original).keys).not.toContain("toolsets");
  });

  it("WHEN 'Edit tools' changes them THEN toolsets is a changed key and Apply carries the list", () => {
    const driver = new WizardDriver(ctx, ALICE, editSession(profile(everyPlatform(["web", "terminal"]))));
    expect(driver.tokens().map((t) => t.label)).toContain("Edit tools");
    driver.press("Edit tools");
    expect(driver.state.step).toBe("tools.pick");
    expect(driver.view.body.join("\n")).toContain(
      "Chosen: terminal, web (⚠ terminal gives the agent the machine)",
    );
    driver.press("⚠ Terminal");
    driver.press("Done");
    expect(driver.state.step).toBe("edit.review");
    expect(driver.view.body.join("\n")).toContain("toolsets on every platform");
    driver.press("✓ Apply");
    const apply = driver.effect("applyEdit");
    expect(apply?.keys).toEqual(["toolsets"]);
    expect(apply?.blueprint.toolsets).toEqual(["web"]);
  });

  it("WHEN the platforms differed and a set is picked THEN it starts from nothing and applies to every platform", () => {
    const lists = { ...everyPlatform(["web"]), telegram: ["web", "terminal"] };
    const driver = new WizardDriver(ctx, ALICE, editSession(profile(lists)));
    driver.press("Edit tools");
    expect(driver.view.body.join("\n")).toContain("The profile's toolsets differ by platform");
    expect(driver.view.choices?.items.some((item) => item.selected)).toBe(false);
    driver.press("Web");
    driver.press("Done");
    expect(draftChanges(driver.state.edit?.original ?? driver.state.draft, driver.state.draft)).toMatchObject(
      {
        keys: ["toolsets"],
        changes: [{ what: "toolsets on every platform", detail: "differing by platform → web" }],
      },
    );
  });

  it("WHEN the toolsets were undefined and nothing is picked THEN the edit's blueprint has no toolsets", () => {
    const driver = new WizardDriver(ctx, ALICE, editSession(profile(undefined)));
    driver.press("Edit identity");
    driver.press("Description");
    driver.type("new words");
    driver.press("Next ▶");
    driver.press("✓ Apply");
    const apply = driver.effect("applyEdit");
    expect(apply?.keys).not.toContain("toolsets");
    expect(apply?.blueprint.toolsets ?? undefined).toBeUndefined();
  });
});
