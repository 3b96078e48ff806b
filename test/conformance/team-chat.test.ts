// Personas and deletion from a team chat, judged by the real Hermes: after each /persona command
// Hermes' own personality resolution must yield what the chat was told; a profile deleted from the
// chat is gone from `hermes profile list`.
import { cp, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { FakeDiscord, GENERAL, type FakeUser } from "../fakes/discord/fake-discord.ts";
import { REPO_ROOT, runCli } from "../helpers/cli.ts";
import { DiscordTester, startDiscordBot, useDiscordBots } from "../helpers/discord-bot.ts";
import { configCheck, personality, profileList } from "../helpers/hermes.ts";
import { useTempDirs } from "../helpers/temp-dir.ts";

const tempDir = useTempDirs();
// A server manager (MANAGE_GUILD, 32): /persona reload is refused to everyone else.
const ALICE: FakeUser = { id: "150000000000000077", username: "alice", permissions: "32" };
const PERSONA = "engineering-security-engineer";
const PERSONA_FILE = "personas/engineering/engineering-security-engineer.md";

const track = useDiscordBots();

/** The body of a persona file (after its frontmatter), as the library loads it. */
function bodyOf(text: string): string {
  return text.replace(/^---\n[\s\S]*?\n---\n/, "").trim();
}

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
    const profile = path.join(home, "profiles", "team-bot");
    const original = bodyOf(await readFile(path.join(library, PERSONA_FILE), "utf8"));

    expect((await personality(home, profile)).active).toBe("");
    await alice.command("profile use", { name: "team-bot" });
    const applied = fake.original(await alice.command("persona apply", { id: PERSONA }));
    expect(applied?.content).toContain("agent.system_prompt now holds its prompt");
    let resolved = await personality(home, profile);
    expect(resolved).toMatchObject({ active: PERSONA, rendered: original, startupPrompt: original });
    expect(resolved.presets).toContain(PERSONA);

    // The library moves on: a new version with a new first line; sync brings it into effect.
    const file = path.join(library, PERSONA_FILE);
    await writeFile(
      file,
      (await readFile(file, "utf8"))
        .replace("version: 1.0.0", "version: 1.1.0")
        .replace("## Mission\n", "## Mission\n\nCheck the threat model first.\n"),
    );
    expect(fake.original(await alice.command("persona reload"))?.content).toContain("Reloaded");
    const status = fake.original(await alice.command("persona status"))?.content ?? "";
    expect(status).toContain(`${PERSONA}: outdated`);
    const synced = fake.original(await alice.command("persona sync"));
    expect(synced?.content).toContain(`Updated to the library version: ${PERSONA}.`);
    const updated = bodyOf(await readFile(file, "utf8"));
    expect(updated).toContain("Check the threat model first.");
    resolved = await personality(home, profile);
    expect(resolved).toMatchObject({ active: PERSONA, rendered: updated, startupPrompt: updated });

    // Undo of the sync: Hermes is back on the version the channel had before.
    await alice.press("Undo", synced);
    resolved = await personality(home, profile);
    expect(resolved).toMatchObject({ active: PERSONA, rendered: original, startupPrompt: original });

    // Clear, as Hermes' own `/personality none`: no active preset, an empty session prompt.
    await alice.command("persona clear");
    resolved = await personality(home, profile);
    expect(resolved).toMatchObject({ active: "", startupPrompt: "" });
    expect(resolved.presets).toContain(PERSONA);
    expect(await configCheck(home, "team-bot")).toMatchObject({ current: true, missing: [] });

    const ask = fake.original(await alice.command("profile delete", { name: "team-bot" }));
    const deleted = fake.original(await alice.press("Delete team-bot", ask));
    expect(deleted?.content).toContain("Deleted profile 'team-bot'");
    expect(await profileList(home)).not.toContain("team-bot");
    expect(fake.violations).toEqual([]);
  }, 120_000);
});
