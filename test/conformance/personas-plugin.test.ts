// The real Hermes 0.19 judges the personas plugin the bot installs: its plugin manager loads it
// without error with its three tools, `tools list` shows the toolset enabled on cli, telegram and
// discord, Hermes' own dispatch returns the library's data, and Hermes' agent loop — against a
// scripted model server on loopback — offers the tools, runs persona_apply, and sends the persona's
// text in the very next request; an edit of the library file shows in the following one. A broken
// copy of the plugin is reported as not loaded (Hermes' `plugins list` would still say enabled).
import { appendFile, cp, readdir, readFile, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { loadPersonas } from "../../src/app/persona/persona-loader.ts";
import { REPO_ROOT, runCli } from "../helpers/cli.ts";
import { hermesOk, hermesPython } from "../helpers/hermes.ts";
import { runHermesAgent } from "../helpers/hermes-agent-loop.ts";
import { startScriptedModelServer, type ChatRequest } from "../helpers/scripted-model-server.ts";
import { useTempDirs } from "../helpers/temp-dir.ts";

const tempDir = useTempDirs();
const MODEL = "scripted-persona-model";
const PERSONA_TOOLS = ["persona_apply", "persona_get", "persona_list"];

const BLUEPRINT = [
  "name: persona-agent",
  // A known window: Hermes asks nobody about the model.
  "model: { provider: openrouter, model: anthropic/claude-sonnet-4, context_length: 128000 }",
  "persona: { id: engineering-code-reviewer }",
  "plugins: [personas]",
  "toolsets: [todo]",
  "skills: { builtin: none }",
  "",
].join("\n");

async function bodyOf(id: string): Promise<string> {
  const { library } = await loadPersonas(path.join(REPO_ROOT, "library/personas"));
  const persona = library.get(id);
  if (!persona) throw new Error(`${id} is not in the shipped library`);
  return persona.body;
}

/** The persona block the plugin adds sits in the system message of every request. */
const systemText = (request: ChatRequest | undefined) => JSON.stringify(request?.messages[0]?.content ?? "");
const toolNames = (request: ChatRequest | undefined) =>
  (request?.tools ?? []).map((tool) => tool.function.name).filter((name) => name.startsWith("persona_"));

async function enabledToolsets(home: string, profile: string, platform: string): Promise<string[]> {
  const out = await hermesOk(home, ["-p", profile, "tools", "list", "--platform", platform]);
  return out.split("\n").flatMap((line) => /^\s*✓ enabled\s+(\S+)/.exec(line)?.slice(1, 2) ?? []);
}

/** Hermes' plugin manager and tool dispatch, in one process of Hermes' own Python. */
const PLUGIN_PROBE = `
import contextlib, io, json
with contextlib.redirect_stdout(io.StringIO()):
    from hermes_cli.plugins import discover_plugins, get_plugin_manager
    discover_plugins()
    plugins = [p for p in get_plugin_manager().list_plugins() if p.get("key") == "personas"]
    import model_tools
    call = lambda name, args: json.loads(model_tools.handle_function_call(name, args, session_id="probe-session"))
    calls = {}
    if plugins and not plugins[0].get("error"):
        calls = {
            "list": call("persona_list", {"category": "research"}),
            "search": call("persona_list", {"search": "security"}),
            "get": call("persona_get", {"id": "research-analyst"}),
            "unknown": call("persona_get", {"id": "no-such-persona"}),
            "escape": call("persona_get", {"id": "../../config"}),
            "long": call("persona_list", {"search": "x" * 5000}),
            "apply": call("persona_apply", {"id": "writing-technical-writer"}),
            "listed_active": call("persona_list", {"search": "writer"})["active"],
            "apply_default": call("persona_apply", {"id": "product-manager", "scope": "default"}),
            "apply_none": call("persona_apply", {"id": "none"}),
            "after_none": call("persona_list", {"search": "writer"})["active"],
            "bad_scope": call("persona_apply", {"id": "product-manager", "scope": "forever"}),
        }
        # A library file edited in place: persona_get answers with the new text at once.
        import os
        copy = os.path.join(os.environ["HERMES_HOME"], "plugins", "personas", "library", "research", "research-analyst.md")
        with open(copy, "a", encoding="utf-8") as handle:
            handle.write("\\nEDITED-IN-PLACE-5512\\n")
        calls["get_after_edit"] = call("persona_get", {"id": "research-analyst"})
        # The middleware in the same process: a request, an in-place edit of the default's file, a request.
        from hermes_cli.middleware import apply_llm_request_middleware
        request = {"messages": [{"role": "system", "content": "You are Hermes."}, {"role": "user", "content": "hi"}]}
        first = apply_llm_request_middleware(request, session_id="fresh-session", api_mode="chat_completions")
        manager = os.path.join(os.environ["HERMES_HOME"], "plugins", "personas", "library", "product", "product-manager.md")
        with open(manager, "a", encoding="utf-8") as handle:
            handle.write("\\nMIDDLEWARE-SAW-THE-EDIT-3391\\n")
        second = apply_llm_request_middleware(request, session_id="fresh-session", api_mode="chat_completions")
        calls["middleware"] = {
            "first": first.payload["messages"][0]["content"],
            "second": second.payload["messages"][0]["content"],
        }
print(json.dumps({"plugins": plugins, "calls": calls}, default=str))
`;

interface PluginProbe {
  plugins: { key: string; enabled: boolean; error: string | null; tools: number }[];
  calls: Record<string, Record<string, unknown>>;
}

describe("GIVEN a profile created from a file with plugins: [personas]", () => {
  it("THEN Hermes loads the plugin, enables its toolset on every platform, and its dispatch returns the library's data", async () => {
    const data = await tempDir();
    const home = path.join(data, "hermes");
    const file = path.join(data, "agent.yaml");
    await writeFile(file, BLUEPRINT);
    const created = await runCli(["create", "--from", file], { env: { DATA_DIR: data, HERMES_HOME: home } });
    expect(created.code, created.stderr).toBe(0);
    const profileDir = path.join(home, "profiles", "persona-agent");

    const probe = (await hermesPython(home, profileDir, PLUGIN_PROBE)) as PluginProbe;
    expect(probe.plugins).toEqual([
      expect.objectContaining({ key: "personas", enabled: true, error: null, tools: 3 }),
    ]);
    for (const platform of ["cli", "telegram", "discord"])
      expect(await enabledToolsets(home, "persona-agent", platform)).toEqual(
        expect.arrayContaining(["personas", "todo"]),
      );

    const { calls } = probe;
    // The same personas, in the same order (category, then name), as the bot lists them.
    const shipped = (await loadPersonas(path.join(REPO_ROOT, "library/personas"))).library;
    expect((calls["list"]?.["personas"] as { id: string }[]).map((entry) => entry.id)).toEqual(
      shipped.list("research").map((persona) => persona.meta.id),
    );
    expect((calls["search"]?.["personas"] as { id: string }[])[0]?.id).toBe("engineering-security-engineer");
    expect(calls["get"]).toMatchObject({ id: "research-analyst", body: await bodyOf("research-analyst") });
    expect(calls["unknown"]?.["error"]).toBe(
      "no persona 'no-such-persona' in the library; persona_list shows the ids",
    );
    expect(calls["escape"]?.["error"]).toMatch(/is not a persona id/);
    expect(calls["long"]?.["error"]).toBe("'search' is longer than 100 characters");
    expect(calls["apply"]).toMatchObject({ active: "writing-technical-writer", scope: "session" });
    expect(calls["listed_active"]).toBe("writing-technical-writer");
    expect(calls["apply_default"]).toMatchObject({ active: "product-manager", scope: "default" });
    // "none" for this session overrides the default; the default stays for other sessions.
    expect(calls["apply_none"]).toMatchObject({ active: null, scope: "session" });
    expect(calls["after_none"]).toBeNull();
    expect(calls["bad_scope"]?.["error"]).toBe("scope is 'session' or 'default'");
    expect(String(calls["get_after_edit"]?.["body"])).toContain("EDITED-IN-PLACE-5512");
    const middleware = calls["middleware"] as { first: string; second: string };
    expect(middleware.first).toContain("[persona-library] Active persona: Product Manager (product-manager)");
    expect(middleware.first).not.toContain("MIDDLEWARE-SAW-THE-EDIT-3391");
    expect(middleware.second).toContain("MIDDLEWARE-SAW-THE-EDIT-3391");
    const pluginDir = path.join(profileDir, "plugins", "personas");
    expect(JSON.parse(await readFile(path.join(pluginDir, "state.json"), "utf8"))).toEqual({
      default: "product-manager",
    });
    // Each session's choice is a file of its own (no shared file rewritten by every session).
    const sessions = await readdir(path.join(pluginDir, "sessions"));
    expect(sessions).toHaveLength(1);
    expect(JSON.parse(await readFile(path.join(pluginDir, "sessions", sessions[0] ?? ""), "utf8"))).toEqual({
      id: "",
    });
    // No answer names a place on the host.
    expect(JSON.stringify(calls)).not.toContain(home);
  }, 180_000);

  it("THEN Hermes' agent loop offers the tools, runs persona_apply, sends the persona in the next request, and an edited library file in the one after", async () => {
    const data = await tempDir();
    const home = path.join(data, "hermes");
    const file = path.join(data, "agent.yaml");
    await writeFile(file, BLUEPRINT);
    const created = await runCli(["create", "--from", file], { env: { DATA_DIR: data, HERMES_HOME: home } });
    expect(created.code, created.stderr).toBe(0);
    const profileDir = path.join(home, "profiles", "persona-agent");
    const reviewer = await bodyOf("engineering-code-reviewer");
    const analyst = await bodyOf("research-analyst");
    const server = await startScriptedModelServer(
      [
        { toolCall: { name: "persona_apply", arguments: { id: "research-analyst" } } },
        { text: "I am the research analyst now." },
        { text: "Still the analyst." },
        { text: "A new session." },
      ],
      MODEL,
    );
    try {
      const run = (turns: string[], sessionId: string) =>
        runHermesAgent({ hermesHome: home, profileDir, baseUrl: server.url, model: MODEL, turns, sessionId });

      const first = await run(["Please act as our research analyst."], "persona-session-1");
      expect(first.error).toBeNull();
      expect(first.turns[0]?.toolCalls.map((call) => call.name)).toEqual(["persona_apply"]);
      const [offered, afterApply] = server.requests;
      expect(toolNames(offered).sort()).toEqual(PERSONA_TOOLS);
      // Before the call: the profile's default persona, by reference from the plugin's library copy.
      expect(systemText(offered)).toContain(JSON.stringify(reviewer).slice(1, 200));
      expect(systemText(offered)).not.toContain(JSON.stringify(analyst).slice(1, 200));
      // The request right after the tool call carries the chosen persona, and only it.
      expect(afterApply?.messages.some((message) => message.role === "tool")).toBe(true);
      expect(systemText(afterApply)).toContain(JSON.stringify(analyst).slice(1, 200));
      expect(systemText(afterApply)).not.toContain(JSON.stringify(reviewer).slice(1, 200));

      // The library file changes; the same session's next request has the new text, no restart.
      const copy = path.join(profileDir, "plugins", "personas", "library", "research", "research-analyst.md");
      await appendFile(copy, "\nEDITED-IN-THE-LIBRARY-7731: cite two sources for every claim.\n");
      const second = await run(["Go on."], "persona-session-1");
      expect(second.restoredMessages).toBeGreaterThan(0);
      expect(systemText(server.requests[2])).toContain("EDITED-IN-THE-LIBRARY-7731");

      // A new session (Hermes' /new) starts from the profile's default again.
      const fresh = await run(["Hello."], "persona-session-2");
      expect(fresh.error).toBeNull();
      expect(systemText(server.requests[3])).toContain(JSON.stringify(reviewer).slice(1, 200));
      expect(systemText(server.requests[3])).not.toContain("EDITED-IN-THE-LIBRARY-7731");
      expect(server.requests).toHaveLength(4);
    } finally {
      await server.close();
    }
  }, 240_000);

  it("WHEN the installed plugin's code is broken THEN Hermes' plugin manager reports the error and no platform gets the toolset", async () => {
    const data = await tempDir();
    const home = path.join(data, "hermes");
    const file = path.join(data, "agent.yaml");
    await writeFile(file, BLUEPRINT);
    expect(
      (await runCli(["create", "--from", file], { env: { DATA_DIR: data, HERMES_HOME: home } })).code,
    ).toBe(0);
    const profileDir = path.join(home, "profiles", "persona-agent");
    const init = path.join(profileDir, "plugins", "personas", "__init__.py");
    await cp(init, `${init}.orig`);
    await writeFile(
      init,
      (await readFile(init, "utf8")).replace("def register(ctx: Any) -> None:", "def register(ctx"),
    );

    const probe = (await hermesPython(home, profileDir, PLUGIN_PROBE)) as PluginProbe;
    expect(probe.plugins[0]?.error).toBeTruthy();
    expect(probe.calls).toEqual({});
    expect(await enabledToolsets(home, "persona-agent", "telegram")).not.toContain("personas");
  }, 120_000);

  it("WHEN apply --from adds the plugin to a profile THEN Hermes loads it; a dry run writes nothing, a second apply finds nothing, and plugins: [] removes it", async () => {
    const data = await tempDir();
    const home = path.join(data, "hermes");
    const env = { DATA_DIR: data, HERMES_HOME: home };
    const file = path.join(data, "agent.yaml");
    const without = BLUEPRINT.replace("plugins: [personas]\n", "");
    await writeFile(file, without);
    expect((await runCli(["create", "--from", file], { env })).code).toBe(0);
    const profileDir = path.join(home, "profiles", "persona-agent");
    const configFile = path.join(profileDir, "config.yaml");
    const plugin = path.join(profileDir, "plugins", "personas");

    await writeFile(file, BLUEPRINT.replace("engineering-code-reviewer", "research-analyst"));
    const before = await readFile(configFile, "utf8");
    const dry = await runCli(["apply", "--from", file, "--dry-run"], { env });
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toContain("+ plugin 'personas' added: 16 personas; default research-analyst");
    expect(await readFile(configFile, "utf8")).toBe(before);
    await expect(stat(plugin)).rejects.toThrow();

    const applied = await runCli(["apply", "--from", file], { env });
    expect(applied.code, applied.stderr).toBe(0);
    expect(JSON.parse(await readFile(path.join(plugin, "state.json"), "utf8"))).toEqual({
      default: "research-analyst",
    });
    // The persona is the plugin's default, not also a copy in agent.system_prompt.
    const config = parseYaml(await readFile(configFile, "utf8")) as {
      agent?: Record<string, unknown>;
      display?: unknown;
    };
    expect(config.agent?.["system_prompt"]).toBeUndefined();
    expect(config.display).toBeUndefined();
    expect(dry.stdout).toContain("- persona 'engineering-code-reviewer' removed");
    const stamps = async () =>
      Promise.all(
        [configFile, path.join(plugin, "state.json"), path.join(plugin, "__init__.py")].map(
          async (f) => (await stat(f)).mtimeMs,
        ),
      );
    const first = await stamps();
    const again = await runCli(["apply", "--from", file], { env });
    expect(again.stdout).toContain("No changes: the profile already matches.");
    expect(await stamps()).toEqual(first);

    // Hermes loads it (the probe also changes the agent's choices, so it runs after the checks above).
    const probe = (await hermesPython(home, profileDir, PLUGIN_PROBE)) as PluginProbe;
    expect(probe.plugins).toEqual([expect.objectContaining({ key: "personas", error: null, tools: 3 })]);

    await writeFile(file, `${without}plugins: []\n`);
    const removed = await runCli(["apply", "--from", file], { env });
    expect(removed.code, removed.stderr).toBe(0);
    expect(removed.stdout).toContain("- plugin 'personas' removed");
    await expect(stat(plugin)).rejects.toThrow();
    const gone = (await hermesPython(home, profileDir, PLUGIN_PROBE)) as PluginProbe;
    expect(gone.plugins).toEqual([]);
  }, 240_000);
});
