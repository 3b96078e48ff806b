// The Telegram bot in webhook mode, started through the start-up code `npm start` runs with only
// the environment different (TELEGRAM_WEBHOOK_URL at the bot's own HTTP server on loopback,
// TELEGRAM_WEBHOOK_SECRET, HTTP_PORT): the fake Telegram delivers every update by POST, as
// Telegram does once setWebhook is called, and the bot never polls.
import { readFile, stat } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { TELEGRAM_ALLOWED_UPDATES } from "../../src/adapters/telegram/index.ts";
import type { FakeTelegram, FakeUser } from "../fakes/fake-telegram.ts";
import { useBots } from "../helpers/bot-fixture.ts";
import {
  handled,
  press,
  say,
  waitFor,
  wizardText,
  type RunningTelegramBot,
} from "../helpers/telegram-bot.ts";

const bots = useBots();
const ALICE: FakeUser = { id: 1001, first_name: "Alice", username: "alice" };
const ALICE_DM = { id: ALICE.id, type: "private" as const };
const WEBHOOK_SECRET = "e2e-webhook-secret_0123456789abcdef";
const KEY = "sk-telegram-webhook-e2e-SECRET-1234";

function webhookBot(
  options: { data?: string; fake?: FakeTelegram; port?: number } = {},
): Promise<RunningTelegramBot> {
  const { port, ...rest } = options;
  return bots.telegram({
    ...rest,
    allowedUsers: [ALICE.id],
    webhook: { secret: WEBHOOK_SECRET, ...(port !== undefined ? { port } : {}) },
  });
}

function endpointOf(bot: RunningTelegramBot): string {
  if (!bot.httpUrl) throw new Error("the bot was not started in webhook mode");
  return bot.httpUrl;
}

/** The bot's log so far holds a handled line for this update. */
function wasHandled(bot: RunningTelegramBot, updateId: number): boolean {
  return bot
    .logs()
    .split("\n")
    .some((line) => line.includes(`"update_id":${updateId},`) && line.includes("telegram update handled"));
}

