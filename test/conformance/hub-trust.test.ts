// Trust as Hermes judges it: the bundled installer's trust rule against Hermes' own
// `_resolve_trust_level`, and what `hermes skills list` shows for skills the bundled installer put
// into a profile from community and trusted repositories.
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { trustOf } from "../../src/app/install/hub-source.ts";
import { runCli } from "../helpers/cli.ts";
import { hermesPython, skillsList } from "../helpers/hermes.ts";
import { useTempDirs } from "../helpers/temp-dir.ts";

const tempDir = useTempDirs();

const IDENTIFIERS = [
  "official/security/password-audit",
  "anthropics/skills/cron-review",
  "openai/skills/x",
  "huggingface/skills/x",
  "NVIDIA/skills/x",
  "nvidia/skills/x",
  "anthropics/skills-extra/x",
  "nousresearch/hermes-skills/x",
  "skills-sh/anthropics/skills/x",
  "acme/agent-skills/changelog",
];

describe("GIVEN the real Hermes 0.19's trust rule", () => {
  it("WHEN the bundled installer judges trust THEN it agrees with Hermes on every kind of identifier", async () => {
    const data = await tempDir();
    const home = path.join(data, "hermes");
    // Hermes judges an official skill by its source "official"; every other by its identifier.
    const hermes = (await hermesPython(
      home,
      home,
      `import json\nfrom tools.skills_guard import _resolve_trust_level as t\nids = ${JSON.stringify(IDENTIFIERS)}\nprint(json.dumps({i: t("official" if i.startswith("official/") else i) for i in ids}))`,
    )) as Record<string, string>;
    expect(Object.fromEntries(IDENTIFIERS.map((id) => [id, trustOf(id)]))).toEqual(hermes);
  });

  it("WHEN the bundled installer installs from a community and a trusted repository THEN `hermes skills list` shows each with source github and Hermes' trust", async () => {
    const data = await tempDir();
    const file = path.join(data, "blueprint.yaml");
    await writeFile(
      file,
      "name: trusty\nskills:\n  hub: [acme/agent-skills/changelog, anthropics/skills/cron-review]\n",
    );
    const result = await runCli(["create", "--from", file], {
      env: { DATA_DIR: data, HERMES_HOME: path.join(data, "hermes") },
    });
    expect(result.code).toBe(0);
    const rows = (await skillsList(path.join(data, "hermes"), "trusty")).filter((row) =>
      ["changelog", "cron-review"].includes(row.name),
    );
    expect(rows.map(({ name, source, trust }) => ({ name, source, trust }))).toEqual([
      { name: "changelog", source: "github", trust: "community" },
      { name: "cron-review", source: "github", trust: "trusted" },
    ]);
  });
});
