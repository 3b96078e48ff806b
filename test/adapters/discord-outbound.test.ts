// Every wizard screen, reached by exploring the real core (every button, every list item, a valid
// answer for each text step), rendered for Discord and checked against Discord's limits by the
// fake's independent checker; plus the command table as Discord commands.
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { loadPersonas } from "../../src/app/persona/persona-loader.ts";
import { summarize } from "../../src/app/persona/persona-service.ts";
import { commandLimitProblems, discordCommands } from "../../src/adapters/discord/command-json.ts";
import { renderDiscordView, renderModal } from "../../src/adapters/discord/outbound.ts";
import { parseButtonToken } from "../../src/core/tokens/button-token.ts";
import type { View } from "../../src/core/view.ts";
import {
  expectedSecret,
  SCREENS,
  startEditWizard,
  startWizard,
  step,
  type Screen,
  type WizardContext,
  type WizardEvent,
  type WizardEffect,
  type WizardState,
} from "../../src/core/wizard/index.ts";
import { commandProblems, messageProblems, modalProblems } from "../fakes/discord/limits.ts";
import { shippedContext } from "../helpers/catalog.ts";
import { REPO_ROOT } from "../helpers/cli.ts";

const OWNER = { id: "dc:1", name: "alice" };
const ANSWERS: Partial<Record<Screen, string>> = {
  "identity.name": "explore-bot",
  "identity.display_name": "Explorer",
  "identity.description": "d".repeat(1000),
  "model.base_url": "http://127.0.0.1:9/v1",
  "model.model_text": "some/model",
  "skills.hub": "official/security/password-audit",
  "skills.hub_search": "docker",
  "mcp.custom_name": "docs",
  "mcp.custom_target": "https://mcp.example.com/mcp",
  "commonground.worker": "worker_research",
  "commonground.tags": "research, writing",
  "commonground.must_end_with": "submit_result",
};

let ctx: WizardContext;
beforeAll(async () => {
  const base = await shippedContext(["existing-bot"]);
  const personas = (await loadPersonas(path.join(REPO_ROOT, "library/personas"))).library
    .list()
    .map(summarize);
  // One built-in skill declares a key (the shipped ones declare none), so its key screen is reached.
  const builtinSkills = base.catalog.builtinSkills.map((skill, index) =>
    index === 0 ? { ...skill, env: [{ name: "SKILL_API_KEY", optional: false }] } : skill,
  );
  ctx = { ...base, catalog: { ...base.catalog, personas, builtinSkills } };
});

