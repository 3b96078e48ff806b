// The fake CommonGround must answer and refuse as the real v1r4 profile API does: each rule it
// follows is shown to bite here with a request a real client could make, mistakes included.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  type FakeCommonGround,
  LIST_DEFAULT_LIMIT,
  MAX_BODY_BYTES,
  startFakeCommonGround,
} from "./fake-commonground.ts";

const PROJECT = "proj-1";
const PROFILE_FIELDS = [
  "name",
  "profile_box_id",
  "project_id",
  "system_prompt_compiled",
  "tags",
  "updated_at",
  "worker_target",
];
const UUID7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const ISO_Z = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

let fake: FakeCommonGround;

beforeEach(async () => {
  fake = await startFakeCommonGround({ projects: [PROJECT] });
});
afterEach(async () => {
  await fake.close();
});

/**
 * An answer's JSON, typed as every shape the tests read at once (an application error's `detail`
 * is an object, a validation error's a list; a Profile or a project has the rest): a test reads
 * the fields of the shape it expects, and its assertions show the shape.
 */
interface Body {
  readonly detail: { readonly error_code: string; readonly error_message: string } & {
    readonly type: string;
    readonly loc: unknown[];
  }[];
  readonly name: string;
  readonly profile_box_id: string;
  readonly worker_target: string;
  readonly tags: string[];
  readonly system_prompt_compiled: string;
  readonly updated_at: string;
  readonly created_at: string;
}

interface Answer {
  readonly status: number;
  readonly body: Body;
  readonly text: string;
}

async function call(method: string, path: string, init: RequestInit = {}): Promise<Answer> {
  const response = await fetch(`${fake.url}${path}`, { method, ...init });
  const text = await response.text();
  let body: unknown = undefined;
  try {
    body = JSON.parse(text);
  } catch {
    // Not JSON: the test reads `text`.
  }
  return { status: response.status, body: body as Body, text };
}

interface UploadOptions {
  readonly field?: string;
  readonly filename?: string;
  readonly type?: string;
  readonly project?: string;
}

function upload(yaml: string | Uint8Array, options: UploadOptions = {}): Promise<Answer> {
  const form = new FormData();
  const blob = new Blob([yaml], { type: options.type ?? "application/x-yaml" });
  form.append(options.field ?? "file", blob, options.filename ?? "profile.yaml");
  return call("POST", `/projects/${options.project ?? PROJECT}/profiles`, { body: form });
}

/** A minimal valid profile document with `extra` lines appended. */
function profileYaml(name: string, extra = ""): string {
  return `name: ${name}\nworker_target: worker.generic\n${extra}`;
}

function expectRefused(answer: Answer, message: string): void {
  expect(answer.status).toBe(400);
  expect(answer.body).toEqual({ detail: { error_code: "bad_request", error_message: message } });
}

function expectPydanticRefusal(answer: Answer, field: string): void {
  expect(answer.status).toBe(400);
  expect(answer.body.detail.error_code).toBe("bad_request");
  expect(answer.body.detail.error_message).toMatch(/^\d+ validation errors? for /);
  expect(answer.body.detail.error_message).toContain(field);
}

async function names(query = ""): Promise<string[]> {
  const list = await call("GET", `/projects/${PROJECT}/profiles${query}`);
  return listOf(list).map((profile) => profile.name);
}

function listOf(answer: Answer): Body[] {
  return answer.body as unknown as Body[];
}

