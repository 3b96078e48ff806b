// The replicated mode's HTTP server on its own, on a free loopback port: each route and status
// code, the body bound (refused before the rest is read), the wrong method, the readiness check
// (true, false, failing, too slow), client timeouts, and a stop that lets a request finish.
import { request as httpRequest } from "node:http";
import { connect } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import {
  INGRESS_BODY_MAX_BYTES,
  INGRESS_HEADERS_TIMEOUT_MS,
  INGRESS_REQUEST_TIMEOUT_MS,
  INGRESS_STOP_DRAIN_MS,
  INGRESS_TIMEOUT_CHECK_MS,
  READY_CHECK_TIMEOUT_MS,
} from "../../src/adapters/http/ingress-limits.ts";
import {
  startIngressServer,
  type IngressServer,
  type IngressServerOptions,
} from "../../src/adapters/http/ingress-server.ts";
import type { IngressHandler, IngressRequest } from "../../src/adapters/http/ingress-types.ts";
import { readinessAnswer } from "../../src/adapters/http/readiness.ts";
import { memoryLogger } from "../helpers/silent-logger.ts";

const started: IngressServer[] = [];
afterEach(async () => {
  for (const server of started.splice(0)) await server.stop();
});

/** A handler that records what it was handed and answers 200 "handled". */
function recordingHandler(): { handler: IngressHandler; seen: IngressRequest[] } {
  const seen: IngressRequest[] = [];
  const handler: IngressHandler = (request) => {
    seen.push(request);
    return Promise.resolve({ status: 200, body: "handled" });
  };
  return { handler, seen };
}

async function serve(options: Partial<IngressServerOptions> = {}) {
  const { logger, lines } = memoryLogger();
  const result = await startIngressServer({
    host: "127.0.0.1",
    port: 0,
    ready: () => Promise.resolve(true),
    logger,
    ...options,
  });
  if (!result.ok) throw new Error(result.reason);
  started.push(result.server);
  return { server: result.server, url: `http://127.0.0.1:${result.server.port}`, lines };
}

async function fetchText(url: string, init?: RequestInit) {
  const response = await fetch(url, init);
  return { status: response.status, headers: response.headers, body: await response.text() };
}

describe("GIVEN the ingress server's limits", () => {
  it("THEN each is the named value the README states", () => {
    expect(INGRESS_BODY_MAX_BYTES).toBe(1024 * 1024);
    expect(INGRESS_HEADERS_TIMEOUT_MS).toBe(10_000);
    expect(INGRESS_REQUEST_TIMEOUT_MS).toBe(30_000);
    expect(INGRESS_TIMEOUT_CHECK_MS).toBe(1_000);
    expect(READY_CHECK_TIMEOUT_MS).toBe(2_000);
    expect(INGRESS_STOP_DRAIN_MS).toBe(5_000);
    // Node refuses a headers timeout longer than the request timeout.
    expect(INGRESS_HEADERS_TIMEOUT_MS).toBeLessThanOrEqual(INGRESS_REQUEST_TIMEOUT_MS);
  });
});

