// What the personas Hermes plugin costs: per model request (its llm_request middleware), per Create
// (placing the plugin and the library copy), and per tool call against a 10,000-persona library.
// Run: npm run bench:personas-plugin  (prints a markdown section; paste it into BENCHMARKS.md)
//
// The machines are shared, so every comparison is made side by side in one run and read as a
// ratio: the middleware variants are interleaved call by call in ONE Hermes Python process, and the
// Creates with and without the plugin alternate round by round (order swapped every round).
//
// 1. Middleware: Hermes' own apply_llm_request_middleware on a realistic chat_completions request
//    (≈ 6 KB system message, 20 history messages; and the same with the profile's tool schemas, as
//    Hermes sends them), with the registry holding nothing (what a profile without the plugin gets),
//    a no-op callback (what ANY llm_request middleware costs in Hermes: it deep-copies the request),
//    the plugin's callback with its parse cache warm, and with the active persona's file touched
//    before each call (cache miss: stat, re-read, YAML parse, checks). The registry is swapped in
//    place between calls; a second process with a profile made without the plugin checks that the
//    empty-registry figure is what such a profile really pays.
// 2. Create: writeProfile (what `create --from` and the wizard's Create run) with and without
//    `plugins: [personas]`, with the shipped library and with a generated 10,000-persona one (a
//    LoadedLibrary whose personasRoot is the generated folder: what `libraryDir` pointing at such a
//    library gives the bot).
// 3. Tools: persona_list (no filter, category, search) and persona_get through Hermes' own dispatch
//    (model_tools.handle_function_call), first call separately (the plugin's parse cache is empty),
//    then warm; plus PersonaLibrary.load() on a fresh instance (parse of every file) and warm.
//
// Knobs: BENCH_PP_CALLS (middleware calls per variant, 1000), BENCH_PP_CREATES (Creates each way
// with the shipped library, 10), BENCH_PP_CREATES_LARGE (with the large library, 2), BENCH_PP_PERSONAS
// (10000), BENCH_PP_TOOL_CALLS (warm calls per tool query, 20), BENCH_PP_PYTHON (Hermes' python).
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { PINNED_HERMES_VERSION } from "../src/app/hermes/discover.ts";
import { loadLibrary, type LoadedLibrary } from "../src/app/library/library-loader.ts";
import { summarize } from "../src/app/persona/persona-catalog.ts";
import { loadPersonas } from "../src/app/persona/persona-loader.ts";
import type { PersonaLookup } from "../src/app/ports/persona-lookup.ts";
import { writeProfile } from "../src/app/profile/profile-writer.ts";
import { parseBlueprintYaml } from "../src/core/blueprint-yaml.ts";

