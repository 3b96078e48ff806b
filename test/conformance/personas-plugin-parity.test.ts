// The personas plugin (Python, inside Hermes) and the bot's persona loader must keep exactly the
// same personas: one corpus of good and bad files, both readers, the same ids. The plugin runs in
// Hermes' own environment, with the YAML library Hermes brings.
import { createHash } from "node:crypto";
import { mkdir, symlink, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadPersonas } from "../../src/app/persona/persona-loader.ts";
import { REPO_ROOT } from "../helpers/cli.ts";
import { hermesPython } from "../helpers/hermes.ts";
import { BODY, personaFile, writePersona } from "../helpers/persona-fixtures.ts";
import { useTempDirs } from "../helpers/temp-dir.ts";

const tempDir = useTempDirs();
const PLUGIN = path.join(REPO_ROOT, "library/hermes-plugins/personas");

/** Each case: a file (category/id.md) and its text; the expectation is whatever the bot decides. */
function corpus(): Array<[string, string]> {
  const file = (id: string, overrides: Record<string, string> = {}, body = BODY, category = "engineering") =>
    [`${category}/${id}.md`, personaFile({ id, category, ...overrides }, body)] as [string, string];
  return [
    file("good-one"),
    file("good-yes-name", { name: "yes" }),
    file("good-colon-name", { name: "'1:20'" }),
    file("plain-colon-name", { name: "1:20" }),
    file("hex-name", { name: "0x1F" }),
    file("octal-name", { name: "0o17" }),
    file("null-name", { name: "~" }),
    file("schema-two", { schema: "2" }),
    file("schema-text", { schema: "'1'" }),
    file("schema-true", { schema: "true" }),
    file("schema-float", { schema: "1.0" }),
    file("wrong-id", { id: "other-id" }).map((part, index) =>
      index === 0 ? "engineering/wrong-file.md" : part,
    ) as [string, string],
    file("wrong-category", { category: "design" }).map((part, index) =>
      index === 0 ? "engineering/wrong-category.md" : part,
    ) as [string, string],
    file("long-name", { name: "x".repeat(81) }),
    file("max-name", { name: "x".repeat(80) }),
    file("astral-name", { name: `${"x".repeat(79)}😀` }),
    file("glyph-flag", { glyph: "🇩🇪" }),
    file("glyph-family", { glyph: "👨‍👩‍👧" }),
    file("glyph-keycap", { glyph: "1️⃣" }),
    file("glyph-four", { glyph: "abcd" }),
    file("glyph-three-toned", { glyph: "👍🏽👍🏽👍🏽" }),
    file("glyph-empty", { glyph: "''" }),
    file("empty-description", { description: "'   '" }),
    file("long-description", { description: "d".repeat(201) }),
    file("bad-tag", { tags: "[Bad_Tag]" }),
    file("many-tags", { tags: `[${Array.from({ length: 21 }, (_, i) => `t${i}`).join(", ")}]` }),
    file("yes-tag", { tags: "[yes, on]" }),
    file("short-version", { version: "1.0" }),
    file("text-version", { version: "'1.2.3-beta.1'" }),
    file("model-no-slash", { default_model: "claude" }),
    file("bad-mcp", { suggested_mcps: "['bad name']" }),
    file("bad-toolset", { suggested_toolsets: "[Terminal]" }),
    file("null-description", { description: "null" }),
    file("unknown-key", { extra_key: "kept" }),
    file("alias-owner", { aliases: "[reviewer-x]" }),
    file("alias-clash", { aliases: "[reviewer-x]" }, BODY, "testing"),
    file("good-one", {}, BODY, "writing"),
    file("bad-alias", { aliases: "[Bad]" }),
    file("anchored", { name: "&n Anchored", description: "*n" }),
    file("empty-body", {}, "   \n"),
    file("big-body", {}, `${BODY}\n${"b".repeat(16 * 1024)}`),
    ["engineering/crlf.md", personaFile({ id: "crlf" }).replace(/\n/g, "\r\n")],
    ["engineering/bom.md", `\uFEFF${personaFile({ id: "bom" })}`],
    ["engineering/no-front.md", `# Just Markdown\n\n${BODY}`],
    ["engineering/unclosed.md", `---\nschema: 1\nid: unclosed\n${BODY}`],
    ["engineering/bad-yaml.md", `---\nschema: [1\n---\n${BODY}`],
    ["engineering/too-big.md", personaFile({ id: "too-big" }, `${BODY}\n${"z".repeat(70 * 1024)}`)],
    [".hidden/hidden-one.md", personaFile({ id: "hidden-one", category: ".hidden" })],
    // Python's strip would remove \x1c and \x85 where JavaScript's trim keeps them.
    file("info-separator-name", { name: '"\\x1c"' }),
    file("nel-description", { description: `"${"d".repeat(200)}\\x85"` }),
    // Optional means absent: an empty aliases key is null, which the bot's schema refuses.
    file("null-aliases", { aliases: "" }).map((part, index) =>
      index === 1 ? part.replace("suggested_toolsets:", "aliases:\nsuggested_toolsets:") : part,
    ) as [string, string],
    // A key given twice: both of the bot's parsers refuse it; PyYAML alone would keep the last.
    file("twice-named", { name: "First\nname: Second" }),
  ];
}

