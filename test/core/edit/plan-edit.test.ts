import { beforeAll, describe, expect, it } from "vitest";
import type { Catalog } from "../../../src/core/catalog.ts";
import { parseBlueprintYaml } from "../../../src/core/blueprint-yaml.ts";
import type { CurrentProfile } from "../../../src/core/edit/current-profile.ts";
import { planEdit, type EditInputs } from "../../../src/core/edit/plan-edit.ts";
import { changeLine } from "../../../src/core/edit/profile-change.ts";
import { shippedLibrary } from "../../helpers/catalog.ts";

let catalog: Catalog;
let inputs: EditInputs;
beforeAll(async () => {
  catalog = (await shippedLibrary()).catalog;
  inputs = { catalog };
});

function blueprint(yaml: string) {
  const parsed = parseBlueprintYaml(yaml);
  if (!parsed.ok) throw new Error(parsed.problems.join("\n"));
  return parsed.blueprint;
}

function profile(config: Record<string, unknown>, extra: Partial<CurrentProfile> = {}): CurrentProfile {
  return { config, meta: {}, soul: undefined, hubInstalls: [], builtinsPresent: undefined, ...extra };
}

const keys = (...names: string[]) => new Set(["name", ...names]);

describe("GIVEN an edit planned from a blueprint", () => {
  it("WHEN the file gives no key but the name THEN nothing changes, whatever the profile holds", () => {
    const plan = planEdit(
      profile({ model: { default: "x" }, mcp_servers: { docs: { url: "https://a.example/mcp" } } }),
      blueprint("name: p\n"),
      keys(),
      inputs,
    );
    expect(plan).toMatchObject({ changes: [], config: [], meta: [], installs: [], copies: [] });
  });

  it("WHEN a server's URL changes THEN only the managed keys are edited: its timeout and other headers stay", () => {
    const current = profile({
      mcp_servers: {
        docs: { url: "https://old.example/mcp", timeout: 30, headers: { "X-Team": "ops" } },
      },
    });
    const plan = planEdit(
      current,
      blueprint('name: p\nmcp_servers:\n  - { name: docs, url: "https://new.example/mcp" }\n'),
      keys("mcp_servers"),
      inputs,
    );
    expect(plan.config).toEqual([{ path: ["mcp_servers", "docs", "url"], value: "https://new.example/mcp" }]);
    expect(plan.changes.map(changeLine)).toEqual(["~ MCP server 'docs' changed: url"]);
  });

  it("WHEN a server switched off by hand is listed THEN it stays off; one the editor could not show is kept", () => {
    const plan = planEdit(
      profile({
        mcp_servers: {
          a: { url: "https://a.example/mcp", enabled: false },
          odd: { url: "https://user:pw@b.example/mcp" },
        },
      }),
      blueprint('name: p\nmcp_servers:\n  - { name: a, url: "https://a.example/mcp" }\n'),
      keys("mcp_servers"),
      { ...inputs, keptServers: ["odd"] },
    );
    expect(plan.config).toEqual([]);
    expect(plan.changes).toEqual([]);
  });

  it("WHEN a hub skill is left out THEN it is switched off; listed again THEN switched back on without an install", () => {
    const hubInstalls = [
      { name: "password-audit", identifier: "official/security/password-audit", source: "official" },
    ];
    const off = planEdit(
      profile({}, { hubInstalls }),
      blueprint("name: p\nskills: { hub: [] }\n"),
      keys("skills"),
      inputs,
    );
    expect(off.config).toEqual([{ path: ["skills", "disabled"], value: ["password-audit"] }]);
    expect(off.installs).toEqual([]);
    const on = planEdit(
      profile({ skills: { disabled: ["password-audit", "hand-kept"] } }, { hubInstalls }),
      blueprint("name: p\nskills: { hub: [official/security/password-audit] }\n"),
      keys("skills"),
      inputs,
    );
    expect(on.config).toEqual([{ path: ["skills", "disabled"], value: ["hand-kept"] }]);
    expect(on.installs).toEqual([]);
    expect(on.changes.map(changeLine)).toEqual(["+ skill 'password-audit' added: switched on again"]);
  });

  it("WHEN hub skills are known by name only (a Hermes host's listing) THEN leaving them out keeps them, and naming one switches it on without an install", () => {
    const hubInstalls = [{ name: "password-audit" }, { name: "docker-debug" }];
    const kept = planEdit(
      profile({}, { hubInstalls }),
      blueprint("name: p\nskills: { hub: [] }\n"),
      keys("skills"),
      inputs,
    );
    expect(kept.config).toEqual([]);
    expect(kept.changes).toEqual([]);
    expect(kept.notes).toEqual([
      "hub skill(s) 'password-audit', 'docker-debug' are kept as they are: where they were installed from is not known here (a Hermes host lists their names only); switch one off on the host",
    ]);
    const named = planEdit(
      profile({ skills: { disabled: ["password-audit"] } }, { hubInstalls }),
      blueprint(
        "name: p\nskills: { hub: [official/security/password-audit], optional: [devops/docker-debug] }\n",
      ),
      keys("skills"),
      inputs,
    );
    expect(named.config).toEqual([{ path: ["skills", "disabled"], value: [] }]);
    expect(named.installs).toEqual([]);
    expect(named.copies).toEqual([]);
    expect(named.changes.map(changeLine)).toEqual(["+ skill 'password-audit' added: switched on again"]);
  });

  it("WHEN a hub skill is new THEN it is installed after the write and an optional one is copied", () => {
    const plan = planEdit(
      profile({}),
      blueprint(
        "name: p\nskills: { optional: [devops/docker-debug], hub: [official/security/password-audit] }\n",
      ),
      keys("skills"),
      inputs,
    );
    expect(plan.installs).toEqual(["official/security/password-audit"]);
    expect(plan.copies).toEqual(["devops/docker-debug"]);
  });

  it("WHEN built-ins are kept by a list THEN the others are switched off, and one the profile lacks is only noted", () => {
    const present = catalog.builtinSkills.map((skill) => skill.name).filter((name) => name !== "code-review");
    const plan = planEdit(
      profile({}, { builtinsPresent: present }),
      blueprint("name: p\nskills: { builtin: [code-review, git-workflow] }\n"),
      keys("skills"),
      inputs,
    );
    const off = present.filter((name) => name !== "git-workflow");
    expect(plan.config).toEqual([{ path: ["skills", "disabled"], value: off }]);
    expect(plan.notes.join("\n")).toContain("built-in skill 'code-review' is not in this profile");
  });

  it("WHEN model is a bare string in config.yaml THEN it becomes Hermes' mapping", () => {
    const plan = planEdit(
      profile({ model: "some/model" }),
      blueprint("name: p\nmodel: { provider: openrouter, model: anthropic/claude-sonnet-4 }\n"),
      keys("model"),
      inputs,
    );
    expect(plan.config).toEqual([
      { path: ["model"], value: { provider: "openrouter", default: "anthropic/claude-sonnet-4" } },
    ]);
  });

  it("WHEN persona is null THEN the active one is cleared, and a prompt written by hand is kept", () => {
    const config = {
      display: { personality: "helper" },
      agent: { personalities: { helper: { system_prompt: "Help." } }, system_prompt: "Something else" },
    };
    const plan = planEdit(profile(config), blueprint("name: p\npersona: null\n"), keys("persona"), {
      ...inputs,
      renderedActive: "Help.",
    });
    expect(plan.config).toEqual([{ path: ["display", "personality"], value: undefined }]);
    const same = planEdit(
      profile({ ...config, agent: { ...config.agent, system_prompt: "Help." } }),
      blueprint("name: p\npersona: null\n"),
      keys("persona"),
      { ...inputs, renderedActive: "Help." },
    );
    expect(same.config).toEqual([
      { path: ["display", "personality"], value: undefined },
      { path: ["agent", "system_prompt"], value: undefined },
    ]);
  });

  it("WHEN the description is set THEN profile.yaml marks it as not automatic; removed THEN both keys go", () => {
    const set = planEdit(
      profile({}),
      blueprint("name: p\ndescription: Reviews code\n"),
      keys("description"),
      inputs,
    );
    expect(set.meta).toEqual([
      { path: ["description"], value: "Reviews code" },
      { path: ["description_auto"], value: false },
    ]);
    const removed = planEdit(
      profile({}, { meta: { description: "old", description_auto: false } }),
      blueprint("name: p\ndescription: null\n"),
      keys("description"),
      inputs,
    );
    expect(removed.meta).toEqual([
      { path: ["description"], value: undefined },
      { path: ["description_auto"], value: undefined },
    ]);
  });

  it("WHEN the file gives clone_from THEN the plan says it is for Create only", () => {
    const plan = planEdit(
      profile({}),
      blueprint("name: p\nclone_from: default\n"),
      keys("clone_from"),
      inputs,
    );
    expect(plan.notes).toContain("clone_from: used only when a profile is created; ignored here");
  });
});
