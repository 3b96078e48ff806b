// Personas and deletion from a team chat, judged by the real Hermes: after each /persona command
// Hermes' own personality resolution must yield what the chat was told; a profile deleted from the
// chat is gone from `hermes profile list`.
import { cp, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { FakeDiscord, GENERAL, type FakeUser } from "../fakes/discord/fake-discord.ts";
import { REPO_ROOT, runCli } from "../helpers/cli.ts";
import { DiscordTester, startDiscordBot, useDiscordBots } from "../helpers/discord-bot.ts";
import { useTempDirs } from "../helpers/temp-dir.ts";
import { teamPersonaRoundTrip } from "./team-scripts.ts";

const tempDir = useTempDirs();
// A server manager (MANAGE_GUILD, 32): /persona reload is refused to everyone else.
const ALICE: FakeUser = { id: "150000000000000077", username: "alice", permissions: "32" };

const track = useDiscordBots();

describe("GIVEN a channel bound to a profile, and the real Hermes 0.19 as the judge", () => {
  it("WHEN a persona is applied, synced after a library change, undone and cleared THEN Hermes starts sessions with exactly what the channel was told; a deleted profile is gone for Hermes too", async () => {
    const data = await tempDir();
    const home = path.join(data, "hermes");
    const library = path.join(data, "library");
    await cp(path.join(REPO_ROOT, "library"), library, { recursive: true });
    const blueprint = path.join(data, "team.yaml");
    await writeFile(
      blueprint,
      "name: team-bot\nmodel: { provider: openrouter, model: anthropic/claude-sonnet-4 }\n",
    );
    const created = await runCli(["create", "--from", blueprint], {
      env: { DATA_DIR: data, HERMES_HOME: home, BLUEPRINT_LIBRARY: library },
    });
    expect(created.code).toBe(0);

    const fake = new FakeDiscord();
    await fake.start();
    const bot = await startDiscordBot({
      data,
      fake,
      allowedUsers: [ALICE.id],
      env: { BLUEPRINT_LIBRARY: library },
    });
    track(bot, fake);
    const alice = new DiscordTester(fake, ALICE, GENERAL);
    await teamPersonaRoundTrip({ fake, alice, home, library, profile: "team-bot", on: "" });
  }, 120_000);
});