describe("GIVEN the fake CommonGround profile API: endpoints", () => {
  it("WHEN GET /health THEN 200 {status: ok}", async () => {
    const health = await call("GET", "/health");
    expect(health.status).toBe(200);
    expect(health.body).toEqual({ status: "ok" });
  });

  it("WHEN a project is created THEN 201 with its fields, status active and ISO times; the same id again is 409 conflict", async () => {
    const body = JSON.stringify({ project_id: "p2", title: "Two", owner_id: "me" });
    const headers = { "content-type": "application/json" };
    const created = await call("POST", "/projects", { body, headers });
    expect(created.status).toBe(201);
    expect(Object.keys(created.body).sort()).toEqual(
      ["created_at", "owner_id", "project_id", "status", "title", "updated_at"].sort(),
    );
    expect(created.body).toMatchObject({ project_id: "p2", title: "Two", owner_id: "me", status: "active" });
    expect(created.body.created_at).toMatch(ISO_Z);
    const again = await call("POST", "/projects", { body, headers });
    expect(again.status).toBe(409);
    expect(again.body.detail.error_code).toBe("conflict");
    expect(typeof again.body.detail.error_message).toBe("string");
    expect((await upload(profileYaml("a"), { project: "p2" })).status).toBe(201);
  });

  it("WHEN a project body has an unknown field or lacks one THEN 422 with FastAPI's validation list", async () => {
    const headers = { "content-type": "application/json" };
    const extra = await call("POST", "/projects", {
      headers,
      body: JSON.stringify({ project_id: "p3", title: "t", owner_id: "o", colour: "red" }),
    });
    expect(extra.status).toBe(422);
    expect(extra.body.detail).toEqual([
      {
        type: "extra_forbidden",
        loc: ["body", "colour"],
        msg: "Extra inputs are not permitted",
        input: "red",
      },
    ]);
    const missing = await call("POST", "/projects", { headers, body: JSON.stringify({ project_id: "p3" }) });
    expect(missing.status).toBe(422);
    expect(missing.body.detail.map((item) => item.loc)).toEqual([
      ["body", "title"],
      ["body", "owner_id"],
    ]);
    const notJson = await call("POST", "/projects", { headers, body: "{" });
    expect(notJson.status).toBe(422);
    expect(notJson.body.detail[0]?.type).toBe("json_invalid");
    // Nothing was made by the refused requests.
    expect((await upload(profileYaml("a"), { project: "p3" })).status).toBe(404);
  });

  it("WHEN a profile is uploaded in the multipart field `file` THEN 201, whatever its file name and content type", async () => {
    const answer = await upload(profileYaml("coder"), {
      filename: "whatever.txt",
      type: "application/octet-stream",
    });
    expect(answer.status).toBe(201);
    expect(answer.body.name).toBe("coder");
    // An empty file name is still a file (built by hand: fetch's FormData drops an empty filename).
    const body = [
      "--b0undary",
      'Content-Disposition: form-data; name="file"; filename=""',
      "",
      profileYaml("writer"),
      "--b0undary--",
      "",
    ].join("\r\n");
    const nameless = await call("POST", `/projects/${PROJECT}/profiles`, {
      headers: { "content-type": "multipart/form-data; boundary=b0undary" },
      body,
    });
    expect(nameless.status).toBe(201);
    expect(nameless.body.name).toBe("writer");
  });

  it("WHEN the YAML comes in another field or as a raw body THEN 422 missing body.file", async () => {
    const missing = { type: "missing", loc: ["body", "file"], msg: "Field required", input: null };
    const wrongField = await upload(profileYaml("coder"), { field: "profile" });
    expect(wrongField.status).toBe(422);
    expect(wrongField.body).toEqual({ detail: [missing] });
    const raw = await call("POST", `/projects/${PROJECT}/profiles`, {
      headers: { "content-type": "application/x-yaml" },
      body: profileYaml("coder"),
    });
    expect(raw.status).toBe(422);
    expect(raw.body).toEqual({ detail: [missing] });
    // A form field `file` that is text, not a file, is no UploadFile either.
    const form = new FormData();
    form.append("file", profileYaml("coder"));
    const text = await call("POST", `/projects/${PROJECT}/profiles`, { body: form });
    expect(text.status).toBe(422);
    expect(text.body.detail[0]).toMatchObject({ type: "value_error", loc: ["body", "file"] });
    expect(await names()).toEqual([]);
  });

  it("WHEN a multipart body is malformed THEN 400 as the framework answers, and nothing is stored", async () => {
    const answer = await call("POST", `/projects/${PROJECT}/profiles`, {
      headers: { "content-type": "multipart/form-data; boundary=xyz" },
      body: "--xyz\r\nno headers end here",
    });
    expect(answer.status).toBe(400);
    expect(answer.body.detail).toBe("There was an error parsing the body");
    expect(fake.cards(PROJECT)).toEqual([]);
  });

  it("WHEN the project is unknown THEN upload, list, get and delete answer 404 not_found", async () => {
    const uploaded = await upload(profileYaml("coder"), { project: "nope" });
    expect(uploaded.status).toBe(404);
    expect(uploaded.body.detail.error_code).toBe("not_found");
    for (const [method, path] of [
      ["GET", "/projects/nope/profiles"],
      ["GET", "/projects/nope/profiles/coder"],
      ["DELETE", "/projects/nope/profiles/coder"],
    ] as const) {
      const answer = await call(method, path);
      expect(answer.status).toBe(404);
      expect(answer.body.detail.error_code).toBe("not_found");
    }
  });

  it("WHEN profiles are listed THEN a bare array ordered by lower-cased name, paged by limit and offset", async () => {
    for (const name of ["delta", "Bravo", "alpha", "Charlie"]) await upload(profileYaml(name));
    const list = await call("GET", `/projects/${PROJECT}/profiles`);
    expect(list.status).toBe(200);
    expect(Array.isArray(list.body)).toBe(true);
    expect(await names()).toEqual(["alpha", "Bravo", "Charlie", "delta"]);
    expect(await names("?limit=2")).toEqual(["alpha", "Bravo"]);
    expect(await names("?limit=2&offset=1")).toEqual(["Bravo", "Charlie"]);
    expect(await names("?offset=3")).toEqual(["delta"]);
    expect(await names("?limit=0")).toEqual([]);
    const badLimit = await call("GET", `/projects/${PROJECT}/profiles?limit=ten`);
    expect(badLimit.status).toBe(422);
    expect(badLimit.body.detail[0]).toMatchObject({ type: "int_parsing", loc: ["query", "limit"] });
    const negative = await call("GET", `/projects/${PROJECT}/profiles?offset=-1`);
    expect(negative.status).toBe(422);
    expect(negative.body.detail[0]).toMatchObject({ loc: ["query", "offset"] });
  });

  it("WHEN the list is asked without a limit THEN it is one page of LIST_DEFAULT_LIMIT, not everything", async () => {
    for (let index = 0; index <= LIST_DEFAULT_LIMIT; index += 1)
      await upload(profileYaml(`p${String(index).padStart(3, "0")}`));
    const page = await names();
    expect(page).toHaveLength(LIST_DEFAULT_LIMIT);
    expect(await names(`?offset=${LIST_DEFAULT_LIMIT}`)).toEqual([`p${LIST_DEFAULT_LIMIT}`]);
  });

  it("WHEN a profile is fetched by name THEN the name matches case-insensitively; an unknown name is 404", async () => {
    await upload(profileYaml("Coder"));
    for (const asked of ["Coder", "coder", "CODER"]) {
      const found = await call("GET", `/projects/${PROJECT}/profiles/${asked}`);
      expect(found.status).toBe(200);
      expect(found.body.name).toBe("Coder");
    }
    const missing = await call("GET", `/projects/${PROJECT}/profiles/writer`);
    expect(missing.status).toBe(404);
    expect(missing.body).toEqual({ detail: { error_code: "not_found", error_message: "profile not found" } });
  });

  it("WHEN a profile is deleted THEN 204 with no body, case-insensitively; again 404 profile not found", async () => {
    await upload(profileYaml("Coder"));
    const deleted = await call("DELETE", `/projects/${PROJECT}/profiles/cODER`);
    expect(deleted.status).toBe(204);
    expect(deleted.text).toBe("");
    expect(await names()).toEqual([]);
    const again = await call("DELETE", `/projects/${PROJECT}/profiles/coder`);
    expect(again.status).toBe(404);
    expect(again.body).toEqual({ detail: { error_code: "not_found", error_message: "profile not found" } });
  });

  it("WHEN two case variants exist and one is deleted THEN 404, yet both are gone", async () => {
    await upload(profileYaml("coder"));
    await upload(profileYaml("Coder"));
    await upload(profileYaml("writer"));
    const deleted = await call("DELETE", `/projects/${PROJECT}/profiles/coder`);
    expect(deleted.status).toBe(404);
    expect(deleted.body.detail.error_code).toBe("not_found");
    expect(await names()).toEqual(["writer"]);
    expect(fake.cards(PROJECT).map((card) => card["name"])).toEqual(["writer"]);
  });

  it("WHEN a path is not a route or the method is not served there THEN FastAPI's 404 Not Found / 405", async () => {
    expect(await call("GET", "/projects/x/cards")).toMatchObject({
      status: 404,
      body: { detail: "Not Found" },
    });
    expect(await call("GET", `/projects/${PROJECT}/profiles/a%2Fb`)).toMatchObject({
      status: 404,
      body: { detail: "Not Found" },
    });
    expect(await call("PUT", `/projects/${PROJECT}/profiles/a`)).toMatchObject({
      status: 405,
      body: { detail: "Method Not Allowed" },
    });
  });
});