const ROOT = path.resolve(import.meta.dirname, "..");
const knob = (name: string, fallback: number) => {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer`);
  return value;
};
const CALLS = knob("BENCH_PP_CALLS", 1000);
const CREATES = knob("BENCH_PP_CREATES", 10);
const CREATES_LARGE = knob("BENCH_PP_CREATES_LARGE", 2);
const COUNT = knob("BENCH_PP_PERSONAS", 10_000);
const TOOL_CALLS = knob("BENCH_PP_TOOL_CALLS", 20);
const PYTHON =
  process.env["BENCH_PP_PYTHON"] ??
  path.join(
    process.env["XDG_CACHE_HOME"] || path.join(os.homedir(), ".cache"),
    "agent-blueprint",
    `hermes-agent-${PINNED_HERMES_VERSION}`,
    "bin",
    "python",
  );
const SECRETS = new Map([["OPENROUTER_API_KEY", "sk-bench"]]);

// ---- the generated library: the same generator as bench/personas.ts (which runs on import, so it
// is repeated here rather than imported): 10 categories, a real 4-5 KB body from the shipped library.
const CATEGORIES = [
  "design",
  "devops",
  "engineering",
  "product",
  "research",
  "testing",
  "writing",
  "data",
  "legal",
  "sales",
];
const WORDS = [
  "security",
  "review",
  "incident",
  "platform",
  "growth",
  "research",
  "writer",
  "tester",
  "architect",
  "analyst",
  "cloud",
  "mobile",
  "data",
  "privacy",
  "support",
  "compliance",
  "performance",
  "frontend",
  "backend",
  "release",
];
const pick = (index: number, salt: number) => WORDS[(index * 7 + salt * 13) % WORDS.length] ?? "x";

async function generate(dir: string): Promise<string[]> {
  const template =
    (
      await readFile(path.join(ROOT, "library/personas/engineering/engineering-code-reviewer.md"), "utf8")
    ).split("---", 3)[2] ?? "";
  const ids: string[] = [];
  for (const category of CATEGORIES) await mkdir(path.join(dir, category), { recursive: true });
  for (let index = 0; index < COUNT; index++) {
    const category = CATEGORIES[index % CATEGORIES.length] ?? "misc";
    const id = `${category}-${pick(index, 1)}-${pick(index, 2)}-${index}`;
    const front = [
      "schema: 1",
      `id: ${id}`,
      `category: ${category}`,
      `name: ${pick(index, 1)} ${pick(index, 2)} ${index}`,
      "glyph: ⭐",
      `description: A ${pick(index, 3)} specialist for ${pick(index, 4)} and ${pick(index, 5)} work.`,
      `tags: [${pick(index, 6)}, ${pick(index, 7)}]`,
      "version: 1.0.0",
      "default_model: openrouter/anthropic/claude-sonnet-4",
      "default_memory_provider: builtin",
      "suggested_mcps: [github]",
      "suggested_toolsets: [file]",
    ].join("\n");
    await writeFile(path.join(dir, category, `${id}.md`), `---\n${front}\n---${template}`);
    ids.push(id);
  }
  return ids;
}

/** What `create --from` hands the writer (src/main/blueprint-file.ts filePersonas). */
async function lookup(personasRoot: string): Promise<PersonaLookup> {
  const { library, problems } = await loadPersonas(personasRoot);
  if (problems.some((problem) => problem.level === "skipped"))
    throw new Error(`${personasRoot}: ${problems.length} problem(s), first ${problems[0]?.reason}`);
  const summaries = library.list().map(summarize);
  return { summaries: () => summaries, get: (id) => library.get(id) };
}

function quantile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return 0;
  return sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)] ?? 0;
}
const median = (values: readonly number[]) => quantile(values, 0.5);

// ---- part 2: Create with and without the plugin -------------------------------------------------
interface CreateSetup {
  readonly label: string;
  readonly library: LoadedLibrary;
  readonly personas: PersonaLookup;
  readonly persona: string;
  readonly rounds: number;
  /** A warm-up round each way first (first use of the code); the large rounds run after the shipped ones. */
  readonly warmUp: boolean;
}

function blueprintText(name: string, persona: string, plugin: boolean): string {
  return [
    `name: ${name}`,
    "model: { provider: openrouter, model: anthropic/claude-sonnet-4, context_length: 128000 }",
    `persona: { id: ${persona} }`,
    ...(plugin ? ["plugins: [personas]"] : []),
    "toolsets: [todo, file, web, memory]",
    "",
  ].join("\n");
}

/** Medians of writeProfile with and without the plugin; keeps the last profile of each kind. */
async function benchCreates(home: string, setup: CreateSetup) {
  const times: Record<"with" | "without", number[]> = { with: [], without: [] };
  const kept: Partial<Record<"with" | "without", string>> = {};
  let detail = "";
  for (let round = setup.warmUp ? -1 : 0; round < setup.rounds; round++) {
    const order: ("with" | "without")[] = round % 2 === 0 ? ["with", "without"] : ["without", "with"];
    for (const kind of order) {
      const name = `${setup.label}-${kind}-${round + 1}`;
      const parsed = parseBlueprintYaml(blueprintText(name, setup.persona, kind === "with"));
      if (!parsed.ok) throw new Error(parsed.problems.join("; "));
      const started = performance.now();
      const report = await writeProfile(parsed.blueprint, SECRETS, {
        hermesHome: home,
        profilesRoot: path.join(home, "profiles"),
        library: setup.library,
        personas: setup.personas,
      });
      const ms = performance.now() - started;
      if (!report.ok) throw new Error(report.problems.join("; "));
      if (round >= 0) times[kind].push(ms);
      if (kind === "with")
        detail = report.steps.find((step) => step.step === "personas plugin")?.detail ?? "";
      // The last round's profiles are kept for the Python parts; the others go (outside the timing).
      if (round === setup.rounds - 1) kept[kind] = report.path;
      else await rm(report.path, { recursive: true, force: true });
    }
  }
  if (!kept.with || !kept.without) throw new Error("no profile kept");
  return { times, kept: { with: kept.with, without: kept.without }, detail };
}

// ---- the Python side ---------------------------------------------------------------------------
// One script, three modes; the last stdout line is the JSON result. Hermes' imports print banners
// and warnings, so stdout is redirected while they load.
const PYTHON_SCRIPT = String.raw`
import contextlib, copy, gc, io, json, os, sys, time

MODE = sys.argv[1]
CALLS = int(sys.argv[2])
SESSION = "bench-session"
ns = time.perf_counter_ns

def q(values, p):
    s = sorted(values)
    if not s:
        return 0
    import math
    return s[max(0, math.ceil(p * len(s)) - 1)]

def stats(values):
    us = [v / 1000 for v in values]
    return {"p50": q(us, 0.5), "p99": q(us, 0.99), "n": len(us)}

def realistic_request(tools):
    # A system prompt of about 6 KB (identity, memory, skills index, as Hermes builds it) and 20
    # history messages: user turns, assistant answers, tool calls and their results.
    para = ("You are a careful engineering assistant. Follow the project's conventions, cite files, "
            "and keep answers short. ")
    system = "".join(f"## Section {i}\n{para * 3}\n\n" for i in range(20))[:6144]
    history = []
    for i in range(5):
        history.append({"role": "user", "content": f"Question {i}: " + "please look at the module and explain. " * 8})
        history.append({"role": "assistant", "content": None, "tool_calls": [{
            "id": f"call_{i}", "type": "function",
            "function": {"name": "read_file", "arguments": json.dumps({"path": f"src/module_{i}.py"})}}]})
        history.append({"role": "tool", "tool_call_id": f"call_{i}", "content": ("def f(x):\n    return x\n" * 40)})
        history.append({"role": "assistant", "content": "The module does this and that. " * 12})
    request = {
        "model": "anthropic/claude-sonnet-4",
        "messages": [{"role": "system", "content": system}, *history],
        "temperature": 0.7,
        "max_tokens": 4096,
    }
    if tools is not None:
        request["tools"] = tools
    return request

with contextlib.redirect_stdout(io.StringIO()):
    from hermes_cli.plugins import discover_plugins, get_plugin_manager
    from hermes_cli.middleware import apply_llm_request_middleware, LLM_REQUEST_MIDDLEWARE
    discover_plugins()
    import model_tools
    manager = get_plugin_manager()
    plugin_cbs = list(manager._middleware.get(LLM_REQUEST_MIDDLEWARE, []))
    toolsets = ["todo", "file", "web", "memory"] + (["personas"] if plugin_cbs else [])
    try:
        tools = model_tools.get_tool_definitions(enabled_toolsets=toolsets, quiet_mode=True)
    except Exception as error:
        tools = None

def plugin_module(name):
    for module in list(sys.modules.values()):
        file = getattr(module, "__file__", None) or ""
        if file.endswith(os.path.join("plugins", "personas", name + ".py")):
            return module
    raise SystemExit("the personas plugin is not loaded")

def call(request):
    return apply_llm_request_middleware(request, session_id=SESSION, api_mode="chat_completions")

result = {"python": sys.version.split()[0]}

if MODE == "baseline":
    # A profile made without the plugin: nothing registered for llm_request.
    result["registered"] = len(plugin_cbs)
    for shape, request in (("messages", realistic_request(None)), ("tools", realistic_request(tools))):
        times = []
        for i in range(CALLS + 100):
            started = ns()
            out = call(request)
            took = ns() - started
            if out.changed:
                raise SystemExit("a middleware changed the request")
            if i >= 100:
                times.append(took)
        result[shape] = stats(times)

elif MODE == "middleware":
    if len(plugin_cbs) != 1:
        raise SystemExit(f"expected the plugin's one llm_request middleware, found {len(plugin_cbs)}")
    root = os.path.join(os.environ["HERMES_HOME"], "plugins", "personas")
    state = json.load(open(os.path.join(root, "state.json")))
    active = state["default"]
    library_root = os.path.join(root, "library")
    active_file = next(os.path.join(library_root, c, active + ".md") for c in sorted(os.listdir(library_root))
                       if os.path.isfile(os.path.join(library_root, c, active + ".md")))
    marker = plugin_module("request_persona").MARKER
    registry = manager._middleware
    noop = lambda **_: None
    variants = {
        "none": [],
        "noop": [noop],
        "plugin": plugin_cbs,
        "plugin_miss": plugin_cbs,
    }
    stamp = [os.stat(active_file).st_mtime_ns]
    def touch():
        # A new mtime (size unchanged): the cache key changes, so the next request re-reads the file.
        stamp[0] += 1000
        os.utime(active_file, ns=(stamp[0], stamp[0]))
    result["request_bytes"] = {}
    for shape, request in (("messages", realistic_request(None)), ("tools", realistic_request(tools))):
        result["request_bytes"][shape] = len(json.dumps(request))
        times = {key: [] for key in variants}
        names = list(variants)
        for i in range(CALLS + 100):
            order = names[i % len(names):] + names[:i % len(names)]
            for key in order:
                registry[LLM_REQUEST_MIDDLEWARE] = list(variants[key])
                if key == "plugin_miss":
                    touch()
                started = ns()
                out = call(request)
                took = ns() - started
                added = marker in out.payload["messages"][0]["content"]
                if added != key.startswith("plugin"):
                    raise SystemExit(f"{key}: persona added = {added}")
                if i >= 100:
                    times[key].append(took)
        result[shape] = {key: stats(values) for key, values in times.items()}
    # The plugin's own callback, called directly (no Hermes copy around it): hit and miss.
    registry[LLM_REQUEST_MIDDLEWARE] = plugin_cbs
    request = realistic_request(None)
    direct = {"hit": [], "miss": []}
    for i in range(CALLS + 100):
        for key in ("hit", "miss") if i % 2 == 0 else ("miss", "hit"):
            if key == "miss":
                touch()
            started = ns()
            plugin_cbs[0](request=request, session_id=SESSION, api_mode="chat_completions")
            took = ns() - started
            if i >= 100:
                direct[key].append(took)
    result["direct"] = {key: stats(values) for key, values in direct.items()}
    result["tools_count"] = len(tools or [])
    result["persona_bytes"] = os.path.getsize(active_file)
    # Where a cache miss goes: the frontmatter's YAML parse, with the plugin's loader (PyYAML's
    # pure-Python SafeLoader with YAML 1.2 core resolvers) against the same resolvers and
    # constructors on PyYAML's libyaml-backed CSafeLoader, when this PyYAML has libyaml.
    import yaml
    files = plugin_module("persona_files")
    text = open(active_file, encoding="utf-8").read()
    front = text[files.OPENING.match(text).end():]
    front = front[: files.CLOSING.search("\n" + front).start()]
    parsers = {"plugin_loader": files._CoreSchemaLoader}
    if getattr(yaml, "__with_libyaml__", False):
        class CoreCLoader(yaml.CSafeLoader):
            pass
        CoreCLoader.yaml_implicit_resolvers = files._CoreSchemaLoader.yaml_implicit_resolvers
        CoreCLoader.yaml_constructors = dict(files._CoreSchemaLoader.yaml_constructors)
        parsers["libyaml_loader"] = CoreCLoader
    parsed = {key: [] for key in parsers}
    for i in range(min(CALLS, 300) + 20):
        for key, loader in parsers.items():
            started = ns()
            data = yaml.load(front, Loader=loader)
            took = ns() - started
            if data != yaml.load(front, Loader=files._CoreSchemaLoader):
                raise SystemExit(f"{key} parses the frontmatter differently")
            if i >= 20:
                parsed[key].append(took)
    result["yaml"] = {key: stats(values) for key, values in parsed.items()}
    reads = []
    for _ in range(100):
        started = ns()
        files.read_persona(library_root, os.path.basename(os.path.dirname(active_file)), os.path.basename(active_file))
        reads.append(ns() - started)
    result["read_persona"] = stats(reads)

elif MODE == "tools":
    handle = model_tools.handle_function_call
    files = plugin_module("persona_files")
    root = os.path.join(os.environ["HERMES_HOME"], "plugins", "personas", "library")
    first_id = sys.argv[3]
    category = sys.argv[4]
    def timed(name, args):
        started = ns()
        with contextlib.redirect_stdout(io.StringIO()):
            text = handle(name, args, session_id=SESSION)
        took = ns() - started
        data = json.loads(text)
        if "error" in data:
            raise SystemExit(f"{name} {args}: {data['error']}")
        return took, data
    # First call of the process: the plugin's parse cache is empty, every file is read and parsed.
    cold, listed = timed("persona_list", {})
    result["cold_first_list_ms"] = cold / 1e6
    result["total"] = listed["total"]
    queries = [
        ("list", "persona_list", {}),
        ("list_category", "persona_list", {"category": category}),
        ("list_search", "persona_list", {"search": "security review"}),
        ("list_search_prefix", "persona_list", {"search": "sec"}),
        ("get", "persona_get", {"id": first_id}),
    ]
    times = {key: [] for key, _, _ in queries}
    counts = {}
    for i in range(CALLS + 2):
        for key, name, args in queries:
            took, data = timed(name, args)
            counts[key] = data.get("total", 1)
            if i >= 2:
                times[key].append(took)
    result["tools"] = {key: stats(values) for key, values in times.items()}
    result["counts"] = counts
    # The library's load on its own: a fresh PersonaLibrary (every file parsed) and a warm one
    # (the stat of every file and the sort, which every persona_list and persona_get pays).
    fresh = []
    # One fresh parse is already seconds at 10,000 files; three when the library is small.
    for _ in range(3 if result["total"] < 1000 else 1):
        library = files.PersonaLibrary(root)
        started = ns()
        loaded = library.load()
        fresh.append(ns() - started)
    warm = []
    for _ in range(CALLS):
        started = ns()
        library.load()
        warm.append(ns() - started)
    result["load_fresh_ms"] = [t / 1e6 for t in fresh]
    result["load_warm"] = stats(warm)
    result["loaded"] = len(loaded.personas)

print(json.dumps(result))
`;

function python(
  userHome: string,
  profileDir: string,
  args: readonly string[],
): Promise<Record<string, unknown>> {
  const env = {
    PATH: process.env["PATH"] ?? "",
    HOME: userHome,
    HERMES_HOME: profileDir,
    HERMES_BUNDLED_SKILLS: path.join(ROOT, "library/skills"),
    HERMES_OPTIONAL_SKILLS: path.join(ROOT, "library/optional-skills"),
    NO_COLOR: "1",
    TERM: "dumb",
    PYTHONIOENCODING: "utf-8",
  };
  return new Promise((resolve, reject) => {
    execFile(
      PYTHON,
      ["-c", PYTHON_SCRIPT, ...args],
      { env, maxBuffer: 64 * 1024 * 1024, timeout: 600_000 },
      (error, stdout, stderr) => {
        const last = stdout.trim().split("\n").at(-1) ?? "";
        if (error || !last.startsWith("{"))
          reject(
            new Error(
              `Hermes' python (${args.join(" ")}) failed: ${error?.message ?? "no JSON line"}\n${stderr.slice(-4000)}`,
            ),
          );
        else resolve(JSON.parse(last) as Record<string, unknown>);
      },
    );
  });
}

