// `/profile keys <name>` in chat: read-only, the same access rules as /profile show, names and
// "set / not set" only — a value in the profile's .env is never in the answer.
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { parseCommand } from "../../../commands/index.ts";
import { PersonaService } from "../../../src/app/persona/persona-service.ts";
import { ProfileService } from "../../../src/app/profile/profile-service.ts";
import { CommandRouter } from "../../../src/app/runtime/command-router.ts";
import { BotStore } from "../../../src/app/store/bot-store.ts";
import { localBackend } from "../../helpers/backend.ts";
import { recordSecret } from "../../helpers/leak-ledger.ts";
import { memoryLogger } from "../../helpers/silent-logger.ts";
import { useTempDirs } from "../../helpers/temp-dir.ts";
import { ALICE, MALLORY } from "../../helpers/wizard-driver.ts";

const tempDir = useTempDirs();
const stores: BotStore[] = [];
afterEach(async () => {
  await Promise.all(stores.splice(0).map((store) => store.flush()));
});

const KEY = "sk-or-chat-keys-0123456789abcdef";
recordSecret(KEY);

async function router() {
  const dir = await tempDir();
  const hermesHome = path.join(dir, "hermes");
  const profile = path.join(hermesHome, "profiles/bot");
  await mkdir(path.join(profile, "skills/notes/weather"), { recursive: true });
  await writeFile(
    path.join(profile, "config.yaml"),
    'model: { provider: openrouter, default: x }\nmcp_servers:\n  gh: { command: npx, env: { T: "${GITHUB_TOKEN}" } }\n',
  );
  await writeFile(
    path.join(profile, "skills/notes/weather/SKILL.md"),
    "---\nname: weather\nrequired_environment_variables: [WEATHER_API_KEY]\n---\n",
  );
  await writeFile(path.join(profile, ".env"), `OPENROUTER_API_KEY=${KEY}\n# GITHUB_TOKEN=\n`, {
    mode: 0o600,
  });
  const store = await BotStore.open(path.join(dir, "store.json"), memoryLogger().logger, { flushDelayMs: 5 });
  stores.push(store);
  const backend = await localBackend({ hermesHome });
  const personas = await PersonaService.open({
    store,
    backend,
    personasDir: path.join(dir, "personas"),
    logger: memoryLogger().logger,
  });
  const profiles = new ProfileService({ store, backend, logger: memoryLogger().logger });
  const access = {
    mayUse: (ctx: { actor: { id: string } }) => ctx.actor.id === ALICE.id,
    isAdmin: () => false,
  };
  return { commands: new CommandRouter(personas, access, profiles), env: path.join(profile, ".env") };
}

const run = (commands: CommandRouter, text: string, actor = ALICE) => {
  const parsed = parseCommand(text);
  if (!parsed) throw new Error(`not a command: ${text}`);
  return commands.run(parsed, { actor, surface: "telegram", chat: "g1" });
};

describe("GIVEN a profile whose config, skills and .env ask for keys", () => {
  it("WHEN /profile keys is asked THEN each needed key says set or not set and why, and no value is shown", async () => {
    const { commands, env } = await router();
    const before = await readFile(env, "utf8");
    const answer = await run(commands, "/profile keys bot");
    expect(answer).toEqual({
      ok: true,
      text: [
        "Keys of profile 'bot' (names only; values stay in its .env):",
        "Needed keys (3, 2 not set):",
        "• OPENROUTER_API_KEY: set — provider openrouter",
        "• GITHUB_TOKEN: not set — MCP server gh",
        "• WEATHER_API_KEY: not set — skill weather",
        "Set one from a terminal: blueprint key set bot <KEY> (the value is read from stdin).",
      ].join("\n"),
    });
    expect(answer?.text).not.toContain(KEY);
    expect(await readFile(env, "utf8")).toBe(before);
    // Telegram's form of the same command.
    expect((await run(commands, "/profile_keys bot"))?.text).toBe(answer?.text);
  });

  it("WHEN someone not allowed, a missing profile, default or no name is asked THEN it is refused as /profile show is", async () => {
    const { commands } = await router();
    expect((await run(commands, "/profile keys bot", MALLORY))?.text).toMatch(/not allowed to use this bot/);
    expect((await run(commands, "/profile keys ghost"))?.text).toMatch(/There is no profile 'ghost'/);
    expect((await run(commands, "/profile keys default"))?.text).toMatch(
      /'default' is the Hermes home itself/,
    );
    expect((await run(commands, "/profile keys"))?.text).toMatch(/^Usage: \/profile keys/);
  });
});