describe("GIVEN the fake CommonGround profile API: the Profile object", () => {
  it("WHEN a full profile is uploaded THEN the answer, the list item and GET have exactly the Profile fields and echo nothing else", async () => {
    const yaml = [
      "name: coder",
      "worker_target: worker.generic",
      "tags: [code, review]",
      "description: Writes code",
      "system_prompt_template: You write code.",
      "llm_config: {model: gemini/gemini-2.5-flash, temperature: 0.2}",
      "allowed_tools: [web_search]",
      "allowed_internal_tools: [delegate]",
      "must_end_with: [submit_result]",
      "delegation_policy: {target_tags: [review]}",
    ].join("\n");
    const created = await upload(yaml);
    const [listed] = listOf(await call("GET", `/projects/${PROJECT}/profiles`));
    if (!listed) throw new Error("the list is empty");
    const fetched = (await call("GET", `/projects/${PROJECT}/profiles/coder`)).body;
    for (const profile of [created.body, listed, fetched]) {
      expect(Object.keys(profile).sort()).toEqual(PROFILE_FIELDS);
      expect(profile).toMatchObject({
        project_id: PROJECT,
        name: "coder",
        worker_target: "worker.generic",
        tags: ["code", "review"],
        system_prompt_compiled: "You write code.",
      });
      expect(profile.profile_box_id).toMatch(UUID7);
      expect(profile.updated_at).toMatch(ISO_Z);
    }
    // What the API does not echo lives only in the stored card.
    expect(fake.cards(PROJECT)[0]).toMatchObject({
      description: "Writes code",
      allowed_tools: ["web_search"],
      allowed_internal_tools: ["delegate"],
      must_end_with: ["submit_result"],
      llm_config: { model: "gemini/gemini-2.5-flash", temperature: 0.2, stream: true },
      delegation_policy: { target_tags: ["review"], target_profiles: null },
    });
  });

  it("WHEN the same name is uploaded again THEN 201 and an overwrite: one profile, a new box id, a later updated_at", async () => {
    const first = await upload(profileYaml("coder", "description: one\n"));
    const second = await upload(profileYaml("coder", "description: two\n"));
    expect(second.status).toBe(201);
    expect(second.body.profile_box_id).not.toBe(first.body.profile_box_id);
    expect(second.body.profile_box_id).toMatch(UUID7);
    expect(second.body.updated_at > first.body.updated_at).toBe(true);
    expect(await names()).toEqual(["coder"]);
    expect(fake.cards(PROJECT).map((card) => card["description"])).toEqual(["two"]);
  });

  it("WHEN a name differing only in case is uploaded THEN 201 and a second profile; GET returns either one", async () => {
    await upload(profileYaml("coder"));
    const variant = await upload(profileYaml("Coder"));
    expect(variant.status).toBe(201);
    expect((await names()).map((name) => name.toLowerCase())).toEqual(["coder", "coder"]);
    const seen = new Set<string>();
    for (let index = 0; index < 40; index += 1)
      seen.add((await call("GET", `/projects/${PROJECT}/profiles/CODER`)).body.name);
    // The real server picks an arbitrary one: a client must not count on which.
    expect([...seen].sort()).toEqual(["Coder", "coder"]);
  });
});

