import { execFile } from "node:child_process";
import { chmod, mkdir, readdir, readFile, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { beforeAll, describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import type { LoadedLibrary } from "../../src/app/library/library-loader.ts";
import { ENV_FILE_HEADER } from "../../src/app/profile/env-file.ts";
import { HERMES_DEFAULT_SOUL, NO_BUNDLED_SKILLS_TEXT } from "../../src/app/profile/hermes-defaults.ts";
import { PROFILE_DIRS, writeProfile } from "../../src/app/profile/profile-writer.ts";
import { sweepStaging } from "../../src/app/profile/profiles-root.ts";
import { parseBlueprintYaml } from "../../src/core/blueprint-yaml.ts";
import type { Blueprint } from "../../src/core/blueprint.ts";
import { loadPersonas } from "../../src/app/persona/persona-loader.ts";
import { summarize } from "../../src/app/persona/persona-service.ts";
import { shippedLibrary } from "../helpers/catalog.ts";
import { REPO_ROOT } from "../helpers/cli.ts";
import { useTempDirs } from "../helpers/temp-dir.ts";

const run = promisify(execFile);
const tempDir = useTempDirs();
let library: LoadedLibrary;
beforeAll(async () => {
  library = await shippedLibrary();
});

function blueprint(yaml: string): Blueprint {
  const parsed = parseBlueprintYaml(yaml);
  if (!parsed.ok) throw new Error(parsed.problems.join("\n"));
  return parsed.blueprint;
}

async function home() {
  const hermesHome = await tempDir();
  return { hermesHome, profilesRoot: path.join(hermesHome, "profiles") };
}

async function tree(dir: string, prefix = ""): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(
    entries.map(async (entry) => {
      const rel = `${prefix}${entry.name}`;
      return entry.isDirectory()
        ? [`${rel}/`, ...(await tree(path.join(dir, entry.name), `${rel}/`))]
        : [rel];
    }),
  );
  return nested.flat().sort();
}

const FULL = `
name: research-bot
display_name: Research Bot
description: Finds and summarises papers
model: { provider: openrouter, model: anthropic/claude-sonnet-4 }
skills:
  builtin: [research/web-research, software-development/code-review]
  optional: [research/arxiv-digest]
  hub: [official/security/password-audit]
mcp_servers:
  - { name: github, command: npx, args: ["-y", "@modelcontextprotocol/server-github"], env: { GITHUB_PERSONAL_ACCESS_TOKEN: "\${GITHUB_TOKEN}" }, auth: api_key }
  - { name: docs, url: "https://mcp.example.com/mcp", auth: api_key }
`;

describe("GIVEN a fresh blueprint", () => {
  it("WHEN created THEN the profile has exactly the Hermes tree, modes and file contents", async () => {
    const dirs = await home();
    const secrets = new Map([
      ["OPENROUTER_API_KEY", "sk-or-v1-abc"],
      ["MCP_DOCS_API_KEY", "docs-key-1"],
    ]);
    const report = await writeProfile(blueprint(FULL), secrets, { ...dirs, library });
    expect(report.ok).toBe(true);
    const dir = path.join(dirs.profilesRoot, "research-bot");
    expect(report.path).toBe(dir);

    const files = await tree(dir);
    expect(files.filter((file) => file.endsWith("/") && !file.slice(0, -1).includes("/"))).toEqual(
      [...PROFILE_DIRS].map((name) => `${name}/`).sort(),
    );
    expect(files.filter((file) => !file.includes("/"))).toEqual([
      ".env",
      "SOUL.md",
      "config.yaml",
      "profile.yaml",
    ]);
    const skillFiles = files.filter((file) => file.endsWith("SKILL.md"));
    expect(skillFiles).toHaveLength(library.catalog.builtinSkills.length + 1);
    expect(skillFiles).toContain("skills/research/arxiv-digest/SKILL.md");

    const env = await readFile(path.join(dir, ".env"), "utf8");
    expect((await stat(path.join(dir, ".env"))).mode & 0o777).toBe(0o600);
    expect(env.split("\n").slice(0, 3)).toEqual(ENV_FILE_HEADER);
    expect(env).toContain("OPENROUTER_API_KEY=sk-or-v1-abc\n");
    // Not given: commented out, so Hermes' override load does not blank the shell's own value.
    expect(env).toContain("\n# GITHUB_TOKEN=\n");
    expect(env).not.toMatch(/^GITHUB_TOKEN=/m);
    expect(env).toContain("MCP_DOCS_API_KEY=docs-key-1\n");

    const configText = await readFile(path.join(dir, "config.yaml"), "utf8");
    expect(configText).not.toContain("sk-or-v1-abc");
    expect(configText).not.toContain("docs-key-1");
    const disabled = library.catalog.builtinSkills
      .filter((skill) => !["research/web-research", "software-development/code-review"].includes(skill.id))
      .map((skill) => skill.name);
    expect(parseYaml(configText)).toEqual({
      model: { provider: "openrouter", default: "anthropic/claude-sonnet-4" },
      mcp_servers: {
        github: {
          command: "npx",
          args: ["-y", "@modelcontextprotocol/server-github"],
          env: { GITHUB_PERSONAL_ACCESS_TOKEN: "${GITHUB_TOKEN}" },
          enabled: true,
        },
        docs: {
          url: "https://mcp.example.com/mcp",
          headers: { Authorization: "Bearer ${MCP_DOCS_API_KEY}" },
          enabled: true,
        },
      },
      skills: { disabled },
      // Hermes reads a file without it as version 0 and reports "update available".
      _config_version: 33,
    });
    expect(parseYaml(await readFile(path.join(dir, "profile.yaml"), "utf8"))).toEqual({
      display_name: "Research Bot",
      description: "Finds and summarises papers",
      description_auto: false,
    });
    const soul = await readFile(path.join(dir, "SOUL.md"), "utf8");
    expect(soul.startsWith("---")).toBe(false);
    expect(soul).toContain("You are Research Bot");

    const manifest = (await readFile(path.join(dir, "skills/.bundled_manifest"), "utf8")).trim().split("\n");
    expect(manifest).toHaveLength(library.catalog.builtinSkills.length);
    for (const line of manifest) expect(line).toMatch(/^[a-z0-9-]+:[0-9a-f]{32}$/);
    expect(report.hubInstalls).toEqual([
      { identifier: "official/security/password-audit", status: "pending" },
    ]);
    expect(JSON.stringify(report)).not.toContain("sk-or-v1-abc");
    expect(await readdir(dirs.profilesRoot)).toEqual(["research-bot"]);
  });

  it("WHEN built-in skills are 'none' THEN none are copied and the marker is written", async () => {
    const dirs = await home();
    const report = await writeProfile(
      blueprint("name: bare\nmodel: { provider: ollama, model: qwen3 }\nskills: { builtin: none }\n"),
      new Map(),
      {
        ...dirs,
        library,
      },
    );
    expect(report.ok).toBe(true);
    const dir = path.join(dirs.profilesRoot, "bare");
    expect(await readdir(path.join(dir, "skills"))).toEqual([]);
    expect(await readFile(path.join(dir, ".no-bundled-skills"), "utf8")).toBe(NO_BUNDLED_SKILLS_TEXT);
    // Hermes has no `ollama` provider in config: a local server is `custom` with its base URL.
    expect(parseYaml(await readFile(path.join(dir, "config.yaml"), "utf8"))).toEqual({
      model: { provider: "custom", default: "qwen3", base_url: "http://127.0.0.1:11434/v1" },
      _config_version: 33,
    });
  });

  it("WHEN the name already exists THEN nothing is written and the report says so", async () => {
    const dirs = await home();
    await mkdir(path.join(dirs.profilesRoot, "taken"), { recursive: true });
    await writeFile(path.join(dirs.profilesRoot, "taken", "keep.txt"), "mine");
    const report = await writeProfile(
      blueprint("name: taken\nmodel: { provider: openai, model: gpt-4.1 }\n"),
      new Map(),
      { ...dirs, library },
    );
    expect(report).toMatchObject({ ok: false, problems: [expect.stringContaining("already exists")] });
    expect(await readdir(dirs.profilesRoot)).toEqual(["taken"]);
    expect(await readdir(path.join(dirs.profilesRoot, "taken"))).toEqual(["keep.txt"]);
  });

  it("WHEN the clone source does not exist THEN nothing is written", async () => {
    const dirs = await home();
    const report = await writeProfile(
      blueprint("name: copy\nclone_from: ghost\nmodel: { provider: openai, model: gpt-4.1 }\n"),
      new Map(),
      {
        ...dirs,
        library,
      },
    );
    expect(report).toMatchObject({
      ok: false,
      problems: [
        "clone_from: There is no profile named 'ghost' to clone. Pick one from the list, or choose No clone.",
      ],
    });
    await expect(readdir(dirs.profilesRoot)).rejects.toThrow();
  });

  it.runIf(process.getuid?.() !== 0)(
    "WHEN the profiles root is read-only THEN create fails cleanly",
    async () => {
      const dirs = await home();
      await mkdir(dirs.profilesRoot);
      await chmod(dirs.profilesRoot, 0o500);
      const report = await writeProfile(
        blueprint("name: ro\nmodel: { provider: openai, model: gpt-4.1 }\n"),
        new Map(),
        { ...dirs, library },
      );
      await chmod(dirs.profilesRoot, 0o700);
      expect(report.ok).toBe(false);
      expect(await readdir(dirs.profilesRoot)).toEqual([]);
    },
  );

  it("WHEN the profiles root cannot be made (a file is in the way) THEN create fails with a clear message", async () => {
    const dirs = await home();
    await writeFile(dirs.profilesRoot, "not a folder");
    const report = await writeProfile(
      blueprint("name: blocked\nmodel: { provider: openai, model: gpt-4.1 }\n"),
      new Map(),
      {
        ...dirs,
        library,
      },
    );
    expect(report.ok).toBe(false);
    expect(report.problems.join("\n")).toMatch(
      /the profiles folder cannot be created \((EEXIST|ENOTDIR)\)\. Check HERMES_HOME/,
    );
    // Problems reach chats: they never name the host's folders.
    expect(report.problems.join("\n")).not.toContain(dirs.profilesRoot);
    expect(await readFile(dirs.profilesRoot, "utf8")).toBe("not a folder");
  });

  it("WHEN a write fails half-way THEN the staging folder is removed and no profile is visible", async () => {
    const dirs = await home();
    const report = await writeProfile(
      blueprint("name: half\nmodel: { provider: openai, model: gpt-4.1 }\n"),
      new Map(),
      {
        ...dirs,
        library,
        beforeRename: () => {
          throw Object.assign(new Error("disk full"), { code: "ENOSPC" });
        },
      },
    );
    expect(report).toMatchObject({ ok: false, problems: ["write failed (ENOSPC); nothing was kept"] });
    expect(await readdir(dirs.profilesRoot)).toEqual([]);
  });
});

describe("GIVEN a blueprint with a persona", () => {
  it("WHEN created THEN config.yaml carries it as Hermes' active personality, and SOUL.md stays the identity", async () => {
    const dirs = await home();
    const personas = (await loadPersonas(path.join(REPO_ROOT, "library/personas"))).library;
    const lookup = { summaries: () => personas.list().map(summarize), get: (id: string) => personas.get(id) };
    const report = await writeProfile(
      blueprint("name: sec\nmodel: { provider: openai, model: gpt-4.1 }\npersona: { id: appsec }\n"),
      new Map(),
      { ...dirs, library, personas: lookup },
    );
    expect(report.steps.find((entry) => entry.step === "persona")?.detail).toContain(
      "engineering-security-engineer v1.0.0",
    );
    const config = parseYaml(await readFile(path.join(dirs.profilesRoot, "sec/config.yaml"), "utf8")) as {
      agent: { personalities: Record<string, { system_prompt: string }> };
      display: { personality: string };
    };
    expect(config.display.personality).toBe("engineering-security-engineer");
    const preset = config.agent.personalities["engineering-security-engineer"];
    expect(preset?.system_prompt).toContain("## Mission");
    // What Hermes starts a session with: the preset rendered into agent.system_prompt.
    expect((config.agent as { system_prompt?: string }).system_prompt).toBe(preset?.system_prompt);
    expect(await readFile(path.join(dirs.profilesRoot, "sec/SOUL.md"), "utf8")).toBe(HERMES_DEFAULT_SOUL);
  });

  it("WHEN the persona is not in the library THEN nothing is written", async () => {
    const dirs = await home();
    const report = await writeProfile(
      blueprint("name: sec\nmodel: { provider: openai, model: gpt-4.1 }\npersona: { id: ghost }\n"),
      new Map(),
      {
        ...dirs,
        library,
      },
    );
    expect(report).toMatchObject({
      ok: false,
      problems: [
        "persona.id: There is no persona 'ghost' in the library. Pick one from the list, or skip this step.",
      ],
    });
  });
});

describe("GIVEN a process killed between staging and rename", () => {
  it("THEN no profile is visible, only a dot-named staging folder, and the next start sweeps it", async () => {
    const dirs = await home();
    // .mts: the temp folder has no package.json, so only the extension makes this an ES module.
    const script = path.join(dirs.hermesHome, "crash.mts");
    const root = path.resolve(import.meta.dirname, "../..");
    await writeFile(
      script,
      `import { loadLibrary } from ${JSON.stringify(path.join(root, "src/app/library/library-loader.ts"))};
import { writeProfile } from ${JSON.stringify(path.join(root, "src/app/profile/profile-writer.ts"))};
import { parseBlueprintYaml } from ${JSON.stringify(path.join(root, "src/core/blueprint-yaml.ts"))};
const parsed = parseBlueprintYaml("name: crashy\\nmodel: { provider: openai, model: gpt-4.1 }\\n");
if (!parsed.ok) throw new Error("bad fixture");
await writeProfile(parsed.blueprint, new Map(), {
  hermesHome: ${JSON.stringify(dirs.hermesHome)},
  profilesRoot: ${JSON.stringify(dirs.profilesRoot)},
  library: await loadLibrary(${JSON.stringify(path.join(root, "library"))}),
  beforeRename: () => { process.kill(process.pid, "SIGKILL"); },
});
`,
    );
    const crashed = await run(process.execPath, ["--import", "tsx", script], { cwd: root }).catch(
      (error: { signal?: string }) => error,
    );
    expect((crashed as { signal?: string }).signal).toBe("SIGKILL");
    const left = await readdir(dirs.profilesRoot);
    expect(left).toHaveLength(1);
    expect(left[0]).toMatch(/^\.crashy\.staging-\d+$/);
    expect(await sweepStaging(dirs.profilesRoot)).toEqual(left);
    expect(await readdir(dirs.profilesRoot)).toEqual([]);
  });
});

describe("GIVEN a source profile with bot tokens", () => {
  it("WHEN cloned THEN config, .env, SOUL, skills and memories are copied, platform settings are not", async () => {
    const dirs = await home();
    const source = path.join(dirs.profilesRoot, "base");
    await mkdir(path.join(source, "skills/custom/my-skill"), { recursive: true });
    await mkdir(path.join(source, "memories"), { recursive: true });
    await mkdir(path.join(source, "sessions"), { recursive: true });
    await writeFile(
      path.join(source, "skills/custom/my-skill/SKILL.md"),
      "---\nname: my-skill\ndescription: x\n---\n",
    );
    await writeFile(path.join(source, "memories/MEMORY.md"), "remember this");
    await writeFile(path.join(source, "memories/USER.md"), "the user");
    await writeFile(path.join(source, "sessions/s1.json"), "{}");
    await writeFile(path.join(source, "state.db"), "db");
    await writeFile(path.join(source, "SOUL.md"), "I am base.");
    await writeFile(
      path.join(source, ".env"),
      "# header\nOPENAI_API_KEY=sk-base\nTELEGRAM_BOT_TOKEN=123:abc\nDISCORD_BOT_TOKEN=xyz\nTELEGRAM_ALLOWED_USERS=1,2\nexport SLACK_BOT_TOKEN=xoxb\n",
      { mode: 0o644 },
    );
    await writeFile(
      path.join(source, "config.yaml"),
      "# my notes stay\nmodel:\n  provider: openai # chosen by hand\n  default: gpt-4.1\nplatforms:\n  telegram: { enabled: true }\ntelegram:\n  allowed_users: [1]\nagent:\n  system_prompt: keep me\n",
    );
    const report = await writeProfile(
      blueprint(
        "name: copy\nclone_from: base\nmodel: { provider: anthropic, model: claude-opus-4-20250514 }\n",
      ),
      new Map([["ANTHROPIC_API_KEY", "sk-ant-new"]]),
      { ...dirs, library },
    );
    expect(report.ok).toBe(true);
    const dir = path.join(dirs.profilesRoot, "copy");
    const env = await readFile(path.join(dir, ".env"), "utf8");
    expect(env).toBe("# header\nOPENAI_API_KEY=sk-base\nANTHROPIC_API_KEY=sk-ant-new\n");
    expect((await stat(path.join(dir, ".env"))).mode & 0o777).toBe(0o600);
    const config = await readFile(path.join(dir, "config.yaml"), "utf8");
    expect(config).toContain("# my notes stay");
    expect(config).not.toMatch(/platforms|telegram/);
    expect(parseYaml(config)).toEqual({
      model: { provider: "anthropic", default: "claude-opus-4-20250514" },
      agent: { system_prompt: "keep me" },
    });
    expect(await readFile(path.join(dir, "SOUL.md"), "utf8")).toBe("I am base.");
    expect(await readFile(path.join(dir, "memories/MEMORY.md"), "utf8")).toBe("remember this");
    expect(await readFile(path.join(dir, "skills/custom/my-skill/SKILL.md"), "utf8")).toContain("my-skill");
    expect(await readdir(path.join(dir, "sessions"))).toEqual([]);
    expect(await readdir(dir)).not.toContain("state.db");
    expect(report.steps.find((entry) => entry.step === "clone")?.detail).toContain(
      "platform settings removed: TELEGRAM_BOT_TOKEN, DISCORD_BOT_TOKEN, TELEGRAM_ALLOWED_USERS, SLACK_BOT_TOKEN, platforms, telegram",
    );
  });
});