interface Stat {
  p50: number;
  p99: number;
  n: number;
}

// ---- run -------------------------------------------------------------------------------------
const temp = await mkdtemp(path.join(os.tmpdir(), "bench-personas-plugin-"));
try {
  const home = path.join(temp, "hermes");
  // Hermes' HOME, beside its home (as test/helpers/hermes.ts sets it), never the user's.
  const userHome = path.join(temp, "user-home");
  await mkdir(userHome, { recursive: true });
  const shippedLibrary = await loadLibrary(path.join(ROOT, "library"));
  const shippedPersonas = await lookup(shippedLibrary.personasRoot);
  const largeRoot = path.join(temp, "large-library", "personas");
  let started = performance.now();
  const largeIds = await generate(largeRoot);
  const generateMs = performance.now() - started;
  started = performance.now();
  const largePersonas = await lookup(largeRoot);
  const lookupMs = performance.now() - started;
  const largeId = largeIds[0] ?? "";

  const shipped = await benchCreates(home, {
    label: "shipped",
    library: shippedLibrary,
    personas: shippedPersonas,
    persona: "engineering-code-reviewer",
    rounds: CREATES,
    warmUp: true,
  });
  const large = await benchCreates(home, {
    label: "large",
    library: { ...shippedLibrary, personasRoot: largeRoot },
    personas: largePersonas,
    persona: largeId,
    rounds: CREATES_LARGE,
    // Each Create with the plugin copies every persona file (seconds at 10,000): no warm-up round.
    warmUp: false,
  });

  // Python: one process per measurement, one after the other (never two at once on 2 cores).
  const middleware = await python(userHome, shipped.kept.with, ["middleware", String(CALLS)]);
  const baseline = await python(userHome, shipped.kept.without, ["baseline", String(CALLS)]);
  const toolsShipped = await python(userHome, shipped.kept.with, [
    "tools",
    String(TOOL_CALLS),
    "research-analyst",
    "engineering",
  ]);
  const toolsLarge = await python(userHome, large.kept.with, [
    "tools",
    String(TOOL_CALLS),
    largeId,
    "engineering",
  ]);

  // ---- the report ----
  const f = (value: number, digits = 1) =>
    value.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });
  const cpu = /^model name\s*:\s*(.*)$/m.exec(readFileSync("/proc/cpuinfo", "utf8"))?.[1] ?? "unknown CPU";
  const mw = middleware as {
    request_bytes: Record<"messages" | "tools", number>;
    messages: Record<string, Stat>;
    tools: Record<string, Stat>;
    direct: Record<"hit" | "miss", Stat>;
    tools_count: number;
    persona_bytes: number;
    yaml: { plugin_loader: Stat; libyaml_loader?: Stat };
    read_persona: Stat;
    python: string;
  };
  const base = baseline as { registered: number; messages: Stat; tools: Stat };
  const mwRows = (["messages", "tools"] as const).flatMap((shape) => {
    const row = mw[shape];
    const none = row["none"] as Stat;
    const label =
      shape === "messages"
        ? `system + 20 messages (${f(mw.request_bytes.messages / 1024)} KB JSON)`
        : `same + ${mw.tools_count} tool schemas (${f(mw.request_bytes.tools / 1024)} KB JSON)`;
    return [
      ["nothing registered (a profile without the plugin)", "none"],
      ["a no-op llm_request middleware (Hermes' two deep copies)", "noop"],
      ["the plugin, file unchanged (cache hit)", "plugin"],
      ["the plugin, file changed before each call (re-read + parse)", "plugin_miss"],
    ].map(([what, key]) => {
      const stat = row[key as string] as Stat;
      return `| ${label} | ${what} | ${f(stat.p50)} | ${f(stat.p99)} | ${key === "none" ? "—" : `+${f(stat.p50 - none.p50)}`} |`;
    });
  });
  const createRow = (label: string, result: Awaited<ReturnType<typeof benchCreates>>) => {
    const withMs = median(result.times.with);
    const withoutMs = median(result.times.without);
    return `| ${label} | ${result.times.with.length} + ${result.times.without.length} | ${f(withoutMs)} | ${f(withMs)} | +${f(withMs - withoutMs)} | ${f(withMs / withoutMs, 2)}× |`;
  };
  type ToolsResult = {
    cold_first_list_ms: number;
    total: number;
    tools: Record<string, Stat>;
    counts: Record<string, number>;
    load_fresh_ms: number[];
    load_warm: Stat;
    loaded: number;
  };
  const ts = toolsShipped as ToolsResult;
  const tl = toolsLarge as ToolsResult;
  const toolRow = (what: string, key: string) =>
    `| ${what} | ${f((ts.tools[key] as Stat).p50 / 1000, 2)} / ${f((ts.tools[key] as Stat).p99 / 1000, 2)} | ${f((tl.tools[key] as Stat).p50 / 1000, 1)} / ${f((tl.tools[key] as Stat).p99 / 1000, 1)} | ${tl.counts[key] ?? "?"} |`;

  const text = `## Personas plugin: per request, per Create, per tool call (\`npm run bench:personas-plugin\`)

Command: \`nice -n 10 npm run bench:personas-plugin\` (bench/personas-plugin.ts). Machine: ${os.availableParallelism()} × ${cpu}
(nproc ${os.availableParallelism()}), Node ${process.version}, Python ${mw.python} (Hermes ${PINNED_HERMES_VERSION}, pinned venv), ${os.platform()} ${os.release()}.
Run on ${new Date().toISOString().slice(0, 10)}. Shared machine: variants were interleaved in one run; read the differences and ratios.

**1. Added to each model request** (Hermes' \`apply_llm_request_middleware\`, chat_completions, one
Python process, ${CALLS} calls per variant after 100 warm-up, the four variants interleaved call by call;
active persona: the profile's default, engineering-code-reviewer, ${f(mw.persona_bytes / 1024)} KB file). Microseconds.

| request | llm_request middleware registered | p50 µs | p99 µs | added (p50) |
|---|---|---|---|---|
${mwRows.join("\n")}

The plugin's callback alone (called directly, no Hermes copies): ${f(mw.direct.hit.p50)} µs p50 / ${f(mw.direct.hit.p99)} µs p99
with the file unchanged, ${f(mw.direct.miss.p50)} / ${f(mw.direct.miss.p99)} µs when it changed. Of a miss, the file's read + checks
(read_persona) took ${f(mw.read_persona.p50)} µs p50, and its frontmatter's YAML parse ${f(mw.yaml.plugin_loader.p50)} µs p50 with the plugin's
loader${mw.yaml.libyaml_loader ? ` against ${f(mw.yaml.libyaml_loader.p50)} µs with the same resolvers on PyYAML's libyaml CSafeLoader (${f(mw.yaml.plugin_loader.p50 / mw.yaml.libyaml_loader.p50, 1)}×, same result)` : " (this PyYAML has no libyaml)"}. Check in a second process, a
profile Created without the plugin (${base.registered} llm_request middleware registered): ${f(base.messages.p50)} / ${f(base.messages.p99)} µs
(messages), ${f(base.tools.p50)} / ${f(base.tools.p99)} µs (with tools). Hermes calls the middleware once per model request,
so a turn with k tool calls pays it k + 1 times. A turn's own Hermes overhead was not measured here.

