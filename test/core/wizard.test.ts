import { beforeAll, describe, expect, it } from "vitest";
import { BUTTON_TOKEN_MAX_BYTES, LIST_PAGE_SIZE } from "../../src/core/limits.ts";
import type { WizardContext } from "../../src/core/wizard/index.ts";
import { shippedContext } from "../helpers/catalog.ts";
import { ALICE, MALLORY, walkToReview, WizardDriver } from "../helpers/wizard-driver.ts";

let ctx: WizardContext;
beforeAll(async () => {
  ctx = await shippedContext(["existing-bot"]);
});

describe("GIVEN a new wizard", () => {
  it("THEN it asks for the profile name with only Cancel to press", () => {
    const driver = new WizardDriver(ctx);
    expect(driver.state.step).toBe("identity.name");
    expect(driver.view.input).toMatchObject({ kind: "text", prompt: "Profile name" });
    expect(driver.tokens().map((t) => t.label)).toEqual(["✖ Cancel"]);
  });

  it.each([
    ["../x", "cannot contain '/'"],
    ["a/b", "cannot contain '/'"],
    [".hidden", "cannot start with '.'"],
    ["Default", "reserved by Hermes"],
    ["root", "reserved by Hermes"],
    ["a".repeat(65), "65 characters; the limit is 64"],
    ["", "A profile name is needed"],
    ["   ", "A profile name is needed"],
    ["🤖bot", "not a valid profile name"],
    ["existing-bot", "already exists"],
    ["bad name", "not a valid profile name"],
  ])("WHEN the name is %j THEN it stays on the step and says: %s", (name, message) => {
    const driver = new WizardDriver(ctx);
    const before = driver.state;
    driver.type(name);
    expect(driver.state).toBe(before);
    expect(driver.view.notice?.tone).toBe("error");
    expect(driver.view.notice?.text).toContain(message);
  });

  it("WHEN the name shadows a Hermes command THEN it is accepted with a note", () => {
    const driver = new WizardDriver(ctx);
    driver.type("Gateway");
    expect(driver.state.step).toBe("identity.menu");
    expect(driver.state.draft.name).toBe("gateway");
    expect(driver.view.notice).toMatchObject({ tone: "info" });
    expect(driver.view.notice?.text).toContain("shell alias");
  });
});

describe("GIVEN the identity menu", () => {
  it("WHEN a 100 KB description is sent THEN it is refused and the draft keeps no description", () => {
    const driver = new WizardDriver(ctx);
    driver.type("bot");
    driver.press("Description");
    driver.type("x".repeat(100 * 1024));
    expect(driver.state.step).toBe("identity.description");
    expect(driver.state.draft.description).toBeUndefined();
    expect(driver.view.notice?.text).toMatch(/102400 characters; the limit is 1000/);
  });

  it("WHEN display name and description are set THEN the menu shows them", () => {
    const driver = new WizardDriver(ctx);
    driver.type("bot");
    driver.press("Display name");
    driver.type("  My Bot ");
    driver.press("Description");
    driver.type("Finds papers");
    expect(driver.state.draft).toMatchObject({ display_name: "My Bot", description: "Finds papers" });
    expect(driver.view.body).toContain("Display name: My Bot");
  });

  it("WHEN a display name has a bidi override THEN it is refused", () => {
    const driver = new WizardDriver(ctx);
    driver.type("bot");
    driver.press("Display name");
    driver.type("evil\u202Etxt");
    expect(driver.state.step).toBe("identity.display_name");
    expect(driver.view.notice?.text).toContain("control or invisible");
  });

  it("WHEN clone from is chosen THEN the list offers default and existing profiles, and skills skip the built-in tab", () => {
    const driver = new WizardDriver(ctx);
    driver.type("bot");
    driver.press("Clone from");
    expect(driver.view.choices?.items.map((item) => item.label)).toEqual([
      "default (the Hermes home itself)",
      "existing-bot",
    ]);
    driver.press("existing-bot");
    expect(driver.state.draft.clone_from).toBe("existing-bot");
    driver.press("Next");
    driver.press("OpenAI");
    driver.press("gpt-4.1");
    driver.press("Skip");
    expect(driver.state.step).toBe("skills.optional");
  });
});

