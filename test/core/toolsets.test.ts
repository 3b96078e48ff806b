import { beforeAll, describe, expect, it } from "vitest";
import type { Catalog } from "../../src/core/catalog.ts";
import { parseBlueprintYaml } from "../../src/core/blueprint-yaml.ts";
import { planToolsets } from "../../src/core/edit/plan-toolsets.ts";
import { changeLine } from "../../src/core/edit/profile-change.ts";
import { machineToolsets, platformToolsets, toolsetProblems, toolsetsOn } from "../../src/core/toolsets.ts";
import { shippedLibrary } from "../helpers/catalog.ts";

let catalog: Catalog;
beforeAll(async () => {
  catalog = (await shippedLibrary()).catalog;
});

function blueprint(yaml: string) {
  const parsed = parseBlueprintYaml(yaml);
  if (!parsed.ok) throw new Error(parsed.problems.join("\n"));
  return parsed.blueprint;
}

describe("GIVEN Hermes 0.19's toolsets (library/toolsets.yaml)", () => {
  it("WHEN a list is resolved per platform THEN a toolset Hermes restricts to one platform appears only there", () => {
    expect(toolsetsOn(["web", "discord", "web"], "telegram", catalog.toolsets)).toEqual(["web"]);
    expect(toolsetsOn(["web", "discord"], "discord", catalog.toolsets)).toEqual(["discord", "web"]);
    expect(toolsetsOn({ cli: ["terminal"] }, "telegram", catalog.toolsets)).toBeUndefined();
    expect(toolsetsOn({ cli: ["terminal"], default: ["web"] }, "telegram", catalog.toolsets)).toEqual([
      "web",
    ]);
    expect(Object.keys(platformToolsets(["web"], catalog.toolsets))).toEqual(catalog.toolsets.platforms);
  });

  it("WHEN names are unknown THEN each problem names what this Hermes has", () => {
    expect(toolsetProblems(["web", "shell", "sudo"], catalog.toolsets)[0]).toMatch(
      /^toolsets: 'shell', 'sudo' are not toolsets of this Hermes; it has: web, browser, terminal, /,
    );
    expect(toolsetProblems({ tg: ["web"] }, catalog.toolsets)[0]).toMatch(
      /^toolsets: 'tg' is not a platform of this Hermes; it has: default, cli, telegram, discord, /,
    );
    expect(toolsetProblems({ default: ["web"], cli: ["terminal"] }, catalog.toolsets)).toEqual([]);
    expect(machineToolsets({ cli: ["terminal", "web"], default: ["file"] })).toEqual(["terminal", "file"]);
  });
});

describe("GIVEN an edit that sets toolsets", () => {
  const current = (config: Record<string, unknown>) => ({
    config,
    meta: {},
    soul: undefined,
    hubInstalls: [],
    builtinsPresent: undefined,
  });

  it("WHEN a platform lists composites and an MCP server THEN only the server's entry stays (Hermes would expand any composite), plugin toolsets are named known, and one line covers platforms changed alike", () => {
    const plan = planToolsets(
      current({
        mcp_servers: { docs: { url: "https://mcp.example.com/mcp" } },
        platform_toolsets: { cli: ["hermes-cli", "debugging", "docs", "web"] },
      }),
      blueprint("name: p\ntoolsets: { cli: [web, file] }\n"),
      catalog,
    );
    expect(plan.config).toEqual([
      { path: ["known_plugin_toolsets", "cli"], value: ["spotify"] },
      { path: ["platform_toolsets", "cli"], value: ["docs", "file", "web"] },
    ]);
    expect(plan.changes.map(changeLine)).toEqual(["~ toolsets on cli changed: web → file, web"]);
  });

  it("WHEN agent.disabled_toolsets holds one now chosen THEN it is taken out (Hermes applies that list last), as a change of its own", () => {
    const lists = platformToolsets(["web"], catalog.toolsets);
    const known = Object.fromEntries(Object.keys(lists).map((platform) => [platform, ["spotify"]]));
    const plan = planToolsets(
      current({
        platform_toolsets: lists,
        known_plugin_toolsets: known,
        agent: { disabled_toolsets: ["web", "tts"] },
      }),
      blueprint("name: p\ntoolsets: [web]\n"),
      catalog,
    );
    expect(plan.config).toEqual([{ path: ["agent", "disabled_toolsets"], value: ["tts"] }]);
    expect(plan.changes.map(changeLine)).toEqual([
      "- agent.disabled_toolsets: web removed: Hermes applies that list last: it would keep them off",
    ]);
  });

  it("WHEN the lists already match THEN nothing changes", () => {
    const lists = platformToolsets(["web", "skills"], catalog.toolsets);
    const known = Object.fromEntries(Object.keys(lists).map((platform) => [platform, ["spotify"]]));
    const plan = planToolsets(
      current({ platform_toolsets: lists, known_plugin_toolsets: known }),
      blueprint("name: p\ntoolsets: [skills, web]\n"),
      catalog,
    );
    expect(plan.config).toEqual([]);
    expect(plan.changes).toEqual([]);
  });

  it("WHEN a toolset is named for a platform Hermes does not allow it on THEN that is a problem, not a silent drop", () => {
    expect(toolsetProblems({ telegram: ["discord"] }, catalog.toolsets)).toEqual([
      "toolsets.telegram: 'discord' is a toolset Hermes allows only on discord",
    ]);
  });
});
