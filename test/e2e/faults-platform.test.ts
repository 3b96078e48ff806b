// The platform API failing while a wizard and installs run (5xx bursts longer than discord.js's own
// retries, a 429 storm): nothing is lost, and the final progress state still arrives once the API
// recovers.
import { describe, expect, it } from "vitest";
import { GENERAL, type FakeDiscord, type FakeUser } from "../fakes/discord/fake-discord.ts";
import { useBots } from "../helpers/bot-fixture.ts";
import { DiscordTester, type RunningDiscordBot } from "../helpers/discord-bot.ts";

const bots = useBots();
const ALICE: FakeUser = { id: "1500000000000000001", username: "alice" };

async function boot(): Promise<{ bot: RunningDiscordBot; fake: FakeDiscord }> {
  const bot = await bots.discord({ allowedUsers: [ALICE.id], progressMinIntervalMs: 200 });
  return { bot, fake: bot.fake };
}

describe("GIVEN Discord's API failing while a wizard and installs run", () => {
  it("WHEN edits of the wizard fail with 5xx THEN the step is kept and /show brings it back", async () => {
    const { fake, bot } = await boot();
    const alice = new DiscordTester(fake, ALICE, GENERAL);
    await alice.command("profile new");
    await alice.fill({ name: "storm-bot" });
    // More 500s than discord.js retries (3): this edit never lands.
    fake.failNext(/^PATCH \/webhooks\//, 4, 500);
    const press = fake.press(ALICE, alice.message.id, alice.buttonId("Next"));
    await fake.until(() => fake.calls.filter((call) => call.status === 500).length >= 4, 15_000, "four 500s");
    expect(press.acks).toHaveLength(1);
    await fake.until(
      async () =>
        (await bot.runner.findOpen("discord", GENERAL, `dc:${ALICE.id}`))?.step === "model.provider",
    );
    expect(alice.message.content).toContain("Step 1/7 · Identity");
    await alice.command("show");
    expect(alice.message.content).toContain("Step 2/7 · Model");
    expect(fake.violations).toEqual([]);
  }, 30_000);

  it("WHEN status messages hit 5xx bursts and a 429 storm THEN the final state still arrives once the API recovers", async () => {
    const { fake } = await boot();
    const alice = new DiscordTester(fake, ALICE, GENERAL);
    await alice.command("profile new");
    await alice.fill({ name: "hub-storm" });
    await alice.press("Next");
    await alice.choose("OpenRouter");
    await alice.choose("anthropic/claude-sonnet-4");
    for (const label of ["Skip", "Optional skills", "Hub skills"]) await alice.press(label);
    await alice.fill({ value: "official/security/password-audit official/research/arxiv-digest" });
    // The first status post fails past discord.js's retries; then every edit meets a 429 storm.
    fake.failNext(/^POST \/channels\/\d+\/messages$/, 5, 502);
    fake.failNext(/^PATCH \/channels\/\d+\/messages\/\d+$/, 12, 429, 0.3);
    for (const label of ["Done", "MCP servers", "Next", "No persona", "✓ Create"]) await alice.press(label);
    await fake.until(() => alice.message.content.includes("Profile created"), 15_000);
    const status = () =>
      fake.channelMessages(GENERAL).find((m) => m.content.includes("Hub skills for 'hub-storm'"));
    await fake.until(() => status()?.content.includes("Finished:"), 60_000, "the final status");
    expect(fake.calls.filter((call) => call.status === 502)).toHaveLength(5);
    expect(fake.calls.filter((call) => call.status === 429).length).toBeGreaterThan(0);
    expect(fake.channelMessages(GENERAL).filter((m) => m.content.includes("Hub skills for"))).toHaveLength(1);
    expect(fake.violations).toEqual([]);
  }, 90_000);
});

describe("GIVEN a failure after the bot deferred its answer", () => {
  it("WHEN the answer cannot be delivered THEN the deferred reply is edited to say so instead of 'thinking…' forever", async () => {
    const { fake } = await boot();
    // Every try of the answer fails (more 500s than discord.js retries), then Discord recovers.
    fake.failNext(/^PATCH \/webhooks\/.*\/messages\/(%40|@)original/, 4, 500);
    const list = fake.command(ALICE, GENERAL, "persona list", {});
    await fake.until(
      () => {
        const message = fake.original(list);
        return message !== undefined && message.content.includes("Something went wrong");
      },
      20_000,
      "the deferred reply to say what happened",
    );
    expect(fake.original(list)?.content).toContain("this was not done. Please try again");
  }, 30_000);
});
