// CommonGround as a target beside this machine's Hermes, from the chat surfaces: the real bot
// (startBot, as `npm start`) against the fake Telegram or fake Discord and the fake CommonGround API.
// A chat binds to the project with `/profile use cg:`, and the wizard asks CommonGround's questions:
// worker target, tags, a delegation target picked from the project's profiles, must_end_with. Review
// names the project and what is not sent; Create stores a card with exactly those answers; no key and
// no token is in any upload, and the token is in no message of the chat.
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { GENERAL, type FakeUser as DiscordUser } from "../fakes/discord/fake-discord.ts";
import type { FakeUser as TelegramUser } from "../fakes/fake-telegram.ts";
import { startFakeCommonGround, type FakeCommonGround } from "../fakes/fake-commonground.ts";
import { useBots } from "../helpers/bot-fixture.ts";
import { answered, DiscordTester } from "../helpers/discord-bot.ts";
import { recordSecret } from "../helpers/leak-ledger.ts";
import { press, say, waitFor, wizardText } from "../helpers/telegram-bot.ts";

// Registered before useBots(): vitest runs after-hooks last-registered first, so each test's fake
// CommonGround closes only once its bot has stopped.
const fakeCommonGrounds: FakeCommonGround[] = [];
afterEach(async () => {
  for (const fake of fakeCommonGrounds.splice(0)) await fake.close();
});
const bots = useBots();
const TOKEN = "cg-chat-proxy-token-3d8b61e0f4";
const OPENROUTER_KEY = "sk-or-v1-commonground-chat-never-uploaded-5127";
recordSecret(TOKEN);
recordSecret(OPENROUTER_KEY);

const ALICE_TELEGRAM: TelegramUser = { id: 4377, first_name: "Alice", username: "alice" };
const ALICE_DISCORD: DiscordUser = { id: "150000000000000077", username: "alice" };
/** Made in the project before the bot starts, so the delegation step has a profile to offer. */
const DELEGATE = "helper-agent";
const NOT_SENT_LINE =
  "Not sent to CommonGround: skills, tools, MCP servers, keys (the worker reads OPENROUTER_API_KEY from its environment), display name.";

/**
 * The fake CommonGround behind a token-checking proxy (its `requireToken`), with project "lab"
 * already holding DELEGATE, and the environment that makes it the bot's `cg` target.
 */
async function commonGround(): Promise<{
  fake: FakeCommonGround;
  data: string;
  env: Record<string, string>;
}> {
  const fake = await startFakeCommonGround({ requireToken: TOKEN, projects: ["lab"] });
  fakeCommonGrounds.push(fake);
  // Uploaded directly, not through the bot: it stands for a profile someone else made in the project.
  const form = new FormData();
  form.append("file", new Blob([`name: ${DELEGATE}\nworker_target: worker_lab\n`]), "p.yaml");
  const made = await fetch(`${fake.url}/projects/lab/profiles`, {
    method: "POST",
    body: form,
    headers: { authorization: `Bearer ${TOKEN}` },
  });
  expect(made.status).toBe(201);
  const data = await bots.tempDir();
  return {
    fake,
    data,
    env: {
      DATA_DIR: data,
      HERMES_HOME: path.join(data, "hermes"),
      COMMONGROUND_URL: fake.url,
      COMMONGROUND_PROJECT: "lab",
      COMMONGROUND_TOKEN: TOKEN,
      COMMONGROUND_WORKER_TARGET: "worker_lab",
      // In the bot's environment so that a key that leaked into an upload would be caught below.
      OPENROUTER_API_KEY: OPENROUTER_KEY,
    },
  };
}

/** What the bot stored in the project for the wizard's answers, and what it never sent there. */
function expectStoredWithoutSecrets(fake: FakeCommonGround, name: string): void {
  const card = fake.cards("lab").find((entry) => entry["name"] === name);
  expect(card).toMatchObject({
    name,
    worker_target: "worker_lab",
    tags: ["security", "review"],
    must_end_with: ["submit_result"],
    delegation_policy: { target_profiles: [DELEGATE] },
    llm_config: expect.objectContaining({ model: "openrouter/anthropic/claude-sonnet-4" }) as unknown,
  });
  // Only the wizard's profile and the one made before it: a Create uploads once.
  expect(fake.cards("lab").map((entry) => entry["name"])).toEqual([DELEGATE, name]);
  for (const request of fake.requests) {
    expect(request.body).not.toContain(OPENROUTER_KEY);
    expect(request.body).not.toContain(TOKEN);
  }
}

function expectReview(review: string): void {
  expect(review).toContain("Created in CommonGround project 'lab' at 127.0.0.1:");
  expect(review).toContain("worker_lab");
  expect(review).toContain("security, review");
  expect(review).toContain(DELEGATE);
  expect(review).toContain("submit_result");
  expect(review).toContain(NOT_SENT_LINE);
}