describe("GIVEN the model step", () => {
  it("WHEN a provider has more models than one page THEN the list pages and items keep their global index", () => {
    const driver = new WizardDriver(ctx);
    driver.type("bot");
    driver.press("Next");
    driver.press("OpenRouter");
    const first = driver.view.choices;
    expect(first?.items).toHaveLength(LIST_PAGE_SIZE);
    expect(first?.pageCount).toBe(2);
    driver.press("page ▶");
    expect(driver.view.choices?.page).toBe(1);
    const last = driver.view.choices?.items.at(-1)?.label ?? "";
    driver.press(last);
    expect(driver.state.draft.model).toBe(last);
    expect(driver.state.step).toBe("model.api_key");
  });

  it("WHEN the key is provided privately THEN only its name is kept in the state", () => {
    const driver = new WizardDriver(ctx);
    driver.type("bot");
    driver.press("Next");
    driver.press("Anthropic");
    driver.press("claude-sonnet-4-20250514");
    expect(driver.view.input).toMatchObject({ kind: "secret", prompt: "ANTHROPIC_API_KEY" });
    driver.secret("ANTHROPIC_API_KEY");
    expect(driver.state.secrets.provided).toEqual(["ANTHROPIC_API_KEY"]);
    // With its time, which tells this value from one typed again later (on another replica).
    expect(driver.state.secrets.givenAt).toEqual({ ANTHROPIC_API_KEY: driver.clock });
    expect(driver.state.step).toBe("skills.builtin");
  });

  it("WHEN a secret is typed as ordinary text THEN it is refused and not stored", () => {
    const driver = new WizardDriver(ctx);
    driver.type("bot");
    driver.press("Next");
    driver.press("Anthropic");
    driver.press("claude-sonnet-4-20250514");
    driver.type("sk-ant-123");
    expect(JSON.stringify(driver.state)).not.toContain("sk-ant-123");
    expect(driver.view.notice?.text).toContain("waiting for a button press");
  });

  it("WHEN Ollama is picked THEN it asks for the server, lists its models, and falls back with a note when unreachable", () => {
    const driver = new WizardDriver(ctx);
    driver.type("bot");
    driver.press("Next");
    driver.press("Ollama");
    expect(driver.state.step).toBe("model.base_url");
    driver.type("ftp://nope");
    expect(driver.view.notice?.text).toContain("not an http(s) URL");
    driver.press("Use default");
    expect(driver.state.step).toBe("model.loading");
    expect(driver.effect("listModels")).toEqual({
      type: "listModels",
      provider: "ollama",
      baseUrl: "http://127.0.0.1:11434/v1",
    });
    driver.send({ type: "modelsListed", models: ["qwen3:8b", "llama3.2:3b"], at: 99_000 });
    expect(driver.view.choices?.items.map((item) => item.label)).toEqual(["qwen3:8b", "llama3.2:3b"]);
    driver.press("◀ Back");
    driver.press("Use default");
    driver.send({ type: "modelsListed", models: [], failure: "ECONNREFUSED", at: 99_500 });
    expect(driver.view.body.join("\n")).toContain(
      "Could not list models from http://127.0.0.1:11434/v1 (ECONNREFUSED)",
    );
    expect(driver.view.choices?.items.map((item) => item.label)).toContain("llama3.2");
  });

  it("WHEN a model id is typed THEN spaces are refused and a good id is taken", () => {
    const driver = new WizardDriver(ctx);
    driver.type("bot");
    driver.press("Next");
    driver.press("OpenAI");
    driver.press("Type a model id");
    driver.type("gpt 5");
    expect(driver.view.notice?.text).toContain("no spaces");
    driver.type("gpt-5-preview");
    expect(driver.state.draft.model).toBe("gpt-5-preview");
  });
});