/** Breadth-first over the wizard: each (screen, page, draft shape) once, following every way forward. */
function explore(): Map<string, { state: WizardState; view: View }> {
  const seen = new Map<string, { state: WizardState; view: View }>();
  const start = startWizard({ id: "explore1", owner: OWNER, surface: "discord", chat: "c", at: 0 }, ctx);
  // `/profile edit` of a profile with a server, a hub skill and a persona: its own Review and Apply.
  const original = {
    name: "existing-bot",
    description: "d".repeat(1000),
    provider: "openrouter",
    model: "anthropic/claude-sonnet-4",
    noBuiltins: false,
    builtinOff: [],
    optional: [],
    hub: ["official/security/password-audit"],
    mcp: [{ name: "docs", url: "https://mcp.example.com/mcp", auth: "api_key" as const }],
    persona: { id: "engineering-security-engineer", mode: "overlay" as const },
  };
  const edit = startEditWizard(
    { id: "explore2", owner: OWNER, surface: "discord", chat: "c", at: 0 },
    {
      profile: "existing-bot",
      fingerprint: "f",
      original,
      keysSet: ["MCP_DOCS_API_KEY"],
      keys: [
        { key: "MCP_DOCS_API_KEY", set: true, why: "MCP server docs" },
        { key: "OPENROUTER_API_KEY", set: false, why: "provider openrouter" },
      ],
      keptServers: ["odd"],
      notes: ["MCP server 'odd' is not one the wizard can show; the edit leaves it as it is"],
    },
    ctx,
  );
  const views = (effects: readonly WizardEffect[]) =>
    effects.flatMap((e) => (e.type === "render" ? [e.view] : []));
  // A Create in a CommonGround project: its own steps, each entry keeps the context it runs in.
  const cgCtx: WizardContext = {
    ...ctx,
    commonground: {
      target: "CommonGround project 'lab' at cg.test:8000",
      workerTarget: "worker_generic",
      profiles: ["Researcher", "writer"],
    },
  };
  const cg = startWizard({ id: "explore3", owner: OWNER, surface: "discord", chat: "c", at: 0 }, cgCtx);
  const queue: { state: WizardState; views: View[]; ctx: WizardContext }[] = [
    { state: start.state, views: views(start.effects), ctx },
    { state: edit.state, views: views(edit.effects), ctx },
    { state: cg.state, views: views(cg.effects), ctx: cgCtx },
  ];
  let at = 1;
  while (queue.length > 0 && seen.size < 6000) {
    const next = queue.shift();
    const view = next?.views.at(-1);
    if (!next || !view) continue;
    // A coarse shape of the draft, so "MCP list with a server needing a key" differs from an empty one.
    // Toolsets are left out: whether a list was picked changes no screen but Tools' own, and would double every later state.
    const shape = `${Object.keys(next.state.draft)
      .filter((name) => name !== "toolsets")
      .sort()
      .join()}:${next.state.draft.mcp.length}`;
    const key = `${next.ctx === ctx ? "" : "cg:"}${next.state.step}:${next.state.pages[next.state.step] ?? 0}:${shape}`;
    if (seen.has(key)) continue;
    seen.set(key, { state: next.state, view });
    const events: WizardEvent[] = [];
    const tokens = [
      ...(view.choices?.items.map((item) => item.token) ?? []),
      ...(view.choices?.previousToken ? [view.choices.previousToken] : []),
      ...(view.choices?.nextToken ? [view.choices.nextToken] : []),
      ...view.buttons.flat().map((button) => button.token),
    ];
    for (const token of tokens) {
      const parsed = parseButtonToken(token);
      if (parsed.ok) events.push({ type: "press", press: parsed.value, actor: OWNER, at: at++ });
    }
    const answer = ANSWERS[next.state.step];
    if (view.input?.kind === "text" && answer)
      events.push({ type: "text", text: answer, actor: OWNER, at: at++ });
    const env = expectedSecret(next.state, next.ctx);
    if (view.input?.kind === "secret" && env)
      events.push({ type: "secretProvided", env, actor: OWNER, at: at++ });
    if (next.state.step === "model.loading")
      events.push({ type: "modelsListed", models: ["llama3.2", "qwen2.5"], at: at++ });
    if (next.state.step === "model.checking")
      events.push({
        type: "modelFactsShown",
        model: next.state.draft.model ?? "",
        contextLength: 8192,
        tools: false,
        at: at++,
      });
    if (next.state.step === "creating")
      events.push({ type: "createFinished", ok: true, lines: ["Profile created."], at: at++ });
    if (next.state.step === "applying")
      events.push({ type: "editFinished", ok: true, lines: ["Applied."], installs: [], at: at++ });
    for (const event of events) {
      const transition = step(next.state, event, next.ctx);
      const views = transition.effects.flatMap((e) => (e.type === "render" ? [e.view] : []));
      if (views.length > 0) queue.push({ state: transition.state, views, ctx: next.ctx });
    }
  }
  return seen;
}

