import { cp, mkdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { PersonaService } from "../../../src/app/persona/persona-service.ts";
import { type CommandContext } from "../../../src/app/ports/command-context.ts";
import { ProfileService } from "../../../src/app/profile/profile-service.ts";
import { BotStore } from "../../../src/app/store/bot-store.ts";
import type { Reply } from "../../../src/core/reply.ts";
import { localBackend } from "../../helpers/backend.ts";
import { REPO_ROOT } from "../../helpers/cli.ts";
import { memoryLogger } from "../../helpers/silent-logger.ts";
import { useTempDirs } from "../../helpers/temp-dir.ts";
import { ALICE, MALLORY } from "../../helpers/wizard-driver.ts";

const tempDir = useTempDirs();
const stores: BotStore[] = [];
afterEach(async () => {
  await Promise.all(stores.splice(0).map((store) => store.flush()));
});

const ID = "engineering-security-engineer";
const CONFIG = `# my settings, keep them
model:
  provider: openrouter # chosen by hand
  default: anthropic/claude-sonnet-4
agent:
  system_prompt: Be terse.
display:
  personality: pirate
`;
const ctx: CommandContext = { actor: ALICE, surface: "telegram", chat: "group-1" };

async function setup(config: string | null = CONFIG) {
  const dir = await tempDir();
  const hermesHome = path.join(dir, "hermes");
  const profilesRoot = path.join(hermesHome, "profiles");
  const profile = path.join(profilesRoot, "bot");
  await mkdir(profile, { recursive: true });
  if (config !== null) await writeFile(path.join(profile, "config.yaml"), config);
  await writeFile(path.join(profile, "SOUL.md"), "I am bot.");
  const personasDir = path.join(dir, "personas");
  await cp(path.join(REPO_ROOT, "library/personas"), personasDir, { recursive: true });
  const store = await BotStore.open(path.join(dir, "store.json"), memoryLogger().logger, {
    flushDelayMs: 5,
  });
  stores.push(store);
  const backend = await localBackend({ hermesHome, profilesRoot });
  const service = await PersonaService.open({ store, backend, personasDir, logger: memoryLogger().logger });
  // /profile use binds the chat the persona commands then act on.
  const profiles = new ProfileService({ store, backend, logger: memoryLogger().logger });
  const configText = () => readFile(path.join(profile, "config.yaml"), "utf8");
  return { service, profiles, store, profile, personasDir, configText };
}

function token(answer: Reply, label: string): string {
  const found = answer.buttons?.find((button) => button.label.startsWith(label));
  if (!found) throw new Error(`no ${label} button in: ${answer.text}`);
  return found.token;
}

describe("GIVEN a profile with a hand-written config.yaml", () => {
  it("WHEN a persona is applied as overlay THEN it becomes Hermes' active prompt as /personality would make it, comments kept, SOUL.md untouched, the replaced own prompt named, and Undo restores", async () => {
    const { service, profile, configText } = await setup();
    const applied = await service.apply(ctx, ID, "bot");
    expect(applied.ok).toBe(true);
    expect(applied.text).toContain("display.personality: pirate → engineering-security-engineer");
    const text = await configText();
    expect(text).toContain("# my settings, keep them");
    expect(text).toContain("provider: openrouter # chosen by hand");
    const config = parseYaml(text) as {
      agent: {
        system_prompt: string;
        personalities: Record<string, { system_prompt: string; description: string }>;
      };
      display: { personality: string };
    };
    // Hermes starts each session with agent.system_prompt; its /personality writes the preset there.
    expect(config.agent.system_prompt).toBe(config.agent.personalities[ID]?.system_prompt);
    expect(applied.text).toContain("Your own agent.system_prompt was replaced");
    expect(config.display.personality).toBe(ID);
    expect(config.agent.personalities[ID]?.system_prompt).toContain("## Mission");
    expect(config.agent.personalities[ID]?.description).toMatch(/^Finds and fixes vulnerabilities/);
    expect(await readFile(path.join(profile, "SOUL.md"), "utf8")).toBe("I am bot.");

    const undone = await service.press(ALICE, token(applied, "Undo"));
    expect(undone.text).toContain("Undone on profile 'bot'");
    expect(await configText()).toBe(CONFIG);
    expect((await service.press(ALICE, token(applied, "Undo"))).text).toContain(
      "expired or was already used",
    );
  });

  it("WHEN asked for ref THEN it is refused with the reason (Hermes has no such key); delegate changes no file", async () => {
    const { service, configText } = await setup();
    const refused = await service.apply(ctx, "appsec", "bot", "ref");
    expect(refused.ok).toBe(false);
    expect(refused.text).toContain("'ref' is gone: Hermes has no persona reference key");
    expect(await configText()).toBe(CONFIG);
    const before = await configText();
    const delegated = await service.apply(ctx, ID, "bot", "delegate");
    expect(delegated.text).toContain("----- BEGIN PERSONA CONTEXT: Security Engineer");
    expect(delegated.file?.name).toBe(`${ID}-context.md`);
    expect(await configText()).toBe(before);
  });

  it("WHEN the library changes or the copy is edited THEN status shows outdated / modified / missing, and sync asks before overwriting edits", async () => {
    const { service, personasDir, configText, profile } = await setup();
    await service.apply(ctx, ID, "bot");
    await service.apply(ctx, "engineering-code-reviewer", "bot");
    await service.apply(ctx, "devops-incident-commander", "bot");
    expect((await service.status(ctx, "bot")).text).toMatch(/✓ engineering-security-engineer: current/);

    // The library moves on for one persona, a human edits another, and a third leaves the library.
    const file = path.join(personasDir, "engineering/engineering-security-engineer.md");
    await writeFile(
      file,
      (await readFile(file, "utf8"))
        .replace("version: 1.0.0", "version: 1.1.0")
        .replace("## Mission\n", "## Mission\n\nNew first line.\n"),
    );
    await writeFile(
      path.join(profile, "config.yaml"),
      (await configText()).replace("Reviews pull requests", "Reviews PRs"),
    );
    const edited = (await configText()).replace("# Code Reviewer", "# Code Reviewer (our edits)");
    await writeFile(path.join(profile, "config.yaml"), edited);
    await rm(path.join(personasDir, "devops/devops-incident-commander.md"));
    expect((await service.reload()).text).toContain("Reloaded 15 persona(s).");

    const status = (await service.status(ctx, "bot")).text;
    expect(status).toContain(
      "⬆ engineering-security-engineer: outdated — library has v1.1.0, the profile v1.0.0",
    );
    expect(status).toContain("✎ engineering-code-reviewer: modified — the profile's copy was edited by hand");
    expect(status).toContain("✗ devops-incident-commander: missing");

    const synced = await service.sync(ctx, "bot");
    expect(synced.text).toContain("Updated to the library version: engineering-security-engineer.");
    expect(synced.text).toContain("Edited by hand, left as they are: engineering-code-reviewer.");
    expect(await configText()).toContain("New first line.");
    expect(await configText()).toContain("# Code Reviewer (our edits)");
    expect((await service.press(MALLORY, token(synced, "Overwrite"))).text).toBe(
      "Only the person who ran the command can press this.",
    );
    const confirmed = await service.press(ALICE, token(synced, "Overwrite"));
    expect(confirmed.text).toContain(
      "Replaced with the library version on profile 'bot': engineering-code-reviewer.",
    );
    expect(await configText()).not.toContain("(our edits)");
    expect((await service.status(ctx, "bot")).text).not.toMatch(/outdated|modified/);
  });

  it("WHEN the wizard asks for persona summaries THEN one list serves every event until a reload brings the new library", async () => {
    const { service, personasDir } = await setup();
    const first = service.summaries();
    expect(service.summaries()).toBe(first);
    expect(first.map((summary) => summary.id)).toContain("devops-incident-commander");
    await rm(path.join(personasDir, "devops/devops-incident-commander.md"));
    expect(service.summaries()).toBe(first);
    await service.reload();
    const after = service.summaries();
    expect(after).not.toBe(first);
    expect(after.map((summary) => summary.id)).not.toContain("devops-incident-commander");
    expect(after).toHaveLength(first.length - 1);
  });

  it("WHEN a chat is bound with profile use THEN apply without a profile targets it and says so; clear has Undo", async () => {
    const { service, profiles, configText } = await setup();
    expect((await service.apply(ctx, ID)).text).toContain("/profile use <name>");
    expect((await profiles.use(ctx, "bot")).text).toContain("This chat now works with profile 'bot'");
    const applied = await service.apply(ctx, ID);
    expect(applied.text).toContain("profile 'bot' (bound to this chat)");
    const cleared = await service.clear(ctx);
    expect(cleared.text).toContain(`was ${ID}`);
    expect((parseYaml(await configText()) as { display?: unknown }).display).toBeUndefined();
    await service.press(ALICE, token(cleared, "Undo"));
    expect(parseYaml(await configText())).toMatchObject({ display: { personality: ID } });
  });

  it("WHEN two applies race on one profile THEN the file ends consistent and both are reported", async () => {
    const { service, configText } = await setup();
    const [first, second] = await Promise.all([
      service.apply(ctx, ID, "bot"),
      service.apply(ctx, "engineering-code-reviewer", "bot"),
    ]);
    expect(first?.ok && second?.ok).toBe(true);
    const config = parseYaml(await configText()) as {
      agent: { personalities: Record<string, unknown> };
      display: { personality: string };
    };
    expect(Object.keys(config.agent.personalities).sort()).toEqual(["engineering-code-reviewer", ID]);
    expect(config.display.personality).toBe("engineering-code-reviewer");
    expect(second?.text).toContain(`display.personality: ${ID} → engineering-code-reviewer`);
  });

  it.each([
    [
      "an unknown persona",
      (s: PersonaService) => s.apply(ctx, "securty-engineer", "bot"),
      /There is no persona 'securty-engineer'. Did you mean: security-engineer/,
    ],
    ["an unknown profile", (s: PersonaService) => s.apply(ctx, ID, "ghost"), /There is no profile 'ghost'/],
    ["a profile name with a path", (s: PersonaService) => s.apply(ctx, ID, "../bot"), /cannot contain '\/'/],
    [
      "an unknown mode",
      (s: PersonaService) => s.apply(ctx, ID, "bot", "replace"),
      /'replace' is not a persona mode/,
    ],
  ])("WHEN given %s THEN it is refused and nothing changes", async (_what, run, message) => {
    const { service, configText } = await setup();
    const answer = await run(service);
    expect(answer.ok).toBe(false);
    expect(answer.text).toMatch(message);
    expect(await configText()).toBe(CONFIG);
  });

  it.each([
    ["no config.yaml", null, /there is no config.yaml/],
    ["an unparsable config.yaml", "model: [unclosed\n", /cannot be parsed/],
    ["a config.yaml that is a list", "- a\n- b\n", /not a mapping/],
  ])("WHEN the profile has %s THEN apply refuses and changes nothing", async (_what, config, message) => {
    const { service, profile } = await setup(config);
    const answer = await service.apply(ctx, ID, "bot");
    expect(answer.ok).toBe(false);
    expect(answer.text).toMatch(message);
    if (config !== null) expect(await readFile(path.join(profile, "config.yaml"), "utf8")).toBe(config);
  });
});
