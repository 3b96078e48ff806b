// The dashboard client (groundwork of issue 13) against the real pinned `hermes serve`: the shapes
// of list, create and delete as Hermes 0.19 answers them, and every fault told apart — a wrong
// token, a stopped server, a proxy answering 502, something that is not Hermes — each naming the
// host and never the token or a path of Hermes' machine.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DashboardClient } from "../../src/app/hermes/dashboard-client.ts";
import { profileShow } from "../helpers/hermes.ts";
import { startHermesServe, type HermesServe } from "../helpers/hermes-serve.ts";
import { useTempDirs } from "../helpers/temp-dir.ts";

const tempDir = useTempDirs();
const TOKEN = "dashboard-session-token-3f9a1c";
let home: string;
let serve: HermesServe;

beforeAll(async () => {
  home = path.join(await tempDir(), "hermes");
  serve = await startHermesServe(home, TOKEN);
}, 90_000);
afterAll(() => serve.stop());

/** A stand-in on loopback that answers every request the same way, counting them. */
async function stub(status: number, body: string) {
  let requests = 0;
  const server = createServer((_request, response) => {
    requests += 1;
    response.writeHead(status, { "content-type": "application/json" }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests: () => requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe("GIVEN the real Hermes 0.19 dashboard server with a session token", () => {
  it("WHEN a profile is created, listed and deleted through it THEN Hermes answers in the shapes the client reads, and the profile is Hermes' own", async () => {
    const client = new DashboardClient({ url: serve.url, token: TOKEN });
    const created = await client.createProfile({
      name: "remote-one",
      description: "made over the API",
      provider: "openrouter",
      model: "anthropic/claude-sonnet-4",
      mcp_servers: [{ name: "fetch", command: "uvx", args: ["mcp-server-fetch"] }],
    });
    expect(created.ok && created.value).toMatchObject({
      ok: true,
      name: "remote-one",
      model_set: true,
      mcp_written: 1,
      hub_installs: [],
    });
    // Hermes' answer carries a folder of its machine; the client drops it.
    expect(JSON.stringify(created)).not.toContain(home);
    expect(await profileShow(home, "remote-one")).toMatchObject({
      provider: "openrouter",
      model: "anthropic/claude-sonnet-4",
    });
    const listed = await client.listProfiles();
    expect(listed.ok && listed.value.map((profile) => profile.name).sort()).toEqual([
      "default",
      "remote-one",
    ]);
    expect(await client.deleteProfile("remote-one")).toEqual({ ok: true, value: true });
    const gone = await client.deleteProfile("remote-one");
    expect(gone.ok || gone.failure).toMatchObject({ fault: "not found", status: 404 });
    expect(JSON.stringify(gone)).not.toContain(home);
  }, 60_000);

  it("WHEN a create names an MCP server the way our catalog does (a bare name) THEN Hermes refuses it (422), as a refusal, not a fault of the network", async () => {
    const client = new DashboardClient({ url: serve.url, token: TOKEN });
    const answer = await client.createProfile({ name: "bare-mcp", mcp_servers: ["linear"] as never });
    expect(answer.ok || answer.failure).toMatchObject({ fault: "refused", status: 422 });
  });

  it("WHEN the token is wrong THEN the fault is the token (401), named with the host, and the token appears nowhere", async () => {
    const wrong = "wrong-token-0000";
    const answer = await new DashboardClient({ url: serve.url, token: wrong }).listProfiles();
    expect(answer.ok || answer.failure).toMatchObject({ fault: "token", status: 401 });
    const text = JSON.stringify(answer);
    expect(text).toContain(`127.0.0.1:${serve.port}`);
    expect(text).not.toContain(wrong);
    expect(text).not.toContain(TOKEN);
  });

  it("WHEN a proxy answers 502 THEN a read is tried three times in all and fails as the server's fault; a create is not repeated", async () => {
    const proxy = await stub(502, '{"detail":"Bad gateway at /srv/hermes/internal"}');
    const client = new DashboardClient({ url: proxy.url, token: TOKEN, retryDelaysMs: [10, 10] });
    const read = await client.listProfiles();
    expect(read.ok || read.failure).toMatchObject({ fault: "server", status: 502 });
    expect(proxy.requests()).toBe(3);
    expect(JSON.stringify(read)).not.toContain("/srv/hermes");
    await client.createProfile({ name: "once" });
    expect(proxy.requests()).toBe(4);
    await proxy.close();
  });

  it("WHEN something that is not Hermes answers 200 THEN the fault is garbage, told apart from the rest", async () => {
    const other = await stub(200, "<html>hello</html>");
    const answer = await new DashboardClient({ url: other.url, token: TOKEN }).listProfiles();
    expect(answer.ok || answer.failure).toMatchObject({ fault: "garbage" });
    await other.close();
  });

  it("WHEN nothing listens THEN the fault is the network, after the bounded retries, with what to check", async () => {
    const closed = await stub(200, "{}");
    await closed.close();
    const answer = await new DashboardClient({
      url: closed.url,
      token: TOKEN,
      retryDelaysMs: [10, 10],
    }).listProfiles();
    expect(answer.ok || answer.failure).toMatchObject({ fault: "network" });
    expect(answer.ok || answer.failure.message).toContain("cannot be reached (ECONNREFUSED)");
  });
});
