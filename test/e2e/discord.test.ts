// The Discord surface end to end: an unmodified discord.js Client against our loopback fake of
// Discord's REST API and gateway, which enforces the 3-second single acknowledgement, modal rules,
// token lifetime and size limits (any breach lands in fake.violations).
import { readFile, stat, writeFile } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { describe, expect, it, vi } from "vitest";
import { MessageFlags } from "discord.js";
import {
  ARCHIVED,
  CALLBACK,
  type FakeDiscord,
  GENERAL,
  READ_ONLY,
  SLOW,
  type FakeUser,
} from "../fakes/discord/fake-discord.ts";
import { DISCORD_REST_MAX_CONNECTIONS } from "../../src/adapters/discord/limits.ts";
import { useBots } from "../helpers/bot-fixture.ts";
import { answered, DiscordTester, type RunningDiscordBot } from "../helpers/discord-bot.ts";
import { storeFilesText } from "../helpers/store-files.ts";

const bots = useBots();
const tempDir = bots.tempDir;
const ALICE: FakeUser = { id: "1500000000000000001", username: "alice" };
const BOB: FakeUser = { id: "1500000000000000002", username: "bob" };
const EVE: FakeUser = { id: "1500000000000000666", username: "eve" };
const ROLE = "1600000000000000001";
const CAROL: FakeUser = { id: "1500000000000000003", username: "carol", roles: [ROLE] };
const SECRET = "sk-discord-e2e-SECRET-5678";

const newFake = (): Promise<FakeDiscord> => bots.fakeDiscord({ roles: [{ id: ROLE, name: "builders" }] });

async function boot(
  options: { data?: string; fake?: FakeDiscord; installs?: boolean } = {},
): Promise<RunningDiscordBot> {
  return bots.discord({
    data: options.data ?? (await tempDir()),
    fake: options.fake ?? (await newFake()),
    allowedUsers: [ALICE.id, BOB.id],
    allowedRoles: [ROLE],
  });
}

async function toModelStep(alice: DiscordTester, name: string): Promise<void> {
  await alice.command("profile new");
  await alice.fill({ name });
  await alice.press("Next");
  expect(alice.message.content).toContain("Step 2/7 · Model");
}

/** Walks a wizard to Create with OpenRouter, no key, the default skills and these hub identifiers. */
async function createWithHubSkills(tester: DiscordTester, name: string, hub: string): Promise<void> {
  await toModelStep(tester, name);
  await tester.choose("OpenRouter");
  await tester.choose("anthropic/claude-sonnet-4");
  for (const label of ["Skip", "Optional skills", "Hub skills"]) await tester.press(label);
  await tester.fill({ value: hub });
  for (const label of ["Done", "MCP servers", "Next", "No persona", "✓ Create"]) await tester.press(label);
}

/** Waits until the install status reached this user's DMs and shows its final state. */
async function finalStatusInDm(fake: FakeDiscord, userId: string): Promise<void> {
  await fake.until(() => fake.dmChannelOf(userId), 15_000, "a DM channel");
  const dm = fake.dmChannelOf(userId) ?? "";
  await fake.until(
    () => fake.channelMessages(dm).some((m) => m.content.includes("Finished: 1 installed")),
    30_000,
    "final status in the DM",
  );
}

