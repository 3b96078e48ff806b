// The real Hermes judges the local model's context window the bot writes: Hermes' own
// agent/model_metadata.py get_model_context_length, given config.yaml's model.context_length the way
// agent/agent_init.py reads it (int(model.context_length), first in its order), returns the window
// the Ollama server reported at the Model step; and the minimum the wizard warns under is Hermes'
// own MINIMUM_CONTEXT_LENGTH. Through the console wizard (a fake Ollama on loopback) and through
// `create --from`.
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { HERMES_MIN_CONTEXT_TOKENS } from "../../src/core/model-fit.ts";
import { runCli } from "../helpers/cli.ts";
import { hermesContext, hermesPython } from "../helpers/hermes.ts";
import { askModelFacts } from "../../src/app/net/model-facts.ts";
import { addressPolicy, NO_INNER_HOSTS } from "../../src/app/net/address-policy.ts";
import { startHostileModelServer, type HostileModelServer } from "../helpers/hostile-model-server.ts";
import { useTempDirs } from "../helpers/temp-dir.ts";

const tempDir = useTempDirs();
const servers: HostileModelServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

const SHOW = JSON.stringify({
  model_info: { "general.architecture": "qwen3", "qwen3.context_length": 40_960 },
  capabilities: ["completion", "tools"],
});

describe("GIVEN Hermes' model metadata code", () => {
  it("THEN the minimum the wizard warns under is Hermes' MINIMUM_CONTEXT_LENGTH", async () => {
    const data = await tempDir();
    const home = path.join(data, "hermes");
    const file = path.join(data, "bp.yaml");
    await writeFile(file, "name: no-window\n");
    const made = await runCli(["create", "--from", file], { env: { DATA_DIR: data, HERMES_HOME: home } });
    expect(made.code, made.stderr).toBe(0);
    expect(await hermesContext(home, "no-window")).toEqual({
      configured: null,
      resolved: null,
      minimum: HERMES_MIN_CONTEXT_TOKENS,
    });
  }, 60_000);

  it("WHEN the console wizard picks an Ollama model THEN Hermes reads the window the server reported", async () => {
    const server = await startHostileModelServer(["qwen3:8b"], SHOW);
    servers.push(server);
    const data = await tempDir();
    const home = path.join(data, "hermes");
    const result = await runCli(["start"], {
      input: [
        "/profile new",
        "fit-bot",
        "Next",
        "Ollama",
        server.url,
        "1", // qwen3:8b
        "Go on with this model", // its 40,960-token window is below Hermes' minimum: warned, kept
        "Optional skills",
        "Hub skills",
        "done",
        "MCP servers",
        "Next",
        "No persona",
        "Create",
      ].join("\n"),
      env: { DATA_DIR: data, HERMES_HOME: home, MODEL_LIST_TIMEOUT_MS: "5000" },
    });
    expect(result.code, result.stderr).toBe(0);
    expect(server.requests).toContain("/api/show");
    expect(result.stdout).toContain("Context window: 40,960 tokens");
    expect(result.stdout).toContain(
      `qwen3:8b has a context window of 40,960 tokens; Hermes refuses to start an agent below ${HERMES_MIN_CONTEXT_TOKENS.toLocaleString("en-US")}`,
    );
    expect(await hermesContext(home, "fit-bot")).toMatchObject({ configured: 40_960, resolved: 40_960 });
  }, 120_000);

  it("WHEN a blueprint file gives model.context_length THEN Hermes reads it", async () => {
    const data = await tempDir();
    const home = path.join(data, "hermes");
    const file = path.join(data, "bp.yaml");
    await writeFile(
      file,
      "name: file-window\nmodel:\n  provider: ollama\n  model: qwen3:8b\n  base_url: http://127.0.0.1:11434/v1\n  context_length: 131072\n",
    );
    const made = await runCli(["create", "--from", file], { env: { DATA_DIR: data, HERMES_HOME: home } });
    expect(made.code, made.stderr).toBe(0);
    expect(await hermesContext(home, "file-window")).toMatchObject({
      configured: 131_072,
      resolved: 131_072,
    });
  }, 60_000);
});

describe("GIVEN an Ollama model whose Modelfile sets num_ctx below its training maximum", () => {
  it("THEN the bot reads the window Ollama runs, the same number Hermes' own Ollama probe reads", async () => {
    const show = JSON.stringify({
      model_info: { "general.architecture": "llama", "llama.context_length": 131_072 },
      parameters: 'num_ctx                        8192\nstop                           "<|eot_id|>"',
      capabilities: ["completion", "tools"],
    });
    const server = await startHostileModelServer(["small:ctx"], show);
    servers.push(server);
    const ollama = {
      slug: "ollama",
      label: "Ollama",
      api_key_env: null,
      base_url: { required: true, default: server.url },
      models_endpoint: "ollama" as const,
      models: [],
    };
    const ours = await askModelFacts(
      ollama,
      `${server.url}/v1`,
      "small:ctx",
      5000,
      addressPolicy(NO_INNER_HOSTS, { operator: true }),
    );
    expect(ours).toEqual({ ok: true, value: { contextLength: 8192, tools: true } });
    const data = await tempDir();
    const hermes = (await hermesPython(
      data,
      data,
      `import json\nfrom agent.model_metadata import query_ollama_num_ctx\nprint(json.dumps({"num_ctx": query_ollama_num_ctx("small:ctx", "${server.url}/v1")}))`,
    )) as { num_ctx: number | null };
    expect(hermes.num_ctx).toBe(8192);
  }, 60_000);
});
