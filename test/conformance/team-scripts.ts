// What a team channel does with a persona, judged by the real Hermes after each step: bind the
// profile, apply, a library change then sync, Undo, clear, delete. Shared by the local team-chat
// test and the one against a Hermes host, so both hold the same conversation to the same checks;
// `on` is how replies name where the profile is ("" here, " on <host>" remotely).
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { expect } from "vitest";
import type { FakeDiscord } from "../fakes/discord/fake-discord.ts";
import type { DiscordTester } from "../helpers/discord-bot.ts";
import { configCheck, personality, profileList } from "../helpers/hermes.ts";

export const TEAM_PERSONA = "engineering-security-engineer";
const PERSONA_FILE = "personas/engineering/engineering-security-engineer.md";

/** The body of a persona file (after its frontmatter), as the library loads it. */
function bodyOf(text: string): string {
  return text.replace(/^---\n[\s\S]*?\n---\n/, "").trim();
}

export interface TeamRoundTrip {
  readonly fake: FakeDiscord;
  /** A server manager (MANAGE_GUILD): /persona reload is refused to everyone else. */
  readonly alice: DiscordTester;
  /** The Hermes home the profile is in (on "another machine" for the remote test). */
  readonly home: string;
  /** The bot's library folder (BLUEPRINT_LIBRARY): changed here to make the persona outdated. */
  readonly library: string;
  readonly profile: string;
  readonly on: string;
}

export async function teamPersonaRoundTrip(team: TeamRoundTrip): Promise<void> {
  const { fake, alice, home, library, profile, on } = team;
  const dir = path.join(home, "profiles", profile);
  const file = path.join(library, PERSONA_FILE);
  const original = bodyOf(await readFile(file, "utf8"));

  expect((await personality(home, dir)).active).toBe("");
  await alice.command("profile use", { name: profile });
  const applied = fake.original(await alice.command("persona apply", { id: TEAM_PERSONA }));
  expect(applied?.content).toContain(`to profile '${profile}'${on} (bound to this chat).`);
  expect(applied?.content).toContain("agent.system_prompt now holds its prompt");
  let resolved = await personality(home, dir);
  expect(resolved).toMatchObject({ active: TEAM_PERSONA, rendered: original, startupPrompt: original });
  expect(resolved.presets).toContain(TEAM_PERSONA);

  // The library moves on: a new version with a new first line; sync brings it into effect.
  await writeFile(
    file,
    (await readFile(file, "utf8"))
      .replace("version: 1.0.0", "version: 1.1.0")
      .replace("## Mission\n", "## Mission\n\nCheck the threat model first.\n"),
  );
  expect(fake.original(await alice.command("persona reload"))?.content).toContain("Reloaded");
  const status = fake.original(await alice.command("persona status"))?.content ?? "";
  expect(status).toContain(`${TEAM_PERSONA}: outdated`);
  const synced = fake.original(await alice.command("persona sync"));
  expect(synced?.content).toContain(`Updated to the library version: ${TEAM_PERSONA}.`);
  const updated = bodyOf(await readFile(file, "utf8"));
  expect(updated).toContain("Check the threat model first.");
  resolved = await personality(home, dir);
  expect(resolved).toMatchObject({ active: TEAM_PERSONA, rendered: updated, startupPrompt: updated });

  // Undo of the sync: Hermes is back on the version the channel had before.
  await alice.press("Undo", synced);
  resolved = await personality(home, dir);
  expect(resolved).toMatchObject({ active: TEAM_PERSONA, rendered: original, startupPrompt: original });

  // Clear, as Hermes' own `/personality none`: no active preset, an empty session prompt.
  const cleared = fake.original(await alice.command("persona clear"));
  expect(cleared?.content).toContain(`Cleared the active persona of profile '${profile}'${on}`);
  resolved = await personality(home, dir);
  expect(resolved).toMatchObject({ active: "", startupPrompt: "" });
  expect(resolved.presets).toContain(TEAM_PERSONA);
  expect(await configCheck(home, profile)).toMatchObject({ current: true, missing: [] });

  const ask = fake.original(await alice.command("profile delete", { name: profile }));
  const deleted = fake.original(await alice.press(`Delete ${profile}`, ask));
  expect(deleted?.content).toContain(`Deleted profile '${profile}'${on}.`);
  expect(await profileList(home)).not.toContain(profile);
  expect(fake.violations).toEqual([]);
}
