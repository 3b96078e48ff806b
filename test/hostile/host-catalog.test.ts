// A Hermes host's lists for the wizard (its built-in skills and MCP catalog) from a dashboard that
// lies, stalls or floods: what it sends is offered only as far as it is a real list — names by the
// strict rule, texts one clean capped line — and a host that does not answer in time or answers
// garbage leaves the bot's list in place, with the reason, never a throw.
import { afterEach, describe, expect, it } from "vitest";
import { DashboardBackend } from "../../src/app/backend/dashboard-backend.ts";
import {
  HOST_CATALOG_RETRY_MS,
  HOST_CATALOG_TTL_MS,
  HOST_MCPS_MAX,
  HOST_SKILLS_MAX,
  readHostCatalog,
} from "../../src/app/backend/host-catalog.ts";
import { DashboardClient } from "../../src/app/hermes/dashboard-client.ts";
import { blueprintSchema } from "../../src/core/blueprint.ts";
import { OUTSIDE_DETAIL_MAX_CHARS } from "../../src/core/outside-text.ts";
import { WizardContexts } from "../../src/app/runtime/wizard-context.ts";
import { MCP_NOTE_MAX_CHARS } from "../../src/app/profile/shared-create-steps.ts";
import { shippedLibrary } from "../helpers/catalog.ts";
import { memoryLogger } from "../helpers/silent-logger.ts";
import { startHostileDashboard, type HostileDashboard } from "../helpers/hostile-dashboard.ts";
import { recordSecret } from "../helpers/leak-ledger.ts";

const TOKEN = "host-catalog-session-token-7d21";
recordSecret(TOKEN);
/** Far above a loopback answer on a loaded machine, for the cases not about timing. */
const AMPLE_MS = 5_000;
/** Short enough to wait out, for the cases about timing. */
const SHORT_MS = 300;

let host: HostileDashboard | undefined;
afterEach(() => host?.close());

function clientOf(dashboard: HostileDashboard): DashboardClient {
  return new DashboardClient({ url: dashboard.url, token: TOKEN, retryDelaysMs: [10, 10] });
}

const bundled = (name: string, extra: Record<string, unknown> = {}) => ({
  name,
  description: `${name} does a thing`,
  category: "productivity",
  provenance: "bundled",
  ...extra,
});

const mcpEntry = (name: string, extra: Record<string, unknown> = {}) => ({
  name,
  description: `${name} server`,
  transport: "http",
  auth_type: "none",
  required_env: [],
  command: null,
  args: [],
  url: `https://${name}.example.invalid/mcp`,
  needs_install: false,
  ...extra,
});

async function hostAnswering(skills: unknown, mcps: unknown): Promise<HostileDashboard> {
  const dashboard = await startHostileDashboard();
  dashboard.hostile("GET /api/skills", { kind: "raw", status: 200, body: JSON.stringify(skills) });
  dashboard.hostile("GET /api/mcp/catalog", { kind: "raw", status: 200, body: JSON.stringify(mcps) });
  return dashboard;
}

