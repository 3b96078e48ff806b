// The Telegram wizard (the bot started as `npm start` starts it, grammY against the local Bot API)
// with only HERMES_URL and HERMES_TOKEN: the real `hermes serve` makes the profile, its installs
// are followed on the one status message, and the conformance judge reads that Hermes' home.
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { FakeUser } from "../fakes/fake-telegram.ts";
import { useBots } from "../helpers/bot-fixture.ts";
import { press, waitFor, wizardText } from "../helpers/telegram-bot.ts";
import { remoteBotEnv, useRemoteHermes } from "../helpers/remote-hermes.ts";
import { expectHermesAgrees, hermesOfficialRow, wizardTarget } from "../conformance/judge.ts";
import { telegramWizardToReview } from "../conformance/wizard-scripts.ts";

const bots = useBots();
const tempDir = bots.tempDir;
const ALICE: FakeUser = { id: 4343, first_name: "Alice", username: "alice" };
const TOKEN = "remote-telegram-session-token-9d2e";
const OPENROUTER_KEY = "sk-or-remote-telegram-1";
const GITHUB_KEY = "ghp-remote-telegram-2";
const remote = useRemoteHermes(TOKEN);

let official: { source: string; trust: string };
beforeAll(async () => {
  official = await hermesOfficialRow(path.join(await tempDir(), "hermes"));
}, 120_000);

describe("GIVEN a Telegram bot configured with only a Hermes dashboard URL and token", () => {
  it("WHEN the wizard creates THEN Hermes on that host made the profile as chosen, and the status message follows its installs to the end", async () => {
    const data = await tempDir();
    const { host } = new URL(remote().url);
    const { fake } = await bots.telegram({
      data,
      allowedUsers: [ALICE.id],
      progressMinIntervalMs: 200,
      env: remoteBotEnv(data, remote()),
    });
    await telegramWizardToReview(fake, ALICE, "remote-telegram", OPENROUTER_KEY, GITHUB_KEY);
    expect(wizardText(fake, ALICE.id)).toContain(`Created by Hermes on ${host} through its dashboard.`);
    await press(fake, ALICE, ALICE.id, "✓ Create");
    const report = () =>
      fake
        .botMessages(ALICE.id)
        .find((message) => /Profile created|Creating the profile failed/.test(message.text));
    await waitFor(() => report() !== undefined, 30_000);
    expect(report()?.text).toContain(`Profile 'remote-telegram' created on ${host}.`);
    expect(report()?.text).not.toContain("✗");
    const status = () =>
      fake.botMessages(ALICE.id).find((message) => message.text.includes("Hub skills for 'remote-telegram'"));
    await waitFor(() => status()?.text.includes("Finished:") === true, 60_000);
    expect(status()?.text).toContain("✓ official/devops/docker-debug: installed");
    expect(status()?.text).toContain("✓ official/security/password-audit: installed");
    expect(status()?.text).toContain("Finished: 2 installed, 0 not.");
    const sent = JSON.stringify(fake.calls.filter((call) => call.method !== "getUpdates"));
    for (const secret of [OPENROUTER_KEY, GITHUB_KEY, TOKEN]) expect(sent).not.toContain(secret);
    await expectHermesAgrees(remote().home, wizardTarget("remote-telegram"), official);
  }, 180_000);
});
