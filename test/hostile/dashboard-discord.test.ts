// The Discord bot (the unmodified discord.js client against the local fake Discord, started as `npm
// start` starts it) with HERMES_URL + HERMES_TOKEN pointing at a hostile dashboard: a host that
// echoes the session token into its errors never gets it repeated into the channel, and a host that
// accepts connections and never answers costs a wizard step the stated wait, with a note naming it.
import { afterEach, describe, expect, it } from "vitest";
import { BOT_TOKEN, GENERAL, type FakeDiscord, type FakeUser } from "../fakes/discord/fake-discord.ts";
import { useBots } from "../helpers/bot-fixture.ts";
import { DiscordTester } from "../helpers/discord-bot.ts";
import { startHostileDashboard, type HostileDashboard } from "../helpers/hostile-dashboard.ts";
import { recordSecret } from "../helpers/leak-ledger.ts";

const bots = useBots();
const ALICE: FakeUser = { id: "150000000000000515", username: "alice" };
const TOKEN = "hostile-discord-session-token-8e2a";
recordSecret(TOKEN);
recordSecret(BOT_TOKEN);

const hosts: HostileDashboard[] = [];
afterEach(async () => {
  await Promise.all(hosts.splice(0).map((host) => host.close()));
});

async function botFor(host: HostileDashboard): Promise<{ fake: FakeDiscord; alice: DiscordTester }> {
  const { fake } = await bots.discord({
    allowedUsers: [ALICE.id],
    env: { HERMES_URL: host.url, HERMES_TOKEN: TOKEN },
  });
  return { fake, alice: new DiscordTester(fake, ALICE, GENERAL) };
}

async function hostileHost(): Promise<HostileDashboard> {
  const host = await startHostileDashboard();
  hosts.push(host);
  return host;
}

describe("GIVEN a Discord bot whose Hermes host echoes the session token into its errors", () => {
  it("WHEN /profile list fails THEN the reply quotes the host with the token redacted, and nothing sent to Discord holds it", async () => {
    const host = await hostileHost();
    host.hostile("GET /api/profiles", {
      kind: "echo",
      status: 403,
      detail: (seen) => `token ${seen.token ?? ""} is not allowed here`,
    });
    const { fake, alice } = await botFor(host);
    const listed = fake.original(await alice.command("profile list"));
    expect(listed?.content).toContain(
      `Hermes at ${host.host} does not allow this (403): token [redacted] is not allowed here.`,
    );
    expect(host.requests.some((seen) => seen.token === TOKEN)).toBe(true);
    expect(fake.transcript()).not.toContain(TOKEN);
  }, 60_000);
});

describe("GIVEN a Discord bot whose Hermes host accepts connections and never answers", () => {
  it("WHEN /profile new is run THEN step 1 shows after the stated wait, with a private note naming the slow host", async () => {
    const host = await hostileHost();
    host.hostile("GET /api/profiles", { kind: "silent" });
    const { fake, alice } = await botFor(host);
    // `command` waits at most 15 s for the deferred answer: the old bot needed 3 × 15 s.
    const started = await alice.command("profile new");
    expect(fake.original(started)?.content).toContain("Step 1/7 · Identity");
    await fake.until(() => started.followUps.length > 0, 5000, "the slow-host note");
    const notes = started.followUps.map((id) => fake.messages.get(id)?.content ?? "");
    expect(notes.join("\n")).toContain(
      `Hermes at ${host.host} is slow: it has not listed its profiles within 2 s, so this step went on with the names known so far.`,
    );
    expect(fake.violations).toEqual([]);
    expect(fake.transcript()).not.toContain(TOKEN);
  }, 60_000);
});
