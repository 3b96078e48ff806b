// The harness that runs the real Hermes agent loop against a scripted model server proves itself
// here with a throwaway plugin: Hermes offers the plugin's tool to the model, executes the call the
// script makes, hands the handler's answer back in the next request, and returns the final text.
// A plugin that does not load (a syntax error) is not offered: the check bites.
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { runHermesAgent } from "../helpers/hermes-agent-loop.ts";
import {
  SCRIPT_RAN_OUT,
  startScriptedModelServer,
  type ChatRequest,
} from "../helpers/scripted-model-server.ts";
import { useTempDirs } from "../helpers/temp-dir.ts";

const tempDir = useTempDirs();
const MODEL = "scripted-probe-model";

const PROBE_INIT = `import json


def _echo(args, **kwargs):
    return json.dumps({"echoed": args})


def register(ctx):
    ctx.register_tool(
        name="probe_echo",
        toolset="probe",
        schema={
            "name": "probe_echo",
            "description": "Echo the arguments back as JSON.",
            "parameters": {
                "type": "object",
                "properties": {"word": {"type": "string"}},
                "required": ["word"],
            },
        },
        handler=_echo,
    )

    def _mark(request=None, **kwargs):
        # llm_request middleware: rewrite the request so the test can see the middleware ran.
        request = dict(request or {})
        request["metadata"] = {"probe_middleware": "ran"}
        return {"request": request}

    ctx.register_middleware("llm_request", _mark)
`;

/** A profile folder using the scripted server, with the probe plugin enabled and `init` as its code. */
async function probeProfile(init: string, serverUrl: string) {
  const data = await tempDir();
  const hermesHome = path.join(data, "hermes");
  const profileDir = path.join(hermesHome, "profiles", "probe-test");
  const plugin = path.join(profileDir, "plugins", "probe");
  await mkdir(plugin, { recursive: true });
  await writeFile(
    path.join(profileDir, "config.yaml"),
    [
      "model:",
      "  provider: custom",
      `  default: ${MODEL}`,
      `  base_url: ${serverUrl}`,
      // Known to Hermes without a look-up (it would otherwise ask the endpoint or models.dev).
      "  context_length: 128000",
      "plugins:",
      "  enabled: [probe]",
      // A small toolset keeps the schema list (and Hermes' start-up) short; the plugin's own
      // toolset is enabled by Hermes by default, whatever the list says.
      "platform_toolsets:",
      "  cli: [todo]",
      "",
    ].join("\n"),
  );
  await writeFile(
    path.join(plugin, "plugin.yaml"),
    "name: probe\nversion: 0.0.1\nkind: standalone\nprovides_tools: [probe_echo]\n",
  );
  await writeFile(path.join(plugin, "__init__.py"), init);
  return { hermesHome, profileDir };
}

const toolNames = (request: ChatRequest | undefined) =>
  (request?.tools ?? []).map((tool) => tool.function.name).sort();

