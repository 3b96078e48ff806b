// What a local model server says about one model (net/model-facts.ts), against a fake Ollama and a
// fake OpenAI-compatible server on loopback: the window and tool calling are read; a slow, huge,
// malformed or hostile answer ends as a reason in our words, within the deadline and the byte cap;
// the address policy is the model list's.
import { createServer, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { askModelFacts, MODEL_FACTS_MAX_BYTES } from "../../src/app/net/model-facts.ts";
import { addressPolicy, NO_INNER_HOSTS } from "../../src/app/net/address-policy.ts";
import { REFUSED_REASON } from "../../src/app/net/model-server-request.ts";
import type { ProviderInfo } from "../../src/core/catalog.ts";

const OLLAMA: ProviderInfo = {
  slug: "ollama",
  label: "Ollama",
  api_key_env: null,
  base_url: { required: true, default: "http://127.0.0.1:11434/v1" },
  models_endpoint: "ollama",
  models: ["llama3.2"],
};
const OPENAI_COMPATIBLE: ProviderInfo = { ...OLLAMA, slug: "custom", models_endpoint: "openai" };
const OPERATOR = addressPolicy(NO_INNER_HOSTS, { operator: true });
const CHAT = addressPolicy(NO_INNER_HOSTS, { operator: false });
/** The deadline these tests give a server (the bot's is MODEL_LIST_TIMEOUT_MS). */
const DEADLINE_MS = 500;

let server: Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined));
  server = undefined;
});

interface Seen {
  method: string;
  path: string;
  body: string;
}

