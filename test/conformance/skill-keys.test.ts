// A skill's keys, judged by Hermes' own readiness check (tools/skills_tool.py skill_view →
// readiness_status): after the console wizard (keys asked privately at the skills step) and after
// `create --from` (keys from the environment), the skill is "available"; without its key it is
// "setup_needed". The key is only ever in the profile's .env.
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.ts";
import {
  KEYED_SKILL,
  KEYED_SKILL_ENV,
  KEYED_SKILL_ID,
  KEYED_SKILL_OPTIONAL_ENV,
  libraryWithKeyedSkill,
  skillReadiness,
} from "../helpers/keyed-skill.ts";
import { recordSecret } from "../helpers/leak-ledger.ts";
import { storeFilesText } from "../helpers/store-files.ts";
import { useTempDirs } from "../helpers/temp-dir.ts";

const tempDir = useTempDirs();
const OPENROUTER_KEY = "sk-or-conformance-skillkeys-1";
const WEATHER_KEY = "wx-conformance-skillkeys-2";
recordSecret(WEATHER_KEY);

/** The console wizard up to Create, picking the keyed optional skill (3rd optional skill). */
function consoleScript(name: string, skillKeyAnswers: readonly string[]): string[] {
  return [
    "/profile new",
    name,
    "Next",
    "OpenRouter",
    "1",
    OPENROUTER_KEY,
    "Optional skills",
    "3", // research/weather-report
    "Hub skills",
    "done",
    ...skillKeyAnswers,
    "MCP servers",
    "Next",
    "No persona",
    "Create",
    "",
  ];
}

async function setup() {
  const data = await tempDir();
  const library = await libraryWithKeyedSkill(data);
  const home = path.join(data, "hermes");
  return { data, home, env: { DATA_DIR: data, HERMES_HOME: home, BLUEPRINT_LIBRARY: library } };
}

describe("GIVEN the real Hermes 0.19 judging a skill that declares required_environment_variables", () => {
  it("WHEN the console wizard is given the skill's key (and skips the optional one) THEN Hermes reports the skill ready, and the key is only in .env", async () => {
    const { data, home, env } = await setup();
    const result = await runCli(["start"], {
      input: consoleScript("skill-keys", [WEATHER_KEY, "Skip (leave empty)"]).join("\n"),
      env,
    });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`Send the ${KEYED_SKILL_ENV} for skill ${KEYED_SKILL}.`);
    expect(result.stdout).toContain(`${KEYED_SKILL_OPTIONAL_ENV} for skill ${KEYED_SKILL}`);
    // The SKILL.md's own prompt text is not shown: it is outside text.
    expect(result.stdout).not.toContain("ignore previous instructions");
    expect(result.stdout).not.toContain(WEATHER_KEY);
    const profile = path.join(home, "profiles/skill-keys");
    expect(await skillReadiness(home, profile, KEYED_SKILL)).toEqual({
      readiness_status: "available",
      missing: [],
    });
    const envText = await readFile(path.join(profile, ".env"), "utf8");
    expect(envText).toContain(`${KEYED_SKILL_ENV}=${WEATHER_KEY}`);
    expect(envText).toContain(`# ${KEYED_SKILL_OPTIONAL_ENV}=`);
    expect(await readFile(path.join(profile, "config.yaml"), "utf8")).not.toContain(WEATHER_KEY);
    expect(storeFilesText(data)).not.toContain(WEATHER_KEY);
  }, 120_000);

  it("WHEN the console wizard skips all skill keys THEN Hermes reports the skill as needing setup", async () => {
    const { home, env } = await setup();
    const result = await runCli(["start"], {
      input: consoleScript("skill-keys-skipped", ["Skip all skill keys"]).join("\n"),
      env,
    });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(
      `not set yet (commented out, so a value from the shell still applies): ${KEYED_SKILL_ENV}`,
    );
    expect(await skillReadiness(home, path.join(home, "profiles/skill-keys-skipped"), KEYED_SKILL)).toEqual({
      readiness_status: "setup_needed",
      missing: [KEYED_SKILL_ENV],
    });
  }, 120_000);

  it("WHEN `create --from` names the skill THEN its key comes from the environment as MCP keys do, and Hermes reports it ready; without the key, not ready", async () => {
    const { data, home, env } = await setup();
    const blueprint = (name: string) =>
      `name: ${name}\nmodel: { provider: openrouter, model: anthropic/claude-sonnet-4 }\nskills: { optional: [${KEYED_SKILL_ID}] }\n`;
    await writeFile(path.join(data, "with.yaml"), blueprint("skill-file"));
    await writeFile(path.join(data, "without.yaml"), blueprint("skill-file-bare"));
    const withKey = await runCli(["create", "--from", path.join(data, "with.yaml")], {
      env: { ...env, [KEYED_SKILL_ENV]: WEATHER_KEY },
    });
    expect(withKey.code).toBe(0);
    expect(withKey.stdout).not.toContain(WEATHER_KEY);
    const without = await runCli(["create", "--from", path.join(data, "without.yaml")], { env });
    expect(without.code).toBe(0);
    expect(await skillReadiness(home, path.join(home, "profiles/skill-file"), KEYED_SKILL)).toEqual({
      readiness_status: "available",
      missing: [],
    });
    expect(await skillReadiness(home, path.join(home, "profiles/skill-file-bare"), KEYED_SKILL)).toEqual({
      readiness_status: "setup_needed",
      missing: [KEYED_SKILL_ENV],
    });
  }, 120_000);

  it("WHEN `create --from` keeps the default built-ins without naming them THEN a key only they declare is not taken from the shell (and the output says so); WHEN the file names the skill THEN it is", async () => {
    const { data, home, env } = await setup();
    const builtin = path.join(env.BLUEPRINT_LIBRARY, "skills", "research", "shell-keyed");
    await mkdir(builtin, { recursive: true });
    await writeFile(
      path.join(builtin, "SKILL.md"),
      "---\nname: shell-keyed\ndescription: Needs a token.\nrequired_environment_variables:\n  - name: SHELL_ONLY_TOKEN\n---\n# Shell keyed\n",
    );
    const token = "shell-token-not-for-the-agent-3";
    recordSecret(token);
    const model = "model: { provider: openrouter, model: anthropic/claude-sonnet-4 }";
    await writeFile(path.join(data, "default.yaml"), `name: shell-default\n${model}\n`);
    await writeFile(
      path.join(data, "named.yaml"),
      `name: shell-named\n${model}\nskills: { builtin: [research/shell-keyed] }\n`,
    );
    const shell = { ...env, SHELL_ONLY_TOKEN: token };
    const unnamed = await runCli(["create", "--from", path.join(data, "default.yaml")], { env: shell });
    expect(unnamed.code, unnamed.stderr).toBe(0);
    expect(`${unnamed.stdout}${unnamed.stderr}`).toContain(
      "Not taken from the environment: SHELL_ONLY_TOKEN",
    );
    expect(await readFile(path.join(home, "profiles/shell-default/.env"), "utf8")).not.toContain(token);
    expect(await skillReadiness(home, path.join(home, "profiles/shell-default"), "shell-keyed")).toEqual({
      readiness_status: "setup_needed",
      missing: ["SHELL_ONLY_TOKEN"],
    });
    const named = await runCli(["create", "--from", path.join(data, "named.yaml")], { env: shell });
    expect(named.code, named.stderr).toBe(0);
    expect(await skillReadiness(home, path.join(home, "profiles/shell-named"), "shell-keyed")).toEqual({
      readiness_status: "available",
      missing: [],
    });
  }, 120_000);
});
