// CommonGround as a target beside this machine's Hermes, through the real start-up path against the
// fake CommonGround API (every rule of the real v1r4 server): `create --from --host cg` and the
// console wizard upload a profile the server takes, with no key in any upload; a name the project
// has in another letter case is refused before anything is sent; /profile list, show and delete work
// there; a server that fails is named by host with no token; a lost answer is never retried blind.
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { runCli } from "../helpers/cli.ts";
import { piped } from "../helpers/console-wizard.ts";
import { recordSecret } from "../helpers/leak-ledger.ts";
import { useTempDirs } from "../helpers/temp-dir.ts";
import { startFakeCommonGround, type FakeCommonGround } from "../fakes/fake-commonground.ts";

const tempDir = useTempDirs();
const TOKEN = "cg-proxy-token-5f1e2a9c7b";
const OPENROUTER_KEY = "sk-or-v1-commonground-never-uploaded-8842";
recordSecret(TOKEN);
recordSecret(OPENROUTER_KEY);

let server: FakeCommonGround | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function setup() {
  server = await startFakeCommonGround({ requireToken: TOKEN, projects: ["lab"] });
  const data = await tempDir();
  const env = {
    DATA_DIR: data,
    HERMES_HOME: path.join(data, "hermes"),
    COMMONGROUND_URL: server.url,
    COMMONGROUND_PROJECT: "lab",
    COMMONGROUND_TOKEN: TOKEN,
    COMMONGROUND_WORKER_TARGET: "worker_lab",
    OPENROUTER_API_KEY: OPENROUTER_KEY,
  };
  return { server, data, env };
}

const uploads = (fake: FakeCommonGround) =>
  fake.requests.filter((request) => request.method === "POST" && request.path.endsWith("/profiles"));