describe("GIVEN the skills and MCP steps", () => {
  function atSkills(): WizardDriver {
    const driver = new WizardDriver(ctx);
    driver.type("bot");
    driver.press("Next");
    driver.press("OpenAI");
    driver.press("gpt-4.1");
    driver.press("Skip");
    return driver;
  }

  it("WHEN built-ins are toggled THEN deselected ids are tracked and 'keep default' restores the bundle", () => {
    const driver = atSkills();
    const first = driver.view.choices?.items[0]?.label ?? "";
    expect(driver.view.choices?.items.every((item) => item.selected)).toBe(true);
    driver.press(first);
    expect(driver.state.draft.builtinOff).toEqual([first]);
    driver.press("No built-in skills");
    expect(driver.state.draft.noBuiltins).toBe(true);
    driver.press("Keep default bundle");
    expect(driver.state.draft).toMatchObject({ noBuiltins: false, builtinOff: [] });
  });

  it.each([["../../etc/passwd"], ["-rf"], ["a;rm -rf /"], ["x".repeat(2048)], ["official/$(id)"]])(
    "WHEN the hub identifier %j is sent THEN it is refused",
    (identifier) => {
      const driver = atSkills();
      driver.press("Optional skills");
      driver.press("Hub skills");
      driver.type(identifier);
      expect(driver.state.draft.hub).toEqual([]);
      expect(driver.view.notice?.tone).toBe("error");
    },
  );

  it("WHEN good hub identifiers are sent THEN they are added once each", () => {
    const driver = atSkills();
    driver.press("Optional skills");
    driver.press("Hub skills");
    driver.type("official/security/password-audit  owner/repo/skills/x\nofficial/security/password-audit");
    expect(driver.state.draft.hub).toEqual(["official/security/password-audit", "owner/repo/skills/x"]);
  });

  it("WHEN an MCP server that needs a key is chosen THEN its secret is asked, and Skip leaves it empty", () => {
    const driver = atSkills();
    driver.press("Optional skills");
    driver.press("Hub skills");
    driver.press("Done");
    driver.press("MCP servers");
    driver.press("github");
    driver.press("sentry");
    driver.press("Next");
    expect(driver.view.input).toMatchObject({ kind: "secret", prompt: "GITHUB_TOKEN" });
    driver.secret("GITHUB_TOKEN");
    expect(driver.view.input).toMatchObject({ kind: "secret", prompt: "MCP_SENTRY_API_KEY" });
    driver.press("Skip");
    expect(driver.state.step).toBe("persona.pick");
    const { givenAt, ...names } = driver.state.secrets;
    expect(names).toEqual({
      provided: ["GITHUB_TOKEN"],
      skipped: ["OPENAI_API_KEY", "MCP_SENTRY_API_KEY"],
    });
    expect(Object.keys(givenAt ?? {})).toEqual(["GITHUB_TOKEN"]);
  });

  it("WHEN custom servers are added THEN a URL asks for auth and a command line is split into args", () => {
    const driver = atSkills();
    driver.press("Optional skills");
    driver.press("Hub skills");
    driver.press("Done");
    driver.press("MCP servers");
    driver.press("Add custom");
    driver.type("github");
    expect(driver.view.notice?.text).toContain("already in this profile");
    driver.type("docs");
    driver.type("https://mcp.example.com/mcp");
    driver.press("API key");
    driver.press("Add custom");
    driver.type("local_tool");
    driver.type("uvx my-server --flag");
    expect(driver.state.draft.mcp).toEqual([
      { name: "docs", url: "https://mcp.example.com/mcp", auth: "api_key" },
      { name: "local_tool", command: "uvx", args: ["my-server", "--flag"], auth: "none" },
    ]);
    driver.press("Next");
    expect(driver.view.input).toMatchObject({ kind: "secret", prompt: "MCP_DOCS_API_KEY" });
  });

  it.each([
    ["https://alice:hunter2@mcp.example.com/mcp", "a user name or password before the host"],
    ["https://mcp.example.com/mcp?api_key=sk-live-1", "the query parameter 'api_key'"],
    ["https://mcp.example.com/sse?token=abc&x=1", "the query parameter 'token'"],
  ])(
    "WHEN a custom server's URL carries a secret (%s) THEN it is refused, says why and what to do, and nothing is added",
    (url, what) => {
      const driver = atSkills();
      for (const label of ["Optional skills", "Hub skills", "Done", "MCP servers", "Add custom"])
        driver.press(label);
      driver.type("docs");
      driver.type(url);
      expect(driver.view.notice?.text).toContain(`That URL carries a secret (${what})`);
      expect(driver.view.notice?.text).toContain("asked privately next (choose API key)");
      expect(driver.view.notice?.text).not.toContain("hunter2");
      expect(driver.state.draft.mcp).toEqual([]);
      expect(JSON.stringify(driver.state)).not.toContain("sk-live-1");
    },
  );
});

