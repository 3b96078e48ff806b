// The Telegram wizard (the bot started as `npm start` starts it, grammY against the local Bot API)
// with only HERMES_URL and HERMES_TOKEN: the real `hermes serve` makes the profile, its installs
// are followed on the one status message, and the conformance judge reads that Hermes' home. A
// profile made on that host by `create --from` is then edited with /profile_edit: Review names what
// the host cannot do, Apply reaches it, and Undo puts it back, each judged by that Hermes.
import { readFile } from "node:fs/promises";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { FakeUser } from "../fakes/fake-telegram.ts";
import { useBots } from "../helpers/bot-fixture.ts";
import { recordSecret } from "../helpers/leak-ledger.ts";
import { handled, press, waitFor, wizardText } from "../helpers/telegram-bot.ts";
import { remoteBotEnv, useRemoteHermes } from "../helpers/remote-hermes.ts";
import {
  expectHermesAgrees,
  hermesOfficialRow,
  wizardTarget,
  createTargetOnHost,
} from "../conformance/judge.ts";
import { telegramWizardToReview } from "../conformance/wizard-scripts.ts";

const bots = useBots();
const tempDir = bots.tempDir;
const ALICE: FakeUser = { id: 4343, first_name: "Alice", username: "alice" };
const ALICE_DM = { id: ALICE.id, type: "private" as const };
const TOKEN = "remote-telegram-session-token-9d2e";
const OPENROUTER_KEY = "sk-or-remote-telegram-1";
const GITHUB_KEY = "ghp-remote-telegram-2";
for (const key of [OPENROUTER_KEY, GITHUB_KEY]) recordSecret(key);
const remote = useRemoteHermes(TOKEN);

let official: { source: string; trust: string };
beforeAll(async () => {
  official = await hermesOfficialRow(path.join(await tempDir(), "hermes"));
}, 120_000);

/** A profile made on the host from the conformance blueprint, through the bot (`create --from`). */
async function createOnHost(name: string): Promise<{ data: string; env: Record<string, string> }> {
  const keys = { OPENROUTER_API_KEY: OPENROUTER_KEY, GITHUB_TOKEN: GITHUB_KEY };
  return createTargetOnHost(remote(), await tempDir(), name, keys);
}

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
    // The steps offered the host's lists, and said so.
    const shown = JSON.stringify(fake.calls);
    expect(shown).toContain(`Built-in skills: the list of Hermes on ${host}.`);
    expect(shown).toContain(`MCP catalog: the list of Hermes on ${host}.`);
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

describe("GIVEN a profile on a Hermes host and a Telegram bot reaching it only over the dashboard", () => {
  it("WHEN a Telegram user edits it with /profile_edit THEN Review names what the host cannot do, Apply reaches the host, Hermes there reads exactly the new state, and Undo puts it back", async () => {
    const name = "remote-telegram-edit";
    const { data, env } = await createOnHost(name);
    const { host } = new URL(remote().url);
    const hostConfig = path.join(remote().home, "profiles", name, "config.yaml");
    const { fake } = await bots.telegram({ data, allowedUsers: [ALICE.id], progressMinIntervalMs: 200, env });
    // Generous waits: the editor reads and writes the host, perhaps beside a CPU-heavy benchmark.
    const tap = async (label: string, message = fake.lastBotMessage(ALICE.id, true)) => {
      if (!message) throw new Error(`no keyboard to press '${label}' on`);
      fake.press(ALICE, message, fake.button(message, label));
      await handled(fake, fake.lastUpdateId, 60_000);
    };
    const buttons = () =>
      (fake.lastBotMessage(ALICE.id, true)?.reply_markup?.inline_keyboard ?? []).flat().map((b) => b.text);

    fake.sendText(ALICE, ALICE_DM, `/profile_edit ${name}`);
    await handled(fake, fake.lastUpdateId, 60_000);
    await waitFor(() => wizardText(fake, ALICE.id).includes(`Edit profile '${name}'`), 60_000);
    const review = () => wizardText(fake, ALICE.id);
    expect(review()).toContain("No changes yet");
    expect(review()).toContain(
      `on ${host}, Hermes' dashboard writes config.yaml anew on Apply: comments in it are not kept`,
    );
    expect(review()).toContain(
      `the display name cannot be changed on ${host} (Hermes 0.19's dashboard has no endpoint for it)`,
    );
    expect(review()).toContain("hub skill(s) 'docker-debug', 'password-audit' are kept as they are");
    expect(review()).toContain(
      `On ${host}. Only the parts you change are written; every other key of config.yaml stays.`,
    );
    // On a host the Review never promises that comments are kept.
    expect(review()).not.toContain("comments and every other key of config.yaml stay");
    expect(buttons()).not.toContain("✓ Apply");

    await tap("Edit MCP");
    expect(buttons()).toContain("✓ fetch");
    await tap("✓ github 🔑");
    await tap("Next");
    expect(review()).toContain("- MCP server 'github' removed");
    await tap("Edit persona");
    await tap("No persona");
    expect(review()).toContain("- persona 'engineering-security-engineer' removed");
    // The host's limits are still said on the Review that Apply is pressed from.
    expect(review()).toContain(
      `on ${host}, Hermes' dashboard writes config.yaml anew on Apply: comments in it are not kept`,
    );
    expect(buttons()).toContain("✓ Apply");
    await tap("✓ Apply");
    const report = () =>
      fake.botMessages(ALICE.id).find((message) => /Profile updated|Profile not changed/.test(message.text));
    await waitFor(() => report() !== undefined, 60_000);
    const text = report()?.text ?? "";
    expect(text).toContain("Profile updated");
    expect(text).toContain(`Applied to profile '${name}'`);
    expect(text).toContain("- MCP server 'github' removed");
    expect(text).toContain("- persona 'engineering-security-engineer' removed");
    expect(text).not.toContain("model changed");
    expect(text).not.toContain("Not applied");

    const edited = {
      ...wizardTarget(name),
      mcpServers: ["fetch"],
      envSet: ["GITHUB_TOKEN", "OPENROUTER_API_KEY"],
      persona: undefined,
    };
    await expectHermesAgrees(remote().home, edited, official);
    expect(await readFile(hostConfig, "utf8")).not.toMatch(/^ {2}github:/m);

    const undoMessage = () =>
      fake
        .botMessages(ALICE.id)
        .find((message) => message.text.includes(`Undo this edit of profile '${name}'?`));
    await waitFor(() => undoMessage() !== undefined, 30_000);
    const offer = undoMessage();
    if (!offer) throw new Error("no Undo offered");
    await tap("↶ Undo", offer);
    const undone = () =>
      fake.botMessages(ALICE.id).find((message) => message.text.includes(`Undone on profile '${name}'`));
    await waitFor(() => undone() !== undefined, 60_000);
    expect(undone()?.text).toContain(`on ${host}`);
    expect(await readFile(hostConfig, "utf8")).toMatch(/^ {2}github:/m);
    await expectHermesAgrees(remote().home, wizardTarget(name), official);

    const sent = JSON.stringify(fake.calls.filter((call) => call.method !== "getUpdates"));
    for (const secret of [OPENROUTER_KEY, GITHUB_KEY, TOKEN]) expect(sent).not.toContain(secret);
    expect(sent).not.toContain(data);
  }, 300_000);
});