describe("GIVEN the fake CommonGround profile API: reading the uploaded file", () => {
  it("WHEN the YAML root is not a mapping, or the file is empty THEN 400 YAML root must be a mapping", async () => {
    for (const yaml of ["- a\n- b\n", "just text\n", "", "# only a comment\n", "---\n", "null\n"])
      expectRefused(await upload(yaml), "YAML root must be a mapping");
  });

  it("WHEN the YAML is invalid THEN 400 bad_request with the parser's message", async () => {
    for (const yaml of ["name: [coder\nworker_target: w\n", "name: a\n---\nname: b\n", "name: !custom x\n"]) {
      const answer = await upload(yaml);
      expect(answer.status).toBe(400);
      expect(answer.body.detail.error_code).toBe("bad_request");
      expect(answer.body.detail.error_message).not.toBe("YAML root must be a mapping");
      expect(answer.body.detail.error_message.length).toBeGreaterThan(0);
    }
  });

  it("WHEN the file is not UTF-8 THEN 400 failed to read file: …; a UTF-8 BOM is accepted", async () => {
    const latin1 = Buffer.from("name: caf\xe9\nworker_target: w\n", "latin1");
    const refused = await upload(latin1);
    expect(refused.status).toBe(400);
    expect(refused.body.detail.error_code).toBe("bad_request");
    expect(refused.body.detail.error_message).toMatch(/^failed to read file: 'utf-8' codec can't decode/);
    const bom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(profileYaml("café"))]);
    const accepted = await upload(bom);
    expect(accepted.status).toBe(201);
    expect(accepted.body.name).toBe("café");
  });

  it("WHEN the YAML is YAML 1.1 as PyYAML reads it THEN yes/on are booleans but y is a string, 1e3 a string", async () => {
    expectRefused(await upload("name: yes\nworker_target: w\n"), "profile name is required");
    expectRefused(await upload("name: on\nworker_target: w\n"), "profile name is required");
    expect((await upload("name: y\nworker_target: w\n")).body.name).toBe("y");
    expect((await upload("name: 1e3\nworker_target: w\n")).body.name).toBe("1e3");
    // Duplicate keys are allowed: the last wins.
    expect((await upload("name: a\nname: b\nworker_target: w\n")).body.name).toBe("b");
  });
});

