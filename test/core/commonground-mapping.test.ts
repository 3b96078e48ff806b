// The CommonGround mapping without a server: models in LiteLLM's naming and back, a blueprint's
// export, a profile's import, and the round trips the README promises (import → export loses
// nothing; import → export → import is the same blueprint). Keys never come through.
import { describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { blueprintSchema, type BlueprintInput } from "../../src/core/blueprint.ts";
import { readCgProfile } from "../../src/core/commonground/cg-profile.ts";
import { exportCommonGround } from "../../src/core/commonground/export-profile.ts";
import { importCommonGround } from "../../src/core/commonground/import-profile.ts";
import { fromLiteLlm, LITELLM_ROUTES, toLiteLlm } from "../../src/core/commonground/litellm-model.ts";

const blueprint = (input: Partial<BlueprintInput>) => blueprintSchema.parse({ name: "agent-one", ...input });

function imported(text: string) {
  const read = readCgProfile(text);
  if (!read.ok) throw new Error(read.problem);
  const result = importCommonGround(read.profile);
  if (!result.ok) throw new Error(result.problems.join("; "));
  return result;
}

function reexported(text: string) {
  const { blueprint: parsed } = imported(text);
  return exportCommonGround({ blueprint: parsed.blueprint, identity: parsed.blueprint.soul ?? "" });
}

describe("GIVEN a model of each provider the bot offers", () => {
  it("THEN its LiteLLM id maps back to the same model", () => {
    const cases = [
      {
        provider: "openrouter",
        model: "anthropic/claude-sonnet-4",
        litellm: "openrouter/anthropic/claude-sonnet-4",
      },
      {
        provider: "anthropic",
        model: "claude-sonnet-4-20250514",
        litellm: "anthropic/claude-sonnet-4-20250514",
      },
      { provider: "openai-api", model: "gpt-4.1", litellm: "openai/gpt-4.1" },
      { provider: "gemini", model: "gemini-2.5-flash", litellm: "gemini/gemini-2.5-flash" },
      { provider: "deepseek", model: "deepseek-chat", litellm: "deepseek/deepseek-chat" },
      { provider: "xai", model: "grok-4", litellm: "xai/grok-4" },
    ];
    for (const entry of cases) {
      const mapped = toLiteLlm(entry);
      expect(mapped?.model).toBe(entry.litellm);
      expect(fromLiteLlm(entry.litellm, undefined, undefined)).toEqual({
        provider: entry.provider,
        model: entry.model,
      });
    }
    expect(cases.map((entry) => entry.provider).sort()).toEqual(
      LITELLM_ROUTES.filter((route) => !route.server)
        .map((route) => route.provider)
        .sort(),
    );
  });

  it("THEN a server of the user's carries its address as api_base (Ollama without /v1)", () => {
    expect(
      toLiteLlm({ provider: "ollama", model: "qwen3:8b", base_url: "http://127.0.0.1:11434/v1" }),
    ).toEqual({
      model: "ollama_chat/qwen3:8b",
      api_base: "http://127.0.0.1:11434",
    });
    expect(fromLiteLlm("ollama_chat/qwen3:8b", "http://127.0.0.1:11434", undefined)).toEqual({
      provider: "ollama",
      model: "qwen3:8b",
      base_url: "http://127.0.0.1:11434/v1",
    });
    expect(
      toLiteLlm({ provider: "custom", model: "local-model", base_url: "http://10.0.0.5:1234/v1" }),
    ).toEqual({
      model: "openai/local-model",
      api_base: "http://10.0.0.5:1234/v1",
    });
    // custom_llm_provider overrides the prefix, as LiteLLM reads it; an unknown one maps to nothing.
    expect(fromLiteLlm("kimi-k2.5", undefined, "moonshot")).toBeUndefined();
    expect(fromLiteLlm("gpt-4o", undefined, undefined)).toEqual({ provider: "openai-api", model: "gpt-4o" });
  });
});

describe("GIVEN a blueprint exported to CommonGround", () => {
  it("THEN identity and persona make the prompt, the persona's category and tags the tags, and the model's key is named, not given", () => {
    const exported = exportCommonGround({
      blueprint: blueprint({
        description: "Reviews code",
        model: { provider: "openrouter", model: "anthropic/claude-sonnet-4" },
        persona: { id: "engineering-code-reviewer" },
        toolsets: ["web", "terminal"],
        mcp_servers: [
          { name: "github", command: "npx", tools: { include: ["search_repositories"] } },
          { name: "fetch", command: "uvx" },
        ],
      }),
      identity: "You are Agent One.",
      persona: {
        id: "engineering-code-reviewer",
        category: "engineering",
        tags: ["review", "quality"],
        body: "# Code Reviewer\n\nReview.",
      },
    });
    expect(exported.profile).toEqual({
      name: "agent-one",
      description: "Reviews code",
      worker_target: "worker_generic",
      tags: ["engineering", "review", "quality"],
      system_prompt_template: "You are Agent One.\n\n# Code Reviewer\n\nReview.",
      allowed_tools: ["search_repositories"],
      llm_config: { model: "openrouter/anthropic/claude-sonnet-4" },
    });
    expect(exported.env).toEqual(["OPENROUTER_API_KEY"]);
    expect(exported.notes.join("\n")).toContain(
      "MCP servers without a tool filter (fetch): none of their tools is allowed",
    );
    expect(exported.notes.join("\n")).toContain("toolsets (web, terminal");
    expect(exported.notes.join("\n")).toContain("worker_target: worker_generic (the default");
  });

  it("THEN the configured worker is used when the blueprint names none, and no model means CommonGround's default, said so", () => {
    const exported = exportCommonGround({
      blueprint: blueprint({}),
      identity: "",
      defaultWorkerTarget: "worker_team",
    });
    expect(exported.profile["worker_target"]).toBe("worker_team");
    expect(exported.profile).not.toHaveProperty("llm_config");
    expect(exported.notes).toContain("llm_config: no model; CommonGround's default (gpt-3.5-turbo) applies");
  });

  it("THEN a key in the LiteLLM options is refused in the blueprint itself", () => {
    const parsed = blueprintSchema.safeParse({
      name: "x1",
      commonground: { llm_config: { provider_options: { api_key: "sk-1" } } },
    });
    expect(parsed.success).toBe(false);
    expect(JSON.stringify(parsed.error?.issues)).toContain("keys are not kept in a blueprint");
  });
});

const PROFILES = [
  `name: Research Agent
description: Finds papers
worker_target: worker_research
tags: [research, analysis]
system_prompt_template: "You are a research agent.\\nBe precise."
allowed_tools: [web_search, submit_result]
allowed_internal_tools: [memory_read]
must_end_with: [submit_result]
llm_config: { model: gemini/gemini-2.5-flash, temperature: 0.2, stream: true }
delegation_policy: { target_tags: [writing], target_profiles: [editor] }
owner: team-a
`,
  `name: local-coder
worker_target: worker_generic
tags: "code, local"
system_prompt: Write code.
llm_config: { model: ollama_chat/qwen3:8b, api_base: "http://127.0.0.1:11434" }
`,
  `name: kimi
worker_target: w
llm_config: { model: kimi-k2.5, provider_options: { custom_llm_provider: moonshot } }
delegation_policy: { target_tags: [] }
`,
  `name: bare-openai
worker_target: w
tags: []
llm_config: { model: gpt-4o }
`,
];

describe("GIVEN CommonGround profiles imported", () => {
  it.each(PROFILES.map((text) => [text.split("\n")[0] ?? "", text]))(
    "WHEN %s is imported and exported THEN CommonGround gets the same profile back, and a second import is the same blueprint",
    (_name, text) => {
      const read = readCgProfile(text);
      if (!read.ok) throw new Error(read.problem);
      const exported = reexported(text);
      const again = readCgProfile(stringify(exported.profile));
      if (!again.ok) throw new Error(again.problem);
      const { ignored: _a, ...first } = read.profile;
      const { ignored: _b, ...second } = again.profile;
      expect(second).toEqual(first);
      const once = imported(text).blueprint.blueprint;
      const twice = imported(stringify(exported.profile)).blueprint.blueprint;
      expect(twice).toEqual(once);
    },
  );

  it("THEN a name Hermes would not take becomes a Hermes name, the original kept, and an unknown provider keeps its model in the section", () => {
    const first = imported(PROFILES[0] ?? "");
    expect(first.blueprint.blueprint.name).toBe("research-agent");
    expect(first.blueprint.blueprint.commonground?.name).toBe("Research Agent");
    expect(first.blueprint.blueprint.model).toMatchObject({ provider: "gemini", model: "gemini-2.5-flash" });
    const kimi = imported(PROFILES[2] ?? "");
    expect(kimi.blueprint.blueprint.model).toBeUndefined();
    expect(kimi.blueprint.blueprint.commonground?.llm_config).toMatchObject({ model: "kimi-k2.5" });
    expect(kimi.notes.join("\n")).toContain("no Hermes provider here");
  });

  it("THEN keys in the profile are never kept, each named", () => {
    const result = imported(
      "name: keyed\nworker_target: w\nllm_config: { model: openai/gpt-4.1, api_key: sk-live-123456 }\nservice_token: tok-987\n",
    );
    const all = JSON.stringify(result.data);
    expect(all).not.toContain("sk-live-123456");
    expect(all).not.toContain("tok-987");
    expect(result.notes).toEqual(
      expect.arrayContaining([
        expect.stringContaining("llm_config.api_key: a key is never kept"),
        expect.stringContaining("service_token: a key is never kept"),
      ]),
    );
  });

  it("THEN a document CommonGround would refuse is refused with its words", () => {
    expect(readCgProfile("- a\n- b\n")).toEqual({ ok: false, problem: "YAML root must be a mapping" });
    expect(readCgProfile("worker_target: w\n")).toEqual({ ok: false, problem: "profile name is required" });
    expect(readCgProfile("name: a\n")).toEqual({ ok: false, problem: "profile worker_target is required" });
    expect(readCgProfile("name: a\nworker_target: w\ntags: 3\n")).toEqual({
      ok: false,
      problem: "profile tags must be a list of strings",
    });
    expect(readCgProfile("name: a\nworker_target: w\nallowed_tools: web\n")).toEqual({
      ok: false,
      problem: "allowed_tools: a list of strings",
    });
  });
});

describe("GIVEN values YAML 1.1 and PyYAML read their own way", () => {
  it("THEN an import keeps what PyYAML read (y and 1e3 stay strings, 1.0 stays '1.0', a date its text) and the export writes it back so", () => {
    const text = [
      "name: odd-values",
      "worker_target: w",
      "tags: [y, n, 1.0, 1e3, yes]",
      "since: 2026-12-05",
      "llm_config: { model: openai/gpt-4.1, temperature: 0.5 }",
      "",
    ].join("\n");
    const read = readCgProfile(text);
    if (!read.ok) throw new Error(read.problem);
    expect(read.profile.tags).toEqual(["y", "n", "1.0", "1e3", "True"]);
    const exported = reexported(text);
    const written = stringify(exported.profile, { version: "1.1", lineWidth: 0 });
    const again = readCgProfile(written);
    if (!again.ok) throw new Error(again.problem);
    expect(again.profile.tags).toEqual(["y", "n", "1.0", "1e3", "True"]);
    expect(again.profile.extra).toEqual({ since: "2026-12-05" });
  });

  it("THEN strings YAML 1.1 would read as booleans or numbers are written quoted, so the server reads the strings", () => {
    const exported = exportCommonGround({
      blueprint: blueprint({
        name: "yes",
        description: "No",
        commonground: { worker_target: "on", tags: ["off", "1_0", "12:30"] },
      }),
      identity: "yes",
    });
    const read = readCgProfile(stringify(exported.profile, { version: "1.1", lineWidth: 0 }));
    if (!read.ok) throw new Error(read.problem);
    expect(read.profile).toMatchObject({
      name: "yes",
      worker_target: "on",
      description: "No",
      tags: ["off", "1_0", "12:30"],
    });
  });
});

describe("GIVEN keys hidden deeper in a CommonGround profile", () => {
  it("THEN an import keeps none of them: in lists, in headers, in URLs with credentials", () => {
    const result = imported(
      [
        "name: deep-keys",
        "worker_target: w",
        "llm_config:",
        "  model: openai/gpt-4.1",
        "  api_base: 'https://alice:pw-123456@llm.example/v1'",
        "  extra_headers: { Authorization: 'Bearer sk-deep-777777' }",
        "integrations:",
        "  - { kind: github, api_key: ghp_listed_888888 }",
        "  - { kind: hook, url: 'https://hooks.example/x?token=tok-999999' }",
        "",
      ].join("\n"),
    );
    const all = JSON.stringify(result.data);
    for (const secret of ["pw-123456", "sk-deep-777777", "ghp_listed_888888", "tok-999999"])
      expect(all).not.toContain(secret);
    expect(result.notes.join("\n")).toContain("integrations[0].api_key: a key is never kept");
  });

  it("THEN a blueprint that puts one into commonground.extra is refused with where it is", () => {
    const parsed = blueprintSchema.safeParse({
      name: "x1",
      commonground: { extra: { services: [{ url: "https://u:p@svc.example" }], openai_api_key: "sk-1" } },
    });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((issue) => issue.path.join("."))).toEqual(
      expect.arrayContaining(["commonground.extra.openai_api_key", "commonground.extra.services.0.url"]),
    );
  });
});
