// A bot reaching Hermes over its dashboard when that goes wrong, each through the console bot's real
// start-up: a wrong token (told apart from a network fault), Hermes not running, a proxy answering
// 502 (reads retried a bounded number of times, a create never repeated), and the real `hermes
// serve` stopped right after it created the profile — the half-made profile reported, never silent.
import { createServer, type AddressInfo } from "node:net";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.ts";
import { profileList } from "../helpers/hermes.ts";
import { startHermesServe, type HermesServe } from "../helpers/hermes-serve.ts";
import { startForwardingProxy } from "../helpers/forwarding-proxy.ts";
import { recordSecret } from "../helpers/leak-ledger.ts";
import { remoteBotEnv, useRemoteHermes } from "../helpers/remote-hermes.ts";
import { useFileTempDir, useTempDirs } from "../helpers/temp-dir.ts";
import { consoleWizard } from "../helpers/console-wizard.ts";

const tempDir = useTempDirs();
const fileDir = useFileTempDir();
const TOKEN = "remote-faults-session-token-e81b";
const WRONG_TOKEN = "remote-faults-wrong-token-0000";
const KEY = "sk-or-remote-faults-1";
const remote = useRemoteHermes(TOKEN);
recordSecret(WRONG_TOKEN);

/** A small wizard to Create: a name, OpenRouter's first model and its key, nothing else. */
function wizard(name: string): string[] {
  return consoleWizard({ name, provider: "OpenRouter", model: "1", key: KEY });
}

/** A loopback port nothing listens on (bound once, then closed). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function consoleBot(env: Record<string, string>, lines: readonly string[]) {
  const result = await runCli(["start"], { input: [...lines, ""].join("\n"), env });
  expect(result.code).toBe(0);
  for (const secret of [TOKEN, WRONG_TOKEN, KEY]) {
    expect(result.stdout).not.toContain(secret);
    expect(result.stderr).not.toContain(secret);
  }
  return result.stdout;
}

describe("GIVEN a bot whose Hermes dashboard misbehaves", () => {
  it("WHEN the token is wrong THEN listing and creating say the token was refused (not the network), and nothing is made", async () => {
    const data = await tempDir();
    const { host } = new URL(remote().url);
    const out = await consoleBot({ ...remoteBotEnv(data, remote()), HERMES_TOKEN: WRONG_TOKEN }, [
      "/profile list",
      ...wizard("wrong-token"),
    ]);
    const refused = `Hermes at ${host} refused the token (401). Check HERMES_TOKEN against HERMES_DASHBOARD_SESSION_TOKEN on that host`;
    expect(out).toContain(`✗ ${refused}`);
    expect(out).toContain(`✗ Nothing was created on ${host}:`);
    expect(out).not.toContain("cannot be reached");
    expect(await profileList(remote().home)).not.toContain("wrong-token");
  }, 60_000);

  it("WHEN nothing listens at HERMES_URL THEN the bot still starts and each answer says the host cannot be reached", async () => {
    const data = await tempDir();
    const closed = `http://127.0.0.1:${await closedPort()}`;
    const out = await consoleBot({ ...remoteBotEnv(data, remote()), HERMES_URL: closed }, [
      "/profile list",
      ...wizard("nobody-home"),
    ]);
    const { host } = new URL(closed);
    const unreachable = `Hermes at ${host} cannot be reached (ECONNREFUSED). Check that \`hermes serve\` runs there and the address is right.`;
    expect(out).toContain(`✗ ${unreachable}`);
    expect(out).toContain(`✗ Nothing was created on ${host}:`);
    expect(out).not.toContain("refused the token");
  }, 60_000);

  it("WHEN a proxy answers 502 THEN a read is tried 3 times, a create once, and the user is told to try later", async () => {
    const data = await tempDir();
    const proxy = await startForwardingProxy(() => remote().url);
    proxy.badGateway(true);
    const out = await consoleBot({ ...remoteBotEnv(data, remote()), HERMES_URL: proxy.url }, [
      "/profile list",
    ]);
    const { host } = new URL(proxy.url);
    expect(out).toContain(`✗ Hermes at ${host} failed (502). Try again later, or look at its log.`);
    expect(proxy.requests.filter((route) => route === "GET /api/profiles").length).toBe(3);
    // A create the proxy fails is sent once, never repeated (it may have reached Hermes).
    proxy.requests.length = 0;
    proxy.badGateway("POST /api/profiles");
    const created = await consoleBot(
      { ...remoteBotEnv(data, remote()), HERMES_URL: proxy.url },
      wizard("gateway"),
    );
    expect(created).toContain(`✗ Nothing was created on ${host}:`);
    expect(created).toContain(`✗ Hermes at ${host} failed (502). Try again later, or look at its log.`);
    expect(proxy.requests.filter((route) => route === "POST /api/profiles")).toEqual(["POST /api/profiles"]);
    expect(await profileList(remote().home)).not.toContain("gateway");
  }, 60_000);
});

describe("GIVEN the real hermes serve that stops right after it created the profile", () => {
  it("WHEN the rest of the create cannot be sent THEN the user is told the profile is incomplete on that host and how to finish or delete it", async () => {
    const root = await fileDir();
    const home = path.join(root, "hermes");
    let serve: HermesServe = await startHermesServe(home, TOKEN);
    const proxy = await startForwardingProxy(() => serve.url);
    proxy.after("POST /api/profiles", () => serve.stop());
    const data = await tempDir();
    const out = await consoleBot(
      { ...remoteBotEnv(data, { ...remote(), url: proxy.url }), HERMES_URL: proxy.url },
      wizard("cut-short"),
    );
    const { host } = new URL(proxy.url);
    expect(out).toContain(`.env OPENROUTER_API_KEY: Hermes at ${host}`);
    expect(out).toContain(
      `The profile 'cut-short' was made on ${host} but is incomplete, and deleting it failed too`,
    );
    expect(out).toContain("then delete it with /profile delete cut-short");
    // Hermes, back up, has the profile the bot reported as left behind — and no key in it.
    serve = await startHermesServe(home, TOKEN);
    try {
      expect(await profileList(home)).toContain("cut-short");
      const later = await consoleBot({ ...remoteBotEnv(await tempDir(), { ...remote(), url: serve.url }) }, [
        "/profile show cut-short",
      ]);
      expect(later).toContain(`Profile 'cut-short' on ${new URL(serve.url).host}`);
      expect(later).not.toContain("OPENROUTER_API_KEY (set)");
    } finally {
      await serve.stop();
    }
  }, 120_000);
});