describe("GIVEN the fake CommonGround profile API: the normaliser", () => {
  it("WHEN name is missing, blank or not a string THEN 400 profile name is required; else it is trimmed", async () => {
    for (const name of [
      "",
      "name: '   '\n",
      "name: 42\n",
      "name: null\n",
      "name: [a]\n",
      "name: 2024-01-31\n",
    ])
      expectRefused(await upload(`${name}worker_target: w\n`), "profile name is required");
    expect((await upload("name: '  coder  '\nworker_target: w\n")).body.name).toBe("coder");
  });

  it("WHEN worker_target is missing, blank or not a string THEN 400 profile worker_target is required; else trimmed", async () => {
    for (const target of ["", "worker_target: ''\n", "worker_target: 7\n", "worker_target: {a: 1}\n"])
      expectRefused(await upload(`name: coder\n${target}`), "profile worker_target is required");
    expect((await upload("name: coder\nworker_target: ' worker.x '\n")).body.worker_target).toBe("worker.x");
  });

  it("WHEN tags are a list THEN each item is str()-ed and trimmed, empty ones dropped, null becoming None", async () => {
    const answer = await upload(profileYaml("coder", "tags: [' code ', null, '', 1, 1.0, true, '  ']\n"));
    expect(answer.status).toBe(201);
    expect(answer.body.tags).toEqual(["code", "None", "1", "1.0", "True"]);
    expect(fake.cards(PROJECT)[0]?.["tags"]).toEqual(["code", "None", "1", "1.0", "True"]);
  });

  it("WHEN tags are a comma-separated string THEN it is split on commas; absent tags are none", async () => {
    expect((await upload(profileYaml("a", "tags: 'code, review,,ops '\n"))).body.tags).toEqual([
      "code",
      "review",
      "ops",
    ]);
    expect((await upload(profileYaml("b"))).body.tags).toEqual([]);
  });

  it("WHEN tags are neither a list nor a string THEN 400 profile tags must be a list of strings", async () => {
    for (const tags of ["tags: 5\n", "tags: {a: b}\n", "tags: yes\n"])
      expectRefused(await upload(profileYaml("coder", tags)), "profile tags must be a list of strings");
  });

  it("WHEN system_prompt_template is absent or null THEN system_prompt is used; with neither it is empty", async () => {
    const alias = await upload(profileYaml("a", "system_prompt: From alias\n"));
    expect(alias.body.system_prompt_compiled).toBe("From alias");
    const nulled = await upload(profileYaml("b", "system_prompt_template: null\nsystem_prompt: Alias\n"));
    expect(nulled.body.system_prompt_compiled).toBe("Alias");
    const both = await upload(profileYaml("c", "system_prompt_template: Template\nsystem_prompt: Alias\n"));
    expect(both.body.system_prompt_compiled).toBe("Template");
    expect((await upload(profileYaml("d"))).body.system_prompt_compiled).toBe("");
    expectPydanticRefusal(
      await upload(profileYaml("e", "system_prompt_template: 5\n")),
      "system_prompt_template",
    );
  });
});

