// /persona plugin install|update|remove on a profile that exists, and what /persona status and sync
// do with its copy of the library: files written before the plugin is enabled, config comments
// kept, an up-to-date copy left untouched (mtimes), drift named and fixed by sync, a host refused.
import { appendFile, cp, mkdir, readFile, readdir, rm, stat, symlink, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { PersonaService } from "../../../src/app/persona/persona-service.ts";
import type { CommandContext } from "../../../src/app/ports/command-context.ts";
import type { ProfileBackend } from "../../../src/app/ports/profile-backend.ts";
import { BotStore } from "../../../src/app/store/bot-store.ts";
import { localBackend } from "../../helpers/backend.ts";
import { REPO_ROOT } from "../../helpers/cli.ts";
import { memoryLogger } from "../../helpers/silent-logger.ts";
import { useTempDirs } from "../../helpers/temp-dir.ts";
import { ALICE } from "../../helpers/wizard-driver.ts";

const tempDir = useTempDirs();
const stores: BotStore[] = [];
afterEach(async () => {
  await Promise.all(stores.splice(0).map((store) => store.flush()));
});
const ctx: CommandContext = { actor: ALICE, surface: "telegram", chat: "group-1" };
const CONFIG =
  "# hand-written, keep me\nmodel:\n  provider: openrouter # mine\n  default: anthropic/claude-sonnet-4\n";

async function setup(wrap?: (backend: ProfileBackend) => ProfileBackend) {
  const dir = await tempDir();
  const hermesHome = path.join(dir, "hermes");
  const profilesRoot = path.join(hermesHome, "profiles");
  const profile = path.join(profilesRoot, "bot");
  await mkdir(profile, { recursive: true });
  await writeFile(path.join(profile, "config.yaml"), CONFIG);
  const personasDir = path.join(dir, "personas");
  await cp(path.join(REPO_ROOT, "library/personas"), personasDir, { recursive: true });
  const store = await BotStore.open(path.join(dir, "store.json"), memoryLogger().logger, { flushDelayMs: 5 });
  stores.push(store);
  const local = await localBackend({ hermesHome, profilesRoot });
  const backend = wrap ? wrap(local) : local;
  const service = await PersonaService.open({ store, backend, personasDir, logger: memoryLogger().logger });
  const plugin = path.join(profile, "plugins", "personas");
  const config = async () => readFile(path.join(profile, "config.yaml"), "utf8");
  return { service, profile, plugin, personasDir, config };
}

async function mtimes(dir: string): Promise<Record<string, number>> {
  const found: Record<string, number> = {};
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true }))
    if (entry.isFile()) {
      const file = path.join(entry.parentPath, entry.name);
      found[path.relative(dir, file)] = (await stat(file)).mtimeMs;
    }
  return found;
}

describe("GIVEN a profile without the personas plugin", () => {
  it("WHEN /persona plugin install names a default THEN the plugin, the library copy and the state are written, it is enabled with the config's comments kept, and the reply says when Hermes loads it", async () => {
    const { service, plugin, config } = await setup();
    const answer = await service.plugin(ctx, "install", "bot", "engineering-code-reviewer");
    expect(answer.ok).toBe(true);
    expect(answer.text).toContain("Installed the personas plugin into profile 'bot': 16 personas");
    expect(answer.text).toContain("Default persona: engineering-code-reviewer (by reference");
    expect(answer.text).toContain("hermes -p bot gateway restart");
    const text = await config();
    expect(text).toContain("# hand-written, keep me");
    expect(text).toContain("provider: openrouter # mine");
    expect((parseYaml(text) as { plugins: { enabled: string[] } }).plugins.enabled).toEqual(["personas"]);
    expect(JSON.parse(await readFile(path.join(plugin, "state.json"), "utf8"))).toMatchObject({
      default: "engineering-code-reviewer",
    });
    expect(await readFile(path.join(plugin, "library/research/research-analyst.md"), "utf8")).toBe(
      await readFile(path.join(REPO_ROOT, "library/personas/research/research-analyst.md"), "utf8"),
    );
    expect((await readdir(plugin)).sort()).toEqual(
      [
        ...(await readdir(path.join(REPO_ROOT, "library/hermes-plugins/personas"))).filter(
          (f) => f !== "__pycache__",
        ),
        "library",
        "state.json",
        "accepted.json",
      ].sort(),
    );
  });

  it("WHEN the persona named is not in the library THEN nothing is written and the closest ids are offered", async () => {
    const { service, plugin, config } = await setup();
    const answer = await service.plugin(ctx, "install", "bot", "code-reviewr");
    expect(answer.ok).toBe(false);
    await expect(stat(plugin)).rejects.toThrow();
    expect(await config()).toBe(CONFIG);
  });

  it("WHEN update or a bad action is asked THEN it says what to do instead", async () => {
    const { service } = await setup();
    expect((await service.plugin(ctx, "update", "bot")).text).toContain(
      "has no personas plugin. Install it with /persona plugin install",
    );
    expect((await service.plugin(ctx, "upgrade", "bot")).text).toBe(
      "Say what to do: /persona plugin install|update|remove [profile] [default persona].",
    );
  });
});

