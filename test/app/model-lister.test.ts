import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { listServerModels, modelsUrl } from "../../src/app/net/model-lister.ts";
import { addressPolicy, NO_INNER_HOSTS, parseHostRules } from "../../src/app/net/address-policy.ts";
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

/** The terminal wizard's policy: the operator may reach loopback and private addresses. */
const OPERATOR = addressPolicy(NO_INNER_HOSTS, { operator: true });
/** A chat's policy with no MODEL_SERVER_HOSTS: public addresses only. */
const CHAT = addressPolicy(NO_INNER_HOSTS, { operator: false });
const REFUSED =
  "it is on the bot's own network, which the bot contacts from a chat only when the operator allows it (MODEL_SERVER_HOSTS)";

let server: Server | undefined;
let requests = 0;
afterEach(() => {
  server?.close();
  server = undefined;
});

/** A loopback model server answering each path with the given handler. */
async function serve(
  handler: (url: string) => { status: number; body: string; delayMs?: number },
): Promise<string> {
  server = createServer((request, response) => {
    requests += 1;
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
    expect(await listServerModels(OLLAMA, `${base}/v1`, 2000, OPERATOR)).toEqual({
      ok: true,
      value: ["qwen3:8b", "llama3.2:3b"],
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
    expect(await listServerModels(OPENAI_COMPATIBLE, base, 2000, OPERATOR)).toEqual({
      ok: true,
      value: ["m1", "m2"],
    });
    expect(modelsUrl(OPENAI_COMPATIBLE, `${base}/v1/`)).toBe(`${base}/v1/models`);
  });

  it.each([
    [{ status: 500, body: "" }, "HTTP 500"],
    [{ status: 200, body: "<html>" }, "the answer is not a model list"],
    [{ status: 200, body: '{"unexpected": true}' }, "the answer is not a model list"],
    [{ status: 200, body: "{}", delayMs: 1500 }, "no answer within 200 ms"],
  ])("WHEN it answers %j THEN the failure says %s", async (answer, reason) => {
    const base = await serve(() => answer);
    expect(await listServerModels(OLLAMA, base, 200, OPERATOR)).toEqual({ ok: false, reason });
  });

  it("WHEN nothing listens THEN the connection error is reported", async () => {
    const base = await serve(() => ({ status: 200, body: "{}" }));
    server?.close();
    const listing = await listServerModels(OLLAMA, base, 1000, OPERATOR);
    expect(listing).toEqual({ ok: false, reason: "ECONNREFUSED" });
  });
});

describe("GIVEN a base URL typed in a chat (server-side request forgery)", () => {
  const rules = (spec: string) => {
    const parsed = parseHostRules(spec);
    if (!parsed.ok) throw new Error(parsed.reason);
    return parsed.value;
  };

  it.each([
    ["a loopback address", (port: number) => `http://127.0.0.1:${port}`],
    ["a name that resolves to loopback", (port: number) => `http://localhost:${port}`],
    ["an IPv4-mapped IPv6 loopback", (port: number) => `http://[::ffff:127.0.0.1]:${port}`],
  ])(
    "WHEN it names %s THEN nothing is requested and the reason says who can allow it",
    async (_what, url) => {
      const base = await serve(() => ({ status: 200, body: JSON.stringify({ models: [{ name: "leak" }] }) }));
      const port = Number(new URL(base).port);
      requests = 0;
      expect(await listServerModels(OLLAMA, url(port), 1000, CHAT)).toEqual({ ok: false, reason: REFUSED });
      expect(requests).toBe(0);
    },
  );

  it("WHEN it names the cloud metadata address THEN even the operator's terminal does not ask it", async () => {
    expect(await listServerModels(OLLAMA, "http://169.254.169.254/latest", 1000, OPERATOR)).toEqual({
      ok: false,
      reason: REFUSED,
    });
  });

  it("WHEN the operator allows loopback (MODEL_SERVER_HOSTS=loopback) THEN a chat may list it", async () => {
    const base = await serve(() => ({ status: 200, body: JSON.stringify({ models: [{ name: "qwen3" }] }) }));
    const allowed = addressPolicy(rules("loopback"), { operator: false });
    expect(await listServerModels(OLLAMA, base, 1000, allowed)).toEqual({ ok: true, value: ["qwen3"] });
    const onlyLan = addressPolicy(rules("192.168.0.0/16, ollama.lan"), { operator: false });
    expect(await listServerModels(OLLAMA, base, 1000, onlyLan)).toEqual({ ok: false, reason: REFUSED });
  });

  it("WHEN the server redirects or answers with an error page THEN nothing of its answer is shown", async () => {
    const base = await serve((url) =>
      url === "/api/tags"
        ? { status: 302, body: "internal-admin-page-contents" }
        : { status: 200, body: "{}" },
    );
    const listing = await listServerModels(OLLAMA, base, 1000, OPERATOR);
    expect(listing).toEqual({ ok: false, reason: "HTTP 302" });
    expect(JSON.stringify(listing)).not.toContain("internal-admin");
  });

  it.each([["10.0.0.0/33"], ["not a host!"], ["loopback, 999.1.1.1/8"]])(
    "WHEN MODEL_SERVER_HOSTS is %s THEN it is refused with what to give",
    (spec) => {
      const parsed = parseHostRules(spec);
      expect(parsed.ok).toBe(false);
    },
  );
});
