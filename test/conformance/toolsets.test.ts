// The real Hermes judges the toolsets a blueprint chooses: `hermes -p <name> tools list --platform
// cli|telegram|discord` (Hermes' own `_get_platform_tools`) shows exactly the toolsets written, on a
// profile made by `create --from` and after `apply --from` changed them; a name this Hermes does not
// know is refused with its list, and nothing is created.
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { parse as parseYaml } from "yaml";
import { describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.ts";
import { hermesOk, mcpList } from "../helpers/hermes.ts";
import { useTempDirs } from "../helpers/temp-dir.ts";

const tempDir = useTempDirs();

/** Hermes' answer for one platform: the toolsets it shows enabled, sorted. */
async function enabledToolsets(home: string, profile: string, platform: string): Promise<string[]> {
  const out = await hermesOk(home, ["-p", profile, "tools", "list", "--platform", platform]);
  return out
    .split("\n")
    .flatMap((line) => {
      const match = /^\s*✓ enabled\s+(\S+)/.exec(line);
      return match?.[1] ? [match[1]] : [];
    })
    .sort();
}

async function created(file: string, text: string, env: Record<string, string>) {
  await writeFile(file, text);
  return runCli(["create", "--from", file], { env });
}

describe("GIVEN blueprint files that choose Hermes toolsets", () => {
  it("WHEN one list is given THEN every platform Hermes serves has exactly it; WHEN lists by platform THEN each platform has its own and `default` the rest", async () => {
    const data = await tempDir();
    const home = path.join(data, "hermes");
    const env = { DATA_DIR: data, HERMES_HOME: home };
    const one = await created(
      path.join(data, "one.yaml"),
      "name: chat-safe\ntoolsets: [web, skills, memory]\nmcp_servers:\n  - { name: fetch, command: uvx, args: [mcp-server-fetch] }\n",
      env,
    );
    expect(one.code, one.stderr).toBe(0);
    for (const platform of ["cli", "telegram", "discord", "slack", "cron"])
      expect(await enabledToolsets(home, "chat-safe", platform)).toEqual(["memory", "skills", "web"]);
    // A toolset list does not switch MCP servers off: Hermes still lists the server.
    expect((await mcpList(home, "chat-safe")).map((server) => server.name)).toEqual(["fetch"]);

    const split = await created(
      path.join(data, "split.yaml"),
      [
        "name: split",
        "toolsets:",
        "  cli: [terminal, file, web]",
        "  discord: [web, discord]",
        "  default: [web]",
        "",
      ].join("\n"),
      env,
    );
    expect(split.code, split.stderr).toBe(0);
    expect(await enabledToolsets(home, "split", "cli")).toEqual(["file", "terminal", "web"]);
    // `discord` is a toolset Hermes allows on Discord only.
    expect(await enabledToolsets(home, "split", "discord")).toEqual(["discord", "web"]);
    expect(await enabledToolsets(home, "split", "telegram")).toEqual(["web"]);
    const config = parseYaml(await readFile(path.join(home, "profiles", "split", "config.yaml"), "utf8")) as {
      platform_toolsets: Record<string, string[]>;
    };
    expect(config.platform_toolsets["telegram"]).toEqual(["web"]);
  }, 180_000);

  it("WHEN apply --from changes the toolsets THEN Hermes shows the new set, the line says what changed, and a second apply finds nothing", async () => {
    const data = await tempDir();
    const home = path.join(data, "hermes");
    const env = { DATA_DIR: data, HERMES_HOME: home };
    const file = path.join(data, "tools.yaml");
    expect((await created(file, "name: tooled\ntoolsets: [web, terminal]\n", env)).code).toBe(0);
    await writeFile(file, "name: tooled\ntoolsets: [web, skills]\n");
    const applied = await runCli(["apply", "--from", file], { env });
    expect(applied.code, applied.stderr).toBe(0);
    expect(applied.stdout).toMatch(/~ toolsets on 22 platforms changed: terminal, web → skills, web/);
    for (const platform of ["cli", "telegram"])
      expect(await enabledToolsets(home, "tooled", platform)).toEqual(["skills", "web"]);
    const again = await runCli(["apply", "--from", file], { env });
    expect(again.stdout).toContain("No changes: the profile already matches.");
  }, 180_000);

  it("WHEN a profile Hermes made is given toolsets THEN its platforms leave Hermes' default (the shell included) for exactly the list", async () => {
    const data = await tempDir();
    const home = path.join(data, "hermes");
    const env = { DATA_DIR: data, HERMES_HOME: home };
    await hermesOk(home, ["profile", "create", "native", "--no-alias"]);
    expect(await enabledToolsets(home, "native", "telegram")).toContain("terminal");
    const file = path.join(data, "native.yaml");
    await writeFile(file, "name: native\ntoolsets: [web, todo]\n");
    const applied = await runCli(["apply", "--from", file], { env });
    expect(applied.code, applied.stderr).toBe(0);
    expect(applied.stdout).toContain("Hermes' default → todo, web");
    expect(await enabledToolsets(home, "native", "telegram")).toEqual(["todo", "web"]);
  }, 180_000);

  it("WHEN the list is empty (a model that cannot call tools) THEN Hermes shows no toolset enabled on any platform", async () => {
    const data = await tempDir();
    const home = path.join(data, "hermes");
    const env = { DATA_DIR: data, HERMES_HOME: home };
    const result = await created(path.join(data, "bare.yaml"), "name: bare\ntoolsets: []\n", env);
    expect(result.code, result.stderr).toBe(0);
    for (const platform of ["cli", "telegram", "discord"])
      expect(await enabledToolsets(home, "bare", platform)).toEqual([]);
  }, 180_000);

  it("WHEN a toolset or platform is not one this Hermes knows THEN the file is refused with the list, and nothing is created", async () => {
    const data = await tempDir();
    const home = path.join(data, "hermes");
    const env = { DATA_DIR: data, HERMES_HOME: home };
    const bad = await created(
      path.join(data, "bad.yaml"),
      "name: bad-tools\ntoolsets: { telegarm: [web], cli: [shell] }\n",
      env,
    );
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain(
      "toolsets: 'telegarm' is not a platform of this Hermes; it has: default, cli, telegram",
    );
    expect(bad.stderr).toContain(
      "toolsets.cli: 'shell' is not a toolset of this Hermes; it has: web, browser, terminal",
    );
    expect(await hermesOk(home, ["profile", "list"])).not.toContain("bad-tools");
  }, 60_000);
});