describe("GIVEN Review", () => {
  it("WHEN Create is pressed THEN one createProfile effect carries the blueprint, and a repeat press creates nothing", () => {
    const driver = new WizardDriver(ctx);
    walkToReview(driver);
    expect(driver.state.step).toBe("review");
    const createToken = driver.tokenFor("✓ Create");
    driver.pressToken(createToken);
    expect(driver.state.step).toBe("creating");
    expect(driver.effect("createProfile")?.blueprint).toMatchObject({
      name: "research-bot",
      model: { provider: "openrouter", model: "anthropic/claude-sonnet-4" },
      skills: { builtin: "default", optional: [], hub: [] },
      mcp_servers: [],
    });
    const repeat = driver.pressToken(createToken);
    expect(driver.effect("createProfile")).toBeUndefined();
    // A private answer only: the screen is not drawn again, as that could land after the report
    // (the repeat press taken by another replica) and hide it.
    expect(repeat.effects).toEqual([
      {
        type: "notify",
        actorId: ALICE.id,
        text: "The profile is already being created. Wait for the report.",
      },
    ]);
    expect(driver.state.step).toBe("creating");
  });

  it("WHEN create finishes THEN the report is shown and the session ends; a failure returns to Review", () => {
    const driver = new WizardDriver(ctx);
    walkToReview(driver);
    driver.press("✓ Create");
    driver.send({ type: "createFinished", ok: false, lines: ["disk full"], at: 50_000 });
    expect(driver.state.step).toBe("review");
    expect(driver.view.notice).toEqual({ tone: "error", text: "disk full" });
    driver.press("✓ Create");
    driver.send({ type: "createFinished", ok: true, lines: ["Profile 'research-bot' created"], at: 60_000 });
    expect(driver.state.step).toBe("done");
    expect(driver.view.final).toBe(true);
    expect(driver.effect("end")).toEqual({ type: "end", outcome: "created" });
  });

  it.each([
    ["Edit identity", "identity.menu"],
    ["Edit model", "model.provider"],
    ["Edit skills", "skills.builtin"],
    ["Edit tools", "tools.pick"],
    ["Edit MCP", "mcp.list"],
    ["Edit persona", "persona.pick"],
  ])("WHEN '%s' is pressed THEN it opens %s and finishing the step returns to Review", (label, screen) => {
    const driver = new WizardDriver(ctx);
    walkToReview(driver);
    driver.press(label);
    expect(driver.state.step).toBe(screen);
    const finish: Record<string, () => void> = {
      "identity.menu": () => driver.press("Next"),
      "model.provider": () => {
        driver.press("OpenAI");
        driver.press("gpt-4.1");
        driver.press("Skip");
      },
      "skills.builtin": () => {
        driver.press("Optional skills");
        driver.press("Hub skills");
        driver.press("Done");
      },
      "tools.pick": () => driver.press("Done"),
      "mcp.list": () => driver.press("Next"),
      "persona.pick": () => driver.press("No persona"),
    };
    finish[screen]?.();
    expect(driver.state.step).toBe("review");
  });

  it("WHEN the name was taken meanwhile THEN Create stays on Review and says so", () => {
    const driver = new WizardDriver(ctx);
    walkToReview(driver, "late-bot");
    driver.ctx = { ...ctx, profiles: [...ctx.profiles, "late-bot"] };
    driver.press("✓ Create");
    expect(driver.state.step).toBe("review");
    expect(driver.view.notice?.text).toContain("already exists");
    expect(driver.effect("createProfile")).toBeUndefined();
  });
});

