// The real Hermes judges the local model's window the chat wizards write, as model-fit.test.ts does
// for the console and `create --from`: a Telegram and a Discord user pick an Ollama model (a fake
// Ollama on loopback, allowed by MODEL_SERVER_HOSTS=loopback) whose /api/show reports a 40,960-token
// window, are warned that Hermes needs more, go on, and Hermes' own get_model_context_length returns
// that window for the profile.
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { GENERAL, type FakeUser as DiscordUser } from "../fakes/discord/fake-discord.ts";
import type { FakeUser as TelegramUser } from "../fakes/fake-telegram.ts";
import { HERMES_MIN_CONTEXT_TOKENS } from "../../src/core/model-fit.ts";
import { useBots } from "../helpers/bot-fixture.ts";
import { answered, DiscordTester } from "../helpers/discord-bot.ts";
import { hermesContext } from "../helpers/hermes.ts";
import { startHostileModelServer, type HostileModelServer } from "../helpers/hostile-model-server.ts";
import { press, say, waitFor, wizardText } from "../helpers/telegram-bot.ts";

const bots = useBots();
const servers: HostileModelServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

const SHOW = JSON.stringify({
  model_info: { "general.architecture": "qwen3", "qwen3.context_length": 40_960 },
  capabilities: ["completion", "tools"],
});
const ENV = { MODEL_SERVER_HOSTS: "loopback", MODEL_LIST_TIMEOUT_MS: "5000" };
const WARNING = `qwen3:8b has a context window of 40,960 tokens; Hermes refuses to start an agent below ${HERMES_MIN_CONTEXT_TOKENS.toLocaleString("en-US")}`;
// From the fit screen to Create: the default skills and tools, no hub skill, server or persona.
const TO_CREATE = [
  "Go on with this model",
  "Optional skills",
  "Hub skills",
  "Done",
  "MCP servers",
  "Next",
  "No persona",
];

async function ollama(): Promise<HostileModelServer> {
  const server = await startHostileModelServer(["qwen3:8b"], SHOW);
  servers.push(server);
  return server;
}

describe("GIVEN the real Hermes 0.19 as the judge of the window a chat wizard writes", () => {
  it("WHEN a Telegram user picks an Ollama model below Hermes' minimum and goes on THEN Hermes reads the reported window", async () => {
    const server = await ollama();
    const alice: TelegramUser = { id: 5151, first_name: "Alice", username: "alice" };
    const dm = { id: alice.id, type: "private" as const };
    const { fake, data } = await bots.telegram({ allowedUsers: [alice.id], env: ENV });
    await say(fake, alice, dm, "/profile_new");
    await say(fake, alice, dm, "fit-telegram");
    for (const label of ["Next", "Ollama"]) await press(fake, alice, alice.id, label);
    await say(fake, alice, dm, server.url);
    await waitFor(() => wizardText(fake, alice.id).includes("Models reported by"));
    await press(fake, alice, alice.id, "qwen3:8b");
    await waitFor(() => wizardText(fake, alice.id).includes("Go on with this model"));
    expect(wizardText(fake, alice.id)).toContain(WARNING);
    for (const label of TO_CREATE) await press(fake, alice, alice.id, label);
    await press(fake, alice, alice.id, "✓ Create");
    await waitFor(() =>
      fake.botMessages(alice.id).some((message) => message.text.includes("Profile created")),
    );
    expect(server.requests).toContain("/api/show");
    expect(await hermesContext(path.join(data, "hermes"), "fit-telegram")).toMatchObject({
      configured: 40_960,
      resolved: 40_960,
    });
  }, 120_000);

  it("WHEN a Discord user picks an Ollama model below Hermes' minimum and goes on THEN Hermes reads the reported window", async () => {
    const server = await ollama();
    const user: DiscordUser = { id: "1500000000000000051", username: "alice" };
    const bot = await bots.discord({ allowedUsers: [user.id], env: ENV });
    const alice = new DiscordTester(bot.fake, user, GENERAL);
    await alice.command("profile new");
    await alice.fill({ name: "fit-discord" });
    await alice.press("Next");
    await alice.choose("Ollama");
    await answered(bot.fake, bot.fake.submitModal(user, await alice.press("✎"), { value: server.url }));
    await bot.fake.until(
      () => alice.message.content.includes("Models reported by"),
      10_000,
      "the model list",
    );
    await alice.choose("qwen3:8b");
    await bot.fake.until(
      () => alice.message.content.includes("Go on with this model"),
      10_000,
      "the fit screen",
    );
    expect(alice.message.content).toContain(WARNING);
    for (const label of TO_CREATE) await alice.press(label);
    await alice.press("✓ Create");
    await bot.fake.until(
      () => alice.message.content.includes("Profile created"),
      15_000,
      "the create report",
    );
    expect(server.requests).toContain("/api/show");
    expect(await hermesContext(path.join(bot.data, "hermes"), "fit-discord")).toMatchObject({
      configured: 40_960,
      resolved: 40_960,
    });
  }, 120_000);
});
