// Profile edit (issue 22): `blueprint apply --from`'s work against Create's, and the yaml-splice
// editor against the yaml library's own edit. Run: npm run bench:edit  (prints a markdown section)
// Everything is measured side by side in one run, interleaved round by round (A, B, C, D, A, B, C,
// D, …), because the machines are shared and absolute times are noisy: read the ratios.
//   A  Create: writeProfile of a realistic blueprint into a temp Hermes home.
//   B  edit → Apply on the profile A just made: read the texts, plan as apply-from-file.ts plans
//      (catalog check, currentProfile, persona inputs, planEdit, planEnvKeys), applyLocalEdit.
//      The change is a new model, one MCP server added, one built-in switched off; the target
//      alternates between two blueprints (different model, server and built-in each round).
//   C  a second, no-change apply of the same target: read + plan, nothing to write.
//   D  editYamlText on a ~300-line commented config.yaml vs parseDocument + setIn + toString.
import { readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { parseDocument } from "yaml";
import { loadLibrary } from "../src/app/library/library-loader.ts";
import { loadPersonas } from "../src/app/persona/persona-loader.ts";
import { summarize } from "../src/app/persona/persona-catalog.ts";
import { personalityPreset, renderPersonality } from "../src/app/persona/personality.ts";
import { applyLocalEdit } from "../src/app/profile/edit/apply-local-edit.ts";
import { planEnvKeys } from "../src/app/profile/edit/plan-env-keys.ts";
import { readProfileTexts } from "../src/app/profile/edit/profile-texts.ts";
import { currentProfile } from "../src/app/profile/edit/read-current-profile.ts";
import { writeProfile } from "../src/app/profile/profile-writer.ts";
import { listProfiles, profileDir } from "../src/app/profile/profiles-root.ts";
import type { Blueprint } from "../src/core/blueprint.ts";
import { checkBlueprintAgainstCatalog } from "../src/core/blueprint-checks.ts";
import { parseBlueprintYaml } from "../src/core/blueprint-yaml.ts";
import type { Catalog } from "../src/core/catalog.ts";
import { record } from "../src/core/edit/current-profile.ts";
import { planEdit, type EditPlan } from "../src/core/edit/plan-edit.ts";
import { editYamlText, type YamlEdit } from "../src/core/edit/yaml-splice.ts";
import { requiredSecrets } from "../src/core/secrets.ts";

const ROOT = path.resolve(import.meta.dirname, "..");
const WARMUP = 5;
const ROUNDS = Number(process.env["BENCH_EDIT_ROUNDS"] ?? 40);

function quantile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return 0;
  // Nearest rank: the median of 40 is the 20th value, the p90 the 36th.
  return sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)] ?? 0;
}

const SECRETS = new Map([
  ["OPENROUTER_API_KEY", "sk-or-bench-0000000000000000"],
  ["GITHUB_TOKEN", "ghp_bench000000000000000000000000"],
]);

const GITHUB = `{ name: github, command: npx, args: ["-y", "@modelcontextprotocol/server-github"], env: { GITHUB_PERSONAL_ACCESS_TOKEN: "\${GITHUB_TOKEN}" }, auth: api_key }`;
const CONTEXT7 = `{ name: context7, url: "https://mcp.context7.com/mcp" }`;
const PERSONA = "engineering-security-engineer";

/** The blueprint Create writes (A) and every edit starts from. */
function createText(name: string): string {
  return `name: ${name}
display_name: Research Bot
description: Finds and summarises papers
model: { provider: openrouter, model: anthropic/claude-sonnet-4 }
skills: { builtin: default, optional: [research/arxiv-digest], hub: [] }
mcp_servers:
  - ${GITHUB}
  - ${CONTEXT7}
persona: { id: ${PERSONA}, mode: overlay }
`;
}

interface Target {
  readonly model: string;
  readonly server: string;
  readonly serverYaml: string;
  readonly off: string;
}

const TARGETS: readonly Target[] = [
  {
    model: "anthropic/claude-opus-4",
    server: "fetch",
    serverYaml: `{ name: fetch, command: uvx, args: ["mcp-server-fetch"] }`,
    off: "git-workflow",
  },
  {
    model: "openai/gpt-4.1",
    server: "memory",
    serverYaml: `{ name: memory, command: npx, args: ["-y", "@modelcontextprotocol/server-memory"] }`,
    off: "code-review",
  },
];

