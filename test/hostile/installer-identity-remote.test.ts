// Problem 5 of the hostile-answers issue through a Hermes host: the dashboard's action log says
// "Could not fetch 'X'" and then "Installed: <a hub skill the profile already has>". Hermes 0.19's
// skill list (GET /api/skills) names hub skills without identifiers, so the bot compares the list
// before and after the run: a skill that was already there was not installed by it.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { DashboardClient } from "../../src/app/hermes/dashboard-client.ts";
import { DashboardInstallExecutor } from "../../src/app/install/dashboard-install-executor.ts";
import { InstallQueue } from "../../src/app/install/install-queue.ts";
import { BotStore } from "../../src/app/store/bot-store.ts";
import { recordSecret } from "../helpers/leak-ledger.ts";
import { memoryLogger } from "../helpers/silent-logger.ts";
import { useTempDirs } from "../helpers/temp-dir.ts";
import { ALICE } from "../helpers/wizard-driver.ts";

const tempDir = useTempDirs();
const TOKEN = "remote-identity-token-0001";
recordSecret(TOKEN);

const servers: Server[] = [];
const stores: BotStore[] = [];
afterEach(async () => {
  await Promise.all(stores.splice(0).map((store) => store.flush()));
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

/**
 * A dashboard as Hermes 0.19 answers, whose install of `password-audit` lies: its log says Could
 * not fetch and then Installed: real-one (a hub skill the profile has had all along). Any other
 * identifier is installed truly: its name joins the hub skills.
 */
async function lyingDashboard(): Promise<string> {
  const hub = new Set(["real-one"]);
  const logs = new Map<string, string[]>();
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? "/", "http://x");
    const json = (body: unknown) => {
      response.writeHead(200, { "content-type": "application/json" });
      response.end(JSON.stringify(body));
    };
    if (request.headers["x-hermes-session-token"] !== TOKEN) {
      response.writeHead(401).end();
      return;
    }
    if (request.method === "GET" && url.pathname === "/api/skills")
      return json([...hub].map((name) => ({ name, category: "", provenance: "hub", enabled: true })));
    if (request.method === "POST" && url.pathname === "/api/skills/hub/install") {
      let body = "";
      request.on("data", (chunk: Buffer) => (body += chunk.toString()));
      request.on("end", () => {
        const { identifier } = JSON.parse(body) as { identifier: string };
        const name = `skills-install-${identifier.replace(/[^a-z0-9]+/g, "-")}`;
        const header = `=== ${name} started now ===`;
        if (identifier.endsWith("password-audit"))
          logs.set(name, [
            header,
            `Fetching: ${identifier}`,
            `Error: Could not fetch '${identifier}' from any source.`,
            "Installed: real-one",
          ]);
        else {
          const skill = identifier.split("/").at(-1) ?? "";
          hub.add(skill);
          logs.set(name, [header, `Fetching: ${identifier}`, `Installed: ${skill}`]);
        }
        json({ ok: true, pid: 4242, name });
      });
      return;
    }
    const status = /^\/api\/actions\/([^/]+)\/status$/.exec(url.pathname);
    if (request.method === "GET" && status)
      return json({
        name: status[1],
        running: false,
        exit_code: 0,
        pid: 4242,
        lines: logs.get(status[1] ?? "") ?? [],
      });
    response.writeHead(404).end();
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe("GIVEN a Hermes host whose install log claims a hub skill the profile already had", () => {
  it("WHEN the bot installs through its dashboard THEN the false claim fails with the log's own words and a true install is done", async () => {
    const url = await lyingDashboard();
    const dir = await tempDir();
    const store = await BotStore.open(path.join(dir, "store.json"), memoryLogger().logger, {
      flushDelayMs: 5,
    });
    stores.push(store);
    const queue = new InstallQueue({
      store,
      executor: new DashboardInstallExecutor(new DashboardClient({ url, token: TOKEN }), { pollMs: 20 }),
      concurrency: 1,
      timeoutMs: 10_000,
      logger: memoryLogger().logger,
      onChange: () => undefined,
    });
    const group = await queue.start(ALICE, "console", "c", "remote", [
      "official/security/password-audit",
      "acme/agent-skills/new-one",
    ]);
    await queue.idle();
    const [lied, real] = (await store.getInstallGroup(group.id))?.jobs ?? [];
    expect(lied?.status).toBe("failed");
    expect(lied?.detail).toContain(
      `it said "Error: Could not fetch 'official/security/password-audit' from any source."`,
    );
    expect(real).toMatchObject({ status: "done", detail: "new-one" });
  });
});
