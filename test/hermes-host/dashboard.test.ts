// The dashboard client (groundwork of issue 13) against the real pinned `hermes serve`: the shapes
// of list, create and delete as Hermes 0.19 answers them, and every fault told apart — a wrong
// token, a stopped server, a proxy answering 502, something that is not Hermes — each naming the
// host and never the token or a path of Hermes' machine.
import { judgeRecords, type RecordsAround } from "../../src/core/install/install-record.ts";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DashboardClient, type DashboardActionStatus } from "../../src/app/hermes/dashboard-client.ts";
import { DashboardInstallExecutor } from "../../src/app/install/dashboard-install-executor.ts";
import { queuedJob } from "../../src/core/install/install-job.ts";
import { applyInstallerLine } from "../../src/core/install/installer-output.ts";
import { profileShow } from "../helpers/hermes.ts";
import { startHermesServe, type HermesServe } from "../helpers/hermes-serve.ts";
import { useFileTempDir } from "../helpers/temp-dir.ts";

// The server's home lives for the whole file; it is recorded for the leak check after its stop.
const fileDir = useFileTempDir();
const TOKEN = "dashboard-session-token-3f9a1c";
let home: string;
let serve: HermesServe;

beforeAll(async () => {
  home = path.join(await fileDir(), "hermes");
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

  it("WHEN a key is set and a hub skill installed through it THEN the key is in the profile's .env, and the install's log, read through the action status, is Hermes' own output that our parser follows to the end", async () => {
    const client = new DashboardClient({ url: serve.url, token: TOKEN });
    expect((await client.createProfile({ name: "remote-two" })).ok).toBe(true);
    const key = "sk-or-dashboard-remote-2";
    expect(await client.setEnv("remote-two", "OPENROUTER_API_KEY", key)).toEqual({ ok: true, value: true });
    expect(await readFile(path.join(home, "profiles/remote-two/.env"), "utf8")).toContain(
      `OPENROUTER_API_KEY=${key}`,
    );
    const started = await client.installHubSkill("remote-two", "official/research/arxiv-digest");
    if (!started.ok) throw new Error(started.failure.message);
    let status: DashboardActionStatus | undefined;
    for (let poll = 0; poll < 120 && (status?.running ?? true); poll++) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      const answer = await client.actionStatus(started.value);
      status = answer.ok ? answer.value : undefined;
    }
    expect(status?.running).toBe(false);
    const job = (status?.lines ?? []).reduce(applyInstallerLine, queuedJob("official/research/arxiv-digest"));
    expect(job).toMatchObject({ phase: "installed", sawInstalled: true, installedName: "arxiv-digest" });
    const lock = JSON.parse(
      await readFile(path.join(home, "profiles/remote-two/skills/.hub/lock.json"), "utf8"),
    ) as {
      installed: Record<string, unknown>;
    };
    expect(Object.keys(lock.installed)).toEqual(["arxiv-digest"]);
  }, 90_000);

  it("WHEN one identifier is installed into two profiles in turn THEN the executor feeds each run only its own lines of the shared action log, and confirms the install with Hermes' own skill list", async () => {
    // The client as the executor uses it, noting the action names Hermes gives its installs.
    const actions: string[] = [];
    const client = new (class extends DashboardClient {
      override async installHubSkill(profile: string, identifier: string) {
        const started = await super.installHubSkill(profile, identifier);
        if (started.ok) actions.push(started.value);
        return started;
      }
    })({ url: serve.url, token: TOKEN });
    for (const name of ["log-first", "log-second"])
      expect((await client.createProfile({ name })).ok).toBe(true);
    const executor = new DashboardInstallExecutor(client, { pollMs: 100 });
    const identifier = "official/devops/docker-debug";
    const run = async (profile: string) => {
      const lines: string[] = [];
      let records: RecordsAround | undefined;
      const end = await executor.run(
        { profile, identifier },
        {
          onLine: (line) => lines.push(line),
          onRecords: (around) => (records = around),
          signal: new AbortController().signal,
          timeoutMs: 60_000,
        },
      );
      return { end, lines, records };
    };
    const first = await run("log-first");
    const second = await run("log-second");
    expect(second.end).toEqual({ kind: "exited", exitCode: 0 });
    // The log holds both runs; the second run was given exactly what follows its own header.
    // One action (named after the identifier alone) for both runs.
    expect(new Set(actions).size).toBe(1);
    const status = await client.actionStatus(actions[0] ?? "", 2000);
    if (!status.ok) throw new Error(status.failure.message);
    const headers = status.value.lines.filter((line) => line.startsWith("=== skills-install-"));
    expect(headers).toHaveLength(2);
    const lastHeader = status.value.lines.findLastIndex((line) => line.startsWith("=== skills-install-"));
    expect(second.lines).toEqual(status.value.lines.slice(lastHeader + 1));
    expect(second.lines.some((line) => line.startsWith("==="))).toBe(false);
    expect(first.lines.filter((line) => line.includes("Installed")).length).toBe(1);
    expect(second.lines.filter((line) => line.includes("Installed")).length).toBe(1);
    const job = second.lines.reduce(applyInstallerLine, queuedJob(identifier));
    // Hermes' own skill list, read before and after the run, shows the skill the log names become a
    // hub skill during this run; a name the log did not report is not one.
    const around = second.records;
    if (!around) throw new Error("the executor reported no records around the install");
    if (typeof around.after === "string") throw new Error(`records after the install: ${around.after}`);
    const records = { before: around.before, after: around.after };
    expect(judgeRecords(identifier, job.installedName, records).kind).toBe("installed");
    expect(judgeRecords(identifier, "no-such-skill", records).kind).toBe("absent");
  }, 120_000);

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

  it("WHEN Hermes is slow THEN each try ends at the request timeout, a read is tried a bounded number of times, and the message says it did not answer", async () => {
    let requests = 0;
    const slow = createServer(() => {
      requests += 1; // never answered
    });
    await new Promise<void>((resolve) => slow.listen(0, "127.0.0.1", resolve));
    const { port } = slow.address() as AddressInfo;
    const answer = await new DashboardClient({
      url: `http://127.0.0.1:${port}`,
      token: TOKEN,
      timeoutMs: 200,
      retryDelaysMs: [10, 10],
    }).listProfiles();
    expect(answer.ok || answer.failure).toMatchObject({ fault: "network" });
    expect(answer.ok || answer.failure.message).toContain(
      `Hermes at 127.0.0.1:${port} did not answer in 200 ms`,
    );
    expect(requests).toBe(3);
    slow.closeAllConnections();
    await new Promise<void>((resolve) => slow.close(() => resolve()));
  });
});