describe("GIVEN a bot with this machine's Hermes and a CommonGround project", () => {
  it("WHEN create --from --host cg runs THEN the server stores the exported profile, no key is uploaded, and the report names the key the worker needs", async () => {
    const { server: fake, data, env } = await setup();
    const file = path.join(data, "agent.yaml");
    await writeFile(
      file,
      [
        "name: review-agent",
        "description: Reviews pull requests",
        "model: { provider: openrouter, model: anthropic/claude-sonnet-4 }",
        "persona: { id: engineering-code-reviewer }",
        "soul: You are the review agent of team lab.",
        "skills: { builtin: none }",
        "commonground: { must_end_with: [submit_result] }",
        "",
      ].join("\n"),
    );
    const created = await runCli(["create", "--from", file, "--host", "cg"], { env });
    expect(created.code, created.stderr).toBe(0);
    const report = JSON.parse(created.stdout) as { ok: boolean; steps: { step: string; detail: string }[] };
    expect(report.ok).toBe(true);
    expect(report.steps.map((step) => step.detail).join("\n")).toContain(
      "not uploaded; the worker reads them from its environment: OPENROUTER_API_KEY",
    );
    const [card] = fake.cards("lab");
    expect(card).toMatchObject({
      name: "review-agent",
      description: "Reviews pull requests",
      worker_target: "worker_lab",
      tags: expect.arrayContaining(["engineering"]) as unknown,
      must_end_with: ["submit_result"],
      llm_config: expect.objectContaining({ model: "openrouter/anthropic/claude-sonnet-4" }) as unknown,
    });
    expect(String(card?.["system_prompt_template"])).toMatch(
      /^You are the review agent of team lab\.\n\n# Code Reviewer/,
    );
    expect(uploads(fake)).toHaveLength(1);
    for (const request of fake.requests) {
      expect(request.body).not.toContain(OPENROUTER_KEY);
      expect(request.body).not.toContain(TOKEN);
    }
  }, 60_000);

  it("WHEN the project has the name in another letter case THEN create is refused before anything is uploaded", async () => {
    const { server: fake, data, env } = await setup();
    // Made on the server by someone else, in a case Hermes' name rule would never give.
    const form = new FormData();
    form.append("file", new Blob(["name: Review-Agent\nworker_target: w\n"]), "p.yaml");
    const made = await fetch(`${fake.url}/projects/lab/profiles`, {
      method: "POST",
      body: form,
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(made.status).toBe(201);
    const file = path.join(data, "agent.yaml");
    await writeFile(file, "name: review-agent\n");
    const second = await runCli(["create", "--from", file, "--host", "cg"], { env });
    expect(second.code).not.toBe(0);
    expect(second.stdout + second.stderr).toContain(
      "the project already has 'Review-Agent' (names are the same in any letter case there, and CommonGround would overwrite it or make a second one)",
    );
    expect(uploads(fake)).toHaveLength(1);
  }, 60_000);

  it("WHEN the console lists, shows and deletes there THEN each works on the project and says where", async () => {
    const { server: fake, data, env } = await setup();
    await writeFile(path.join(data, "a.yaml"), "name: alpha-agent\ndescription: First\n");
    expect(
      (await runCli(["create", "--from", path.join(data, "a.yaml"), "--host", "cg"], { env })).code,
    ).toBe(0);
    const session = await runCli(["start"], {
      input: piped([
        "/profile list",
        "/profile show cg:alpha-agent",
        "/profile delete cg:alpha-agent",
        "Delete alpha-agent",
        "/profile list",
      ]),
      env,
    });
    expect(session.stdout).toContain("cg:alpha-agent — worker worker_lab · tags none");
    expect(session.stdout).toContain("Profile 'alpha-agent' on cg");
    expect(session.stdout).toContain("Worker target: worker_lab");
    expect(fake.cards("lab")).toEqual([]);
    expect(session.stdout).not.toContain(TOKEN);
  }, 60_000);

  it("WHEN the console wizard creates in the project THEN it asks CommonGround's questions, no key, and the server stores what was chosen", async () => {
    const { server: fake, env } = await setup();
    const session = await runCli(["start"], {
      input: piped([
        "/profile use cg:",
        "/profile new",
        "wizard-agent",
        "Next",
        "OpenRouter",
        "anthropic/claude-sonnet-4",
        "Security Engineer",
        "Keep my choices",
        "Use worker_lab",
        "security, review",
        "Next ▶",
        "submit_result",
        "Create",
      ]),
      env,
    });
    expect(session.stdout).toContain("This chat now creates profiles on cg");
    expect(session.stdout).not.toContain("OPENROUTER_API_KEY (private)");
    const [card] = fake.cards("lab");
    expect(card).toMatchObject({
      name: "wizard-agent",
      worker_target: "worker_lab",
      tags: ["security", "review"],
      must_end_with: ["submit_result"],
    });
    for (const request of fake.requests) expect(request.body).not.toContain(OPENROUTER_KEY);
    // No identity text given: the persona's text alone, never Hermes' own default identity.
    expect(String(card?.["system_prompt_template"])).toMatch(/^# Security Engineer/);
    expect(session.stdout).toContain("It runs in CommonGround project 'lab' at");
    expect(session.stdout).not.toContain("hermes -p wizard-agent");
  }, 90_000);

  it("WHEN the server fails or loses an answer THEN the message names the host and no token, and a lost upload is listed, not sent again", async () => {
    const { server: fake, data, env } = await setup();
    fake.fail(
      "GET /projects/{project_id}/profiles",
      {
        kind: "status",
        status: 500,
        body: JSON.stringify({ detail: { error_code: "internal_error", error_message: `boom ${TOKEN}` } }),
      },
      3,
    );
    const listed = await runCli(["start"], { input: piped(["/profile list"]), env });
    expect(listed.stdout).toContain(`CommonGround at ${new URL(fake.url).host} failed (500)`);
    expect(listed.stdout).not.toContain(TOKEN);

    await writeFile(path.join(data, "b.yaml"), "name: beta-agent\n");
    fake.fail("POST /projects/{project_id}/profiles", { kind: "reset", afterHandling: true });
    const created = await runCli(["create", "--from", path.join(data, "b.yaml"), "--host", "cg"], { env });
    expect(created.code, created.stderr).toBe(0);
    expect(uploads(fake)).toHaveLength(1);
    expect(fake.cards("lab").map((card) => card["name"])).toEqual(["beta-agent"]);
  }, 60_000);
});

describe("GIVEN exports of blueprints and imported profiles", () => {
  it("THEN the server's rules accept every export, and the stored card is what was exported", async () => {
    const { server: fake, data, env } = await setup();
    const blueprints = [
      "name: plain-one\n",
      // Strings YAML 1.1 would read as booleans or numbers: the server must get the strings.
      "name: 'yes'\ndescription: 'No'\nsoul: 'on'\ncommonground: { worker_target: 'off', tags: ['off', '1_0', '12:30', 'y'] }\n",
      "name: local-one\nmodel: { provider: ollama, model: qwen3:8b, base_url: 'http://127.0.0.1:11434/v1' }\n",
      "name: full-one\ndescription: All of it\nmodel: { provider: gemini, model: gemini-2.5-flash }\npersona: { id: research-analyst }\ntoolsets: [web]\nmcp_servers:\n  - { name: github, command: npx, tools: { include: [search_repositories] } }\ncommonground: { tags: [a, b], delegation_policy: { target_tags: [writing], target_profiles: null }, llm_config: { temperature: 0.2 }, extra: { owner: team } }\n",
    ];
    for (const [index, text] of blueprints.entries()) {
      const file = path.join(data, `bp${index}.yaml`);
      await writeFile(file, text);
      const exported = await runCli(["export", "--format", "commonground", file], { env });
      expect(exported.code, exported.stderr).toBe(0);
      const document = parseYaml(exported.stdout) as Record<string, unknown>;
      const form = new FormData();
      form.append("file", new Blob([exported.stdout]), "profile.yaml");
      const answer = await fetch(`${fake.url}/projects/lab/profiles`, {
        method: "POST",
        body: form,
        headers: { authorization: `Bearer ${TOKEN}` },
      });
      expect(answer.status, await answer.clone().text()).toBe(201);
      const card = fake.cards("lab").find((entry) => entry["name"] === document["name"]);
      // The server fills LiteLLM's defaults into llm_config; what was exported is all there as it was.
      for (const [key, value] of Object.entries(document))
        if (key === "llm_config") expect(card?.[key], key).toMatchObject(value as object);
        else expect(card?.[key], key).toEqual(value);
    }
  }, 90_000);
});