describe("GIVEN the real Hermes agent loop against a scripted model server", () => {
  it("WHEN a plugin provides a tool THEN Hermes offers it, executes the scripted call, returns the handler's JSON to the model, and answers with the final text", async () => {
    const server = await startScriptedModelServer(
      [{ toolCall: { name: "probe_echo", arguments: { word: "hello" } } }, { text: "probe done" }],
      MODEL,
    );
    try {
      const { hermesHome, profileDir } = await probeProfile(PROBE_INIT, server.url);
      const run = await runHermesAgent({
        hermesHome,
        profileDir,
        baseUrl: server.url,
        model: MODEL,
        turns: ["Say hello through the probe."],
        sessionId: "probe-session-1",
      });
      expect(run.error).toBeNull();
      expect(run.toolsets).toContain("probe");
      expect(run.sessionId).toBe("probe-session-1");

      expect(server.requests).toHaveLength(2);
      const [first, second] = server.requests;
      expect(toolNames(first)).toContain("probe_echo");
      // The system prompt leads every request; the user's message follows it.
      expect(first?.messages[0]?.role).toBe("system");
      expect(first?.messages.at(-1)).toMatchObject({ role: "user", content: "Say hello through the probe." });
      // The plugin's llm_request middleware ran on the way out.
      expect(first?.["metadata"]).toEqual({ probe_middleware: "ran" });

      const toolMessage = second?.messages.find((message) => message.role === "tool");
      expect(toolMessage?.tool_call_id).toBe("call_scripted_1");
      expect(JSON.parse(String(toolMessage?.content))).toEqual({ echoed: { word: "hello" } });

      const [turn] = run.turns;
      expect(turn?.finalResponse).toBe("probe done");
      expect(turn?.failed).toBe(false);
      expect(turn?.toolCalls.map(({ id, name, arguments: args }) => ({ id, name, args }))).toEqual([
        { id: "call_scripted_1", name: "probe_echo", args: { word: "hello" } },
      ]);
      expect(JSON.parse(turn?.toolCalls[0]?.result ?? "null")).toEqual({ echoed: { word: "hello" } });
    } finally {
      await server.close();
    }
  }, 60_000);

  it("WHEN the plugin's code does not even parse THEN the first request does not offer its tool", async () => {
    const server = await startScriptedModelServer([{ text: "no tools here" }], MODEL);
    try {
      const broken = PROBE_INIT.replace("def register(ctx):", "def register(ctx)");
      const { hermesHome, profileDir } = await probeProfile(broken, server.url);
      const run = await runHermesAgent({
        hermesHome,
        profileDir,
        baseUrl: server.url,
        model: MODEL,
        turns: ["Is the probe there?"],
      });
      expect(run.error).toBeNull();
      expect(server.requests.length).toBeGreaterThan(0);
      expect(toolNames(server.requests[0])).not.toContain("probe_echo");
      expect(run.tools).not.toContain("probe_echo");
      expect(run.turns[0]?.finalResponse).toBe("no tools here");
    } finally {
      await server.close();
    }
  }, 60_000);

  it("WHEN turns run in one process and a later run names the same session THEN each request carries the history before it", async () => {
    const server = await startScriptedModelServer(
      [{ text: "one" }, { text: "two" }, { text: "three" }],
      MODEL,
    );
    try {
      const { hermesHome, profileDir } = await probeProfile(PROBE_INIT, server.url);
      const base = {
        hermesHome,
        profileDir,
        baseUrl: server.url,
        model: MODEL,
        sessionId: "probe-session-2",
      };
      const first = await runHermesAgent({ ...base, turns: ["first turn", "second turn"] });
      expect(first.turns.map((turn) => turn.finalResponse)).toEqual(["one", "two"]);
      expect(first.turns.map((turn) => turn.sessionId)).toEqual(["probe-session-2", "probe-session-2"]);
      const later = await runHermesAgent({ ...base, turns: ["third turn"] });
      expect(later.restoredMessages).toBe(4);
      expect(later.turns[0]?.finalResponse).toBe("three");
      const said = (request: ChatRequest | undefined) =>
        request?.messages.filter((message) => message.role !== "system").map((message) => message.content);
      expect(server.requests.map(said)).toEqual([
        ["first turn"],
        ["first turn", "one", "second turn"],
        ["first turn", "one", "second turn", "two", "third turn"],
      ]);
    } finally {
      await server.close();
    }
  }, 60_000);

  it("WHEN the script runs out THEN the turn fails with the server's message instead of hanging", async () => {
    const server = await startScriptedModelServer([], MODEL);
    try {
      const { hermesHome, profileDir } = await probeProfile(PROBE_INIT, server.url);
      const run = await runHermesAgent({
        hermesHome,
        profileDir,
        baseUrl: server.url,
        model: MODEL,
        turns: ["hi"],
      });
      expect(run.turns[0]?.failed).toBe(true);
      expect(JSON.stringify(run.turns[0])).toContain(SCRIPT_RAN_OUT);
    } finally {
      await server.close();
    }
  }, 60_000);
});