**2. Added to a Create** (writeProfile, as \`create --from\` runs it; the same blueprint with and without
\`plugins: [personas]\`, alternating, order swapped every round, one warm-up round each with the shipped library; a generated library of
${COUNT.toLocaleString("en-US")} personas is generated in ${f(generateMs / 1000, 1)} s and loaded by the bot in ${f(lookupMs / 1000, 1)} s, outside the timing). Milliseconds, medians.

| persona library | rounds (with + without) | without | with | added | with / without |
|---|---|---|---|---|---|
${createRow(`shipped (${shippedPersonas.summaries().length} personas)`, shipped)}
${createRow(`generated (${largePersonas.summaries().length.toLocaleString("en-US")} personas)`, large)}

The plugin step reported: "${large.detail}".

**3. Tool calls** through Hermes' dispatch (\`model_tools.handle_function_call\`), ${TOOL_CALLS} warm calls per query
after 2 warm-up rounds; milliseconds p50 / p99.

| call | shipped library (${ts.total}) | generated library (${tl.total.toLocaleString("en-US")}) | matches (generated) |
|---|---|---|---|
| first call of the process: persona_list, parse cache empty (cold) | ${f(ts.cold_first_list_ms, 1)} | ${f(tl.cold_first_list_ms, 0)} | |
${toolRow("persona_list (no filter; 50 shown)", "list")}
${toolRow("persona_list category engineering", "list_category")}
${toolRow('persona_list search "security review"', "list_search")}
${toolRow('persona_list search "sec" (prefix)', "list_search_prefix")}
${toolRow("persona_get one id", "get")}
| PersonaLibrary.load(), fresh instance (parse of every file), runs | ${ts.load_fresh_ms.map((ms) => f(ms, 1)).join(", ")} | ${tl.load_fresh_ms.map((ms) => f(ms, 0)).join(", ")} | ${tl.loaded} |
| PersonaLibrary.load(), warm (stat of every file, sort) | ${f(ts.load_warm.p50 / 1000, 2)} / ${f(ts.load_warm.p99 / 1000, 2)} | ${f(tl.load_warm.p50 / 1000, 1)} / ${f(tl.load_warm.p99 / 1000, 1)} | |

The OS page cache was warm (the files had just been written): "cold" means the plugin's parse cache was empty.
`;
  process.stdout.write(text);
} finally {
  await rm(temp, { recursive: true, force: true });
}
