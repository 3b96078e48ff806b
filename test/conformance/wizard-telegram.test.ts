// The real Hermes judges what the Telegram wizard makes: the bot started as `npm start` starts it,
// grammY against the local Bot API, a persona picked, a hub install followed to its end.
import path from "node:path";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import type { FakeUser } from "../fakes/fake-telegram.ts";
import { press, startTelegramBot, waitFor, type RunningTelegramBot } from "../helpers/telegram-bot.ts";
import { useTempDirs } from "../helpers/temp-dir.ts";
import { expectHermesAgrees, hermesOfficialRow, wizardTarget } from "./judge.ts";
import { telegramWizardToReview } from "./wizard-scripts.ts";

const tempDir = useTempDirs();
const ALICE: FakeUser = { id: 4242, first_name: "Alice", username: "alice" };
const OPENROUTER_KEY = "sk-or-conformance-telegram-1";
const GITHUB_KEY = "ghp-conformance-telegram-2";

const running: RunningTelegramBot[] = [];
afterEach(async () => {
  for (const bot of running.splice(0)) await bot.close();
});

let official: { source: string; trust: string };
beforeAll(async () => {
  official = await hermesOfficialRow(path.join(await tempDir(), "hermes"));
}, 120_000);

describe("GIVEN the real Hermes 0.19 as the judge", () => {
  it("WHEN the Telegram wizard picks a persona and creates THEN Hermes reads the profile the way the user chose it", async () => {
    const data = await tempDir();
    const bot = await startTelegramBot({ data, allowedUsers: [ALICE.id], progressMinIntervalMs: 200 });
    running.push(bot);
    const { fake } = bot;
    await telegramWizardToReview(fake, ALICE, "conform-telegram", OPENROUTER_KEY, GITHUB_KEY);
    await press(fake, ALICE, ALICE.id, "✓ Create");
    // The wizard message ends as the create report (the install status is a message of its own).
    const report = () =>
      fake
        .botMessages(ALICE.id)
        .find((message) => /Profile created|Creating the profile failed/.test(message.text));
    await waitFor(() => report() !== undefined, 15_000);
    expect(report()?.text).toContain("Profile created");
    await waitFor(
      () => fake.botMessages(ALICE.id).some((message) => message.text.includes("Finished: 1 installed")),
      30_000,
    );
    expect(report()?.text).not.toContain("✗");
    // Everything the bot sent (wizard, report, install status) names no folder of the host.
    expect(JSON.stringify(fake.calls.filter((call) => call.method !== "getUpdates"))).not.toContain(data);
    await expectHermesAgrees(path.join(data, "hermes"), wizardTarget("conform-telegram"), official);
  }, 120_000);
});