describe("GIVEN the Telegram bot in webhook mode against a local Bot API", () => {
  it("WHEN a user walks /profile_new THEN every update arrives by webhook, one message is edited in place and the profile lands on disk", async () => {
    const bot = await webhookBot();
    const { fake, data } = bot;
    const url = endpointOf(bot);
    expect(fake.callsOf("setWebhook").map((call) => call.params)).toEqual([
      {
        url: `${url}/telegram`,
        secret_token: WEBHOOK_SECRET,
        allowed_updates: [...TELEGRAM_ALLOWED_UPDATES],
        drop_pending_updates: false,
      },
    ]);
    await say(fake, ALICE, ALICE_DM, "/profile_new");
    expect(wizardText(fake, ALICE.id)).toContain("Step 1/7 · Identity");
    await say(fake, ALICE, ALICE_DM, "hook-bot");
    await press(fake, ALICE, ALICE.id, "Next");
    await press(fake, ALICE, ALICE.id, "OpenRouter");
    await press(fake, ALICE, ALICE.id, "anthropic/claude-sonnet-4");
    const key = await say(fake, ALICE, ALICE_DM, KEY);
    expect(fake.messages.get(`${ALICE.id}:${key.message_id}`)?.deleted).toBe(true);
    for (const label of [
      "Optional skills",
      "Hub skills",
      "Done",
      "MCP servers",
      "Next",
      "No persona",
      "✓ Create",
    ])
      await press(fake, ALICE, ALICE.id, label);
    await waitFor(() =>
      fake.botMessages(ALICE.id).some((message) => message.text.includes("Profile created")),
    );
    const wizardMessages = fake
      .botMessages(ALICE.id)
      .filter((message) => message.text.includes("Step") || message.text.includes("Profile created"));
    expect(wizardMessages).toHaveLength(1);
    const profile = path.join(data, "hermes/profiles/hook-bot");
    expect(await readFile(path.join(profile, ".env"), "utf8")).toContain(`OPENROUTER_API_KEY=${KEY}`);
    expect((await stat(path.join(profile, ".env"))).mode & 0o777).toBe(0o600);
    // Every update came by webhook and was acknowledged the first time; the bot never polled.
    await waitFor(() => fake.webhook.info()["pending_update_count"] === 0);
    expect(fake.webhook.deliveries.length).toBeGreaterThanOrEqual(12);
    expect(fake.webhook.deliveries.every((delivery) => delivery.status === 200)).toBe(true);
    expect(fake.callsOf("getUpdates")).toHaveLength(0);
    for (const answer of fake.callbackAnswers.values()) expect(answer.afterMs).toBeLessThan(3000);
    expect(JSON.stringify(fake.calls.filter((call) => call.method !== "setWebhook"))).not.toContain(KEY);
    expect(bot.logs()).not.toContain(WEBHOOK_SECRET);
  });

  it("WHEN an update comes with a wrong or no secret THEN it is refused with 401 and changes nothing; a malformed body with the secret is 400", async () => {
    const bot = await webhookBot();
    const { fake } = bot;
    const webhook = `${endpointOf(bot)}/telegram`;
    const forged = fake.textUpdate(ALICE, ALICE_DM, "/profile_new");
    expect(await fake.deliverTo(webhook, forged, "not-the-secret")).toMatchObject({ status: 401 });
    expect(await fake.deliverTo(webhook, forged)).toMatchObject({ status: 401 });
    const malformed = await fetch(webhook, {
      method: "POST",
      headers: { "content-type": "application/json", "x-telegram-bot-api-secret-token": WEBHOOK_SECRET },
      body: "{not json",
    });
    expect(malformed.status).toBe(400);
    // Given time to act, the refused update has done nothing: no reply, no wizard, no handled line.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(fake.botMessages(ALICE.id)).toHaveLength(0);
    expect(await bot.store.all()).toHaveLength(0);
    expect(wasHandled(bot, forged.update_id)).toBe(false);
    // The same update with the secret is taken: the endpoint was live all along.
    expect(await fake.deliverTo(webhook, forged, WEBHOOK_SECRET)).toMatchObject({ status: 200 });
    // Answered once taken; the wizard follows.
    await waitFor(() => wasHandled(bot, forged.update_id));
    expect(wizardText(fake, ALICE.id)).toContain("Step 1/7 · Identity");
    expect(bot.logs()).not.toContain(WEBHOOK_SECRET);
  });

  it("WHEN the health checks are asked THEN /healthz and /readyz answer 200, and nothing else is served", async () => {
    const bot = await webhookBot();
    const url = endpointOf(bot);
    const healthz = await fetch(`${url}/healthz`);
    expect([healthz.status, await healthz.text()]).toEqual([200, "ok\n"]);
    const readyz = await fetch(`${url}/readyz`);
    expect([readyz.status, await readyz.text()]).toEqual([200, "ready\n"]);
    expect((await fetch(`${url}/telegram`)).status).toBe(405);
    expect((await fetch(`${url}/discord/interactions`, { method: "POST", body: "{}" })).status).toBe(404);
    expect((await fetch(`${url}/`)).status).toBe(404);
  });

  it("WHEN the bot stops and starts again THEN the webhook is left set, and a press made while it was down is delivered after the restart", async () => {
    const first = await webhookBot();
    const { fake, data } = first;
    const port = Number(new URL(endpointOf(first)).port);
    await say(fake, ALICE, ALICE_DM, "/profile_new");
    await say(fake, ALICE, ALICE_DM, "restart-hook-bot");
    await bots.stop(first);
    // Other replicas still serve the webhook: a stop never removes it.
    expect(fake.callsOf("deleteWebhook")).toHaveLength(0);
    expect(fake.webhook.active).toBe(true);
    const message = fake.lastBotMessage(ALICE.id, true);
    if (!message) throw new Error("no wizard message");
    fake.press(ALICE, message, fake.button(message, "Next"));
    const pressed = fake.lastUpdateId;
    // Refused connections: Telegram keeps the update and tries again.
    await waitFor(() => fake.webhook.deliveries.some((delivery) => delivery.updateId === pressed));
    expect(fake.webhook.info()["pending_update_count"]).toBe(1);
    const second = await webhookBot({ data, fake, port });
    await handled(second.fake, pressed);
    expect(wizardText(fake, ALICE.id)).toContain("Step 2/7 · Model");
    await waitFor(() => fake.webhook.info()["pending_update_count"] === 0);
    expect(fake.callsOf("getUpdates")).toHaveLength(0);
  });
});
