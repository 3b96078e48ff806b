// /persona plugin on a profile that exists, through the console the way `npm start` runs it, judged
// by the real Hermes: after install its plugin manager loads the plugin with the default asked for;
// after the bot's library changes, /persona status names the drift and /persona sync brings the
// copy up to date, which Hermes' own dispatch then answers with; after remove Hermes has no plugin.
import { cp, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { REPO_ROOT, runCli } from "../helpers/cli.ts";
import { hermesPython } from "../helpers/hermes.ts";
import { useTempDirs } from "../helpers/temp-dir.ts";

const tempDir = useTempDirs();

const PROBE = `
import contextlib, io, json
with contextlib.redirect_stdout(io.StringIO()):
    from hermes_cli.plugins import discover_plugins, get_plugin_manager
    discover_plugins()
    plugins = [p for p in get_plugin_manager().list_plugins() if p.get("key") == "personas"]
    got = {}
    if plugins and not plugins[0].get("error"):
        import model_tools
        got = json.loads(model_tools.handle_function_call("persona_get", {"id": "research-analyst"}, session_id="s"))
        got["active"] = json.loads(model_tools.handle_function_call("persona_list", {}, session_id="s"))["active"]
print(json.dumps({"plugins": plugins, "got": got}, default=str))
`;

interface Probe {
  plugins: { key: string; error: string | null; tools: number }[];
  got: { body?: string; active?: string | null };
}

describe("GIVEN a profile on this machine and the console", () => {
  it("WHEN /persona plugin installs, status and sync follow the library, and remove runs THEN Hermes loads, answers with and drops the plugin", async () => {
    const data = await tempDir();
    const library = path.join(data, "library");
    await cp(path.join(REPO_ROOT, "library"), library, { recursive: true, verbatimSymlinks: true });
    const home = path.join(data, "hermes");
    const env = { DATA_DIR: data, HERMES_HOME: home, BLUEPRINT_LIBRARY: library };
    const blueprint = path.join(data, "bot.yaml");
    await writeFile(
      blueprint,
      "name: bot\nmodel: { provider: openai, model: gpt-4.1 }\nskills: { builtin: none }\n",
    );
    expect((await runCli(["create", "--from", blueprint], { env })).code).toBe(0);
    const profileDir = path.join(home, "profiles", "bot");

    const installed = await runCli(["start"], {
      input: "/persona plugin install bot research-analyst\n",
      env,
    });
    expect(installed.stdout).toContain("Installed the personas plugin into profile 'bot': 16 personas");
    expect(installed.stdout).toContain("Default persona: research-analyst (by reference");
    const loaded = (await hermesPython(home, profileDir, PROBE)) as Probe;
    expect(loaded.plugins).toEqual([expect.objectContaining({ key: "personas", error: null, tools: 3 })]);
    expect(loaded.got.active).toBe("research-analyst");

    const file = path.join(library, "personas/research/research-analyst.md");
    await writeFile(file, `${await readFile(file, "utf8")}\nLIBRARY-MOVED-ON-2291\n`);
    const synced = await runCli(["start"], {
      input: "/persona status bot\n/persona sync bot\n/persona status bot\n",
      env,
    });
    expect(synced.stdout).toContain(
      "its copy differs from this bot's: 1 changed (research-analyst). /persona sync updates it.",
    );
    expect(synced.stdout).toContain(
      "Updated the personas plugin's library copy: 1 changed (research-analyst).",
    );
    expect(synced.stdout).toContain(
      "Personas plugin: 16 personas, default research-analyst; its library copy is current.",
    );
    const answered = (await hermesPython(home, profileDir, PROBE)) as Probe;
    expect(answered.got.body).toContain("LIBRARY-MOVED-ON-2291");

    const removed = await runCli(["start"], { input: "/persona plugin remove bot\n", env });
    expect(removed.stdout).toContain("Removed the personas plugin from profile 'bot'");
    const gone = (await hermesPython(home, profileDir, PROBE)) as Probe;
    expect(gone.plugins).toEqual([]);
  }, 180_000);
});
