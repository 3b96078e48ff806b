// A model server that lists ids no model has — terminal escapes that clear the screen or retitle
// the window, a bidi override, a C1 control, a 300 KB id — reached by the console bot's Model step
// through its real start-up (`blueprint start`): only the ids that can be shown are offered.
import { afterEach, describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.ts";
import { startHostileModelServer, type HostileModelServer } from "../helpers/hostile-model-server.ts";
import { useTempDirs } from "../helpers/temp-dir.ts";

const tempDir = useTempDirs();
const servers: HostileModelServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

const HOSTILE_IDS = [
  "\u001b[2J\u001b]0;owned\u0007clear-screen",
  "llama\u202eevil",
  "c1\u009bcontrol",
  "bell\u0007model",
  "zero\u200bwidth",
  "y".repeat(300_000),
];

describe("GIVEN the console bot and an Ollama server that lists hostile model ids (problem 6)", () => {
  it("WHEN the Model step lists its models THEN only the clean ids are offered and no raw byte reaches the terminal", async () => {
    const server = await startHostileModelServer(["good-model", ...HOSTILE_IDS, "other-good:7b"]);
    servers.push(server);
    const result = await runCli(["start"], {
      input: ["/profile new", "model-ids", "Next", "Ollama", server.url, ""].join("\n"),
      env: { DATA_DIR: await tempDir(), MODEL_LIST_TIMEOUT_MS: "5000" },
    });
    expect(result.code).toBe(0);
    expect(server.requests).toContain("/api/tags");
    expect(result.stdout).toContain("good-model");
    expect(result.stdout).toContain("other-good:7b");
    for (const hostile of ["clear-screen", "evil", "c1", "bell", "zerowidth", "zero", "y".repeat(200)])
      expect(result.stdout).not.toContain(hostile);
    // eslint-disable-next-line no-control-regex -- no control, bidi or zero-width character may reach the terminal
    expect(result.stdout).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e]/);
  }, 60_000);
});

/** The console answers from the Model step to Review, with the first model listed picked. */
function toReviewScript(url: string): string {
  return [
    "/profile new",
    "model-facts",
    "Next",
    "Ollama",
    url,
    "1",
    "Optional skills",
    "Hub skills",
    "done",
    "MCP servers",
    "Next",
    "No persona",
    "",
  ].join("\n");
}

describe("GIVEN the console bot and an Ollama server whose /api/show answer is hostile (issue 23)", () => {
  it("WHEN the answer hides escapes, bidi, markdown and mentions among its facts THEN only the number and the tools yes/no reach the terminal", async () => {
    const show = JSON.stringify({
      model_info: {
        "general.architecture": "\u001b]0;owned\u0007",
        "\u001b[2Jwiped.context_length": 131_072,
        license: "@everyone **bold** [link](http://evil)",
      },
      capabilities: ["completion", "tools", "\u202eevil", "@here"],
      template: "\u001b[31m".repeat(1000),
    });
    const server = await startHostileModelServer(["good-model"], show);
    servers.push(server);
    const result = await runCli(["start"], {
      input: toReviewScript(server.url),
      env: { DATA_DIR: await tempDir(), MODEL_LIST_TIMEOUT_MS: "5000" },
    });
    expect(result.code).toBe(0);
    expect(server.requests).toContain("/api/show");
    expect(result.stdout).toContain("Context window: 131,072 tokens");
    expect(result.stdout).toContain("Tool calling: yes");
    for (const hostile of ["owned", "wiped", "@everyone", "@here", "evil", "**bold**"])
      expect(result.stdout).not.toContain(hostile);
    // eslint-disable-next-line no-control-regex -- no control, bidi or zero-width character may reach the terminal
    expect(result.stdout).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e]/);
  }, 60_000);

  it("WHEN the answer is 10 MB THEN the wizard goes on and Review says the server could not say", async () => {
    const server = await startHostileModelServer(
      ["good-model"],
      `{"model_info":{"x":"${"y".repeat(10 * 1024 * 1024)}"}}`,
    );
    servers.push(server);
    const result = await runCli(["start"], {
      input: toReviewScript(server.url),
      env: { DATA_DIR: await tempDir(), MODEL_LIST_TIMEOUT_MS: "5000" },
    });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("the server could not say (the answer is too large)");
    expect(result.stdout).toContain("Step 7/7 · Review");
  }, 60_000);
});
