import path from "node:path";
import { describe, expect, it } from "vitest";
import { lintPersonas } from "../../../src/app/persona/persona-lint.ts";
import { loadPersonas } from "../../../src/app/persona/persona-loader.ts";
import { REPO_ROOT } from "../../helpers/cli.ts";
import { BODY, personaFile, writePersona } from "../../helpers/persona-fixtures.ts";
import { useTempDirs } from "../../helpers/temp-dir.ts";

const tempDir = useTempDirs();

describe("GIVEN the shipped persona library", () => {
  it("THEN 16 personas in 7 categories load with no problem, each body 4–8 KB with the common sections", async () => {
    const { library, problems } = await loadPersonas(path.join(REPO_ROOT, "library/personas"), {
      lint: true,
    });
    expect(problems).toEqual([]);
    expect(library.size).toBe(16);
    expect(library.categories()).toEqual([
      { category: "design", count: 2 },
      { category: "devops", count: 2 },
      { category: "engineering", count: 4 },
      { category: "product", count: 2 },
      { category: "research", count: 2 },
      { category: "testing", count: 2 },
      { category: "writing", count: 2 },
    ]);
    for (const persona of library.list()) {
      const bytes = Buffer.byteLength(persona.body);
      expect(bytes, persona.meta.id).toBeGreaterThanOrEqual(4096);
      expect(bytes, persona.meta.id).toBeLessThanOrEqual(8192);
    }
  });
});

describe("GIVEN a persona folder with bad files beside a good one", () => {
  it.each([
    ["not YAML", personaFile({ tags: "[unclosed" }), /frontmatter is not valid YAML/],
    [
      "an id that differs from the file name",
      personaFile({ id: "engineering-other" }),
      /does not match the file name/,
    ],
    [
      "a category that differs from the folder",
      personaFile({ category: "design" }),
      /does not match the folder/,
    ],
    ["an empty body", personaFile({}, ""), /the body is empty/],
    [
      "a 20 KB body",
      personaFile({}, `${BODY}\n${"x".repeat(20 * 1024)}`),
      /the body is \d+ bytes; the limit is 16384/,
    ],
    ["a 1 MB file", personaFile({}, "y".repeat(1024 * 1024)), /file is \d+ bytes; the limit is 65536/],
    [
      "a description over 200 characters",
      personaFile({ description: "d".repeat(201) }),
      /frontmatter description/,
    ],
    ["a path in its id", personaFile({ id: "../../etc" }), /frontmatter id/],
    ["a 4-character glyph", personaFile({ glyph: "abcd" }), /frontmatter glyph/],
    ["a version that is not semver", personaFile({ version: "one" }), /frontmatter version/],
    [
      "a YAML alias bomb",
      `---\n${[
        "a: &a [x,x,x,x,x,x,x,x,x]",
        ...Array.from(
          { length: 8 },
          (_, i) =>
            `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${Array(9)
              .fill(`*${String.fromCharCode(97 + i)}`)
              .join(",")}]`,
        ),
      ].join("\n")}\n---\nbody\n`,
      /frontmatter is not valid YAML/,
    ],
  ])(
    "WHEN one has %s THEN it is skipped with the reason and the good one still loads",
    async (_what, text, reason) => {
      const root = await tempDir();
      await writePersona(root, "engineering", "engineering-tester.md", text);
      await writePersona(
        root,
        "testing",
        "testing-good.md",
        personaFile({ id: "testing-good", category: "testing" }),
      );
      const { library, problems } = await loadPersonas(root);
      expect(library.list().map((persona) => persona.meta.id)).toEqual(["testing-good"]);
      expect(problems).toHaveLength(1);
      expect(problems[0]).toMatchObject({
        file: path.join("engineering", "engineering-tester.md"),
        level: "skipped",
      });
      expect(problems[0]?.reason).toMatch(reason);
    },
  );

  it("WHEN two files claim the same id or alias THEN the second is skipped naming the first", async () => {
    const root = await tempDir();
    await writePersona(root, "engineering", "engineering-tester.md", personaFile({ aliases: "[qa]" }));
    await writePersona(
      root,
      "testing",
      "testing-qa.md",
      personaFile({ id: "testing-qa", category: "testing", aliases: "[qa]" }),
    );
    const { library, problems } = await loadPersonas(root);
    expect(library.size).toBe(1);
    expect(problems[0]?.reason).toBe(
      `id or alias 'qa' is already used by ${path.join("engineering", "engineering-tester.md")}`,
    );
  });

  it("WHEN a file has an unknown key or lacks a section THEN it loads, and the problem is reported", async () => {
    const root = await tempDir();
    await writePersona(
      root,
      "engineering",
      "engineering-tester.md",
      personaFile({ colour: "blue" }, BODY.replace("## Tone", "## Voice")),
    );
    const { library, problems } = await loadPersonas(root, { lint: true });
    expect(library.size).toBe(1);
    expect((await loadPersonas(root)).problems.map((problem) => problem.reason)).toEqual([
      "unknown frontmatter key(s): colour",
    ]);
    expect(problems.map((problem) => [problem.level, problem.reason])).toEqual([
      ["warning", "missing section(s): Tone"],
      ["warning", "unknown frontmatter key(s): colour"],
    ]);
    const lines: string[] = [];
    expect(await lintPersonas(root, (line) => lines.push(line))).toBe(1);
    expect(lines.at(-1)).toBe(`1 persona(s) loaded from ${root}; 2 problem(s).`);
  });

  it("WHEN the folder is clean THEN lint exits 0", async () => {
    const root = await tempDir();
    await writePersona(root, "engineering", "engineering-tester.md", personaFile());
    expect(await lintPersonas(root, () => undefined)).toBe(0);
  });
});