describe("GIVEN the Discord bot against a local fake Discord", () => {
  it("WHEN a user walks /profile new THEN one ephemeral message is edited in place, the key goes through a modal, and the profile lands on disk", async () => {
    const { fake, data, logs } = await boot();
    const alice = new DiscordTester(fake, ALICE, GENERAL);
    const start = await alice.command("profile new");
    expect(start.acks[0]?.type).toBe(CALLBACK.deferReply);
    expect(alice.message.ephemeralFor).toBe(ALICE.id);
    expect(alice.message.content).toContain("Step 1/7 · Identity");
    await alice.fill({ name: "dc-bot", display_name: "Discord Bot", description: "Built in Discord" });
    expect(alice.message.content).toContain("Display name: Discord Bot");
    await alice.press("Next");
    await alice.choose("OpenRouter");
    await alice.choose("anthropic/claude-sonnet-4");
    expect(alice.message.content).toContain("OPENROUTER_API_KEY");
    const keyModal = await alice.press("✎");
    expect(fake.modalOf(keyModal)?.["title"]).toBeTruthy();
    await answered(fake, fake.submitModal(ALICE, keyModal, { value: SECRET }));
    expect(alice.message.content).toContain("Skills · built-in");
    for (const label of ["Optional skills", "Hub skills", "Done", "MCP servers"]) await alice.press(label);
    await alice.choose("github", "filesystem");
    expect(alice.menu()["placeholder"]).toContain("2 of");
    await alice.press("Next");
    expect(alice.message.content).toContain("GITHUB");
    await alice.press("Skip");
    await alice.press("No persona");
    expect(alice.message.content).toContain("Step 7/7 · Review");
    const createId = alice.buttonId("✓ Create");
    await alice.press("✓ Create");
    await fake.until(() => alice.message.content.includes("Profile created"), 15_000, "Profile created");
    expect(alice.message.components).toEqual([]);
    // A second click on Create made before the result was drawn (a double click) arrives after the
    // wizard ended: the presser alone is told, and the result stays on the message.
    const late = await answered(fake, fake.press(ALICE, alice.message.id, createId, true));
    expect(late.acks[0]?.type).toBe(CALLBACK.reply);
    expect(late.acks[0]?.data?.["flags"]).toBe(MessageFlags.Ephemeral);
    expect(String(late.acks[0]?.data?.["content"])).toContain("That wizard has ended or expired");
    expect(alice.message.content).toContain("Profile created");
    const profile = path.join(data, "hermes/profiles/dc-bot");
    expect(await readFile(path.join(profile, ".env"), "utf8")).toContain(`OPENROUTER_API_KEY=${SECRET}`);
    expect((await stat(path.join(profile, ".env"))).mode & 0o777).toBe(0o600);
    const config = await readFile(path.join(profile, "config.yaml"), "utf8");
    expect(config).toContain("github:");
    expect(config).toContain("filesystem:");
    // One wizard message, every interaction answered once and in time, every limit kept.
    const wizardMessages = [...fake.messages.values()].filter((m) =>
      m.history.some((h) => h.includes("Step 1/7")),
    );
    expect(wizardMessages).toHaveLength(1);
    expect(wizardMessages[0]?.history.length).toBeGreaterThan(15);
    expect(fake.violations).toEqual([]);
    for (const interaction of fake.interactions.values()) {
      expect(interaction.acks).toHaveLength(1);
      expect((interaction.acks[0]?.at ?? Infinity) - interaction.dispatchedAt).toBeLessThan(3000);
    }
    // The key was typed into the modal (the fake's inbound record); the bot never sent it anywhere.
    expect(fake.transcript()).not.toContain(SECRET);
    expect(logs()).not.toContain(SECRET);
    expect(storeFilesText(data)).not.toContain(SECRET);
  });

  it("WHEN a description quotes @everyone, a role and a user THEN the wizard message shows it and parses no mention", async () => {
    const { fake } = await boot();
    const alice = new DiscordTester(fake, ALICE, GENERAL);
    await alice.command("profile new");
    const quoted = "@everyone <@&1400000000000000009> <@1500000000000000002>";
    await alice.fill({ name: "quoting-bot", description: `pings ${quoted}` });
    expect(alice.message.content).toContain(quoted);
    await alice.press("Next");
    expect(fake.pings).toEqual([]);
    expect(fake.violations).toEqual([]);
  });

  it("WHEN a user goes Back to a single select THEN the current value can be kept by picking it again (no default marked)", async () => {
    const { fake } = await boot();
    const alice = new DiscordTester(fake, ALICE, GENERAL);
    await toModelStep(alice, "keep-bot");
    await alice.choose("OpenRouter");
    expect(alice.message.content).toContain("Provider: OpenRouter");
    await alice.press("◀ Back");
    expect(String(alice.menu()["placeholder"])).toContain("Now: OpenRouter");
    // On Discord, re-picking a default option sends nothing; here it must reach the bot.
    await alice.choose("OpenRouter");
    expect(alice.message.content).toContain("Provider: OpenRouter");
    await alice.choose("anthropic/claude-sonnet-4");
    await alice.press("◀ Back");
    await alice.choose("anthropic/claude-sonnet-4");
    expect(alice.message.content).toContain("OPENROUTER_API_KEY");
    expect(fake.violations).toEqual([]);
  });

  it("WHEN an answer takes the bot past the token's 14 usable minutes (by the fake's clock, which is the bot's) THEN the stale token is left alone and /show brings the step back", async () => {
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    const server = createServer((_request, response) => {
      void held.then(() => {
        response.writeHead(200, { "content-type": "application/json" });
        response.end(JSON.stringify({ models: [{ name: "slow-model" }] }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const fake = await newFake();
      const bot = await bots.discord({
        fake,
        allowedUsers: [ALICE.id],
        env: { MODEL_SERVER_HOSTS: "loopback", MODEL_LIST_TIMEOUT_MS: "20000" },
      });
      const alice = new DiscordTester(fake, ALICE, GENERAL);
      await toModelStep(alice, "slow-bot");
      await alice.choose("Ollama");
      const port = (server.address() as AddressInfo).port;
      const opened = await alice.press("✎");
      const submitted = await answered(
        fake,
        fake.submitModal(ALICE, opened, { value: `http://127.0.0.1:${port}/v1` }),
      );
      expect(submitted.acks).toHaveLength(1);
      // The server answers only after the interaction's token has expired on both clocks.
      fake.clockOffsetMs = 15.5 * 60 * 1000;
      release();
      // No platform call marks the moment (the stale token is not used), so the session is polled.
      await vi.waitFor(
        async () =>
          expect((await bot.runner.findOpen("discord", GENERAL, `dc:${ALICE.id}`))?.step).toBe("model.model"),
        { timeout: 10_000 },
      );
      expect(fake.violations).toEqual([]);
      await alice.command("show");
      expect(alice.menu()["options"]).toEqual(
        expect.arrayContaining([expect.objectContaining({ label: "slow-model" })]),
      );
    } finally {
      server.close();
    }
  }, 30_000);

  it("WHEN the network adds 600 ms each way THEN every interaction of a whole wizard is still acknowledged in Discord's 3 s", async () => {
    const fake = await bots.fakeDiscord({ latencyMs: 600 });
    await bots.discord({ fake, allowedUsers: [ALICE.id] });
    const alice = new DiscordTester(fake, ALICE, GENERAL);
    await toModelStep(alice, "far-bot");
    await alice.choose("OpenRouter");
    await alice.choose("anthropic/claude-sonnet-4");
    for (const label of [
      "Skip",
      "Optional skills",
      "Hub skills",
      "Done",
      "MCP servers",
      "Next",
      "No persona",
    ])
      await alice.press(label);
    expect(alice.message.content).toContain("Step 7/7 · Review");
    expect(fake.violations).toEqual([]);
    for (const interaction of fake.interactions.values()) expect(interaction.acks).toHaveLength(1);
  }, 60_000);

  it("WHEN 60 people use the bot at once over a slow network THEN it holds at most DISCORD_REST_MAX_CONNECTIONS sockets to Discord and still answers everyone in time", async () => {
    const fake = await bots.fakeDiscord({ latencyMs: 300 });
    const people = Array.from({ length: 60 }, (_, index) => ({
      id: `17${String(index).padStart(17, "0")}`,
      username: `person${index}`,
    }));
    await bots.discord({ fake, allowedUsers: people.map((p) => p.id) });
    const interactions = people.map((person) => fake.command(person, GENERAL, "help"));
    await Promise.all(interactions.map((interaction) => answered(fake, interaction)));
    expect(interactions.every((interaction) => interaction.acks.length === 1)).toBe(true);
    expect(fake.violations).toEqual([]);
    // The gateway's socket comes on top of the REST pool.
    expect(fake.peakSockets).toBeLessThanOrEqual(DISCORD_REST_MAX_CONNECTIONS + 1);
    expect(fake.peakSockets).toBeGreaterThan(DISCORD_REST_MAX_CONNECTIONS / 2);
  }, 60_000);

  it("WHEN an interaction reaches the bot already older than its answer budget (held while starting) THEN it is left alone, not answered late", async () => {
    const { fake, logs } = await boot();
    const late = fake.command(ALICE, GENERAL, "help", {}, 2900);
    const fresh = await answered(fake, fake.command(ALICE, GENERAL, "help"));
    expect(fresh.acks).toHaveLength(1);
    expect(late.acks).toEqual([]);
    expect(fake.violations).toEqual([]);
    expect(logs()).toContain("interaction too old to answer in time");
  });

  it("WHEN an old button or select is used THEN the current step is shown again and nothing changes", async () => {
    const { fake, runner } = await boot();
    const alice = new DiscordTester(fake, ALICE, GENERAL);
    await alice.command("profile new");
    await alice.fill({ name: "stale-bot" });
    const oldNext = alice.buttonId("Next");
    await alice.press("Next");
    const menu = String(alice.menu()["custom_id"]);
    const option = (alice.menu()["options"] as { value: string }[])[0]?.value ?? "";
    await alice.press("◀ Back");
    const session = await runner.findOpen("discord", GENERAL, `dc:${ALICE.id}`);
    const rev = session?.rev;
    await answered(fake, fake.press(ALICE, alice.message.id, oldNext, true));
    expect(alice.message.content).toContain("This step changed since that button was shown");
    await answered(fake, fake.select(ALICE, alice.message.id, menu, [option], true));
    expect((await runner.findOpen("discord", GENERAL, `dc:${ALICE.id}`))?.rev).toBe(rev);
    expect((await runner.findOpen("discord", GENERAL, `dc:${ALICE.id}`))?.step).toBe("identity.menu");
    expect(fake.violations).toEqual([]);
  }, 20_000);

  it("WHEN someone else presses the owner's button THEN they get an ephemeral refusal and the wizard does not move", async () => {
    const { fake, runner } = await boot();
    const alice = new DiscordTester(fake, ALICE, GENERAL);
    await alice.command("profile new");
    await alice.fill({ name: "mine-bot" });
    const before = await runner.findOpen("discord", GENERAL, `dc:${ALICE.id}`);
    const forged = await answered(fake, fake.press(BOB, alice.message.id, alice.buttonId("Next"), true));
    expect(forged.acks[0]?.type).toBe(CALLBACK.reply);
    const refusal = fake.original(forged);
    expect(refusal?.ephemeralFor).toBe(BOB.id);
    expect(refusal?.content).toContain("Only alice can press these buttons");
    expect(await runner.findOpen("discord", GENERAL, `dc:${ALICE.id}`)).toEqual(before);
    expect(fake.violations).toEqual([]);
  });

  it("WHEN a stranger uses a command THEN they are refused with their id; a member with an allowed role is let in", async () => {
    const { fake } = await boot();
    const eve = await answered(fake, fake.command(EVE, GENERAL, "profile new"));
    expect(fake.original(eve)?.content).toContain(`your user id ${EVE.id} to DISCORD_ALLOWED_USERS`);
    expect(fake.original(eve)?.ephemeralFor).toBe(EVE.id);
    const carol = new DiscordTester(fake, CAROL, GENERAL);
    await carol.command("profile new");
    expect(carol.message.content).toContain("Step 1/7 · Identity");
    const hint = await answered(fake, fake.autocomplete(EVE, GENERAL, "persona get", { id: "sec" }, "id"));
    expect(hint.acks[0]?.data?.["choices"]).toEqual([]);
  });

  it("WHEN persona ids and profile names are typed THEN autocomplete suggests at most 25, in time", async () => {
    const { fake } = await boot();
    const alice = new DiscordTester(fake, ALICE, GENERAL);
    await alice.command("profile new");
    await alice.fill({ name: "auto-bot" });
    const personas = await answered(
      fake,
      fake.autocomplete(ALICE, GENERAL, "persona get", { id: "secur" }, "id"),
    );
    const choices = personas.acks[0]?.data?.["choices"] as { name: string; value: string }[];
    expect(choices.map((choice) => choice.value)).toContain("engineering-security-engineer");
    const all = await answered(fake, fake.autocomplete(ALICE, GENERAL, "persona apply", { id: "" }, "id"));
    const allChoices = all.acks[0]?.data?.["choices"] as unknown[];
    expect(allChoices.length).toBeGreaterThan(10);
    expect(allChoices.length).toBeLessThanOrEqual(25);
    const categories = await answered(
      fake,
      fake.autocomplete(ALICE, GENERAL, "persona list", { category: "de" }, "category"),
    );
    expect((categories.acks[0]?.data?.["choices"] as { value: string }[]).map((c) => c.value)).toEqual([
      "design",
      "devops",
    ]);
    expect(fake.violations).toEqual([]);
  });

  it("WHEN a channel is bound with /profile use THEN /persona apply changes that profile and the channel sees it", async () => {
    const { fake, data } = await boot();
    const alice = new DiscordTester(fake, ALICE, GENERAL);
    await alice.command("profile new");
    await alice.fill({ name: "team-bot" });
    for (const label of ["Next"]) await alice.press(label);
    await alice.choose("OpenRouter");
    await alice.choose("anthropic/claude-sonnet-4");
    for (const label of [
      "Skip",
      "Optional skills",
      "Hub skills",
      "Done",
      "MCP servers",
      "Next",
      "No persona",
      "✓ Create",
    ])
      await alice.press(label);
    await fake.until(() => alice.message.content.includes("Profile created"), 15_000);
    const use = await alice.command("profile use", { name: "team-bot" });
    expect(fake.original(use)?.content).toContain("now works with profile 'team-bot'");
    expect(fake.original(use)?.ephemeralFor).toBeUndefined();
    const apply = await alice.command("persona apply", { id: "engineering-code-reviewer" });
    const answer = fake.original(apply);
    expect(answer?.ephemeralFor).toBeUndefined();
    expect(answer?.content).toContain("team-bot");
    const config = await readFile(path.join(data, "hermes/profiles/team-bot/config.yaml"), "utf8");
    expect(config).toContain("engineering-code-reviewer:");
    await alice.press("Undo", answer);
    const undone = await readFile(path.join(data, "hermes/profiles/team-bot/config.yaml"), "utf8");
    expect(undone).not.toContain("engineering-code-reviewer:");
    expect(fake.violations).toEqual([]);
  }, 30_000);

  it("WHEN profiles are listed, shown and deleted THEN secrets stay hidden and deletion needs the asker's confirmation", async () => {
    const { fake, data } = await boot();
    const alice = new DiscordTester(fake, ALICE, GENERAL);
    await toModelStep(alice, "gone-bot");
    await alice.choose("OpenRouter");
    await alice.choose("anthropic/claude-sonnet-4");
    await alice.fill({ value: SECRET });
    for (const label of [
      "Optional skills",
      "Hub skills",
      "Done",
      "MCP servers",
      "Next",
      "No persona",
      "✓ Create",
    ])
      await alice.press(label);
    await fake.until(() => alice.message.content.includes("Profile created"), 15_000);
    const list = fake.original(await alice.command("profile list"));
    expect(list?.content).toContain("• gone-bot — openrouter/anthropic/claude-sonnet-4");
    const show = fake.original(await alice.command("profile show", { name: "gone-bot" }));
    expect(show?.content).toContain("OPENROUTER_API_KEY (set)");
    expect(show?.content).not.toContain(SECRET);
    const traversal = fake.original(await alice.command("profile delete", { name: "../hermes" }));
    expect(traversal?.content).toContain("cannot contain '/'");
    const ask = fake.original(await alice.command("profile delete", { name: "gone-bot" }));
    expect(ask?.ephemeralFor).toBe(ALICE.id);
    const confirm = new DiscordTester(fake, ALICE, GENERAL).buttonId("Delete gone-bot", ask);
    const bobTry = await answered(fake, fake.press(BOB, ask?.id ?? "", confirm, true));
    expect(fake.original(bobTry)?.content).toContain("Only the person who asked");
    await stat(path.join(data, "hermes/profiles/gone-bot"));
    const done = fake.original(await alice.press("Delete gone-bot", ask));
    expect(done?.content).toContain("Deleted profile 'gone-bot'");
    await expect(stat(path.join(data, "hermes/profiles/gone-bot"))).rejects.toThrow();
    const again = fake.original(await alice.press("Delete gone-bot", ask));
    expect(again?.content).toContain("expired or was already used");
    expect(fake.violations).toEqual([]);
  }, 30_000);

  it("WHEN /persona get is longer than 2,000 characters THEN the text arrives as a file with a short message", async () => {
    const { fake } = await boot();
    const alice = new DiscordTester(fake, ALICE, GENERAL);
    const answer = fake.original(await alice.command("persona get", { id: "engineering-code-reviewer" }));
    expect(answer?.content.length).toBeLessThanOrEqual(2000);
    expect(answer?.attachments[0]?.filename).toBe("engineering-code-reviewer.md");
    expect(answer?.attachments[0]?.content).toContain("## Success measures");
    expect(fake.violations).toEqual([]);
  });

  it("WHEN the bot restarts mid-wizard THEN the next press on the old message continues it", async () => {
    const fake = await newFake();
    const first = await boot({ fake });
    const alice = new DiscordTester(fake, ALICE, GENERAL);
    await alice.command("profile new");
    await alice.fill({ name: "restart-bot" });
    await bots.stop(first);
    await fake.until(() => fake.connected === 0, 5000, "the old gateway connection to close");
    await boot({ fake, data: first.data });
    await alice.press("Next");
    expect(alice.message.content).toContain("Step 2/7 · Model");
    await alice.choose("OpenRouter");
    expect(JSON.stringify(alice.menu()["options"])).toContain("anthropic/claude-sonnet-4");
    expect(fake.violations).toEqual([]);
  }, 20_000);

  it("WHEN installs outlive the interaction token THEN the status is a channel message edited with the bot token to the final state", async () => {
    const { fake } = await boot({ installs: true });
    const alice = new DiscordTester(fake, ALICE, GENERAL);
    await createWithHubSkills(
      alice,
      "hub-bot",
      "official/security/password-audit official/nowhere/missing-skill",
    );
    await fake.until(() => alice.message.content.includes("Profile created"), 15_000);
    // Every interaction token is now older than 15 minutes: using one would be refused and recorded.
    fake.clockOffsetMs = 16 * 60 * 1000;
    const status = () =>
      fake.channelMessages(GENERAL).find((m) => m.content.includes("Hub skills for 'hub-bot'"));
    await fake.until(
      () => status()?.content.includes("Finished: 1 installed, 1 not."),
      30_000,
      "final status",
    );
    expect(status()?.content).toContain("official/nowhere/missing-skill: could not fetch");
    expect(status()?.history.length).toBeGreaterThan(1);
    const retry = await alice.press("Retry", status());
    expect(fake.original(retry)?.ephemeralFor).toBe(ALICE.id);
    expect(fake.original(retry)?.content).toMatch(/retry/i);
    await fake.until(
      () => (status()?.history.length ?? 0) > 3 && status()?.content.includes("Finished"),
      30_000,
    );
    expect(fake.violations).toEqual([]);
  }, 60_000);

  it("WHEN installer output quotes @everyone, a role and a user THEN the status message shows it and parses no mention", async () => {
    const data = await tempDir();
    const script = path.join(data, "noisy-installer.sh");
    await writeFile(
      script,
      '#!/bin/sh\necho "Fetching: $1"\necho "Error: @everyone <@&1400000000000000009> <@1500000000000000002> it broke"\nexit 1\n',
      { mode: 0o755 },
    );
    const fake = await newFake();
    await bots.discord({
      data,
      fake,
      allowedUsers: [ALICE.id],
      env: { INSTALL_COMMAND: `${script} {identifier}` },
    });
    const alice = new DiscordTester(fake, ALICE, GENERAL);
    await createWithHubSkills(alice, "noisy-bot", "official/security/password-audit");
    const status = () => fake.channelMessages(GENERAL).find((m) => m.content.includes("Hub skills for"));
    await fake.until(() => status()?.content.includes("Finished") ?? false, 30_000, "final status");
    expect(status()?.history.join("\n")).toContain("@everyone");
    expect(fake.pings).toEqual([]);
  }, 60_000);

  it("WHEN the channel forbids the bot to post THEN the install status goes to the owner's DMs", async () => {
    const { fake } = await boot({ installs: true });
    const alice = new DiscordTester(fake, ALICE, READ_ONLY);
    await createWithHubSkills(alice, "dm-bot", "official/security/password-audit");
    await finalStatusInDm(fake, ALICE.id);
    expect(fake.channelMessages(READ_ONLY)).toEqual([]);
    expect(fake.violations).toEqual([]);
  }, 60_000);

  it("WHEN the bot may not post in the channel and the owner's DMs are closed THEN nothing is hammered, the owner is told privately, and /installs status shows the result", async () => {
    const bot = await boot();
    const { fake } = bot;
    fake.dmsClosed.add(ALICE.id);
    const alice = new DiscordTester(fake, ALICE, READ_ONLY);
    await createWithHubSkills(alice, "closed-bot", "official/security/password-audit");
    const told = () =>
      [...fake.messages.values()].find(
        (message) => message.ephemeralFor === ALICE.id && message.content.includes("/installs status"),
      );
    await fake.until(() => told() !== undefined, 15_000, "the owner to be told privately");
    expect(told()?.content).toContain("your DMs do not accept messages from the bot");
    // Let the installs finish; the refused places are never asked again.
    await bot.runtime.settled();
    const refusals = fake.calls.filter((call) => call.status === 403);
    expect(refusals.filter((call) => call.path.includes(`/channels/${READ_ONLY}/`))).toEqual([]);
    expect(refusals.length).toBe(1);
    const status = fake.original(await alice.command("installs status"));
    expect(status?.content).toContain("Hub skills for 'closed-bot'");
    expect(status?.content).toContain("Finished: 1 installed");
    expect(fake.violations).toEqual([]);
  }, 60_000);

  it.each([
    ["a channel in six-hour slow mode", SLOW],
    ["an archived thread", ARCHIVED],
  ])(
    "WHEN the create happened in %s THEN the status goes to the owner's DMs at once",
    async (_what, channel) => {
      const { fake } = await boot();
      const alice = new DiscordTester(fake, ALICE, channel);
      await createWithHubSkills(alice, "elsewhere-bot", "official/security/password-audit");
      await finalStatusInDm(fake, ALICE.id);
      expect(fake.channelMessages(channel).filter((m) => m.content.includes("Hub skills"))).toEqual([]);
      expect(fake.violations).toEqual([]);
    },
    60_000,
  );

  it("WHEN someone allowed only by role gets their install status in DMs (no roles there) THEN they may still press its buttons", async () => {
    const { fake } = await boot();
    const carol = new DiscordTester(fake, CAROL, READ_ONLY);
    await createWithHubSkills(carol, "role-bot", "official/nowhere/missing-skill");
    await fake.until(() => fake.dmChannelOf(CAROL.id), 15_000, "a DM channel");
    const dm = fake.dmChannelOf(CAROL.id) ?? "";
    const status = () => fake.channelMessages(dm).find((m) => m.content.includes("Hub skills for"));
    await fake.until(() => status()?.content.includes("Finished") ?? false, 30_000, "final status in the DM");
    const retry = fake.original(await carol.press("Retry", status()));
    expect(retry?.content).not.toContain("not allowed");
    expect(retry?.content).toMatch(/retry/i);
    // A stranger pressing the same button in the DM is still refused.
    const eve = new DiscordTester(fake, EVE, dm);
    const refused = fake.original(await eve.press("Retry", status()));
    expect(refused?.content).toContain("not allowed");
    expect(fake.violations).toEqual([]);
  }, 60_000);
});