/** The created report: where the profile went, and that the key stayed with the worker. */
function expectReport(report: string, name: string): void {
  expect(report).toContain("Profile created");
  expect(report).toContain(`Profile '${name}' created on cg.`);
  expect(report).toContain(
    `✓ commonground profile: '${name}' uploaded to CommonGround project 'lab' at 127.0.0.1:`,
  );
  expect(report).toContain(
    "✓ keys: not uploaded; the worker reads them from its environment: OPENROUTER_API_KEY",
  );
  expect(report).not.toContain("✗");
}

describe("GIVEN a bot with this machine's Hermes and a CommonGround project 'lab' (target cg) holding one profile", () => {
  it("WHEN a Telegram chat binds to cg: and the wizard creates with a delegation target THEN the project stores the card as chosen, with no key or token sent or shown", async () => {
    const { fake: cg, data, env } = await commonGround();
    const bot = await bots.telegram({ allowedUsers: [ALICE_TELEGRAM.id], data, env });
    const { fake } = bot;
    const user = ALICE_TELEGRAM;
    const dm = { id: user.id, type: "private" as const };
    const tap = (label: string) => press(fake, user, user.id, label);
    const text = (message: string) => say(fake, user, dm, message);

    // Telegram commands carry no space: `/profile use` is written /profile_use.
    await text("/profile_use cg:");
    expect(fake.botMessages(user.id).at(-1)?.text).toContain("This chat now creates profiles on cg");
    await text("/profile_new");
    await text("cg-telegram");
    await tap("Next");
    await tap("OpenRouter");
    await tap("anthropic/claude-sonnet-4");
    // No key step in a CommonGround Create: the model pick leads straight to the persona.
    expect(wizardText(fake, user.id)).not.toContain("OPENROUTER_API_KEY");
    expect(wizardText(fake, user.id)).not.toContain("Library for the agent");
    await tap("Security Engineer");
    await tap("Keep my choices");
    await tap("Use worker_lab");
    await text("security, review");
    expect(wizardText(fake, user.id)).toContain("delegation_policy.target_profiles");
    await tap(`☐ ${DELEGATE}`);
    expect(wizardText(fake, user.id)).toContain(`Chosen: ${DELEGATE}`);
    await tap("Next ▶");
    await text("submit_result");
    const review = wizardText(fake, user.id);
    expectReview(review);
    await tap("✓ Create");
    const report = () =>
      fake
        .botMessages(user.id)
        .find((message) => /Profile created|Creating the profile failed/.test(message.text));
    await waitFor(() => report() !== undefined, 30_000);
    expectReport(report()?.text ?? "", "cg-telegram");

    expectStoredWithoutSecrets(cg, "cg-telegram");
    for (const message of fake.botMessages(user.id)) expect(message.text).not.toContain(TOKEN);
  }, 60_000);

  it("WHEN a Discord channel binds to cg: and the wizard creates with a delegation target THEN the project stores the card as chosen, with no key or token sent or shown", async () => {
    const { fake: cg, data, env } = await commonGround();
    const bot = await bots.discord({ allowedUsers: [ALICE_DISCORD.id], data, env });
    const { fake } = bot;
    const alice = new DiscordTester(fake, ALICE_DISCORD, GENERAL);

    const bound = fake.original(await alice.command("profile use", { name: "cg:" }));
    expect(bound?.content).toContain("This chat now creates profiles on cg");
    await alice.command("profile new");
    // A CommonGround profile has no display name, so the name form must not ask for one.
    const form = await alice.press("✎");
    const inputs = JSON.stringify(fake.modalOf(form));
    expect(inputs).toContain('"custom_id":"name"');
    expect(inputs).not.toContain("display_name");
    await answered(fake, fake.submitModal(alice.user, form, { name: "cg-discord" }));
    await alice.press("Next");
    await alice.choose("OpenRouter");
    await alice.choose("anthropic/claude-sonnet-4");
    expect(alice.message.content).not.toContain("OPENROUTER_API_KEY");
    expect(alice.message.content).not.toContain("Library for the agent");
    await alice.choose("Security Engineer");
    await alice.press("Keep my choices");
    await alice.press("Use worker_lab");
    await alice.fill({ value: "security, review" });
    expect(alice.message.content).toContain("delegation_policy.target_profiles");
    await alice.choose(DELEGATE);
    expect(alice.message.content).toContain(`Chosen: ${DELEGATE}`);
    await alice.press("Next ▶");
    await alice.fill({ value: "submit_result" });
    expectReview(alice.message.content);
    await alice.press("✓ Create");
    await fake.until(() => !alice.message.content.includes("Creating profile"), 30_000, "the create");
    expectReport(alice.message.content, "cg-discord");
    expect(fake.violations).toEqual([]);

    expectStoredWithoutSecrets(cg, "cg-discord");
    for (const message of fake.messages.values()) expect(message.content).not.toContain(TOKEN);
  }, 60_000);
});