describe("GIVEN a Hermes host whose lists hold hostile entries", () => {
  it("WHEN the wizard's lists are read THEN only real names are offered, each text one clean capped line", async () => {
    const { catalog } = await shippedLibrary();
    host = await hostAnswering(
      [
        bundled("host-only", { description: `\u001b[2J**bold** <@everyone>\nline two ${"x".repeat(5000)}` }),
        bundled("meeting-notes"),
        bundled("\u001b[31mred"),
        bundled("two\nlines"),
        bundled("dots", { category: "../../etc" }),
        bundled("hub-one", { provenance: "hub" }),
        bundled("agent-made", { provenance: "agent" }),
        { provenance: "bundled" },
        "not an object",
      ],
      {
        entries: [
          mcpEntry("host-tracker", {
            description: "\u001b]0;title\u0007Tracks\r\nthings\u202e",
            post_install: `\u001b[2JRun \u202eme\u200b\nnow ${"y".repeat(5000)}`,
          }),
          mcpEntry("bad name!"),
          mcpEntry("builder", { needs_install: true }),
          mcpEntry("keyed", {
            auth_type: "api_key",
            required_env: [{ name: "TRACKER_KEY", prompt: "Key\n\u001b[1mnow", required: true }],
          }),
          mcpEntry("bad-env", {
            auth_type: "api_key",
            required_env: [{ name: "NOT A NAME", prompt: "x", required: true }],
          }),
          mcpEntry("weird-auth", { auth_type: "magic" }),
        ],
      },
    );
    const lists = await readHostCatalog(clientOf(host), host.host, catalog, AMPLE_MS);
    expect(lists.origin).toEqual({
      host: host.host,
      builtinSkills: "host",
      optionalSkills: "bot",
      mcps: "host",
    });
    expect(lists.builtinSkills.map((skill) => skill.id)).toEqual([
      "productivity/host-only",
      "productivity/meeting-notes",
    ]);
    const hostOnly = lists.builtinSkills[0];
    // eslint-disable-next-line no-control-regex -- a shown text is one clean line
    expect(hostOnly?.description).not.toMatch(/[\u0000-\u001f\u202e]/);
    expect(hostOnly?.description.length).toBeLessThanOrEqual(OUTSIDE_DETAIL_MAX_CHARS);
    // A skill the bot ships too keeps the bot's entry (its id and description).
    expect(lists.builtinSkills[1]).toBe(
      catalog.builtinSkills.find((skill) => skill.name === "meeting-notes"),
    );
    expect(lists.mcps.map((entry) => entry.name)).toEqual(["host-tracker", "keyed"]);
    expect(lists.mcps[0]?.description).toBe("Tracks things");
    // Its note after Create is outside text too: one clean capped line.
    const note = lists.mcps[0]?.post_install ?? "";
    expect(note.startsWith("Run me now y")).toBe(true);
    // eslint-disable-next-line no-control-regex -- a shown text is one clean line
    expect(note).not.toMatch(/[\u0000-\u001f\u200b\u202e]/);
    expect(note.length).toBeLessThanOrEqual(MCP_NOTE_MAX_CHARS);
    expect(lists.mcps[1]?.auth.env).toEqual([
      { name: "TRACKER_KEY", prompt: "Key now", required: true, secret: true },
    ]);
  });

  it("WHEN the host lists more than a tree holds THEN the bot's lists are offered and the reason names the count", async () => {
    const { catalog } = await shippedLibrary();
    host = await hostAnswering(
      Array.from({ length: HOST_SKILLS_MAX + 1 }, (_, index) => bundled(`skill-${index}`)),
      { entries: Array.from({ length: HOST_MCPS_MAX + 1 }, (_, index) => mcpEntry(`mcp-${index}`)) },
    );
    const lists = await readHostCatalog(clientOf(host), host.host, catalog, AMPLE_MS);
    expect(lists.builtinSkills).toBe(catalog.builtinSkills);
    expect(lists.mcps).toBe(catalog.mcps);
    expect(lists.origin).toMatchObject({ builtinSkills: "bot", mcps: "bot" });
    expect(lists.origin.problems).toEqual({
      builtinSkills: `it listed ${HOST_SKILLS_MAX + 1} built-in skills, more than a Hermes tree holds`,
      mcps: `it listed ${HOST_MCPS_MAX + 1} MCP catalog entries, more than a Hermes tree holds`,
    });
  });
});

describe("GIVEN a Hermes host that does not answer its lists sensibly", () => {
  for (const [label, hostility, says] of [
    ["never answers", { kind: "silent" }, `did not answer in ${SHORT_MS} ms`],
    [
      "answers malformed JSON",
      { kind: "raw", status: 200, body: '{"entries": [' },
      "not as Hermes' dashboard does",
    ],
    [
      "answers the wrong shape",
      { kind: "raw", status: 200, body: '{"skills": 3}' },
      "not as Hermes' dashboard does",
    ],
    ["floods", { kind: "flood", bytes: 10 * 1024 * 1024 }, "answered with more than 4 MiB"],
  ] as const) {
    it(`WHEN it ${label} THEN the bot's lists are offered within the time limit and the reason says why`, async () => {
      const { catalog } = await shippedLibrary();
      host = await startHostileDashboard();
      host.hostile("GET /api/skills", hostility);
      host.hostile("GET /api/mcp/catalog", hostility);
      const started = Date.now();
      const lists = await readHostCatalog(clientOf(host), host.host, catalog, SHORT_MS);
      if (hostility.kind === "silent") expect(Date.now() - started).toBeLessThan(SHORT_MS * 10);
      expect(lists.builtinSkills).toBe(catalog.builtinSkills);
      expect(lists.mcps).toBe(catalog.mcps);
      expect(lists.origin).toMatchObject({ builtinSkills: "bot", optionalSkills: "bot", mcps: "bot" });
      for (const problem of [lists.origin.problems?.builtinSkills, lists.origin.problems?.mcps]) {
        expect(problem).toContain(says);
        // The fact only, one sentence: the advice of a command's reply is left out.
        expect(problem).not.toMatch(/\.\s/);
        expect(problem).not.toContain(TOKEN);
      }
    }, 30_000);
  }
});

