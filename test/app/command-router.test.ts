import { cp, mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { parseCommand } from "../../commands/index.ts";
import { CommandRouter } from "../../src/app/runtime/command-router.ts";
import { PersonaService } from "../../src/app/persona/persona-service.ts";
import { BotStore } from "../../src/app/store/bot-store.ts";
import { localBackend } from "../helpers/backend.ts";
import { REPO_ROOT } from "../helpers/cli.ts";
import { memoryLogger } from "../helpers/silent-logger.ts";
import { useTempDirs } from "../helpers/temp-dir.ts";
import { ALICE, MALLORY } from "../helpers/wizard-driver.ts";

const tempDir = useTempDirs();
const stores: BotStore[] = [];
afterEach(async () => {
  await Promise.all(stores.splice(0).map((store) => store.flush()));
});

async function router() {
  const dir = await tempDir();
  const profile = path.join(dir, "hermes/profiles/bot");
  await mkdir(profile, { recursive: true });
  await writeFile(path.join(profile, "config.yaml"), "model: { provider: openai, default: gpt-4.1 }\n");
  await cp(path.join(REPO_ROOT, "library/personas"), path.join(dir, "personas"), { recursive: true });
  const store = await BotStore.open(path.join(dir, "store.json"), memoryLogger().logger, {
    flushDelayMs: 5,
  });
  stores.push(store);
  const personas = await PersonaService.open({
    store,
    backend: await localBackend({ hermesHome: path.join(dir, "hermes") }),
    personasDir: path.join(dir, "personas"),
    logger: memoryLogger().logger,
  });
  // Alice is allowed, Mallory is not; nobody is admin.
  const access = {
    mayUse: (ctx: { actor: { id: string } }) => ctx.actor.id === ALICE.id,
    isAdmin: () => false,
  };
  return { commands: new CommandRouter(personas, access), config: path.join(profile, "config.yaml") };
}

const run = (commands: CommandRouter, text: string, actor = ALICE) => {
  const parsed = parseCommand(text);
  if (!parsed) throw new Error(`not a command: ${text}`);
  return commands.run(parsed, { actor, surface: "telegram", chat: "g1" });
};

describe("GIVEN an allowlist", () => {
  it("WHEN someone not on it applies a persona THEN they are refused with their id and nothing changes", async () => {
    const { commands, config } = await router();
    const before = await readFile(config, "utf8");
    const answer = await run(commands, "/persona apply appsec bot", MALLORY);
    expect(answer).toEqual({
      ok: false,
      text: "You are not allowed to use this bot. Ask an admin to add your id (u-mallory) to the allowlist.",
    });
    expect(await readFile(config, "utf8")).toBe(before);
    expect((await run(commands, "/persona apply appsec bot"))?.ok).toBe(true);
  });

  it("WHEN a non-admin reloads the library THEN it is refused", async () => {
    const { commands } = await router();
    expect(await run(commands, "/persona reload")).toEqual({
      ok: false,
      text: "Only admins can run /persona reload.",
    });
  });
});

describe("GIVEN profile suggestions while a Hermes host never answers its listing", () => {
  it("WHEN a name is typed THEN the suggestion waits at most SUGGEST_LISTING_WAIT_MS and offers the names known so far", async () => {
    const { ProfileNames } = await import("../../src/app/profile/profile-names.ts");
    const { SUGGEST_LISTING_WAIT_MS } = await import("../../src/app/runtime/command-router.ts");
    const { vi } = await import("vitest");
    vi.useFakeTimers();
    try {
      let answer: ((names: { ok: true; value: string[] }) => void) | undefined;
      const names = new ProfileNames({
        host: "hermes-box:9119",
        names: () => new Promise((resolve) => (answer = resolve)),
      });
      const personas = { library: { search: () => [], categories: () => [] } };
      const commands = new CommandRouter(personas as unknown as PersonaService, undefined, {
        names,
      } as unknown as ConstructorParameters<typeof CommandRouter>[2]);
      const first = commands.suggest("profile", "re", 25);
      let settled = false;
      void first.then(() => (settled = true));
      await vi.advanceTimersByTimeAsync(SUGGEST_LISTING_WAIT_MS - 1);
      expect(settled).toBe(false);
      await vi.advanceTimersByTimeAsync(1);
      expect(await first).toEqual([]);
      // The listing goes on; once it arrives, suggestions come from it.
      answer?.({ ok: true, value: ["research-bot", "ops"] });
      await vi.advanceTimersByTimeAsync(0);
      expect(await commands.suggest("profile", "re", 25)).toEqual([
        { label: "research-bot", value: "research-bot" },
      ]);
    } finally {
      vi.useRealTimers();
    }
  });
});
