// The console wizard (`npm start`, piped) on a Hermes host: it offers Hermes' MCP catalog, and its
// hub installs are run by the real pinned Hermes — one installs, one is blocked by Hermes' scan, one
// cannot be fetched — with the status message and `hermes skills list` agreeing.
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { readdir, readFile, writeFile } from "node:fs/promises";
import { runCli, startCli, type StartedCli } from "../helpers/cli.ts";
import { hermesOk, hermesPython, profileShow } from "../helpers/hermes.ts";
import {
  expectedFinalLines,
  HERMES_BUILTIN_IDS,
  SEARCH_HIT_LABEL,
  SEARCH_QUERY,
  HERMES_MCP_FIXTURES,
  HERMES_INSTALLS_TIMEOUT_MS,
  hermesHostEnv,
  hubSkillsHermesLists,
  startSkillServer,
  threeInstalls,
} from "../helpers/hermes-host.ts";
import { useTempDirs } from "../helpers/temp-dir.ts";

const tempDir = useTempDirs();
const NVIDIA_KEY = "nvapi-hermes-host-console-1";
const server = await startSkillServer();

/** Types lines into a running console bot, each once the text it waits for has been printed. */
async function converse(bot: StartedCli, steps: readonly (string | { until: string })[], timeoutMs = 15_000) {
  for (const entry of steps) {
    if (typeof entry === "string") {
      bot.child.stdin.write(`${entry}\n`);
      continue;
    }
    const deadline = Date.now() + timeoutMs;
    while (!bot.output().includes(entry.until)) {
      if (Date.now() > deadline)
        throw new Error(`timed out waiting for ${entry.until}\n${bot.output().slice(-2000)}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

describe("GIVEN the console bot beside the real Hermes 0.19", () => {
  it(
    "WHEN a wizard lists Hermes' skills, searches Hermes' hub and creates with three hub skills THEN Hermes installs one, its scan blocks one, one cannot be fetched, and the status and `hermes skills list` agree",
    async () => {
      const data = await tempDir();
      const ids = threeInstalls(server);
      const bot = startCli(["start"], hermesHostEnv(data));
      await converse(bot, [
        "/profile new",
        "hosted",
        "Next",
        "OpenAI",
        "gpt-4.1",
        "skip",
        { until: "Skills · built-in" },
      ]);
      // The built-in list is Hermes' bundled tree, not our library.
      for (const id of HERMES_BUILTIN_IDS) expect(bot.output()).toContain(id);
      expect(bot.output()).not.toContain("note-taking/memory-hygiene");
      await converse(
        bot,
        [
          "Optional skills",
          "Hub skills",
          "Search the hub",
          SEARCH_QUERY,
          { until: `found for “${SEARCH_QUERY}”` },
          SEARCH_HIT_LABEL.split(" ")[0] ?? "",
          { until: `Hub skills: ${ids.installed}` },
          "back",
          `${ids.blocked} ${ids.missing}`,
          "done",
          "MCP servers",
          "Next",
          "No persona",
          "Create",
          { until: "Finished:" },
        ],
        HERMES_INSTALLS_TIMEOUT_MS - 60_000,
      );
      bot.child.stdin.end();
      expect(await bot.closed).toBe(0);
      const stdout = bot.output();
      const finalStatus = stdout.slice(stdout.lastIndexOf("━━ Hub skills for 'hosted' ━━"));
      for (const line of expectedFinalLines(server)) expect(finalStatus).toContain(line);
      // The status was live: the one Hermes searched every source for showed as fetching meanwhile.
      expect(stdout).toContain(`⇣ ${ids.missing}: fetching`);
      const listed = await hubSkillsHermesLists(path.join(data, "hermes"), "hosted");
      expect(listed).toEqual([
        { name: "arxiv-digest", category: "research", source: "official", trust: "official", enabled: true },
      ]);
      expect(await readdir(path.join(data, "hermes/profiles/hosted/skills/ops"))).toEqual([
        "DESCRIPTION.md",
        "incident-review",
      ]);
    },
    HERMES_INSTALLS_TIMEOUT_MS,
  );

  it("WHEN the Model step is shown THEN it offers the providers Hermes knows, and a provider only Hermes knows gets its key where Hermes reads it", async () => {
    const data = await tempDir();
    const bot = startCli(["start"], hermesHostEnv(data));
    await converse(bot, ["/profile new", "nv-bot", "Next", { until: "Which provider serves" }]);
    for (let page = 0; page < 4 && !bot.output().includes("NVIDIA NIM — key: NVIDIA_API_KEY"); page++) {
      const seen = bot.output().length;
      bot.child.stdin.write("Next page\n");
      await converse(bot, [{ until: "page " }]);
      while (bot.output().length === seen) await new Promise((resolve) => setTimeout(resolve, 20));
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(bot.output()).toContain("NVIDIA NIM — key: NVIDIA_API_KEY");
    await converse(bot, [
      "NVIDIA NIM",
      { until: "nvidia/nemotron-3-ultra-550b-a55b" },
      "nvidia/nemotron-3-ultra-550b-a55b",
      { until: "NVIDIA_API_KEY" },
      NVIDIA_KEY,
      "Optional skills",
      "Hub skills",
      "done",
      "MCP servers",
      "Next",
      "No persona",
      "Create",
      { until: "Profile 'nv-bot' created" },
    ]);
    bot.child.stdin.end();
    expect(await bot.closed).toBe(0);
    const home = path.join(data, "hermes");
    expect(await profileShow(home, "nv-bot")).toMatchObject({
      provider: "nvidia",
      model: "nvidia/nemotron-3-ultra-550b-a55b",
    });
    // Hermes' own resolution of that provider's key, in the new profile: found, in NVIDIA_API_KEY.
    expect(
      await hermesPython(
        home,
        path.join(home, "profiles/nv-bot"),
        "import json\nfrom hermes_cli.auth import get_api_key_provider_status as s\nr = s('nvidia')\nprint(json.dumps({'configured': r['configured'], 'key_source': r['key_source']}))",
      ),
    ).toEqual({ configured: true, key_source: "NVIDIA_API_KEY" });
  }, 120_000);

  it("WHEN the MCP step is shown THEN it lists Hermes' catalog, not the entry needing a git install, and writes each server as `hermes mcp install` does", async () => {
    const data = await tempDir();
    const token = "acme-status-token-7c1e";
    const input = [
      "/profile new",
      "mcp-from-hermes",
      "Next",
      "OpenAI",
      "gpt-4.1",
      "skip",
      "Optional skills",
      "Hub skills",
      "done",
      "MCP servers",
      "acme-tickets",
      "acme-status",
      "Next",
      "Use the default", // ACME_STATUS_URL: not a secret, the manifest's default
      token, // ACME_STATUS_TOKEN
      "No persona",
      "Create",
      "",
    ];
    const result = await runCli(["start"], { input: input.join("\n"), env: hermesHostEnv(data) });
    expect(result.code).toBe(0);
    expect(result.stdout).not.toContain("cloned-bridge");
    expect(result.stdout).toContain(
      "Not a secret; without an answer the catalog's default is written: https://status.acme.example",
    );
    // The manifest's post-install note, as Hermes prints it after its own install, in the report.
    expect(result.stdout).toContain(
      "✓ acme-tickets (MCP): Start a new Hermes session to load the ACME tools.",
    );
    const home = path.join(data, "hermes");
    const profile = path.join(home, "profiles/mcp-from-hermes");
    const env = await readFile(path.join(profile, ".env"), "utf8");
    expect(env).toContain("ACME_STATUS_URL=https://status.acme.example\n");
    expect(env).toContain(`ACME_STATUS_TOKEN=${token}\n`);
    const ours = parseYaml(await readFile(path.join(profile, "config.yaml"), "utf8")) as {
      mcp_servers: Record<string, Record<string, unknown>>;
    };

    // Hermes installs the same two entries into a profile of its own (its prompts find the values
    // already in .env, as they would after a user answered them).
    await hermesOk(home, ["profile", "create", "reference", "--no-alias"]);
    const reference = path.join(home, "profiles/reference");
    await writeFile(
      path.join(reference, ".env"),
      `ACME_STATUS_URL=https://status.acme.example\nACME_STATUS_TOKEN=${token}\n`,
    );
    for (const name of ["acme-tickets", "acme-status"])
      await hermesOk(home, ["-p", "reference", "mcp", "install", name], {
        HERMES_OPTIONAL_MCPS: HERMES_MCP_FIXTURES,
      });
    const theirs = parseYaml(await readFile(path.join(reference, "config.yaml"), "utf8")) as {
      mcp_servers: Record<string, Record<string, unknown>>;
    };
    expect(ours.mcp_servers["acme-tickets"]).toEqual(theirs.mcp_servers["acme-tickets"]);
    // One difference on purpose (HERMES-COMPAT.md): Hermes starts a stdio server with only safe
    // variables plus its env block, so the bot references the credentials there.
    expect(ours.mcp_servers["acme-status"]).toEqual({
      ...theirs.mcp_servers["acme-status"],
      env: { ACME_STATUS_URL: "${ACME_STATUS_URL}", ACME_STATUS_TOKEN: "${ACME_STATUS_TOKEN}" },
    });
  }, 120_000);
});
