import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { listServerModels, modelsUrl } from "../../src/app/model-lister.ts";
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

let server: Server | undefined;
afterEach(() => {
  server?.close();
  server = undefined;
});

/** A loopback model server answering each path with the given handler. */
async function serve(
  handler: (url: string) => { status: number; body: string; delayMs?: number },
): Promise<string> {
  server = createServer((request, response) => {
    const answer = handler(request.url ?? "");
    setTimeout(() => {
      response.writeHead(answer.status, { "content-type": "application/json" });
      response.end(answer.body);
    }, answer.delayMs ?? 0);
  });
  await new Promise<void>((resolve) => server?.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe("GIVEN a model server", () => {
  it("WHEN it is Ollama THEN /api/tags is asked (without the /v1 suffix) and names are listed", async () => {
    const base = await serve((url) =>
      url === "/api/tags"
        ? { status: 200, body: JSON.stringify({ models: [{ name: "qwen3:8b" }, { name: "llama3.2:3b" }] }) }
        : { status: 404, body: "" },
    );
    expect(await listServerModels(OLLAMA, `${base}/v1`, 2000)).toEqual({
      ok: true,
      models: ["qwen3:8b", "llama3.2:3b"],
    });
  });

  it("WHEN it is OpenAI-compatible THEN /v1/models is asked and ids are listed once each", async () => {
    const base = await serve((url) =>
      url === "/v1/models"
        ? {
            status: 200,
            body: JSON.stringify({ data: [{ id: "m1" }, { id: "m1" }, { id: "bad id" }, { id: "m2" }] }),
          }
        : { status: 404, body: "" },
    );
    expect(await listServerModels(OPENAI_COMPATIBLE, base, 2000)).toEqual({ ok: true, models: ["m1", "m2"] });
    expect(modelsUrl(OPENAI_COMPATIBLE, `${base}/v1/`)).toBe(`${base}/v1/models`);
  });

  it.each([
    [{ status: 500, body: "" }, "HTTP 500"],
    [{ status: 200, body: "<html>" }, "the answer is not a model list"],
    [{ status: 200, body: '{"unexpected": true}' }, "the answer is not a model list"],
    [{ status: 200, body: "{}", delayMs: 1500 }, "no answer within 200 ms"],
  ])("WHEN it answers %j THEN the failure says %s", async (answer, reason) => {
    const base = await serve(() => answer);
    expect(await listServerModels(OLLAMA, base, 200)).toEqual({ ok: false, reason });
  });

  it("WHEN nothing listens THEN the connection error is reported", async () => {
    const base = await serve(() => ({ status: 200, body: "{}" }));
    server?.close();
    const listing = await listServerModels(OLLAMA, base, 1000);
    expect(listing).toEqual({ ok: false, reason: "ECONNREFUSED" });
  });
});
