// The Discord surface in HTTP interactions mode, end to end: the bot started through the real
// start-up path with DISCORD_PUBLIC_KEY set (nothing else differs), its endpoint served by the
// bot's own HTTP server, and the strict fake Discord POSTing every interaction there, signed, taking
// each HTTP answer as the interaction's one acknowledgement. No gateway connection is opened.
import { readFile, stat } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { BOT_TOKEN, CALLBACK, GENERAL, type FakeUser } from "../fakes/discord/fake-discord.ts";
import { useBots } from "../helpers/bot-fixture.ts";
import { answered, DiscordTester } from "../helpers/discord-bot.ts";
import { storeFilesText } from "../helpers/store-files.ts";

const bots = useBots();
const ALICE: FakeUser = { id: "1500000000000000001", username: "alice" };
const SECRET = "sk-discord-http-e2e-SECRET-9012";

describe("GIVEN the Discord bot in HTTP interactions mode against the fake Discord", () => {
  it("WHEN a user walks /profile new to Create THEN every interaction is answered in its HTTP answer, the wizard is one message edited in place, and the profile lands on disk", async () => {
    const { fake, data, logs } = await bots.discord({ allowedUsers: [ALICE.id], httpInteractions: true });
    // Saving the endpoint URL already passed Discord's checks (PING → PONG, bad signature → 401).
    expect(fake.interactionsEndpointUrl).toMatch(/\/discord\/interactions$/);
    const alice = new DiscordTester(fake, ALICE, GENERAL);
    const start = await alice.command("profile new");
    expect(start.acks[0]?.type).toBe(CALLBACK.deferReply);
    expect(alice.message.ephemeralFor).toBe(ALICE.id);
    expect(alice.message.content).toContain("Step 1/7 · Identity");
    await alice.fill({ name: "http-bot", display_name: "HTTP Bot", description: "Built over HTTP" });
    expect(alice.message.content).toContain("Display name: HTTP Bot");
    await alice.press("Next");
    await alice.choose("OpenRouter");
    await alice.choose("anthropic/claude-sonnet-4");
    expect(alice.message.content).toContain("OPENROUTER_API_KEY");
    const keyModal = await alice.press("✎");
    expect(fake.modalOf(keyModal)?.["title"]).toBeTruthy();
    await answered(fake, fake.submitModal(ALICE, keyModal, { value: SECRET }));
    expect(alice.message.content).toContain("Skills · built-in");
    for (const label of ["Optional skills", "Hub skills", "Done", "MCP servers"]) await alice.press(label);
    await alice.choose("github");
    await alice.press("Next");
    await alice.press("Skip");
    await alice.press("No persona");
    expect(alice.message.content).toContain("Step 7/7 · Review");
    await alice.press("✓ Create");
    await fake.until(() => alice.message.content.includes("Profile created"), 15_000, "Profile created");
    expect(alice.message.components).toEqual([]);
    const profile = path.join(data, "hermes/profiles/http-bot");
    expect(await readFile(path.join(profile, ".env"), "utf8")).toContain(`OPENROUTER_API_KEY=${SECRET}`);
    expect((await stat(path.join(profile, ".env"))).mode & 0o777).toBe(0o600);
    expect(await readFile(path.join(profile, "config.yaml"), "utf8")).toContain("github:");

    // One wizard message; every interaction acknowledged once, by its HTTP answer, in time.
    const wizardMessages = [...fake.messages.values()].filter((m) =>
      m.history.some((h) => h.includes("Step 1/7")),
    );
    expect(wizardMessages).toHaveLength(1);
    expect(fake.violations).toEqual([]);
    expect(fake.interactions.size).toBeGreaterThan(15);
    for (const interaction of fake.interactions.values()) {
      expect(interaction.httpAnswers.map((answer) => answer.status)).toEqual([200]);
      expect(interaction.acks).toHaveLength(1);
      expect((interaction.acks[0]?.at ?? Infinity) - interaction.dispatchedAt).toBeLessThan(3000);
      expect(interaction.failed).toBeUndefined();
    }
    // No callback went over REST, and no gateway was asked for or connected to.
    expect(fake.calls.filter((call) => call.path.includes("/callback"))).toEqual([]);
    expect(fake.calls.filter((call) => call.path === "/gateway/bot")).toEqual([]);
    expect(fake.connected).toBe(0);
    // Neither the key nor any token reached a log line, the store or anything sent to Discord.
    expect(fake.transcript()).not.toContain(SECRET);
    expect(logs()).not.toContain(SECRET);
    expect(logs()).not.toContain(BOT_TOKEN);
    for (const interaction of fake.interactions.values()) expect(logs()).not.toContain(interaction.token);
    expect(storeFilesText(data)).not.toContain(SECRET);
  }, 60_000);

  it("WHEN a press is replayed with a forged signature, or a signature over another timestamp, THEN it is refused with 401 and nothing changes", async () => {
    const { fake, data } = await bots.discord({ allowedUsers: [ALICE.id], httpInteractions: true });
    const alice = new DiscordTester(fake, ALICE, GENERAL);
    await alice.command("profile new");
    await alice.fill({ name: "forged-bot" });
    const next = await alice.press("Next");
    const before = { content: alice.message.content, history: alice.message.history.length };
    const interactions = fake.interactions.size;
    const calls = fake.calls.length;
    // A replay of the last press, turned into "Next" again, and signed with another key.
    const forged = { ...next.payload, id: `${BigInt(next.id) + 1n}`, token: "forged-token" };
    expect((await fake.forgeDelivery(forged)).status).toBe(401);
    // The same with a valid signature over another timestamp than the one sent.
    const stamp = String(Math.floor(fake.now() / 1000) - 1);
    expect((await fake.forgeDelivery(forged, stamp)).status).toBe(401);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(alice.message.content).toBe(before.content);
    expect(alice.message.history).toHaveLength(before.history);
    expect(fake.interactions.size).toBe(interactions);
    expect(fake.calls.length).toBe(calls);
    expect(fake.violations).toEqual([]);
    await expect(stat(path.join(data, "hermes/profiles/forged-bot"))).rejects.toThrow();
  }, 30_000);
});