describe("GIVEN a profile with the personas plugin installed", () => {
  it("WHEN nothing changed THEN update says it matches and touches no file", async () => {
    const { service, plugin, profile } = await setup();
    await service.plugin(ctx, "install", "bot");
    const before = {
      ...(await mtimes(plugin)),
      config: (await stat(path.join(profile, "config.yaml"))).mtimeMs,
    };
    await new Promise((resolve) => setTimeout(resolve, 20));
    const answer = await service.plugin(ctx, "update", "bot");
    expect(answer.text).toContain("already matches this bot's library (16 personas)");
    expect({
      ...(await mtimes(plugin)),
      config: (await stat(path.join(profile, "config.yaml"))).mtimeMs,
    }).toEqual(before);
  });

  it("WHEN the bot's library changed THEN status names the drift, sync brings the copy up to date with the agent's state kept, and status is current again", async () => {
    const { service, plugin, personasDir } = await setup();
    await service.plugin(ctx, "install", "bot", "research-analyst");
    // The agent chose a persona for a session: sync must keep that.
    // The agent chose a persona for a session (its own file, as the plugin writes it): sync keeps it.
    await mkdir(path.join(plugin, "sessions"));
    await writeFile(
      path.join(plugin, "sessions", "0123abcd.json"),
      JSON.stringify({ id: "product-manager" }),
    );
    await appendFile(path.join(personasDir, "research/research-analyst.md"), "\nOne more rule.\n");
    await rm(path.join(personasDir, "writing/writing-technical-writer.md"));
    await service.reload();

    const status = await service.status(ctx, "bot");
    expect(status.text).toContain(
      "Personas plugin: 16 personas, default research-analyst; its copy differs from this bot's: 1 changed (research-analyst), 1 no longer in the library (writing-technical-writer). /persona sync updates it.",
    );
    const synced = await service.sync(ctx, "bot");
    expect(synced.text).toContain(
      "Updated the personas plugin's library copy: 1 changed (research-analyst), 1 no longer in the library (writing-technical-writer).",
    );
    expect(await readFile(path.join(plugin, "library/research/research-analyst.md"), "utf8")).toContain(
      "One more rule.",
    );
    await expect(stat(path.join(plugin, "library/writing/writing-technical-writer.md"))).rejects.toThrow();
    expect(JSON.parse(await readFile(path.join(plugin, "state.json"), "utf8"))).toEqual({
      default: "research-analyst",
    });
    expect(JSON.parse(await readFile(path.join(plugin, "sessions", "0123abcd.json"), "utf8"))).toEqual({
      id: "product-manager",
    });
    expect((await service.status(ctx, "bot")).text).toContain(
      "Personas plugin: 15 personas, default research-analyst; its library copy is current.",
    );
  });

  it("WHEN someone switched the toolset off with hermes tools THEN install puts it back on those platforms", async () => {
    const { service, profile } = await setup();
    await service.plugin(ctx, "install", "bot");
    const file = path.join(profile, "config.yaml");
    await appendFile(
      file,
      "known_plugin_toolsets:\n  telegram: [personas]\nplatform_toolsets:\n  telegram: [web]\n",
    );
    const answer = await service.plugin(ctx, "install", "bot");
    expect(answer.text).toContain("The personas toolset was switched off on telegram; it is on again there.");
    expect(
      (parseYaml(await readFile(file, "utf8")) as { platform_toolsets: Record<string, string[]> })
        .platform_toolsets["telegram"],
    ).toEqual(["web", "personas"]);
  });

  it("WHEN /persona plugin remove runs THEN it is no longer enabled and its folder is gone", async () => {
    const { service, plugin, config } = await setup();
    await service.plugin(ctx, "install", "bot");
    const answer = await service.plugin(ctx, "remove", "bot");
    expect(answer.text).toContain("Removed the personas plugin from profile 'bot'");
    await expect(stat(plugin)).rejects.toThrow();
    expect((parseYaml(await config()) as { plugins: { enabled: string[] } }).plugins.enabled).toEqual([]);
    expect((await service.plugin(ctx, "remove", "bot")).text).toBe("Profile 'bot' has no personas plugin.");
  });
});

