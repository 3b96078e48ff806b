// A profile made on a Hermes host keeps the model's context window: `create --from` through the
// host's dashboard writes config.yaml model.context_length there, and that Hermes' own model-metadata
// code (agent/model_metadata.py get_model_context_length, fed as agent_init.py feeds it) reads it.
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.ts";
import { hermesContext } from "../helpers/hermes.ts";
import { remoteBotEnv, useRemoteHermes } from "../helpers/remote-hermes.ts";
import { useTempDirs } from "../helpers/temp-dir.ts";

const tempDir = useTempDirs();
const remote = useRemoteHermes("remote-model-fit-session-token-7c2e");

describe("GIVEN a bot that creates on a Hermes host", () => {
  it("WHEN a blueprint gives an Ollama model's context_length THEN the host's Hermes reads that window", async () => {
    const data = await tempDir();
    const file = path.join(data, "bp.yaml");
    await writeFile(
      file,
      "name: host-window\nmodel:\n  provider: ollama\n  model: qwen3:8b\n  base_url: http://127.0.0.1:11434/v1\n  context_length: 131072\n",
    );
    const created = await runCli(["create", "--from", file], { env: remoteBotEnv(data, remote()) });
    expect(created.code, created.stderr).toBe(0);
    expect(await hermesContext(remote().home, "host-window")).toMatchObject({
      configured: 131_072,
      resolved: 131_072,
    });
  }, 90_000);
});
