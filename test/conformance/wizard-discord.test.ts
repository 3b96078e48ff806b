// The real Hermes judges what the Discord wizard makes: the bot started as `npm start` starts it,
// an unmodified discord.js client against the local fake Discord, a persona picked, a hub install
// followed to its end on the status message.
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { FakeDiscord, GENERAL, type FakeUser } from "../fakes/discord/fake-discord.ts";
import { DiscordTester, startDiscordBot, useDiscordBots } from "../helpers/discord-bot.ts";
import { useTempDirs } from "../helpers/temp-dir.ts";
import { expectHermesAgrees, hermesOfficialRow, wizardTarget } from "./judge.ts";
import { discordWizardToReview } from "./wizard-scripts.ts";

const tempDir = useTempDirs();
const ALICE: FakeUser = { id: "150000000000000042", username: "alice" };
const OPENROUTER_KEY = "sk-or-conformance-discord-1";
const GITHUB_KEY = "ghp-conformance-discord-2";

const track = useDiscordBots();

let official: { source: string; trust: string };
beforeAll(async () => {
  official = await hermesOfficialRow(path.join(await tempDir(), "hermes"));
}, 120_000);

describe("GIVEN the real Hermes 0.19 as the judge", () => {
  it("WHEN the Discord wizard picks a persona and creates THEN Hermes reads the profile the way the user chose it", async () => {
    const data = await tempDir();
    const fake = new FakeDiscord();
    await fake.start();
    const bot = await startDiscordBot({ data, fake, allowedUsers: [ALICE.id], progressMinIntervalMs: 200 });
    track(bot, fake);
    const alice = new DiscordTester(fake, ALICE, GENERAL);
    await discordWizardToReview(fake, alice, "conform-discord", OPENROUTER_KEY, GITHUB_KEY);
    await alice.press("✓ Create");
    await fake.until(() => !alice.message.content.includes("Creating profile"), 15_000, "the create");
    expect(alice.message.content).toContain("Profile created");
    await fake.until(
      () => [...fake.messages.values()].some((message) => message.content.includes("Finished: 1 installed")),
      30_000,
      "the install status to finish",
    );
    expect(fake.violations).toEqual([]);
    // Everything the bot sent (wizard, report, install status) names no folder of the host.
    expect(fake.transcript()).not.toContain(data);
    await expectHermesAgrees(path.join(data, "hermes"), wizardTarget("conform-discord"), official);
  }, 120_000);
});
