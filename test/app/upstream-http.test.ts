// The one reader of upstream HTTP answers, against servers that break off, stall, trickle, flood,
// redirect or answer bytes that are not text: each ends in a value, within the deadline of the
// whole exchange, holding at most the byte cap.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { decodeJson, upstreamRequest, withRetries, worstCaseMs } from "../../src/app/net/upstream-http.ts";

const servers: { close: () => Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function serve(handler: (request: IncomingMessage, response: ServerResponse) => void) {
  const sockets = new Set<Socket>();
  const server = createServer(handler);
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const handle = {
    url: new URL(`http://127.0.0.1:${port}/answer`),
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  servers.push(handle);
  return handle;
}

const MiB = 1024 * 1024;

describe("GIVEN the upstream reader", () => {
  it("WHEN the server answers plainly THEN status, headers and body come back", async () => {
    const server = await serve((_, response) => response.writeHead(201, { "x-a": "b" }).end('{"ok":true}'));
    const answer = await upstreamRequest({ url: server.url, maxBytes: 1024, deadlineMs: 5000 });
    expect(answer).toMatchObject({ ok: true, status: 201, headers: { "x-a": "b" } });
    expect(answer.ok && decodeJson(answer.body)).toEqual({ ok: true, value: { ok: true } });
  });

  it("WHEN the connection is reset mid-body THEN the answer is the fault 'broken', not a throw", async () => {
    const server = await serve((request, response) => {
      response.writeHead(200, { "content-length": "100" });
      response.write("x".repeat(40), () => request.socket.destroy());
    });
    expect(await upstreamRequest({ url: server.url, maxBytes: 1024, deadlineMs: 5000 })).toMatchObject({
      ok: false,
      fault: "broken",
    });
  });

  it("WHEN headers never come THEN the deadline ends the exchange as 'timeout'", async () => {
    const server = await serve(() => undefined);
    expect(await upstreamRequest({ url: server.url, maxBytes: 1024, deadlineMs: 300 })).toEqual({
      ok: false,
      fault: "timeout",
    });
  });

  it("WHEN the body trickles without end THEN the deadline covers the body too, and the server sees the connection closed", async () => {
    let closed = false;
    const server = await serve((request, response) => {
      response.writeHead(200);
      const timer = setInterval(() => response.write("x"), 50);
      request.socket.on("close", () => {
        closed = true;
        clearInterval(timer);
      });
    });
    expect(await upstreamRequest({ url: server.url, maxBytes: 1024, deadlineMs: 400 })).toEqual({
      ok: false,
      fault: "timeout",
    });
    await expect.poll(() => closed).toBe(true);
  });

  it("WHEN a chunked body runs past the cap THEN the read stops there and the server cannot send the rest", async () => {
    let written = 0;
    const total = 200 * MiB;
    const server = await serve((_, response) => {
      response.writeHead(200);
      const chunk = Buffer.alloc(64 * 1024, "a");
      const pump = (): void => {
        while (written < total && !response.destroyed) {
          written += chunk.length;
          if (!response.write(chunk)) return void response.once("drain", pump);
        }
        response.end();
      };
      response.on("error", () => undefined);
      pump();
    });
    expect(await upstreamRequest({ url: server.url, maxBytes: MiB, deadlineMs: 10_000 })).toEqual({
      ok: false,
      fault: "too large",
    });
    // Socket buffers hold a few MiB at most; the 200 MiB were never sent.
    expect(written).toBeLessThan(32 * MiB);
  });

  it("WHEN the declared length is past the cap THEN it is refused before the body is read", async () => {
    const server = await serve((_, response) => {
      response.writeHead(200, { "content-length": String(10 * MiB) });
      response.write("x");
    });
    expect(await upstreamRequest({ url: server.url, maxBytes: MiB, deadlineMs: 5000 })).toEqual({
      ok: false,
      fault: "too large",
    });
  });

  it("WHEN nothing listens THEN the fault is 'refused' with the system's code", async () => {
    const server = await serve(() => undefined);
    await server.close();
    servers.splice(0);
    expect(await upstreamRequest({ url: server.url, maxBytes: 1024, deadlineMs: 5000 })).toEqual({
      ok: false,
      fault: "refused",
      code: "ECONNREFUSED",
    });
  });

  it("WHEN a header cannot be sent (a token with a line break) THEN that is a fault too, not a throw", async () => {
    const server = await serve((_, response) => response.end("{}"));
    const answer = await upstreamRequest({
      url: server.url,
      headers: { "x-hermes-session-token": "abc\r\ninjected: 1" },
      maxBytes: 1024,
      deadlineMs: 5000,
    });
    expect(answer).toMatchObject({ ok: false, fault: "unreachable", code: "ERR_INVALID_CHAR" });
  });

  it("WHEN the server redirects THEN the 3xx is the answer: the redirect is not followed", async () => {
    const asked: string[] = [];
    const server = await serve((request, response) => {
      asked.push(request.url ?? "");
      response.writeHead(302, { location: "http://127.0.0.1:1/elsewhere" }).end();
    });
    expect(await upstreamRequest({ url: server.url, maxBytes: 1024, deadlineMs: 5000 })).toMatchObject({
      ok: true,
      status: 302,
    });
    expect(asked).toEqual(["/answer"]);
  });

  it("WHEN a body is not UTF-8 or not JSON THEN decoding says which, without throwing", () => {
    expect(decodeJson(Buffer.from([0x7b, 0xff, 0xfe, 0x7d]))).toEqual({ ok: false, why: "not text" });
    expect(decodeJson(Buffer.from('{"ok": tru'))).toEqual({ ok: false, why: "not json" });
  });

  it("WHEN retries are bounded THEN a retryable failure is tried once per pause plus one, and the worst case is stated", async () => {
    let tries = 0;
    const outcome = await withRetries(
      () => Promise.resolve(++tries),
      [1, 1],
      () => true,
    );
    expect(outcome).toBe(3);
    expect(worstCaseMs(15_000, [250, 1000])).toBe(46_250);
  });
});
