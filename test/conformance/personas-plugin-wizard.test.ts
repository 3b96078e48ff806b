// The real Hermes 0.19 judges the personas plugin as each chat surface's wizard installs it: on the
// console (piped, as `npm start` runs it), Telegram and Discord (the bot started as `npm start`
// starts it, against the local fakes) the Persona step's "Library for the agent" switch is pressed
// on, a persona picked, Review names the plugin and the persona as its default by reference, and
// Create is pressed. Hermes' plugin manager then loads the plugin without error with its three
// tools, `tools list` shows its toolset enabled on that surface's platform, Hermes' own dispatch
// answers persona_list from the library copy with the picked persona active (state.json's default),
// and no prompt is copied into config.yaml: a session starts with no system prompt of ours.
import { readFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { GENERAL, type FakeUser as DiscordUser } from "../fakes/discord/fake-discord.ts";
import type { FakeUser as TelegramUser } from "../fakes/fake-telegram.ts";
import { useBots } from "../helpers/bot-fixture.ts";
import { runCli } from "../helpers/cli.ts";
import { consoleWizard, piped } from "../helpers/console-wizard.ts";
import { DiscordTester } from "../helpers/discord-bot.ts";
import { hermesOk, hermesPython, personality } from "../helpers/hermes.ts";
import { press, say, waitFor, wizardText } from "../helpers/telegram-bot.ts";

const bots = useBots();
const ALICE_TELEGRAM: TelegramUser = { id: 4343, first_name: "Alice", username: "alice" };
const ALICE_DISCORD: DiscordUser = { id: "150000000000000043", username: "alice" };

const SWITCH_OFF = "🎭 Library for the agent: off";
const LIBRARY_LINE =
  "Persona library for the agent: plugins/personas (tools persona_list, persona_get, persona_apply)";
const personaLine = (id: string) => `Persona: ${id}, the plugin's default persona (by reference)`;

/**
 * Hermes' plugin manager and tool dispatch, in one process of Hermes' own Python. A session id
 * Hermes has never seen gets the profile's default persona as `active`.
 */
const PLUGIN_PROBE = `
import contextlib, io, json
with contextlib.redirect_stdout(io.StringIO()):
    from hermes_cli.plugins import discover_plugins, get_plugin_manager
    discover_plugins()
    plugins = [p for p in get_plugin_manager().list_plugins() if p.get("key") == "personas"]
    listed = None
    if plugins and not plugins[0].get("error"):
        import model_tools
        listed = json.loads(model_tools.handle_function_call("persona_list", {}, session_id="wizard-probe"))
print(json.dumps({"plugins": plugins, "listed": listed}, default=str))
`;

interface PluginProbe {
  plugins: { key: string; enabled: boolean; error: string | null; tools: number }[];
  listed: { personas: { id: string }[]; active: string | null } | null;
}

/** The toolsets `hermes -p <name> tools list --platform <platform>` shows enabled. */
async function enabledToolsets(home: string, name: string, platform: string): Promise<string[]> {
  const out = await hermesOk(home, ["-p", name, "tools", "list", "--platform", platform]);
  return out.split("\n").flatMap((line) => /^\s*✓ enabled\s+(\S+)/.exec(line)?.slice(1, 2) ?? []);
}

/** What every surface's Create must leave for Hermes: the plugin loaded, enabled, its default the pick. */
async function expectHermesRunsThePlugin(
  home: string,
  name: string,
  platform: "cli" | "telegram" | "discord",
  personaId: string,
): Promise<void> {
  const profileDir = path.join(home, "profiles", name);
  // The files as Create wrote them, before any Hermes command touches the profile.
  const config = parse(await readFile(path.join(profileDir, "config.yaml"), "utf8")) as {
    plugins?: { enabled?: string[] };
    agent?: { system_prompt?: unknown; personalities?: Record<string, unknown> };
  };
  expect(config.plugins?.enabled ?? []).toContain("personas");
  // By reference: the persona's text lives only in the plugin's library copy, never in config.yaml.
  expect(config.agent?.system_prompt).toBeUndefined();
  expect(Object.keys(config.agent?.personalities ?? {})).not.toContain(personaId);
  const state = JSON.parse(
    await readFile(path.join(profileDir, "plugins", "personas", "state.json"), "utf8"),
  ) as { default: string | null };
  expect(state.default).toBe(personaId);

  const probe = (await hermesPython(home, profileDir, PLUGIN_PROBE)) as PluginProbe;
  expect(probe.plugins).toEqual([
    expect.objectContaining({ key: "personas", enabled: true, error: null, tools: 3 }),
  ]);
  expect(probe.listed?.personas.map((entry) => entry.id)).toContain(personaId);
  // The plugin read state.json's default itself: a new session starts with the picked persona.
  expect(probe.listed?.active).toBe(personaId);

  expect(await enabledToolsets(home, name, platform)).toContain("personas");

  // Hermes' own start-up prompt is empty: the text would otherwise reach the model twice.
  expect((await personality(home, profileDir)).startupPrompt).toBe("");
}

describe("GIVEN the Persona step's 'Library for the agent' switch on each chat surface, the real Hermes 0.19 as the judge", () => {
  it("WHEN the console wizard switches it on, picks a persona and creates THEN Hermes loads the plugin with that persona as its default", async () => {
    const data = await bots.tempDir();
    const home = path.join(data, "hermes");
    // The shortest walk to the Persona step (OpenAI, key skipped, no skills or servers added).
    const toPersona = consoleWizard({ name: "plugin-console" }).slice(0, -2);
    const result = await runCli(["start"], {
      input: piped([...toPersona, SWITCH_OFF, "Security Engineer", "Keep my choices", "Create"]),
      env: { DATA_DIR: data, HERMES_HOME: home },
    });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain("🎭 Library for the agent: on");
    expect(result.stdout).toContain(LIBRARY_LINE);
    expect(result.stdout).toContain(personaLine("engineering-security-engineer"));
    expect(result.stdout).toContain("━━ Profile created ━━");
    await expectHermesRunsThePlugin(home, "plugin-console", "cli", "engineering-security-engineer");
  }, 90_000);

  it("WHEN the Telegram wizard switches it on, picks a persona and creates THEN Hermes loads the plugin with that persona as its default", async () => {
    const bot = await bots.telegram({ allowedUsers: [ALICE_TELEGRAM.id], progressMinIntervalMs: 200 });
    const { fake } = bot;
    const user = ALICE_TELEGRAM;
    const dm = { id: user.id, type: "private" as const };
    const tap = (label: string) => press(fake, user, user.id, label);
    await say(fake, user, dm, "/profile_new");
    await say(fake, user, dm, "plugin-telegram");
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
      await tap(label);
    await tap(SWITCH_OFF);
    expect(wizardText(fake, user.id)).toContain("persona_list, persona_get, persona_apply");
    // A persona on the list's second page: the switch must survive paging, and the default is the pick.
    await tap("1/2 ▶");
    await tap("Research Analyst");
    await tap("Keep my choices");
    const review = wizardText(fake, user.id);
    expect(review).toContain(LIBRARY_LINE);
    expect(review).toContain(personaLine("research-analyst"));
    await tap("✓ Create");
    const report = () =>
      fake
        .botMessages(user.id)
        .find((message) => /Profile created|Creating the profile failed/.test(message.text));
    await waitFor(() => report() !== undefined, 30_000);
    expect(report()?.text).toContain("Profile created");
    expect(report()?.text).not.toContain("✗");
    await expectHermesRunsThePlugin(
      path.join(bot.data, "hermes"),
      "plugin-telegram",
      "telegram",
      "research-analyst",
    );
  }, 90_000);

  it("WHEN the Discord wizard switches it on, picks a persona and creates THEN Hermes loads the plugin with that persona as its default", async () => {
    const bot = await bots.discord({ allowedUsers: [ALICE_DISCORD.id], progressMinIntervalMs: 200 });
    const { fake } = bot;
    const alice = new DiscordTester(fake, ALICE_DISCORD, GENERAL);
    await alice.command("profile new");
    await alice.fill({ name: "plugin-discord" });
    await alice.press("Next");
    await alice.choose("OpenAI");
    await alice.choose("gpt-4.1");
    for (const label of ["Skip", "Optional skills", "Hub skills", "Done", "MCP servers", "Next"])
      await alice.press(label);
    await alice.press(SWITCH_OFF);
    expect(alice.message.content).toContain("persona_list, persona_get, persona_apply");
    await alice.choose("Security Engineer");
    await alice.press("Keep my choices");
    expect(alice.message.content).toContain(LIBRARY_LINE);
    expect(alice.message.content).toContain(personaLine("engineering-security-engineer"));
    await alice.press("✓ Create");
    await fake.until(() => !alice.message.content.includes("Creating profile"), 30_000, "the create");
    expect(alice.message.content).toContain("Profile created");
    expect(alice.message.content).not.toContain("✗");
    expect(fake.violations).toEqual([]);
    await expectHermesRunsThePlugin(
      path.join(bot.data, "hermes"),
      "plugin-discord",
      "discord",
      "engineering-security-engineer",
    );
  }, 90_000);
});