describe("GIVEN the fake CommonGround profile API: the profile model", () => {
  it("WHEN description is not a string THEN 400 bad_request with pydantic's message (an int is not coerced)", async () => {
    expectPydanticRefusal(await upload(profileYaml("coder", "description: 42\n")), "description");
    expectPydanticRefusal(await upload(profileYaml("coder", "description: [a]\n")), "description");
    expect(await names()).toEqual([]);
  });

  it("WHEN allowed_tools, allowed_internal_tools or must_end_with is a bare string or holds a non-string THEN 400", async () => {
    for (const field of ["allowed_tools", "allowed_internal_tools", "must_end_with"]) {
      expectPydanticRefusal(await upload(profileYaml("coder", `${field}: web_search\n`)), field);
      expectPydanticRefusal(await upload(profileYaml("coder", `${field}: [ok, 3]\n`)), `${field}.1`);
    }
    expect((await upload(profileYaml("coder", "allowed_tools: []\n"))).status).toBe(201);
    expect(fake.cards(PROJECT)[0]?.["allowed_tools"]).toEqual([]);
  });

  it("WHEN llm_config is absent or partial THEN the stored card has LiteLLM's defaults; not a mapping THEN 400", async () => {
    await upload(profileYaml("a"));
    await upload(
      profileYaml(
        "b",
        "llm_config:\n  model: moonshot/kimi-k2.5\n  stream: off\n  provider_options: {custom_llm_provider: moonshot}\n",
      ),
    );
    const [first, second] = fake.cards(PROJECT);
    expect(first?.["llm_config"]).toEqual({ model: "gpt-3.5-turbo", temperature: 1.0, stream: true });
    expect(second?.["llm_config"]).toEqual({
      model: "moonshot/kimi-k2.5",
      temperature: 1.0,
      stream: false,
      provider_options: { custom_llm_provider: "moonshot" },
    });
    expectPydanticRefusal(await upload(profileYaml("c", "llm_config: gpt-4o\n")), "llm_config");
    expectPydanticRefusal(await upload(profileYaml("c", "llm_config: {model: 4}\n")), "llm_config.model");
    expectPydanticRefusal(
      await upload(profileYaml("c", "llm_config: {temperature: hot}\n")),
      "llm_config.temperature",
    );
  });

  it("WHEN delegation_policy is given THEN unknown keys inside are dropped, [] is kept, absent stays absent; not a mapping THEN 400", async () => {
    await upload(profileYaml("a", "delegation_policy: {target_tags: [], colour: red}\n"));
    await upload(profileYaml("b", "delegation_policy: {target_tags: [x], target_profiles: [writer]}\n"));
    await upload(profileYaml("c"));
    const [first, second, third] = fake.cards(PROJECT);
    expect(first?.["delegation_policy"]).toEqual({ target_tags: [], target_profiles: null });
    expect(second?.["delegation_policy"]).toEqual({ target_tags: ["x"], target_profiles: ["writer"] });
    expect(third && "delegation_policy" in third).toBe(false);
    expectPydanticRefusal(await upload(profileYaml("d", "delegation_policy: [x]\n")), "delegation_policy");
    expectPydanticRefusal(
      await upload(profileYaml("d", "delegation_policy: {target_tags: x}\n")),
      "delegation_policy.target_tags",
    );
  });

  it("WHEN the document has extra top-level keys THEN they are kept in the stored card, not echoed", async () => {
    const answer = await upload(profileYaml("coder", "owner: team-a\nlimits: {turns: 5}\n"));
    expect(answer.status).toBe(201);
    expect(answer.body).not.toHaveProperty("owner");
    expect(fake.cards(PROJECT)[0]).toMatchObject({ owner: "team-a", limits: { turns: 5 } });
  });
});

