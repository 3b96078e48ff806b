// The Telegram bot (started as `npm start` starts it, grammY against the local Bot API) with
// HERMES_URL + HERMES_TOKEN pointing at a hostile dashboard: a host that echoes the session token
// into its errors never gets it repeated into the chat, and a host that accepts connections and
// never answers costs a wizard step the stated wait, with a message naming the slow host.
import { afterEach, describe, expect, it } from "vitest";
import type { FakeUser } from "../fakes/fake-telegram.ts";
import { startHostileDashboard, type HostileDashboard } from "../helpers/hostile-dashboard.ts";
import { recordSecret } from "../helpers/leak-ledger.ts";
import { useBots } from "../helpers/bot-fixture.ts";
import { say, TELEGRAM_TEST_TOKEN, type RunningTelegramBot } from "../helpers/telegram-bot.ts";

const bots = useBots();
const ALICE: FakeUser = { id: 5151, first_name: "Alice", username: "alice" };
const ALICE_DM = { id: ALICE.id, type: "private" as const };
const TOKEN = "hostile-telegram-session-token-3b9d";
recordSecret(TOKEN);
recordSecret(TELEGRAM_TEST_TOKEN);

// Registered after useBots(), so the hosts close first: a bot stopping is not held by a host that never answers.
const fakes: HostileDashboard[] = [];
afterEach(async () => {
  await Promise.all(fakes.splice(0).map((fake) => fake.close()));
});

function botFor(host: HostileDashboard): Promise<RunningTelegramBot> {
  return bots.telegram({ allowedUsers: [ALICE.id], env: { HERMES_URL: host.url, HERMES_TOKEN: TOKEN } });
}

async function hostileHost(): Promise<HostileDashboard> {
  const fake = await startHostileDashboard();
  fakes.push(fake);
  return fake;
}

const chatText = (bot: RunningTelegramBot): string =>
  bot.fake
    .botMessages(ALICE.id)
    .map((message) => message.text)
    .join("\n");

describe("GIVEN a Telegram bot whose Hermes host echoes the session token into its errors", () => {
  it("WHEN /profile_list fails THEN the chat is told what the host said with the token redacted, and no call to Telegram holds it", async () => {
    const host = await hostileHost();
    host.hostile("GET /api/profiles", {
      kind: "echo",
      status: 403,
      detail: (seen) => `token ${seen.token ?? ""} is not allowed here`,
    });
    const bot = await botFor(host);
    await say(bot.fake, ALICE, ALICE_DM, "/profile_list");
    expect(chatText(bot)).toContain(
      `Hermes at ${host.host} does not allow this (403): token [redacted] is not allowed here.`,
    );
    expect(host.requests.some((seen) => seen.token === TOKEN)).toBe(true);
    expect(JSON.stringify(bot.fake.calls)).not.toContain(TOKEN);
  }, 60_000);
});

describe("GIVEN a Telegram bot whose Hermes host accepts connections and never answers", () => {
  it("WHEN /profile_new is sent THEN step 1 arrives after the stated wait, with a message naming the slow host", async () => {
    const host = await hostileHost();
    host.hostile("GET /api/profiles", { kind: "silent" });
    const bot = await botFor(host);
    // `say` waits at most 10 s for the update to be handled: the old bot needed 3 × 15 s.
    await say(bot.fake, ALICE, ALICE_DM, "/profile_new");
    expect(chatText(bot)).toContain("Step 1/7 · Identity");
    expect(chatText(bot)).toContain(
      `Hermes at ${host.host} is slow: it has not listed its profiles within 2 s, so this step went on with the names known so far.`,
    );
    // The next step does not wait for the same overdue listing again.
    await say(bot.fake, ALICE, ALICE_DM, "slow-tg");
    expect(bot.fake.lastBotMessage(ALICE.id, true)?.text).toContain("Name: slow-tg");
    expect(JSON.stringify(bot.fake.calls)).not.toContain(TOKEN);
  }, 60_000);
});