describe("GIVEN the ingress server on port 0", () => {
  it("WHEN it starts THEN it reports the port the system bound, and /healthz answers 200 ok", async () => {
    const { server, url } = await serve();
    expect(server.port).toBeGreaterThan(0);
    expect(await fetchText(`${url}/healthz`)).toMatchObject({ status: 200, body: "ok\n" });
    expect((await fetchText(`${url}/healthz?probe=1`)).status).toBe(200);
  });

  it("WHEN the port is taken THEN starting says so as a value, naming HTTP_PORT", async () => {
    const { server } = await serve();
    const { logger } = memoryLogger();
    const second = await startIngressServer({
      host: "127.0.0.1",
      port: server.port,
      ready: () => Promise.resolve(true),
      logger,
    });
    expect(second).toMatchObject({ ok: false });
    if (!second.ok) expect(second.reason).toContain("EADDRINUSE");
    if (!second.ok) expect(second.reason).toContain("HTTP_PORT");
  });

  it("WHEN a path is unknown THEN 404, and no endpoint is called", async () => {
    const telegram = recordingHandler();
    const { url } = await serve({ telegram: telegram.handler });
    for (const path of ["/", "/telegram/", "/TELEGRAM", "/discord/interactions", "/healthz/x"])
      expect((await fetchText(`${url}${path}`, { method: "POST", body: "{}" })).status).toBe(404);
    expect(telegram.seen).toHaveLength(0);
  });

  it("WHEN no Telegram endpoint is given THEN /telegram is not there (404)", async () => {
    const { url } = await serve();
    expect((await fetchText(`${url}/telegram`, { method: "POST", body: "{}" })).status).toBe(404);
  });

  it("WHEN a known path is asked with the wrong method THEN 405 with Allow, and no endpoint is called", async () => {
    const telegram = recordingHandler();
    const discord = recordingHandler();
    const { url } = await serve({ telegram: telegram.handler, discordInteractions: discord.handler });
    const getTelegram = await fetchText(`${url}/telegram`);
    expect(getTelegram.status).toBe(405);
    expect(getTelegram.headers.get("allow")).toBe("POST");
    const putDiscord = await fetchText(`${url}/discord/interactions`, { method: "PUT", body: "{}" });
    expect(putDiscord.status).toBe(405);
    expect(putDiscord.headers.get("allow")).toBe("POST");
    for (const path of ["/healthz", "/readyz"]) {
      const posted = await fetchText(`${url}${path}`, { method: "POST", body: "x" });
      expect(posted.status).toBe(405);
      expect(posted.headers.get("allow")).toBe("GET");
    }
    expect(telegram.seen).toHaveLength(0);
    expect(discord.seen).toHaveLength(0);
  });

  it("WHEN an endpoint is posted to THEN it gets the method, lower-cased headers and the exact bytes, and its answer is sent", async () => {
    const telegram = recordingHandler();
    const discord: IngressHandler = () =>
      Promise.resolve({ status: 202, headers: { "content-type": "application/json" }, body: '{"type":1}' });
    const { url } = await serve({ telegram: telegram.handler, discordInteractions: discord });
    const bytes = Buffer.from([0x7b, 0x22, 0xc3, 0xa9, 0x22, 0x7d]);
    const answer = await fetchText(`${url}/telegram`, {
      method: "POST",
      headers: { "X-Telegram-Bot-Api-Secret-Token": "s3cret" },
      body: bytes,
    });
    expect(answer).toMatchObject({ status: 200, body: "handled" });
    expect(telegram.seen[0]?.method).toBe("POST");
    expect(telegram.seen[0]?.headers["x-telegram-bot-api-secret-token"]).toBe("s3cret");
    expect(telegram.seen[0]?.body.equals(bytes)).toBe(true);
    const interaction = await fetchText(`${url}/discord/interactions`, { method: "POST", body: "{}" });
    expect(interaction).toMatchObject({ status: 202, body: '{"type":1}' });
    expect(interaction.headers.get("content-type")).toBe("application/json");
  });

  it("WHEN a body is exactly the bound THEN it is read whole; one byte more THEN 413 and no endpoint is called", async () => {
    const telegram = recordingHandler();
    const { url } = await serve({ telegram: telegram.handler });
    const atBound = await fetchText(`${url}/telegram`, {
      method: "POST",
      body: Buffer.alloc(INGRESS_BODY_MAX_BYTES, 0x61),
    });
    expect(atBound.status).toBe(200);
    expect(telegram.seen[0]?.body.length).toBe(INGRESS_BODY_MAX_BYTES);
    const over = await fetchText(`${url}/telegram`, {
      method: "POST",
      body: Buffer.alloc(INGRESS_BODY_MAX_BYTES + 1, 0x61),
    });
    expect(over.status).toBe(413);
    expect(telegram.seen).toHaveLength(1);
  });

  it("WHEN a body declares more than the bound THEN 413 comes before the rest is sent, and the connection closes", async () => {
    const telegram = recordingHandler();
    const { server } = await serve({ telegram: telegram.handler });
    const answer = await new Promise<{ status: number; connection: string | undefined }>(
      (resolve, reject) => {
        const request = httpRequest({
          host: "127.0.0.1",
          port: server.port,
          method: "POST",
          path: "/telegram",
          headers: { "content-length": String(INGRESS_BODY_MAX_BYTES * 4) },
        });
        request.on("response", (response) => {
          resolve({ status: response.statusCode ?? 0, connection: response.headers.connection });
          response.resume();
          request.destroy();
        });
        request.on("error", reject);
        // A few bytes of the declared 4 MiB, then nothing more: the answer must not wait for them.
        request.write("{");
      },
    );
    expect(answer).toEqual({ status: 413, connection: "close" });
    expect(telegram.seen).toHaveLength(0);
  });

  it("WHEN a chunked body grows past the bound THEN 413, and no endpoint is called", async () => {
    const telegram = recordingHandler();
    const { server } = await serve({ telegram: telegram.handler });
    const status = await new Promise<number>((resolve, reject) => {
      const request = httpRequest({
        host: "127.0.0.1",
        port: server.port,
        method: "POST",
        path: "/telegram",
      });
      request.on("response", (response) => {
        resolve(response.statusCode ?? 0);
        response.resume();
        request.destroy();
      });
      request.on("error", reject);
      const chunk = Buffer.alloc(64 * 1024, 0x61);
      for (let sent = 0; sent <= INGRESS_BODY_MAX_BYTES; sent += chunk.length) request.write(chunk);
    });
    expect(status).toBe(413);
    expect(telegram.seen).toHaveLength(0);
  });

  it("WHEN an endpoint throws THEN 500, and the failure is logged without the request", async () => {
    const { url, lines } = await serve({ telegram: () => Promise.reject(new Error("bug")) });
    const answer = await fetchText(`${url}/telegram`, {
      method: "POST",
      headers: { "x-telegram-bot-api-secret-token": "do-not-log-me" },
      body: "{}",
    });
    expect(answer.status).toBe(500);
    expect(lines.join("\n")).toContain("http ingress endpoint failed");
    expect(lines.join("\n")).not.toContain("do-not-log-me");
  });

  it("WHEN a client sends its headers too slowly THEN the server cuts it after the headers timeout", async () => {
    const { server } = await serve({ timeouts: { headersMs: 200, requestMs: 400, checkEveryMs: 50 } });
    const started = Date.now();
    const received = await new Promise<string>((resolve) => {
      const socket = connect(server.port, "127.0.0.1", () =>
        socket.write("GET /healthz HTTP/1.1\r\nHost: x\r\n"),
      );
      let text = "";
      socket.on("data", (chunk: Buffer) => (text += chunk.toString("utf8")));
      socket.on("close", () => resolve(text));
      socket.on("error", () => resolve(text));
    });
    expect(received).toMatch(/^HTTP\/1\.1 408/);
    expect(Date.now() - started).toBeLessThan(2_000);
  });
});