describe("GIVEN a backend that cannot place a plugin (a Hermes host)", () => {
  it("THEN install is refused with the reason, and nothing is written", async () => {
    // The same profiles, seen through a backend without the plugin capability, as a host's is.
    const { service, config } = await setup(
      (backend) =>
        new Proxy(backend, {
          get(target, key) {
            if (key === "personasPlugin") return undefined;
            const value: unknown = Reflect.get(target, key);
            return typeof value === "function"
              ? (value as (...args: unknown[]) => unknown).bind(target)
              : value;
          },
        }),
    );
    const answer = await service.plugin(ctx, "install", "bot");
    expect(answer.ok).toBe(false);
    expect(answer.text).toContain("Hermes' dashboard has no way to put a plugin into a profile");
    expect(await config()).toBe(CONFIG);
  });
});

describe("GIVEN a profile whose plugin folders were replaced by links (its agent can write the profile)", () => {
  it.each([
    ["the library folder", "library"],
    ["a category folder", "library/research"],
  ])(
    "WHEN %s is a link to a folder outside THEN update and status refuse, and nothing outside is written or deleted",
    async (_what, linked) => {
      const { service, plugin } = await setup();
      await service.plugin(ctx, "install", "bot");
      const outside = path.join(path.dirname(path.dirname(path.dirname(path.dirname(plugin)))), "outside");
      await mkdir(path.join(outside, "research"), { recursive: true });
      await writeFile(path.join(outside, "research", "my-notes.md"), "mine");
      await writeFile(path.join(outside, "my-notes.md"), "mine");
      await rm(path.join(plugin, linked), { recursive: true });
      await symlink(
        linked === "library" ? outside : path.join(outside, "research"),
        path.join(plugin, linked),
      );
      const before = (await readdir(outside, { recursive: true })).sort();

      const updated = await service.plugin(ctx, "update", "bot");
      const synced = await service.sync(ctx, "bot");
      const status = await service.status(ctx, "bot");

      expect((await readdir(outside, { recursive: true })).sort()).toEqual(before);
      expect(await readFile(path.join(outside, "research", "my-notes.md"), "utf8")).toBe("mine");
      if (linked === "library") {
        expect(updated.text).toContain("is a link; nothing was changed");
        expect(status.text).not.toContain("my-notes");
      } else {
        // A linked category is not the copy's: its files are neither listed nor written through.
        expect(updated.text).toContain("plugins/personas/library/research is a link; nothing was changed");
        expect(synced.text).not.toContain("my-notes");
      }
    },
  );
});

describe("GIVEN the plugin's default and the profile's overlay persona", () => {
  it("WHEN install names a default THEN an overlay persona in agent.system_prompt is cleared (one persona per request) and the reply says how to put it back", async () => {
    const { service, config } = await setup();
    await service.apply(ctx, "engineering-security-engineer", "bot");
    const answer = await service.plugin(ctx, "install", "bot", "research-analyst");
    expect(answer.text).toContain(
      "The overlay persona engineering-security-engineer (agent.system_prompt) was cleared: the plugin's default takes its place.",
    );
    const written = parseYaml(await config()) as { agent?: Record<string, unknown>; display?: unknown };
    expect(written.agent?.["system_prompt"]).toBeUndefined();
    expect(written.display).toBeUndefined();
  });

  it("WHEN an overlay is applied on a profile with the plugin THEN status says both go into every request", async () => {
    const { service } = await setup();
    await service.plugin(ctx, "install", "bot", "research-analyst");
    const applied = await service.apply(ctx, "engineering-security-engineer", "bot");
    expect(applied.text).toContain("This profile also has the personas plugin");
    expect((await service.status(ctx, "bot")).text).toContain(
      "Both go into every request: the plugin's default research-analyst and agent.system_prompt (engineering-security-engineer).",
    );
  });

  it("WHEN the default persona leaves the bot's library THEN sync keeps its file in the copy and status says so", async () => {
    const { service, plugin, personasDir } = await setup();
    await service.plugin(ctx, "install", "bot", "research-analyst");
    await rm(path.join(personasDir, "research/research-analyst.md"));
    await service.reload();
    await service.sync(ctx, "bot");
    expect(await readFile(path.join(plugin, "library/research/research-analyst.md"), "utf8")).toContain(
      "Research Analyst",
    );
    expect((await service.status(ctx, "bot")).text).toContain(
      "Its default persona research-analyst is no longer in this bot's library; the copy keeps it.",
    );
  });
});
