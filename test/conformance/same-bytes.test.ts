// Same bytes as Hermes: a profile the bot makes with nothing chosen beyond what `hermes profile
// create` takes is that command's output — folders, file modes, .env, SOUL.md, the bundled skills
// and their manifest — and a clone is `hermes profile create --clone-from`'s output, except for what
// HERMES-COMPAT.md lists as kept on purpose (here: messaging-platform settings stripped).
import { chmod, lstat, mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { runCli } from "../helpers/cli.ts";
import { configCheck, hermesBin, hermesOk, profileShow } from "../helpers/hermes.ts";
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

async function createFromFile(
  data: string,
  blueprint: string,
  env: Record<string, string> = {},
): Promise<void> {
  const file = path.join(data, `${Date.now()}.yaml`);
  await writeFile(file, blueprint);
  const result = await runCli(["create", "--from", file], {
    env: { DATA_DIR: data, HERMES_HOME: path.join(data, "hermes"), ...env },
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

  it("WHEN Hermes' own bundled tree is nested, renamed and cluttered THEN the bot beside that Hermes seeds exactly what `hermes profile create` seeds", async () => {
    const data = await tempDir();
    const home = path.join(data, "hermes");
    const tree = path.join(data, "hermes-skills");
    const files: Record<string, string> = {
      "devops/DESCRIPTION.md": "Operations skills.\n",
      "devops/docker-ops/SKILL.md": "---\nname: docker-ops\ndescription: Runs containers.\n---\n# Docker\n",
      "devops/docker-ops/scripts/run.sh": "#!/bin/sh\necho run\n",
      // A preserved old package inside a skill's support folder is documentation, not a skill.
      "devops/docker-ops/references/old-pkg/SKILL.md": "---\nname: old-pkg\ndescription: Old.\n---\n",
      // Nested two levels, and named unlike its folder.
      "mlops/training/trl-tune/SKILL.md": '---\nname: "trl-fine-tuning"\ndescription: Fine-tunes.\n---\n',
      // No frontmatter at all: Hermes names it after its folder and still copies it.
      "notes/plain/SKILL.md": "# Plain notes\n",
      "node_modules/pkg/SKILL.md": "---\nname: dependency\ndescription: Not a skill.\n---\n",
    };
    for (const [relative, text] of Object.entries(files)) {
      await mkdir(path.dirname(path.join(tree, relative)), { recursive: true });
      await writeFile(path.join(tree, relative), text);
    }
    await chmod(path.join(tree, "devops/docker-ops/scripts/run.sh"), 0o755);
    await createFromFile(data, "name: seeded\n", { HERMES_BIN: hermesBin(), HERMES_BUNDLED_SKILLS: tree });
    await hermesOk(home, ["profile", "create", "reference", "--no-alias"], { HERMES_BUNDLED_SKILLS: tree });
    const ours = await snapshot(profileDir(home, "seeded"));
    expect(ours.map((entry) => entry.path)).toContain("skills/mlops/training/trl-tune/SKILL.md");
    expect(ours).toEqual(await snapshot(profileDir(home, "reference")));
    expect(await readFile(path.join(profileDir(home, "seeded"), "skills/.bundled_manifest"), "utf8")).toMatch(
      /^docker-ops:\w{32}\nplain:\w{32}\ntrl-fine-tuning:\w{32}\n$/,
    );
  }, 60_000);

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
