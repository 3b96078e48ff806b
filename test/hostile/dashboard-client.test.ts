// The dashboard client against a hostile dashboard, call by call: whatever the host does — break
// off, stall, trickle, flood, echo what it was sent, answer garbage — every method returns a
// failure value (never a throw), within its deadline, and no failure message repeats the token or
// a key the client sent.
import { describe, expect, it } from "vitest";
import { KnownSecrets, REDACTED } from "../../src/app/secrets/known-secrets.ts";
import { DashboardClient } from "../../src/app/hermes/dashboard-client.ts";
import { startHostileDashboard, type Hostility } from "../helpers/hostile-dashboard.ts";
import { recordSecret } from "../helpers/leak-ledger.ts";

const TOKEN = "hostile-client-session-token-a41f";
const KEY = "sk-hostile-client-key-9c3e";
const OTHER_SECRET = "discord-bot-token-held-by-the-bot-77";
recordSecret(TOKEN);
recordSecret(KEY);
recordSecret(OTHER_SECRET);

/** A deadline far above any loaded machine's loopback answer, for cases not about timing. */
const AMPLE_MS = 5_000;
/** A deadline short enough to wait out in a test, for the cases that are about timing. */
const SHORT_MS = 300;

/** Each hostility, the deadline its case needs, and the failure every call must end in. */
const HOSTILITIES: Record<
  string,
  { hostility: Hostility; timeoutMs: number; fault: string; says: string | RegExp }
> = {
  "reset mid-body": {
    hostility: { kind: "reset mid-body" },
    timeoutMs: AMPLE_MS,
    fault: "network",
    says: "broke off its answer",
  },
  "endless trickle": {
    hostility: { kind: "trickle", text: '{"a":', everyMs: 20, endless: true },
    timeoutMs: SHORT_MS,
    fault: "network",
    says: `did not answer in ${SHORT_MS} ms`,
  },
  "silent after accept": {
    hostility: { kind: "silent" },
    timeoutMs: SHORT_MS,
    fault: "network",
    says: `did not answer in ${SHORT_MS} ms`,
  },
  "40 MB chunked": {
    hostility: { kind: "flood", bytes: 40 * 1024 * 1024 },
    timeoutMs: AMPLE_MS,
    fault: "garbage",
    says: "answered with more than 4 MiB",
  },
  "malformed JSON": {
    hostility: { kind: "raw", status: 200, body: '{"ok": tru' },
    timeoutMs: AMPLE_MS,
    fault: "garbage",
    says: "not as Hermes' dashboard does",
  },
  "invalid UTF-8": {
    hostility: { kind: "raw", status: 200, body: Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]) },
    timeoutMs: AMPLE_MS,
    fault: "garbage",
    says: "not as Hermes' dashboard does",
  },
  "500 echoing everything": {
    hostility: {
      kind: "echo",
      status: 500,
      detail: (seen) => `\u001b[31m${seen.token ?? ""}\u001b[0m sent ${seen.body}\nat /srv/hermes/x`,
    },
    timeoutMs: AMPLE_MS,
    fault: "server",
    says: REDACTED,
  },
};