describe("the personas plugin skips exactly the persona files the bot skips", () => {
  it("keeps the same ids as the bot's loader over one corpus of good and bad files", async () => {
    const root = path.join(await tempDir(), "library");
    for (const [file, text] of corpus()) {
      const [category, name] = file.split("/") as [string, string];
      await writePersona(root, category, name, text);
    }
    // A link is not a persona file for either reader (it could point outside the library).
    await mkdir(path.join(root, "research"), { recursive: true });
    await writeFile(path.join(root, "outside.md"), personaFile({ id: "linked", category: "research" }));
    await symlink(path.join(root, "outside.md"), path.join(root, "research", "linked.md"));

    const bot = await loadPersonas(root);
    const botIds = bot.library
      .list()
      .map((persona) => `${persona.meta.category}/${persona.meta.id}`)
      .sort();
    const plugin = (await hermesPython(
      root,
      root,
      `
import importlib.util, json, sys
spec = importlib.util.spec_from_file_location("persona_files", ${JSON.stringify(path.join(PLUGIN, "persona_files.py"))})
module = importlib.util.module_from_spec(spec); sys.modules["persona_files"] = module; spec.loader.exec_module(module)
loaded = module.PersonaLibrary(${JSON.stringify(root)}).load()
print(json.dumps({"ids": sorted(p.meta["category"] + "/" + p.id for p in loaded.personas), "skipped": [s[0] for s in loaded.skipped]}))
`,
    )) as { ids: string[]; skipped: string[] };

    // The corpus must exercise both outcomes, or the comparison proves little.
    expect(botIds.length).toBeGreaterThan(10);
    expect(bot.problems.filter((problem) => problem.level === "skipped").length).toBeGreaterThan(20);
    expect(plugin.ids).toEqual(botIds);
    expect(plugin.skipped.sort()).toEqual(
      bot.problems
        .filter((problem) => problem.level === "skipped")
        .map((problem) => problem.file)
        .sort(),
    );
  });

  it("WHEN the bot placed a file its port of the rules would judge differently THEN the plugin keeps it by its hash in accepted.json", async () => {
    const root = path.join(await tempDir(), "library");
    // Two graphemes for the bot (Intl.Segmenter); the plugin's approximate count makes four.
    const text = personaFile({ id: "thai-glyph", glyph: "กำกำ" });
    await writeFile(path.join(await mkdirp(root, "engineering"), "thai-glyph.md"), text);
    const bot = await loadPersonas(root);
    expect(bot.library.get("thai-glyph")).toBeDefined();
    const manifest = path.join(path.dirname(root), "accepted.json");
    await writeFile(
      manifest,
      JSON.stringify({
        files: { "engineering/thai-glyph.md": `sha256:${createHash("sha256").update(text).digest("hex")}` },
      }),
    );
    const run = async (withManifest: boolean) =>
      (await hermesPython(
        root,
        root,
        `
import importlib.util, json, sys
spec = importlib.util.spec_from_file_location("persona_files", ${JSON.stringify(path.join(PLUGIN, "persona_files.py"))})
module = importlib.util.module_from_spec(spec); sys.modules["persona_files"] = module; spec.loader.exec_module(module)
loaded = module.PersonaLibrary(${JSON.stringify(root)}, ${withManifest ? JSON.stringify(manifest) : "None"}).load()
print(json.dumps({"ids": [p.id for p in loaded.personas]}))
`,
      )) as { ids: string[] };
    expect((await run(false)).ids).toEqual([]);
    expect((await run(true)).ids).toEqual(["thai-glyph"]);
    // Other bytes under the same name are judged again.
    await writeFile(
      path.join(root, "engineering", "thai-glyph.md"),
      text.replace("Tests things.", "Tests more."),
    );
    expect((await run(true)).ids).toEqual([]);
  });
});

async function mkdirp(root: string, folder: string): Promise<string> {
  await mkdir(path.join(root, folder), { recursive: true });
  return path.join(root, folder);
}