describe("GIVEN /readyz", () => {
  it.each([
    ["the check says ready", () => Promise.resolve(true), 200, "ready\n"],
    ["the check says not ready", () => Promise.resolve(false), 503, "not ready\n"],
    ["the check fails", () => Promise.reject(new Error("store down")), 503, "not ready\n"],
  ])("WHEN %s THEN it answers %i", async (_case, ready, status, body) => {
    const { url } = await serve({ ready });
    expect(await fetchText(`${url}/readyz`)).toMatchObject({ status, body });
  });

  it("WHEN the check does not answer within READY_CHECK_TIMEOUT_MS THEN 503, without waiting for it", async () => {
    const { url } = await serve({ ready: () => new Promise<boolean>(() => undefined) });
    const started = Date.now();
    const answer = await fetchText(`${url}/readyz`);
    expect(answer.status).toBe(503);
    expect(answer.body).toContain(`no answer within ${READY_CHECK_TIMEOUT_MS} ms`);
    expect(Date.now() - started).toBeGreaterThanOrEqual(READY_CHECK_TIMEOUT_MS - 50);
    expect(Date.now() - started).toBeLessThan(READY_CHECK_TIMEOUT_MS + 1_000);
  });

  it("WHEN a shorter bound is given THEN a slow check is cut at it", async () => {
    const slow = () => new Promise<boolean>((resolve) => setTimeout(() => resolve(true), 500));
    expect((await readinessAnswer(slow, 50)).status).toBe(503);
    expect((await readinessAnswer(slow, 1_000)).status).toBe(200);
  });
});

describe("GIVEN a request being answered", () => {
  it("WHEN the server stops THEN that request finishes with its answer, and new connections are refused", async () => {
    let release: () => void = () => undefined;
    const slow: IngressHandler = () =>
      new Promise((resolve) => (release = () => resolve({ status: 200, body: "finished" })));
    const { server, url } = await serve({ telegram: slow });
    const inFlight = fetchText(`${url}/telegram`, { method: "POST", body: "{}" });
    await new Promise((resolve) => setTimeout(resolve, 100));
    const stopped = server.stop();
    setTimeout(() => release(), 100);
    expect(await inFlight).toMatchObject({ status: 200, body: "finished" });
    await stopped;
    await expect(fetch(`${url}/healthz`)).rejects.toThrow();
  });
});