describe("GIVEN any step", () => {
  it("WHEN an old button is pressed THEN nothing changes and the current step is shown again", () => {
    const driver = new WizardDriver(ctx);
    driver.type("bot");
    const oldNext = driver.tokenFor("Next");
    driver.press("Next");
    const before = driver.state;
    driver.pressToken(oldNext);
    expect(driver.state).toBe(before);
    expect(driver.view.rev).toBe(before.rev);
    expect(driver.view.notice?.text).toBe(
      "This step changed since that button was shown. Here is the current one.",
    );
  });

  it("WHEN someone else presses the owner's button THEN they get a private refusal and nothing changes", () => {
    const driver = new WizardDriver(ctx);
    driver.type("bot");
    const before = driver.state;
    driver.press("Next", MALLORY);
    expect(driver.state).toBe(before);
    expect(driver.effects).toEqual([
      {
        type: "notify",
        actorId: MALLORY.id,
        text: "Only Alice can press these buttons. Start your own with /profile new.",
      },
    ]);
  });

  it("WHEN someone else types or cancels THEN nothing happens", () => {
    const driver = new WizardDriver(ctx);
    const before = driver.state;
    driver.type("mallory-bot", MALLORY);
    driver.send({ type: "cancel", actor: MALLORY, at: 5 });
    expect(driver.state).toBe(before);
    expect(driver.effects).toEqual([]);
  });

  it("WHEN text arrives on a step that wants a button THEN it says so", () => {
    const driver = new WizardDriver(ctx);
    driver.type("bot");
    driver.type("hello");
    expect(driver.state.step).toBe("identity.menu");
    expect(driver.view.notice?.text).toContain("waiting for a button press");
  });

  const BACK_TABLE: [string, string[], string][] = [
    ["identity.menu", [], "identity.name"],
    ["model.provider", ["Next"], "identity.menu"],
    ["model.model", ["Next", "OpenAI"], "model.provider"],
    ["model.api_key", ["Next", "OpenAI", "gpt-4.1"], "model.model"],
    ["skills.builtin", ["Next", "OpenAI", "gpt-4.1", "Skip"], "model.api_key"],
    ["skills.optional", ["Next", "OpenAI", "gpt-4.1", "Skip", "Optional skills"], "skills.builtin"],
    ["skills.hub", ["Next", "OpenAI", "gpt-4.1", "Skip", "Optional skills", "Hub skills"], "skills.optional"],
    [
      "tools.pick",
      ["Next", "OpenAI", "gpt-4.1", "Skip", "Optional skills", "Hub skills", "Done"],
      "skills.hub",
    ],
    [
      "mcp.list",
      ["Next", "OpenAI", "gpt-4.1", "Skip", "Optional skills", "Hub skills", "Done", "MCP servers"],
      "tools.pick",
    ],
    [
      "persona.pick",
      ["Next", "OpenAI", "gpt-4.1", "Skip", "Optional skills", "Hub skills", "Done", "MCP servers", "Next"],
      "mcp.list",
    ],
    [
      "review",
      [
        "Next",
        "OpenAI",
        "gpt-4.1",
        "Skip",
        "Optional skills",
        "Hub skills",
        "Done",
        "MCP servers",
        "Next",
        "No persona",
      ],
      "persona.pick",
    ],
  ];

  it.each(BACK_TABLE)(
    "WHEN Back is pressed on %s THEN it goes back one screen",
    (screen, presses, previous) => {
      const driver = new WizardDriver(ctx);
      driver.type("bot");
      for (const label of presses) driver.press(label);
      expect(driver.state.step).toBe(screen);
      driver.press("◀ Back");
      expect(driver.state.step).toBe(previous);
    },
  );

  it.each(BACK_TABLE)(
    "WHEN Cancel is pressed on %s THEN the wizard ends and nothing is created",
    (screen, presses) => {
      const driver = new WizardDriver(ctx);
      driver.type("bot");
      for (const label of presses) driver.press(label);
      expect(driver.state.step).toBe(screen);
      driver.press("✖ Cancel");
      expect(driver.state.step).toBe("cancelled");
      expect(driver.effects.map((effect) => effect.type)).toEqual(["render", "end"]);
      expect(driver.view.final).toBe(true);
    },
  );

  it("WHEN every screen of a full walk is rendered THEN every token fits Telegram's 64 bytes", () => {
    const driver = new WizardDriver(ctx);
    const sizes: number[] = [];
    const record = () => sizes.push(...driver.tokens().map((entry) => Buffer.byteLength(entry.token)));
    record();
    driver.type("a".repeat(64));
    record();
    for (const label of [
      "Next",
      "OpenRouter",
      "page ▶",
      "mistralai/mistral-large",
      "Skip",
      "Optional skills",
      "Hub skills",
      "Done",
      "MCP servers",
      "github",
      "Next",
    ]) {
      driver.press(label);
      record();
    }
    expect(sizes.length).toBeGreaterThan(50);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(BUTTON_TOKEN_MAX_BYTES);
  });

  it("WHEN the bot restarts THEN secrets given before are forgotten and asked again at Review", () => {
    const driver = new WizardDriver(ctx);
    driver.type("bot");
    driver.press("Next");
    driver.press("OpenAI");
    driver.press("gpt-4.1");
    driver.secret("OPENAI_API_KEY");
    driver.send({ type: "restored", at: 77_000 });
    expect(driver.state.secrets.provided).toEqual([]);
    expect(driver.view.notice?.tone).toBe("warning");
    expect(driver.state.step).toBe("skills.builtin");
  });

  it("GIVEN the owner is Alice THEN ALICE drives it", () => {
    expect(new WizardDriver(ctx).state.owner).toEqual(ALICE);
  });
});
