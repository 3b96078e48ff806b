// Same bytes as Hermes: a profile the bot makes with nothing chosen beyond what `hermes profile
// create` takes is that command's output — folders, file modes, .env, SOUL.md, the bundled skills
// and their manifest — and a clone is `hermes profile create --clone-from`'s output, except for what
// HERMES-COMPAT.md lists as kept on purpose (here: messaging-platform settings stripped).
import { lstat, readdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { runCli } from "../helpers/cli.ts";
import { configCheck, hermesOk, profileShow } from "../helpers/hermes.ts";
import { useTempDirs } from "../helpers/temp-dir.ts";

const tempDir = useTempDirs();

interface Entry {
  readonly path: string;
  readonly mode: string;
  readonly bytes?: string;
}

/** Every file and folder under a profile: relative path, type and mode, and each file's bytes. */
async function snapshot(dir: string): Promise<Entry[]> {
  const entries: Entry[] = [];
  for (const relative of (await readdir(dir, { recursive: true })).sort()) {
    const info = await lstat(path.join(dir, relative));
    const mode = `${info.isDirectory() ? "d" : info.isSymbolicLink() ? "l" : "f"}${(info.mode & 0o777).toString(8)}`;
    entries.push(
      info.isFile()
        ? { path: relative, mode, bytes: (await readFile(path.join(dir, relative))).toString("base64") }
        : { path: relative, mode },
    );
  }
  return entries;
}

async function createFromFile(data: string, blueprint: string): Promise<void> {
  const file = path.join(data, `${Date.now()}.yaml`);
  await writeFile(file, blueprint);
  const result = await runCli(["create", "--from", file], {
    env: { DATA_DIR: data, HERMES_HOME: path.join(data, "hermes") },
  });
  expect(result.stderr).toBe("");
  expect(result.code).toBe(0);
}

const profileDir = (home: string, name: string) => path.join(home, "profiles", name);

describe("GIVEN the real Hermes 0.19 and the same skills tree", () => {
  it("WHEN a profile with no model is made THEN it is byte for byte what `hermes profile create` makes", async () => {
    const data = await tempDir();
    const home = path.join(data, "hermes");
    await createFromFile(data, "name: fresh\n");
    await hermesOk(home, ["profile", "create", "reference", "--no-alias"]);
    const ours = await snapshot(profileDir(home, "fresh"));
    expect(ours.map((entry) => entry.path)).toContain("skills/.bundled_manifest");
    expect(ours).toEqual(await snapshot(profileDir(home, "reference")));
  });

  it("WHEN no built-in skills are wanted THEN it is what `hermes profile create --no-skills` makes", async () => {
    const data = await tempDir();
    const home = path.join(data, "hermes");
    await createFromFile(data, "name: bare\nskills: { builtin: none }\n");
    await hermesOk(home, ["profile", "create", "reference", "--no-skills", "--no-alias"]);
    expect(await snapshot(profileDir(home, "bare"))).toEqual(await snapshot(profileDir(home, "reference")));
  });

  it("WHEN a description is given THEN profile.yaml is what `--description` writes (SOUL.md is ours, see HERMES-COMPAT.md)", async () => {
    const data = await tempDir();
    const home = path.join(data, "hermes");
    await createFromFile(data, "name: described\ndescription: Finds and summarises papers\n");
    await hermesOk(home, [
      "profile",
      "create",
      "reference",
      "--description",
      "Finds and summarises papers",
      "--no-alias",
    ]);
    const withoutSoul = async (name: string) =>
      (await snapshot(profileDir(home, name))).filter((entry) => entry.path !== "SOUL.md");
    expect(await withoutSoul("described")).toEqual(await withoutSoul("reference"));
    expect(await readFile(path.join(profileDir(home, "described"), "SOUL.md"), "utf8")).toContain(
      "Finds and summarises papers",
    );
  });

  it("WHEN a profile Hermes made (platform tokens in .env and config.yaml) is cloned THEN the clone is Hermes' own, less the platform settings", async () => {
    const data = await tempDir();
    const home = path.join(data, "hermes");
    // A profile made and configured by Hermes alone: a seed set with `config set`, then cloned by
    // Hermes (which migrates its config to the current version, comments and all).
    await hermesOk(home, ["profile", "create", "seed", "--no-alias"]);
    const settings: [string, string][] = [
      ["model.provider", "openrouter"],
      ["model.default", "anthropic/claude-sonnet-4"],
      ["OPENROUTER_API_KEY", "sk-or-conformance-clone-1"],
      ["TELEGRAM_BOT_TOKEN", "123456:conformance-telegram-token"],
      ["DISCORD_BOT_TOKEN", "conformance.discord.token-1234567890"],
      ["discord.require_mention", "true"],
    ];
    for (const [key, value] of settings) await hermesOk(home, ["-p", "seed", "config", "set", key, value]);
    await hermesOk(home, ["profile", "create", "origin", "--clone-from", "seed", "--no-alias"]);
    await writeFile(path.join(profileDir(home, "origin"), "memories", "MEMORY.md"), "Remember the launch.\n");

    await createFromFile(data, "name: ours\nclone_from: origin\n");
    await hermesOk(home, ["profile", "create", "theirs", "--clone-from", "origin", "--no-alias"]);

    const ours = await snapshot(profileDir(home, "ours"));
    const theirs = await snapshot(profileDir(home, "theirs"));
    const apart = (entries: Entry[]) =>
      entries.filter((entry) => ![".env", "config.yaml"].includes(entry.path));
    expect(apart(ours)).toEqual(apart(theirs));

    const read = (name: string, file: string) => readFile(path.join(profileDir(home, name), file), "utf8");
    // .env: Hermes' lines, less the messaging-platform tokens (one token, one gateway).
    const theirEnv = await read("theirs", ".env");
    expect(theirEnv).toContain("TELEGRAM_BOT_TOKEN=");
    expect(await read("ours", ".env")).toBe(
      theirEnv
        .split("\n")
        .filter((line) => !/^(TELEGRAM|DISCORD)_BOT_TOKEN=/.test(line))
        .join("\n"),
    );
    // config.yaml: Hermes' text with its comments, less the `discord:` section.
    const ourConfig = await read("ours", "config.yaml");
    const theirConfig = await read("theirs", "config.yaml");
    const { discord, ...rest } = parseYaml(theirConfig) as Record<string, unknown>;
    expect(discord).toEqual({ require_mention: true });
    expect(parseYaml(ourConfig)).toEqual(rest);
    expect(ourConfig).toContain("# ── Security ──");

    expect(await profileShow(home, "ours")).toMatchObject({
      model: "anthropic/claude-sonnet-4",
      provider: "openrouter",
    });
    expect(await configCheck(home, "ours")).toMatchObject({ current: true, missing: [] });
  });
});
