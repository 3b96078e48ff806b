// The plugin's state under concurrent writers, as a gateway, a CLI session and the bot make them:
// several processes of Hermes' Python choosing personas for their sessions at the same moment lose
// none of the choices, a default set meanwhile holds, and the number of remembered sessions stays
// bounded (the oldest forgotten first).
import path from "node:path";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "../helpers/cli.ts";
import { hermesPython } from "../helpers/hermes.ts";
import { useTempDirs } from "../helpers/temp-dir.ts";

const tempDir = useTempDirs();
const PLUGIN = path.join(REPO_ROOT, "library/hermes-plugins/personas");

const RACE = (folder: string, perProcess: number) => `
import importlib.util, json, multiprocessing, os, sys
def load():
    spec = importlib.util.spec_from_file_location("active_state", ${JSON.stringify(path.join(PLUGIN, "active_state.py"))})
    module = importlib.util.module_from_spec(spec); spec.loader.exec_module(module)
    return module
def writer(index):
    state = load().ActiveState(${JSON.stringify(folder)})
    for turn in range(${perProcess}):
        state.choose(f"persona-{index}-{turn}", "session", f"session-{index}-{turn}")
def default_setter():
    state = load().ActiveState(${JSON.stringify(folder)})
    for turn in range(20):
        state.choose("research-analyst", "default", "")
if __name__ == "__main__":
    module = load()
    procs = [multiprocessing.Process(target=writer, args=(i,)) for i in range(4)] + [multiprocessing.Process(target=default_setter)]
    for p in procs: p.start()
    for p in procs: p.join()
    state = module.ActiveState(${JSON.stringify(folder)})
    seen = sum(1 for i in range(4) for t in range(${perProcess}) if state.active(f"session-{i}-{t}") == f"persona-{i}-{t}")
    files = len(os.listdir(os.path.join(${JSON.stringify(folder)}, "sessions")))
    print(json.dumps({"seen": seen, "files": files, "default": state.default(), "fresh": state.active("never-chose")}))
`;

describe("GIVEN the personas plugin's state written by several processes at once", () => {
  it("THEN no session's choice is lost and a default set meanwhile holds", async () => {
    const folder = await tempDir();
    const result = (await hermesPython(folder, folder, RACE(folder, 50))) as Record<string, unknown>;
    expect(result).toEqual({ seen: 200, files: 200, default: "research-analyst", fresh: "research-analyst" });
  }, 60_000);

  it("THEN at most 500 session choices are kept", async () => {
    const folder = await tempDir();
    const result = (await hermesPython(folder, folder, RACE(folder, 140))) as Record<string, unknown>;
    // Writers prune at the same moment, so a few more may go; never more than the bound stay.
    expect(result["files"]).toBeLessThanOrEqual(500);
    expect(result["files"]).toBeGreaterThan(450);
  }, 60_000);
});