describe("GIVEN the dashboard client and a host that misbehaves on every route", () => {
  for (const [label, { hostility, timeoutMs, fault, says }] of Object.entries(HOSTILITIES)) {
    it(`WHEN the host answers with ${label} THEN every call ends in a '${fault}' failure value without the token or the key`, async () => {
      const host = await startHostileDashboard();
      for (const route of [
        "GET /api/profiles",
        "POST /api/profiles",
        "PUT /api/env",
        "GET /api/config/raw",
        "DELETE /api/profiles/p",
      ])
        host.hostile(route, hostility);
      const client = new DashboardClient({
        url: host.url,
        token: TOKEN,
        timeoutMs,
        retryDelaysMs: [10, 10],
        secrets: new KnownSecrets([OTHER_SECRET]),
      });
      const answers = await Promise.all([
        client.listProfiles(),
        client.createProfile({ name: "p", description: OTHER_SECRET }),
        client.setEnv("p", "OPENROUTER_API_KEY", KEY),
        client.rawConfig("p"),
        client.deleteProfile("p"),
      ]);
      await host.close();
      for (const answer of answers) {
        expect(answer.ok).toBe(false);
        // The failure this case is about, so the checks below test it (not a timeout instead).
        expect(answer.ok || answer.failure.fault).toBe(fault);
        expect(answer.ok || answer.failure.message).toContain(says);
        const text = JSON.stringify(answer);
        for (const secret of [TOKEN, KEY, OTHER_SECRET]) expect(text).not.toContain(secret);
        expect(text).not.toContain("/srv/hermes");
        // eslint-disable-next-line no-control-regex -- a quoted detail is one clean line
        expect(answer.ok || answer.failure.message).not.toMatch(/[\u0000-\u001f]/);
      }
      expect(host.requests.some((seen) => seen.token === TOKEN)).toBe(true);
    }, 30_000);
  }

  it("WHEN the host redirects elsewhere THEN the redirect is not followed and the failure says so", async () => {
    const host = await startHostileDashboard();
    const elsewhere = await startHostileDashboard();
    host.hostile("GET /api/profiles", {
      kind: "redirect",
      status: 307,
      location: `${elsewhere.url}/api/profiles`,
    });
    const listed = await new DashboardClient({
      url: host.url,
      token: TOKEN,
      retryDelaysMs: [10, 10],
    }).listProfiles();
    await host.close();
    await elsewhere.close();
    expect(listed.ok || listed.failure).toMatchObject({ fault: "garbage", status: 307 });
    expect(listed.ok || listed.failure.message).toContain("the bot follows no redirect");
    expect(elsewhere.requests).toEqual([]);
  });

  it("WHEN a create's answer cannot be read THEN the failure says so (it may have happened) and the create was sent once", async () => {
    const host = await startHostileDashboard();
    host.hostile("POST /api/profiles", { kind: "raw", status: 200, body: "<html>" });
    const client = new DashboardClient({ url: host.url, token: TOKEN, retryDelaysMs: [10, 10] });
    const created = await client.createProfile({ name: "maybe" });
    await host.close();
    expect(created.ok || created.failure).toMatchObject({ fault: "garbage", unread: true });
    expect(host.requests.filter((seen) => seen.method === "POST")).toHaveLength(1);
  });

  it("WHEN a host lists .env keys that are no variable names THEN only real names are kept", async () => {
    const host = await startHostileDashboard();
    host.hostile("GET /api/env", {
      kind: "raw",
      status: 200,
      body: JSON.stringify({
        OPENROUTER_API_KEY: { is_set: true },
        my_key: { is_set: true },
        UNSET_KEY: { is_set: false },
        "\u001b[2JEVIL": { is_set: true },
        "A\nB": { is_set: true },
        [`K${"x".repeat(5000)}`]: { is_set: true },
      }),
    });
    const keys = await new DashboardClient({ url: host.url, token: TOKEN }).envKeysSet("p");
    await host.close();
    expect(keys).toEqual({ ok: true, value: ["OPENROUTER_API_KEY", "my_key"] });
  });

  it("WHEN a host lists names Hermes never makes THEN they are dropped and counted, and listed texts are cleaned", async () => {
    const host = await startHostileDashboard();
    host.profiles = [
      { name: "default", is_default: true },
      { name: "ok-name", description: "a\u001b[2Jb\nc", model: "m\u202e1", provider: "p\u0007" },
      { name: "Bad Name" },
      { name: "x".repeat(100_000) },
      { nom: "no name" },
    ];
    const listed = await new DashboardClient({ url: host.url, token: TOKEN }).listProfiles();
    await host.close();
    expect(listed).toMatchObject({ ok: true, skipped: 3 });
    expect(listed.ok && listed.value.map((profile) => profile.name)).toEqual(["default", "ok-name"]);
    expect(listed.ok && listed.value[1]).toMatchObject({ description: "ab c", model: "m1", provider: "p" });
  });
});