/** The same blueprint with a new model, one more MCP server and one built-in fewer. */
function targetText(name: string, target: Target, catalog: Catalog): string {
  const kept = catalog.builtinSkills.filter((skill) => skill.name !== target.off).map((skill) => skill.id);
  if (kept.length !== catalog.builtinSkills.length - 1) throw new Error(`no built-in ${target.off}`);
  return `name: ${name}
display_name: Research Bot
description: Finds and summarises papers
model: { provider: openrouter, model: ${target.model} }
skills: { builtin: [${kept.join(", ")}], optional: [research/arxiv-digest], hub: [] }
mcp_servers:
  - ${GITHUB}
  - ${CONTEXT7}
  - ${target.serverYaml}
persona: { id: ${PERSONA}, mode: overlay }
`;
}

/** As readBlueprintFile: the blueprint and the top-level keys the file gives. */
function parseFile(text: string): { blueprint: Blueprint; present: ReadonlySet<string> } {
  const parsed = parseBlueprintYaml(text);
  if (!parsed.ok) throw new Error(`fixture: ${parsed.problems.join("; ")}`);
  return { blueprint: parsed.blueprint, present: new Set(Object.keys(parseDocument(text).toJS() as object)) };
}

/** A Hermes-like config.yaml of about 300 lines: comments, blank lines, block and flow lists, quoting. */
function bigConfig(): string {
  const lines: string[] = [
    "# Hermes Agent configuration",
    "# Edited by hand and by `hermes config set`; comments are kept by both.",
    "_config_version: 12",
    "",
    "# ── Model ─────────────────────────────────────────────",
    "model:",
    "  provider: openrouter   # Hermes' provider id",
    "  default: anthropic/claude-sonnet-4",
    "  # base_url: http://localhost:11434/v1",
    "",
    "providers:",
    "  openrouter:",
    '    api_key_env: "OPENROUTER_API_KEY"',
    "    timeout: 120",
    "  anthropic: { api_key_env: ANTHROPIC_API_KEY, timeout: 90 }",
    "",
    "# ── Agent ─────────────────────────────────────────────",
    "agent:",
    "  max_turns: 90",
    "  reasoning_effort: medium   # low | medium | high",
    "  verbose: false",
    "  system_prompt: >",
    "    You are a careful research assistant. You cite your sources and say",
    "    when you are unsure.",
    "  personalities:",
  ];
  for (const name of ["concise", "teacher", "reviewer", "pirate", "stoic", "skeptic"]) {
    lines.push(
      `    # the ${name} preset`,
      `    ${name}:`,
      `      description: "Speaks as a ${name} would"`,
      "      system_prompt: |",
      `        You answer as a ${name}.`,
      "        Keep answers short unless asked for more.",
      `        Never break character as the ${name}.`,
    );
  }
  lines.push(
    "",
    "# ── Terminal ──────────────────────────────────────────",
    "terminal:",
    "  backend: local   # local | docker | ssh | modal",
    "  cwd: ~/work",
    "  timeout: 180",
    "  env_passthrough:",
    "    - PATH",
    "    - HOME",
    "    - LANG",
    "  docker:",
    "    image: 'python:3.12-slim'",
    "    mounts: [~/work:/work, ~/.cache:/root/.cache]",
    "",
    "browser:",
    "  inactivity_timeout: 120",
    "  record_sessions: false",
    "",
    "compression:",
    "  enabled: true",
    "  threshold: 0.85   # of the context window",
    "  summary_model: google/gemini-2.5-flash",
    "",
    "memory:",
    "  memory_enabled: true",
    "  user_profile_enabled: true",
    "  memory_char_limit: 2200",
    "  user_char_limit: 1375",
    "",
    "# ── Display ───────────────────────────────────────────",
    "display:",
    "  compact: false",
    "  personality: concise",
    "  show_reasoning: false",
    "  skin: default",
    "  tool_progress: all   # off | new | all | verbose",
    "",
    "# Toolsets on each platform",
    "platform_toolsets:",
  );
  for (const platform of ["cli", "telegram", "discord", "slack", "whatsapp", "signal"]) {
    lines.push(`  ${platform}:`);
    for (const toolset of ["web", "terminal", "file", "vision", "skills", "memory", "todo"])
      lines.push(`    - ${toolset}`);
  }
  lines.push(
    "",
    "# ── Skills ────────────────────────────────────────────",
    "skills:",
    "  # names as in each skill's frontmatter",
    "  disabled:",
    "    - meeting-notes",
    "    - memory-hygiene",
    "  external_dirs: []",
    "",
    "# ── MCP servers ───────────────────────────────────────",
    "mcp_servers:",
  );
  for (const [index, server] of ["github", "context7", "linear", "sentry", "filesystem", "brave"].entries()) {
    lines.push(`  # ${server}: added ${index + 1} week(s) ago`, `  ${server}:`);
    if (index % 2 === 0)
      lines.push(
        "    command: npx",
        `    args: ["-y", "@modelcontextprotocol/server-${server}"]`,
        "    env:",
        `      ${server.toUpperCase()}_TOKEN: "\${${server.toUpperCase()}_TOKEN}"`,
        "    timeout: 120",
        "    enabled: true",
      );
    else
      lines.push(
        `    url: "https://mcp.${server}.example/mcp"`,
        "    headers:",
        `      Authorization: "Bearer \${MCP_${server.toUpperCase()}_API_KEY}"`,
        "    tools:",
        "      include: [search, fetch]   # the rest stay hidden",
        "    enabled: true",
      );
  }
  lines.push("", "# Per-platform gateway settings");
  for (const platform of ["telegram", "discord", "slack"]) {
    lines.push(
      `${platform}:`,
      "  require_mention: true",
      "  free_response_channels: []",
      `  home_channel: '${platform}-home'`,
      "  allowed_users:",
      "    - alice",
      "    - bob",
      "",
    );
  }
  lines.push("# Approvals", "approvals:", "  mode: manual   # manual | smart | off", "  timeout: 60", "");
  lines.push("security:", "  redact_secrets: true", "  tirith_enabled: true", "");
  // Pad with commented, documented cron jobs until the file is about 300 lines.
  lines.push("cron:", "  jobs:");
  for (let job = 0; lines.length < 296; job++)
    lines.push(
      `    # job ${job}: a daily digest`,
      `    - name: digest-${job}`,
      `      schedule: "0 ${job % 24} * * *"`,
      `      prompt: "Summarise what changed in project ${job}"`,
    );
  lines.push("", "# end of file", "timezone: Europe/Berlin", "");
  return lines.join("\n");
}