describe("GIVEN a dashboard backend asked for its host's lists at every wizard step", () => {
  it("WHEN they are asked again THEN the host is read once per HOST_CATALOG_TTL_MS, and again sooner after a failure", async () => {
    const library = await shippedLibrary();
    host = await hostAnswering([bundled("host-only")], { entries: [] });
    let now = 0;
    const backend = new DashboardBackend({
      client: clientOf(host),
      library,
      installs: { run: () => Promise.resolve() } as never,
      now: () => now,
    });
    const reads = () => host?.requests.filter((seen) => seen.path === "/api/skills").length;
    await backend.catalogs();
    await backend.catalogs();
    expect(reads()).toBe(1);
    now += HOST_CATALOG_TTL_MS + 1;
    host.hostile("GET /api/skills", { kind: "raw", status: 200, body: "nope" });
    const failed = await backend.catalogs();
    expect(reads()).toBe(2);
    expect(failed.origin.builtinSkills).toBe("bot");
    now += HOST_CATALOG_RETRY_MS - 1;
    await backend.catalogs();
    expect(reads()).toBe(2);
    now += 2;
    await backend.catalogs();
    expect(reads()).toBe(3);
  });
});

describe("GIVEN a wizard whose Create press was checked against the host's lists", () => {
  it("WHEN the host's tree grew since (its lists due again) THEN Create switches off against the lists the wizard used, not a skill the user never saw", async () => {
    const library = await shippedLibrary();
    host = await hostAnswering([bundled("host-only"), bundled("meeting-notes")], { entries: [] });
    let now = 0;
    const backend = new DashboardBackend({
      client: clientOf(host),
      library,
      installs: { run: () => Promise.resolve() } as never,
      now: () => now,
    });
    // The wizard's last step read the lists; the user kept both built-ins.
    await backend.catalogs();
    now += HOST_CATALOG_TTL_MS + 1;
    host.hostile("GET /api/skills", {
      kind: "raw",
      status: 200,
      body: JSON.stringify([bundled("host-only"), bundled("meeting-notes"), bundled("new-one")]),
    });
    const blueprint = blueprintSchema.parse({
      name: "kept",
      skills: { builtin: ["productivity/host-only", "productivity/meeting-notes"] },
    });
    const report = await backend.create(blueprint, new Map(), undefined);
    expect(report.ok, report.problems.join("; ")).toBe(true);
    const configs = host.requests.filter((seen) => seen.method === "PUT" && seen.path === "/api/config/raw");
    expect(configs.map((seen) => seen.body).join("\n")).not.toContain("new-one");
    expect(host.requests.filter((seen) => seen.path === "/api/skills")).toHaveLength(1);
  });
});

describe("GIVEN wizard sessions stepping against a host whose lists change", () => {
  it("WHEN the host's lists are read again mid-wizard THEN an open session keeps the lists it was shown (presses go by position) until it ends; a new session gets the new ones", async () => {
    const library = await shippedLibrary();
    host = await hostAnswering([bundled("host-only"), bundled("meeting-notes")], { entries: [] });
    let now = 0;
    const backend = new DashboardBackend({
      client: clientOf(host),
      library,
      installs: { run: () => Promise.resolve() } as never,
      now: () => now,
    });
    const contexts = new WizardContexts({
      store: { binding: () => Promise.resolve(undefined), setBinding: () => Promise.resolve() },
      library,
      backend,
      now: () => now,
      logger: memoryLogger().logger,
      outputFor: () => undefined,
    });
    const names = async (id: string) =>
      (await contexts.of({ surface: "console", chat: "c", id })).context.catalog.builtinSkills.map(
        (skill) => skill.name,
      );
    expect(await names("open")).toEqual(["host-only", "meeting-notes"]);
    now += HOST_CATALOG_TTL_MS + 1;
    // A skill added first on the host: every position after it moves.
    host.hostile("GET /api/skills", {
      kind: "raw",
      status: 200,
      body: JSON.stringify([bundled("added"), bundled("host-only"), bundled("meeting-notes")]),
    });
    expect(await names("new")).toEqual(["added", "host-only", "meeting-notes"]);
    expect(await names("open")).toEqual(["host-only", "meeting-notes"]);
    // Its Create checks against the same lists.
    const pinned = await contexts.pinnedLists("open", backend);
    expect(pinned?.builtinSkills.map((skill) => skill.name)).toEqual(["host-only", "meeting-notes"]);
    contexts.forget("open");
    expect(await names("open")).toEqual(["added", "host-only", "meeting-notes"]);
  });
});
