// The Discord bot (the unmodified discord.js client against the local fake Discord, started as `npm
// start` starts it) with only HERMES_URL and HERMES_TOKEN: the wizard's profile is made by the real
// `hermes serve` and judged in that Hermes' home; a profile made by `create --from` on that host is
// then given a persona from a team channel, synced, undone, cleared and deleted, with Hermes' own
// personality resolution matching each reply — every reply naming the host.
import { cp, writeFile } from "node:fs/promises";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { GENERAL, type FakeUser } from "../fakes/discord/fake-discord.ts";
import { useBots } from "../helpers/bot-fixture.ts";
import { REPO_ROOT, runCli } from "../helpers/cli.ts";
import { DiscordTester } from "../helpers/discord-bot.ts";
import { remoteBotEnv, useRemoteHermes } from "../helpers/remote-hermes.ts";
import { expectHermesAgrees, hermesOfficialRow, wizardTarget } from "../conformance/judge.ts";
import { discordWizardToReview } from "../conformance/wizard-scripts.ts";
import { teamPersonaRoundTrip } from "../conformance/team-scripts.ts";

const bots = useBots();
const tempDir = bots.tempDir;
// A server manager (MANAGE_GUILD, 32), allowed to reload the library.
const ALICE: FakeUser = { id: "150000000000000088", username: "alice", permissions: "32" };
const TOKEN = "remote-discord-session-token-c47a";
const OPENROUTER_KEY = "sk-or-remote-discord-1";
const GITHUB_KEY = "ghp-remote-discord-2";
const remote = useRemoteHermes(TOKEN);

let official: { source: string; trust: string };
beforeAll(async () => {
  official = await hermesOfficialRow(path.join(await tempDir(), "hermes"));
}, 120_000);

describe("GIVEN a Discord bot configured with only a Hermes dashboard URL and token", () => {
  it("WHEN the wizard creates THEN Hermes on that host made the profile as chosen, with the installs followed on the status message", async () => {
    const data = await tempDir();
    const { host } = new URL(remote().url);
    const { fake } = await bots.discord({
      data,
      allowedUsers: [ALICE.id],
      progressMinIntervalMs: 200,
      env: remoteBotEnv(data, remote()),
    });
    const alice = new DiscordTester(fake, ALICE, GENERAL);
    await discordWizardToReview(fake, alice, "remote-discord", OPENROUTER_KEY, GITHUB_KEY);
    expect(alice.message.content).toContain(`Created by Hermes on ${host} through its dashboard.`);
    await alice.press("✓ Create");
    await fake.until(() => !alice.message.content.includes("Creating profile"), 30_000, "the create");
    expect(alice.message.content).toContain(`Profile 'remote-discord' created on ${host}.`);
    expect(alice.message.content).not.toContain("✗");
    await fake.until(
      () =>
        [...fake.messages.values()].some((message) =>
          message.content.includes("Finished: 2 installed, 0 not."),
        ),
      60_000,
      "the install status to finish",
    );
    expect(fake.violations).toEqual([]);
    for (const secret of [OPENROUTER_KEY, GITHUB_KEY, TOKEN]) expect(fake.transcript()).not.toContain(secret);
    await expectHermesAgrees(remote().home, wizardTarget("remote-discord"), official);
  }, 180_000);

  it("WHEN a team channel binds a profile made by `create --from` on that host and applies, syncs, undoes and clears a persona, then deletes it THEN Hermes starts sessions with exactly what the channel was told", async () => {
    const data = await tempDir();
    const { host } = new URL(remote().url);
    const home = remote().home;
    const library = path.join(data, "library");
    await cp(path.join(REPO_ROOT, "library"), library, { recursive: true });
    const blueprint = path.join(data, "team.yaml");
    await writeFile(
      blueprint,
      "name: team-remote\nmodel: { provider: openrouter, model: anthropic/claude-sonnet-4 }\n",
    );
    const env = { ...remoteBotEnv(data, remote()), BLUEPRINT_LIBRARY: library };
    const created = await runCli(["create", "--from", blueprint], { env });
    expect(created.code).toBe(0);
    expect(JSON.parse(created.stdout)).toMatchObject({ ok: true, name: "team-remote", host, path: "" });

    const { fake } = await bots.discord({ data, allowedUsers: [ALICE.id], env });
    const alice = new DiscordTester(fake, ALICE, GENERAL);
    const listed = fake.original(await alice.command("profile list"));
    expect(listed?.content).toContain(`on ${host}:`);
    await teamPersonaRoundTrip({ fake, alice, home, library, profile: "team-remote", on: ` on ${host}` });
    expect(fake.transcript()).not.toContain(TOKEN);
  }, 180_000);
});