/** The edits B makes to config.yaml: model, one server added, skills.disabled grown by one. */
const D_EDITS: readonly YamlEdit[] = [
  { path: ["model", "default"], value: "anthropic/claude-opus-4" },
  {
    path: ["mcp_servers", "fetch"],
    value: { command: "uvx", args: ["mcp-server-fetch"], enabled: true },
  },
  { path: ["skills", "disabled"], value: ["meeting-notes", "memory-hygiene", "git-workflow"] },
];

function libraryEdit(text: string, edits: readonly YamlEdit[]): string {
  const doc = parseDocument(text);
  for (const edit of edits) doc.setIn(edit.path, doc.createNode(edit.value));
  return doc.toString({ lineWidth: 0 });
}

function lineDiff(a: string, b: string): number {
  const left = a.split("\n");
  const right = new Set(b.split("\n"));
  return left.filter((line) => !right.has(line)).length;
}

const home = await mkdtemp(path.join(os.tmpdir(), "blueprint-bench-edit-"));
try {
  const library = await loadLibrary(path.join(ROOT, "library"));
  const personaLibrary = (await loadPersonas(path.join(ROOT, "library", "personas"))).library;
  const personas = {
    summaries: () => personaLibrary.list().map(summarize),
    get: (id: string) => personaLibrary.get(id),
  };
  const catalog: Catalog = { ...library.catalog, personas: personas.summaries() };
  const options = { hermesHome: home, profilesRoot: path.join(home, "profiles"), library, personas };
  const config = bigConfig();
  const configLines = config.split("\n").length - 1;

  /** The read + plan of apply-from-file.ts, from the parsed file on (the persona library is loaded). */
  async function readAndPlan(name: string, blueprint: Blueprint, present: ReadonlySet<string>) {
    const dir = profileDir(home, options.profilesRoot, name);
    const others = (await listProfiles(options.profilesRoot)).filter((profile) => profile !== name);
    const problems = checkBlueprintAgainstCatalog(blueprint, catalog, others).filter(
      (problem) => !problem.startsWith("clone_from:"),
    );
    if (problems.length > 0) throw new Error(problems.join("; "));
    const texts = await readProfileTexts(dir);
    const current = currentProfile(texts);
    if (!current.ok) throw new Error(current.reason);
    const wanted = blueprint.persona ? personaLibrary.get(blueprint.persona.id) : undefined;
    const activeName = record(current.value.config["display"])["personality"];
    const activePreset =
      typeof activeName === "string"
        ? record(record(current.value.config["agent"])["personalities"])[activeName]
        : undefined;
    const plan: EditPlan = planEdit(current.value, blueprint, present, {
      catalog,
      ...(wanted
        ? {
            persona: {
              id: wanted.meta.id,
              preset: personalityPreset(wanted),
              rendered: renderPersonality(personalityPreset(wanted)),
            },
          }
        : {}),
      ...(activePreset !== undefined ? { renderedActive: renderPersonality(activePreset) } : {}),
    });
    const needed = requiredSecrets(blueprint, library.catalog).map((entry) => entry.env);
    const keys = planEnvKeys(texts.env, needed, SECRETS);
    return { dir, texts, plan, keys, changes: [...plan.changes, ...keys.changes] };
  }

  const times = {
    A: [] as number[],
    B: [] as number[],
    C: [] as number[],
    Ds: [] as number[],
    Dl: [] as number[],
  };
  let lastChanges: string[] = [];
  let written: string[] = [];
  let spliceExact = true;
  let spliced = "";
  let rendered = "";
  for (let round = 0; round < WARMUP + ROUNDS; round++) {
    const measured = round >= WARMUP;
    const name = `bench-${String(round).padStart(3, "0")}`;
    const created = parseFile(createText(name));
    const target = parseFile(targetText(name, TARGETS[round % TARGETS.length] as Target, catalog));

    let started = performance.now();
    const report = await writeProfile(created.blueprint, SECRETS, options);
    const a = performance.now() - started;
    if (!report.ok) throw new Error(report.problems.join("; "));

    started = performance.now();
    const edit = await readAndPlan(name, target.blueprint, target.present);
    const applied = await applyLocalEdit(edit.dir, edit.plan, edit.texts, { set: edit.keys.set, delete: [] });
    const b = performance.now() - started;
    if (!applied.ok) throw new Error(applied.reason);
    if (edit.plan.copies.length > 0 || edit.plan.installs.length > 0)
      throw new Error(
        `unexpected copies/installs: ${[...edit.plan.copies, ...edit.plan.installs].join(", ")}`,
      );
    lastChanges = edit.changes.map((change) => `${change.kind} ${change.what}`);
    written = applied.value.written;
    if (applied.value.reformatted.length > 0)
      throw new Error(`reformatted: ${applied.value.reformatted.join(", ")}`);

    started = performance.now();
    const again = await readAndPlan(name, target.blueprint, target.present);
    const c = performance.now() - started;
    if (again.changes.length > 0)
      throw new Error(`second apply not empty: ${again.changes.map((x) => x.what).join(", ")}`);

    started = performance.now();
    const splice = editYamlText(config, D_EDITS);
    const ds = performance.now() - started;
    started = performance.now();
    rendered = libraryEdit(config, D_EDITS);
    const dl = performance.now() - started;
    spliceExact &&= splice.exact;
    spliced = splice.text;

    await rm(edit.dir, { recursive: true, force: true });
    if (!measured) continue;
    times.A.push(a);
    times.B.push(b);
    times.C.push(c);
    times.Ds.push(ds);
    times.Dl.push(dl);
  }
  if (!spliceExact) throw new Error("editYamlText fell back to the library's rendering on the fixture");

  const f = (value: number, digits = 2) => value.toFixed(digits);
  const med = (key: keyof typeof times) => quantile(times[key], 0.5);
  const p90 = (key: keyof typeof times) => quantile(times[key], 0.9);
  const cpu = /^model name\s*:\s*(.*)$/m.exec(readFileSync("/proc/cpuinfo", "utf8"))?.[1] ?? "unknown CPU";
  const row = (label: string, key: keyof typeof times) => `| ${label} | ${f(med(key))} | ${f(p90(key))} |`;
  const text = `## Profile edit: apply vs Create (issue 22)

Command: \`npm run bench:edit\` (bench/edit.ts). Machine: ${os.availableParallelism()} × ${cpu}, Node ${process.version},
${os.platform()} ${os.release()}. Run on ${new Date().toISOString().slice(0, 10)}. Shared machine: read the ratios.
One run, interleaved A, B, C, D round by round: ${WARMUP} warm-up rounds, then ${ROUNDS} measured, in a temp
Hermes home with the repo's library. Medians and p90 (nearest rank) over the ${ROUNDS} rounds.

| ratio (medians) | value |
|---|---|
| B / A: edit → Apply vs Create | ${f(med("B") / med("A"))}× |
| C / A: no-change apply vs Create | ${f(med("C") / med("A"))}× |
| D: editYamlText / yaml parseDocument+setIn+toString | ${f(med("Ds") / med("Dl"))}× |

| measure | median ms | p90 ms |
|---|---|---|
${row("A. Create: writeProfile (model, 2 MCP servers, default built-ins, 1 optional skill, persona)", "A")}
${row("B. edit → Apply: read texts, plan as apply-from-file.ts, applyLocalEdit", "B")}
${row("C. no-change apply: read texts + plan, nothing written", "C")}
${row(`D. editYamlText, ${configLines}-line commented config.yaml, ${D_EDITS.length} edits`, "Ds")}
${row("D. yaml library: parseDocument + setIn + toString, same text and edits", "Dl")}

- A: the blueprint of \`create --from\` with OpenRouter \`anthropic/claude-sonnet-4\` + key, MCP servers
  github (command, token) and context7 (url), the default built-ins, research/arxiv-digest, the
  ${PERSONA} persona (overlay), display name and description.
- B: on the profile A made in the same round, a target alternating between two blueprints (model
  opus-4 / gpt-4.1, MCP server fetch / memory added, built-in git-workflow / code-review switched
  off). Its change list: ${lastChanges.join("; ")}. Written: ${written.join(", ")}, spliced byte-exact.
  Measured from the parsed file on: the catalog check, profile listing, reading the six files,
  currentProfile, the persona inputs, planEdit, planEnvKeys, applyLocalEdit (fingerprint re-read,
  atomic write with fsync). Not in it: reading the blueprint file and loading the persona library
  (\`apply --from\` does both per run; neither depends on the profile).
- C: the same read + plan again after B: 0 changes, nothing written.
- D: model.default replaced, mcp_servers.fetch added, skills.disabled grown by one. ${lineDiff(config, spliced)} line(s) of the
  original are not in the splice's result (the replaced model line); ${lineDiff(config, rendered)} are not in the library's
  rendering (spacing before inline comments, flow lists, a folded scalar re-rendered). editYamlText
  parses the original once, each text after a splice once more, and checks the result by one parse
  against the same edits made on plain data: ${D_EDITS.length + 1} parses here (the chat editor hands it the
  original already parsed by its read, so one parse fewer).

Reading: an apply that changes a profile costs ${f(med("B") / med("A"))}× a Create of the same profile, and one
that finds nothing to change ${f(med("C") / med("A"))}× (read + plan only). Keeping the bytes exact costs ${f(med("Ds") / med("Dl"))}× the
yaml library's parse-edit-render on a ${configLines}-line file, ${f(med("Ds"))} ms against ${f(med("Dl"))} ms.

Applying through a Hermes host's dashboard: \`npm run bench:remote-edit\`; chat users editing under
load: \`LOAD_EDIT_SHARE=0.2 npm run bench:load\`.
`;
  process.stdout.write(text);
} finally {
  await rm(home, { recursive: true, force: true });
}
