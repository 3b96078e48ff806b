// The Discord bot (the unmodified discord.js client against the local fake Discord, started as `npm
// start` starts it) with only HERMES_URL and HERMES_TOKEN: the wizard's profile is made by the real
// `hermes serve` and judged in that Hermes' home; a profile made by `create --from` on that host is
// then given a persona from a team channel, synced, undone, cleared and deleted, with Hermes' own
// personality resolution matching each reply — every reply naming the host. Another profile made
// there is edited with /profile edit: Review names what the host cannot do, Apply reaches it, and
// Undo puts it back, each judged by that Hermes.
import { cp, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { GENERAL, type FakeUser } from "../fakes/discord/fake-discord.ts";
import { useBots } from "../helpers/bot-fixture.ts";
import { REPO_ROOT, runCli } from "../helpers/cli.ts";
import { DiscordTester } from "../helpers/discord-bot.ts";
import { recordSecret } from "../helpers/leak-ledger.ts";
import { remoteBotEnv, useRemoteHermes } from "../helpers/remote-hermes.ts";
import {
  expectHermesAgrees,
  hermesOfficialRow,
  wizardTarget,
  createTargetOnHost,
} from "../conformance/judge.ts";
import { discordWizardToReview } from "../conformance/wizard-scripts.ts";
import { teamPersonaRoundTrip } from "../conformance/team-scripts.ts";

const bots = useBots();
const tempDir = bots.tempDir;
// A server manager (MANAGE_GUILD, 32), allowed to reload the library.
const ALICE: FakeUser = { id: "150000000000000088", username: "alice", permissions: "32" };
const TOKEN = "remote-discord-session-token-c47a";
const OPENROUTER_KEY = "sk-or-remote-discord-1";
const GITHUB_KEY = "ghp-remote-discord-2";
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
    // The steps offered the host's lists, and said so.
    expect(fake.transcript()).toContain(`Built-in skills: the list of Hermes on ${host}.`);
    expect(fake.transcript()).toContain(`MCP catalog: the list of Hermes on ${host}.`);
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

describe("GIVEN a profile on a Hermes host and a Discord bot reaching it only over the dashboard", () => {
  it("WHEN a Discord user edits it with /profile edit THEN Review names what the host cannot do, Apply reaches the host, Hermes there reads exactly the new state, and Undo puts it back", async () => {
    const name = "remote-discord-edit";
    const { data, env } = await createOnHost(name);
    const { host } = new URL(remote().url);
    const hostConfig = path.join(remote().home, "profiles", name, "config.yaml");
    const { fake } = await bots.discord({ data, allowedUsers: [ALICE.id], progressMinIntervalMs: 200, env });
    const alice = new DiscordTester(fake, ALICE, GENERAL);
    const buttons = () =>
      alice.message.components.flatMap((row) =>
        ((row["components"] as Record<string, unknown>[] | undefined) ?? [])
          .filter((item) => item["type"] === 2)
          .map((item) => String(item["label"])),
      );
    const hostNote = `on ${host}, Hermes' dashboard writes config.yaml anew on Apply: comments in it are not kept`;

    const opened = await alice.command("profile edit", { name });
    alice.wizard = opened.messageId;
    await fake.until(() => alice.message.content.includes(`Edit profile '${name}'`), 60_000, "the editor");
    expect(alice.message.content).toContain("No changes yet");
    expect(alice.message.content).toContain(hostNote);
    expect(alice.message.content).toContain(
      "hub skill(s) 'docker-debug', 'password-audit' are kept as they are",
    );
    expect(buttons()).not.toContain("✓ Apply");

    await alice.press("Edit MCP");
    await alice.choose("fetch");
    await alice.press("Next");
    expect(alice.message.content).toContain("- MCP server 'github' removed");
    await alice.press("Edit persona");
    await alice.press("No persona");
    expect(alice.message.content).toContain("- persona 'engineering-security-engineer' removed");
    // The host's limits are still said on the Review that Apply is pressed from.
    expect(alice.message.content).toContain(hostNote);
    expect(buttons()).toContain("✓ Apply");
    await alice.press("✓ Apply");
    await fake.until(
      () => /Profile updated|Profile not changed/.test(alice.message.content),
      60_000,
      "the apply",
    );
    const text = alice.message.content;
    expect(text).toContain("Profile updated");
    expect(text).toContain(`Applied to profile '${name}'`);
    expect(text).toContain("- MCP server 'github' removed");
    expect(text).toContain("- persona 'engineering-security-engineer' removed");
    expect(text).not.toContain("model changed");
    expect(text).not.toContain("Not applied");

    await expectHermesAgrees(
      remote().home,
      {
        ...wizardTarget(name),
        mcpServers: ["fetch"],
        envSet: ["GITHUB_TOKEN", "OPENROUTER_API_KEY"],
        persona: undefined,
      },
      official,
    );
    expect(await readFile(hostConfig, "utf8")).not.toMatch(/^ {2}github:/m);

    const undoMessage = () =>
      [...fake.messages.values()].find((message) =>
        message.content.includes(`Undo this edit of profile '${name}'?`),
      );
    await fake.until(() => undoMessage() !== undefined, 30_000, "the Undo offer");
    const offer = undoMessage();
    if (!offer) throw new Error("no Undo offered");
    await alice.press("↶ Undo", offer);
    const undone = () =>
      [...fake.messages.values()].find((message) => message.content.includes(`Undone on profile '${name}'`));
    await fake.until(() => undone() !== undefined, 60_000, "the Undo");
    expect(undone()?.content).toContain(`on ${host}`);
    expect(await readFile(hostConfig, "utf8")).toMatch(/^ {2}github:/m);
    await expectHermesAgrees(remote().home, wizardTarget(name), official);

    expect(fake.violations).toEqual([]);
    for (const secret of [OPENROUTER_KEY, GITHUB_KEY, TOKEN]) expect(fake.transcript()).not.toContain(secret);
    expect(fake.transcript()).not.toContain(data);
  }, 300_000);
});
