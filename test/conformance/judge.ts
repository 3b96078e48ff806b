// What every conformance test asks of the real Hermes about a profile the bot made: Hermes lists
// it with its model and provider, shows exactly the chosen MCP servers enabled, the kept built-ins
// enabled and the others disabled, hub and optional skills as hub skills with the source and trust
// Hermes gives its own installs, the chosen toolsets enabled on each platform, a config it has
// nothing to migrate, and the persona as the prompt a session starts with. Read commands add folders to a profile, so compare bytes before judging.
import { readFile, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { expect } from "vitest";
import { loadPersonas } from "../../src/app/persona/persona-loader.ts";
import { envKeys } from "../../src/app/profile/env-file.ts";
import {
  configCheck,
  hermesOk,
  mcpList,
  personality,
  profileList,
  profileShow,
  skillsList,
  type ListedSkill,
} from "../helpers/hermes.ts";
import { REPO_ROOT, runCli } from "../helpers/cli.ts";
import { remoteBotEnv, type RemoteHermes } from "../helpers/remote-hermes.ts";
import { SAFE_TOOLSETS } from "../../src/core/toolsets.ts";

export interface ExpectedProfile {
  readonly name: string;
  readonly model: string;
  /** As Hermes names it (`custom` for Ollama and OpenAI-compatible servers). */
  readonly provider: string;
  readonly mcpServers: readonly string[];
  readonly builtinEnabled: readonly string[];
  readonly builtinDisabled: readonly string[];
  /** Skills installed through the hub (optional skills included), by frontmatter name. */
  readonly hubSkills: readonly string[];
  /** .env keys with a value; the values themselves are never compared here. */
  readonly envSet: readonly string[];
  /** Absent or undefined: no persona is active. */
  readonly persona?: string | undefined;
  /** The toolsets Hermes shows enabled on cli, telegram and discord; absent: not judged. */
  readonly toolsets?: readonly string[];
}

/** The wizard target every surface builds in the conformance tests. */
export function wizardTarget(name: string): ExpectedProfile {
  return {
    name,
    model: "anthropic/claude-sonnet-4",
    provider: "openrouter",
    mcpServers: ["fetch", "github"],
    builtinEnabled: ["code-review", "meeting-notes", "summarize-sources", "task-planning", "web-research"],
    builtinDisabled: ["git-workflow", "memory-hygiene"],
    hubSkills: ["docker-debug", "password-audit"],
    envSet: ["GITHUB_TOKEN", "OPENROUTER_API_KEY"],
    persona: "engineering-security-engineer",
    // The wizard's safe preset, which every chat Create writes when the user keeps it.
    toolsets: SAFE_TOOLSETS,
  };
}

/** `wizardTarget(name)` as a blueprint file, for `create --from` and `apply --from`. */
export function wizardTargetBlueprint(name: string): string {
  return `name: ${name}
description: Judged by Hermes
model: { provider: openrouter, model: anthropic/claude-sonnet-4 }
skills:
  builtin: [productivity/meeting-notes, productivity/task-planning, research/summarize-sources, research/web-research, code-review]
  optional: [devops/docker-debug]
  hub: [official/security/password-audit]
mcp_servers:
  - { name: fetch, command: uvx, args: [mcp-server-fetch] }
  - { name: github, command: npx, args: ["-y", "@modelcontextprotocol/server-github"], env: { GITHUB_PERSONAL_ACCESS_TOKEN: "\${GITHUB_TOKEN}" } }
persona: { id: engineering-security-engineer }
toolsets: [${SAFE_TOOLSETS.join(", ")}]
`;
}

/** The toolsets `hermes -p <name> tools list --platform <platform>` shows enabled, sorted. */
async function enabledToolsets(hermesHome: string, name: string, platform: string): Promise<string[]> {
  return (await hermesOk(hermesHome, ["-p", name, "tools", "list", "--platform", platform]))
    .split("\n")
    .flatMap((line) => {
      const match = /^\s*✓ enabled\s+(\S+)/.exec(line);
      return match?.[1] ? [match[1]] : [];
    })
    .sort();
}

/**
 * The source and trust `hermes skills list` shows for a skill Hermes itself installed from the
 * official optional tree: the row every official hub skill of ours must match.
 */
export async function hermesOfficialRow(hermesHome: string): Promise<Pick<ListedSkill, "source" | "trust">> {
  await hermesOk(hermesHome, ["profile", "create", "reference", "--no-alias"]);
  const installed = await hermesOk(hermesHome, [
    "-p",
    "reference",
    "skills",
    "install",
    "official/devops/docker-debug",
    "--yes",
  ]);
  expect(installed).toContain("Installed: devops/docker-debug");
  const row = (await skillsList(hermesHome, "reference")).find((skill) => skill.name === "docker-debug");
  if (!row) throw new Error("Hermes did not list the skill it installed itself");
  return { source: row.source, trust: row.trust };
}

export async function expectHermesAgrees(
  hermesHome: string,
  expected: ExpectedProfile,
  official: Pick<ListedSkill, "source" | "trust">,
): Promise<void> {
  const dir = path.join(hermesHome, "profiles", expected.name);
  // The .env as written (before Hermes' read commands touch the profile).
  const env = await readFile(path.join(dir, ".env"), "utf8");
  expect((await stat(path.join(dir, ".env"))).mode & 0o777).toBe(0o600);
  expect(
    envKeys(env)
      .filter((entry) => entry.set)
      .map((entry) => entry.key)
      .sort(),
  ).toEqual([...expected.envSet].sort());

  expect(await profileList(hermesHome)).toContain(expected.name);
  const shown = await profileShow(hermesHome, expected.name);
  expect(shown).toMatchObject({ model: expected.model, provider: expected.provider, env: "exists" });
  expect(shown.skills).toBe(
    expected.builtinEnabled.length + expected.builtinDisabled.length + expected.hubSkills.length,
  );

  const servers = await mcpList(hermesHome, expected.name);
  expect(servers.map((server) => server.name).sort()).toEqual([...expected.mcpServers].sort());
  for (const server of servers) expect(server.enabled, `${server.name} enabled`).toBe(true);

  const skills = await skillsList(hermesHome, expected.name);
  const names = (filter: (skill: ListedSkill) => boolean) =>
    skills
      .filter(filter)
      .map((skill) => skill.name)
      .sort();
  expect(names((skill) => skill.source === "builtin" && skill.enabled)).toEqual(
    [...expected.builtinEnabled].sort(),
  );
  expect(names((skill) => skill.source === "builtin" && !skill.enabled)).toEqual(
    [...expected.builtinDisabled].sort(),
  );
  expect(names((skill) => skill.source === "local")).toEqual([]);
  const hub = skills.filter((skill) => skill.source !== "builtin" && skill.source !== "local");
  expect(hub.map((skill) => skill.name).sort()).toEqual([...expected.hubSkills].sort());
  for (const skill of hub) expect(skill).toMatchObject({ ...official, enabled: true });

  if (expected.toolsets)
    for (const platform of ["cli", "telegram", "discord"])
      expect(
        (await enabledToolsets(hermesHome, expected.name, platform)).filter(
          (name) => !expected.mcpServers.includes(name),
        ),
        `toolsets Hermes enables on ${platform}`,
      ).toEqual([...expected.toolsets].sort());

  const check = await configCheck(hermesHome, expected.name);
  expect(check, "hermes config check: nothing to migrate, nothing required missing").toEqual({
    version: expect.stringMatching(/✓$/) as unknown,
    current: true,
    missing: [],
  });

  const resolved = await personality(hermesHome, dir);
  if (expected.persona) {
    const library = (await loadPersonas(path.join(REPO_ROOT, "library/personas"))).library;
    const body = library.get(expected.persona)?.body;
    expect(body).toBeDefined();
    expect(resolved.active).toBe(expected.persona);
    expect(resolved.rendered).toBe(body);
    expect(resolved.startupPrompt).toBe(body);
  } else {
    expect(resolved.active).toBe("");
  }
}

/** The console wizard's answers for `wizardTarget(name)`, one per line (a piped `npm start`). */
export function wizardConsoleScript(name: string, openrouterKey: string, githubKey: string): string[] {
  return [
    "/profile new",
    name,
    "Description",
    "Judged by Hermes",
    "Next",
    "OpenRouter",
    "1", // anthropic/claude-sonnet-4
    openrouterKey,
    "1", // deselect note-taking/memory-hygiene
    "7", // deselect software-development/git-workflow
    "Optional skills",
    "1", // devops/docker-debug
    "Hub skills",
    "official/security/password-audit",
    "done",
    "MCP servers",
    "3", // fetch
    "5", // github
    "Next",
    githubKey,
    "8", // Security Engineer
    "Keep my choices",
    "Create",
  ];
}

/**
 * A profile made on a Hermes host from the conformance blueprint, through the bot (`create --from`
 * with only the host's URL and token, the keys in its environment): what the host-edit tests start from.
 */
export async function createTargetOnHost(
  remote: RemoteHermes,
  data: string,
  name: string,
  keys: { OPENROUTER_API_KEY: string; GITHUB_TOKEN: string },
): Promise<{ data: string; env: Record<string, string> }> {
  const env = remoteBotEnv(data, remote);
  const file = path.join(data, "blueprint.yaml");
  await writeFile(file, wizardTargetBlueprint(name));
  const created = await runCli(["create", "--from", file], { env: { ...env, ...keys } });
  expect(created.code, created.stderr).toBe(0);
  return { data, env };
}