/** A loopback server; `answer` writes the response, `seen` records each request. */
async function serve(answer: (path: string, response: ServerResponse) => void) {
  const seen: Seen[] = [];
  server = createServer((request, response) => {
    let body = "";
    request.on("data", (chunk: Buffer) => (body += chunk.toString()));
    request.on("end", () => {
      seen.push({ method: request.method ?? "", path: request.url ?? "", body });
      answer(request.url ?? "", response);
    });
  });
  await new Promise<void>((resolve) => server?.listen(0, "127.0.0.1", resolve));
  return { base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

const json = (body: unknown) => (_path: string, response: ServerResponse) =>
  response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(body));

describe("GIVEN an Ollama server", () => {
  it("WHEN asked about a model THEN it POSTs /api/show (without /v1) and reads <arch>.context_length and the tools capability", async () => {
    const { base, seen } = await serve(
      json({
        model_info: {
          "general.architecture": "qwen3",
          "qwen3.context_length": 40_960,
          "other.context_length": 2,
        },
        capabilities: ["completion", "tools", "thinking"],
      }),
    );
    expect(await askModelFacts(OLLAMA, `${base}/v1`, "qwen3:8b", DEADLINE_MS, OPERATOR)).toEqual({
      ok: true,
      value: { contextLength: 40_960, tools: true },
    });
    expect(seen).toEqual([
      { method: "POST", path: "/api/show", body: JSON.stringify({ model: "qwen3:8b", name: "qwen3:8b" }) },
    ]);
  });

  it("WHEN its Modelfile sets num_ctx THEN that runtime window wins over the training maximum; a num_ctx line without a number is passed over", async () => {
    const { base } = await serve(
      json({
        model_info: { "general.architecture": "llama", "llama.context_length": 131_072 },
        parameters: 'num_ctx default\nnum_ctx    16384\nstop "<|eot_id|>"',
      }),
    );
    expect(await askModelFacts(OLLAMA, base, "llama", DEADLINE_MS, OPERATOR)).toEqual({
      ok: true,
      value: { contextLength: 16_384 },
    });
  });

  it("WHEN capabilities lack tools THEN tools is false; WHEN there are none (old Ollama) THEN it is unknown", async () => {
    const { base } = await serve((_path, response) =>
      response.end(
        JSON.stringify({ model_info: { "llama.context_length": 8192 }, capabilities: ["completion"] }),
      ),
    );
    expect(await askModelFacts(OLLAMA, base, "gemma", DEADLINE_MS, OPERATOR)).toEqual({
      ok: true,
      value: { contextLength: 8192, tools: false },
    });
    server?.removeAllListeners("request");
    server?.on("request", (_request, response) => response.end(JSON.stringify({ model_info: {} })));
    expect(await askModelFacts(OLLAMA, base, "gemma", DEADLINE_MS, OPERATOR)).toEqual({
      ok: true,
      value: {},
    });
  });

  it.each([
    [
      "hostile text in every field",
      {
        model_info: {
          "\u001b[2Jx.context_length": "\u001b]0;owned\u0007",
          "general.architecture": "@everyone **x**",
        },
        capabilities: ["\u001b[31mtools"],
      },
      { ok: true, value: { tools: false } },
    ],
    [
      "a window that is not a whole number",
      { model_info: { "a.context_length": 1e300 }, capabilities: [] },
      { ok: true, value: { tools: false } },
    ],
    ["not an object", ["tools"], { ok: false, reason: "the answer does not describe the model" }],
  ])(
    "WHEN the answer holds %s THEN only what is a number or the word tools comes out",
    async (_what, body, expected) => {
      const { base } = await serve(json(body));
      expect(await askModelFacts(OLLAMA, base, "m", DEADLINE_MS, OPERATOR)).toEqual(expected);
    },
  );

  it("WHEN the answer is not JSON or not UTF-8 THEN the reason is ours", async () => {
    const { base } = await serve((_path, response) => response.end(Buffer.from([0xff, 0xfe, 0x1b, 0x5b])));
    expect(await askModelFacts(OLLAMA, base, "m", DEADLINE_MS, OPERATOR)).toEqual({
      ok: false,
      reason: "the answer does not describe the model",
    });
  });

  it("WHEN the answer is 10 MB THEN it is cut at the cap", async () => {
    const { base } = await serve((_path, response) => {
      response.writeHead(200);
      response.end("x".repeat(10 * 1024 * 1024));
    });
    expect(MODEL_FACTS_MAX_BYTES).toBeLessThan(10 * 1024 * 1024);
    expect(await askModelFacts(OLLAMA, base, "m", 5000, OPERATOR)).toEqual({
      ok: false,
      reason: "the answer is too large",
    });
  });

  it("WHEN the server trickles its answer THEN the deadline ends it", async () => {
    const { base } = await serve((_path, response) => {
      response.writeHead(200);
      const timer = setInterval(() => response.write(" "), 50);
      response.on("close", () => clearInterval(timer));
    });
    const started = Date.now();
    expect(await askModelFacts(OLLAMA, base, "m", DEADLINE_MS, OPERATOR)).toEqual({
      ok: false,
      reason: `no answer within ${DEADLINE_MS} ms`,
    });
    expect(Date.now() - started).toBeLessThan(DEADLINE_MS + 1000);
  });

  it("WHEN a chat asks without MODEL_SERVER_HOSTS THEN loopback is refused before any request", async () => {
    const { base, seen } = await serve(json({ model_info: {} }));
    expect(await askModelFacts(OLLAMA, base, "m", DEADLINE_MS, CHAT)).toEqual({
      ok: false,
      reason: REFUSED_REASON,
    });
    expect(seen).toEqual([]);
  });
});

describe("GIVEN an OpenAI-compatible server", () => {
  it("WHEN its /v1/models entry names a window (vLLM max_model_len) THEN it is read; llama.cpp's training maximum (meta.n_ctx_train) is not; tools stay unknown", async () => {
    const { base, seen } = await serve(
      json({
        data: [
          { id: "other", max_model_len: 1 },
          { id: "served", max_model_len: 32_768 },
          { id: "cpp", meta: { n_ctx_train: 131_072 } },
        ],
      }),
    );
    expect(await askModelFacts(OPENAI_COMPATIBLE, base, "served", DEADLINE_MS, OPERATOR)).toEqual({
      ok: true,
      value: { contextLength: 32_768 },
    });
    expect(await askModelFacts(OPENAI_COMPATIBLE, `${base}/v1`, "cpp", DEADLINE_MS, OPERATOR)).toEqual({
      ok: true,
      value: {},
    });
    expect(await askModelFacts(OPENAI_COMPATIBLE, base, "absent", DEADLINE_MS, OPERATOR)).toEqual({
      ok: true,
      value: {},
    });
    expect(seen.map((request) => `${request.method} ${request.path}`)).toEqual([
      "GET /v1/models",
      "GET /v1/models",
      "GET /v1/models",
    ]);
  });
});