describe("GIVEN the fake CommonGround: what tests add to the real API", () => {
  it("WHEN requests arrive THEN each is recorded with method, path, query, headers and raw body", async () => {
    await upload(profileYaml("coder"));
    await call("GET", `/projects/${PROJECT}/profiles?limit=5`, { headers: { "x-trace": "t1" } });
    const [posted, listed] = fake.requests;
    expect(posted).toMatchObject({ method: "POST", path: `/projects/${PROJECT}/profiles` });
    expect(posted?.body).toContain("name: coder");
    expect(listed).toMatchObject({ method: "GET", query: "limit=5" });
    expect(listed?.headers["x-trace"]).toBe("t1");
  });

  it("WHEN a token is required (a proxy in front) THEN a request without the right bearer token is 401", async () => {
    const guarded = await startFakeCommonGround({ projects: [PROJECT], requireToken: "proxy-token-123" });
    try {
      const health = (headers: Record<string, string>) =>
        fetch(`${guarded.url}/health`, { headers }).then((response) => response.status);
      expect(await health({})).toBe(401);
      expect(await health({ authorization: "Bearer wrong-token-456" })).toBe(401);
      expect(await health({ authorization: "Bearer proxy-token-123" })).toBe(200);
      expect(guarded.requests.map((request) => request.headers.authorization)).toEqual([
        undefined,
        "Bearer wrong-token-456",
        "Bearer proxy-token-123",
      ]);
    } finally {
      await guarded.close();
    }
  });

  it("WHEN a body is over the fake's own size bound THEN 413 and nothing stored", async () => {
    const big = profileYaml("coder", `description: ${"x".repeat(MAX_BODY_BYTES)}\n`);
    const answer = await upload(big);
    expect(answer.status).toBe(413);
    expect(fake.cards(PROJECT)).toEqual([]);
  });

  it("WHEN a route is failed with a status for N requests THEN those answer it, then the fake is honest again", async () => {
    fake.fail("GET /health", { kind: "status", status: 503 }, 2);
    expect((await call("GET", "/health")).status).toBe(503);
    const second = await call("GET", "/health");
    expect(second.status).toBe(503);
    expect(second.body.detail.error_code).toBe("internal_error");
    expect((await call("GET", "/health")).status).toBe(200);
  });

  it("WHEN a route is failed after handling THEN the work is done though the answer is a fault", async () => {
    fake.fail("POST /projects/{project_id}/profiles", { kind: "status", status: 500, afterHandling: true });
    expect((await upload(profileYaml("coder"))).status).toBe(500);
    expect(await names()).toEqual(["coder"]);
    fake.fail("POST /projects/{project_id}/profiles", { kind: "status", status: 500 });
    expect((await upload(profileYaml("writer"))).status).toBe(500);
    expect(await names()).toEqual(["coder"]);
  });

  it("WHEN a route answers garbage, a huge body, nothing or a reset THEN a client sees exactly that", async () => {
    const list = `/projects/${PROJECT}/profiles`;
    fake.fail("GET /projects/{project_id}/profiles", { kind: "garbage" });
    const garbage = await call("GET", list);
    expect(garbage.status).toBe(200);
    expect(garbage.body).toBeUndefined();
    fake.fail("GET /projects/{project_id}/profiles", { kind: "huge", bytes: 4 * 1024 * 1024 });
    const huge = await fetch(`${fake.url}${list}`);
    expect((await huge.arrayBuffer()).byteLength).toBeGreaterThan(4 * 1024 * 1024);
    fake.fail("GET /projects/{project_id}/profiles", { kind: "silent" });
    await expect(fetch(`${fake.url}${list}`, { signal: AbortSignal.timeout(300) })).rejects.toThrow();
    fake.fail("GET /projects/{project_id}/profiles", { kind: "reset" });
    await expect(fetch(`${fake.url}${list}`)).rejects.toThrow();
    expect((await call("GET", list)).status).toBe(200);
  });
});
