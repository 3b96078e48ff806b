// The wizard answers every conformance test gives, per surface: the choices of `wizardTarget`
// (judge.ts), from the first message to the Review screen, so a local and a remote Hermes are judged
// on the very same conversation.
import { expect } from "vitest";
import type { FakeDiscord } from "../fakes/discord/fake-discord.ts";
import type { FakeTelegram, FakeUser as TelegramUser } from "../fakes/fake-telegram.ts";
import { answered, type DiscordTester } from "../helpers/discord-bot.ts";
import { press, say, wizardText } from "../helpers/telegram-bot.ts";

export async function discordWizardToReview(
  fake: FakeDiscord,
  alice: DiscordTester,
  name: string,
  openrouterKey: string,
  githubKey: string,
): Promise<void> {
  await alice.command("profile new");
  await alice.fill({ name, description: "Judged by Hermes" });
  await alice.press("Next");
  await alice.choose("OpenRouter");
  await alice.choose("anthropic/claude-sonnet-4");
  await answered(fake, fake.submitModal(alice.user, await alice.press("✎"), { value: openrouterKey }));
  expect(alice.message.content).toContain("Skills · built-in");
  await alice.choose(
    "productivity/meeting-notes",
    "productivity/task-planning",
    "research/summarize-sources",
    "research/web-research",
    "software-development/code-review",
  );
  await alice.press("Optional skills");
  await alice.choose("devops/docker-debug");
  await alice.press("Hub skills");
  await alice.fill({ value: "official/security/password-audit" });
  await alice.press("Done");
  await alice.press("MCP servers");
  await alice.choose("fetch", "github");
  await alice.press("Next");
  await answered(fake, fake.submitModal(alice.user, await alice.press("✎"), { value: githubKey }));
  await alice.choose("Security Engineer");
  await alice.press("Keep my choices");
  expect(alice.message.content).toContain("Step 7/7 · Review");
}

export async function telegramWizardToReview(
  fake: FakeTelegram,
  user: TelegramUser,
  name: string,
  openrouterKey: string,
  githubKey: string,
): Promise<void> {
  const tap = (label: string) => press(fake, user, user.id, label);
  const dm = { id: user.id, type: "private" as const };
  await say(fake, user, dm, "/profile_new");
  await say(fake, user, dm, name);
  await tap("Description");
  await say(fake, user, dm, "Judged by Hermes");
  await tap("Next");
  await tap("OpenRouter");
  await tap("anthropic/claude-sonnet-4");
  await say(fake, user, dm, openrouterKey);
  expect(wizardText(fake, user.id)).toContain("Skills · built-in");
  await tap("✓ note-taking/memory-hygiene");
  await tap("✓ software-development/git-workflow");
  await tap("Optional skills");
  await tap("☐ devops/docker-debug");
  await tap("Hub skills");
  await say(fake, user, dm, "official/security/password-audit");
  await tap("Done");
  await tap("MCP servers");
  await tap("☐ fetch");
  await tap("☐ github 🔑");
  await tap("Next");
  await say(fake, user, dm, githubKey);
  await tap("Security Engineer");
  await tap("Keep my choices");
  expect(wizardText(fake, user.id)).toContain("Step 7/7 · Review");
}