describe("GIVEN every wizard screen rendered for Discord", () => {
  it("THEN each reachable screen is visited and every message and modal keeps Discord's limits", () => {
    const screens = explore();
    const visited = new Set([...screens.values()].map(({ state }) => state.step));
    expect([...SCREENS].filter((screen) => !visited.has(screen))).toEqual([]);
    for (const [key, { view }] of screens) {
      const screen = renderDiscordView(view);
      expect({ key, problems: messageProblems(screen as unknown as Record<string, unknown>) }).toEqual({
        key,
        problems: [],
      });
      const modal = renderModal(view);
      if (view.input) {
        expect(modal).toBeDefined();
        expect({ key, problems: modalProblems(modal as unknown as Record<string, unknown>) }).toEqual({
          key,
          problems: [],
        });
      }
      if (view.final) expect(screen.components).toEqual([]);
    }
  });

  it("WHEN a list has nothing in it (an empty catalog folder, a search before its hits) THEN no select menu is sent, and the message keeps Discord's rules", () => {
    const start = startWizard(
      { id: "empty01", owner: OWNER, surface: "discord", chat: "c", at: 0 },
      {
        ...ctx,
        catalog: { ...ctx.catalog, optionalSkills: [] },
      },
    );
    let state = start.state;
    let view = start.effects.flatMap((e) => (e.type === "render" ? [e.view] : [])).at(-1);
    const send = (event: WizardEvent) => {
      const next = step(state, event, { ...ctx, catalog: { ...ctx.catalog, optionalSkills: [] } });
      state = next.state;
      view = next.effects.flatMap((e) => (e.type === "render" ? [e.view] : [])).at(-1) ?? view;
    };
    const press = (label: string) => {
      const token = [...(view?.buttons.flat() ?? []), ...(view?.choices?.items ?? [])].find((b) =>
        b.label.startsWith(label),
      )?.token;
      const parsed = token ? parseButtonToken(token) : undefined;
      if (!parsed?.ok) throw new Error(`no '${label}' on ${state.step}`);
      send({ type: "press", press: parsed.value, actor: OWNER, at: 1 });
    };
    send({ type: "text", text: "empty-list", actor: OWNER, at: 1 });
    for (const label of ["Next", "OpenRouter", "anthropic/claude-sonnet-4", "Skip", "Optional skills"])
      press(label);
    expect(state.step).toBe("skills.optional");
    expect(view?.choices?.items).toEqual([]);
    const screen = renderDiscordView(view as View);
    expect(JSON.stringify(screen.components)).not.toContain('"type":3');
    expect(messageProblems(screen as unknown as Record<string, unknown>)).toEqual([]);
  });

  it("THEN the name step's modal asks name, display name and description together, and a key's modal one field", () => {
    const screens = [...explore().values()];
    const name = screens.find(({ state }) => state.step === "identity.name");
    const key = screens.find(({ state }) => state.step === "model.api_key");
    const nameModal = name && renderModal(name.view);
    const keyModal = key && renderModal(key.view);
    const inputs = (modal: typeof nameModal) =>
      (modal?.components ?? []).map((row) => {
        const [input] = (row as { components: { custom_id: string; max_length?: number }[] }).components;
        return input;
      });
    expect(inputs(nameModal).map((input) => input?.custom_id)).toEqual([
      "name",
      "display_name",
      "description",
    ]);
    expect(inputs(keyModal).map((input) => input?.custom_id)).toEqual(["value"]);
    // A key may be 4,096 characters in Hermes; Discord's text input stops at 4,000.
    expect(inputs(keyModal)[0]?.max_length).toBe(4000);
  });
});

describe("GIVEN the command table as Discord application commands", () => {
  it("THEN every command is within Discord's limits by our count and by the fake's", () => {
    const commands = discordCommands();
    expect(commands.map((command) => command.name)).toEqual([
      "profile",
      "persona",
      "cancel",
      "show",
      "installs",
      "help",
    ]);
    for (const command of commands) {
      expect(commandLimitProblems(command)).toEqual([]);
      expect(commandProblems(command as unknown as Record<string, unknown>)).toEqual([]);
    }
  });

  it("THEN an oversized command is caught by the 8,000-character count", () => {
    const huge = {
      name: "big",
      description: "d",
      options: Array.from({ length: 25 }, (_, i) => ({
        name: `sub${i}`,
        description: "x".repeat(100),
        options: Array.from({ length: 25 }, (_, j) => ({ name: `o${j}`, description: "y".repeat(100) })),
      })),
    };
    expect(commandLimitProblems(huge)[0]).toMatch(/characters \(max 8000\)/);
  });
});
