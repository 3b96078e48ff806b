import { parseDocument } from "yaml";
import { describe, expect, it } from "vitest";
import {
  applyToDocument,
  editedValue,
  editYamlText,
  type YamlEdit,
} from "../../../src/core/edit/yaml-splice.ts";

const HAND_WRITTEN = `# my notes about this agent
model:
  default: x   # the cheap one
  provider: openrouter

# servers I use
mcp_servers:
  docs:
    url: "https://a.example/mcp"
    timeout: 30
list:
- a
- b
flow: [1, 2]
quoted: 'single'
long: >-
  folded text
  more
`;

function edited(text: string, edits: YamlEdit[]) {
  const result = editYamlText(text, edits);
  // With the text's meaning known, the splice goes key by key and must come to the same text.
  const known: unknown = parseDocument(text).toJSON();
  expect(editYamlText(text, edits, { value: known })).toEqual(result);
  const expected = parseDocument(text);
  for (const edit of edits) {
    if (edit.value === undefined) expected.deleteIn(edit.path);
    else expected.setIn(edit.path, edit.value);
  }
  return { ...result, json: parseDocument(result.text).toJSON() as unknown };
}

describe("GIVEN a hand-written YAML file with comments and uncommon formatting", () => {
  it("WHEN a scalar changes THEN only that value's text changes (its inline comment stays)", () => {
    const result = edited(HAND_WRITTEN, [{ path: ["model", "default"], value: "anthropic/claude" }]);
    expect(result.exact).toBe(true);
    expect(result.text).toBe(HAND_WRITTEN.replace("default: x   #", "default: anthropic/claude   #"));
  });

  it("WHEN a key is added under an existing mapping THEN it is appended there at its indentation", () => {
    const result = edited(HAND_WRITTEN, [
      {
        path: ["mcp_servers", "fetch"],
        value: { command: "uvx", args: ["mcp-server-fetch"], enabled: true },
      },
    ]);
    expect(result.exact).toBe(true);
    expect(result.text).toBe(
      HAND_WRITTEN.replace(
        "    timeout: 30\n",
        "    timeout: 30\n  fetch:\n    command: uvx\n    args:\n      - mcp-server-fetch\n    enabled: true\n",
      ),
    );
  });

  it("WHEN a new top-level key is set THEN it is appended at the end and nothing else moves", () => {
    const result = edited(HAND_WRITTEN, [{ path: ["skills", "disabled"], value: ["git-workflow"] }]);
    expect(result.exact).toBe(true);
    expect(result.text).toBe(`${HAND_WRITTEN}skills:\n  disabled:\n    - git-workflow\n`);
  });

  it("WHEN the only server is removed THEN mcp_servers goes with it, the comment before it stays", () => {
    const result = edited(HAND_WRITTEN, [{ path: ["mcp_servers", "docs"], value: undefined }]);
    expect(result.exact).toBe(true);
    expect(result.text).toBe(
      HAND_WRITTEN.replace('mcp_servers:\n  docs:\n    url: "https://a.example/mcp"\n    timeout: 30\n', ""),
    );
    expect(result.json).not.toHaveProperty("mcp_servers");
  });

  it("WHEN a key inside a flow mapping is set THEN the pair holding it is rewritten and the rest kept", () => {
    const text = "a: 1   # keep\nb: {x: 1}\nc: [1,2]\n";
    const result = edited(text, [{ path: ["b", "y"], value: 2 }]);
    expect(result.exact).toBe(true);
    expect(result.text).toBe("a: 1   # keep\nb:\n  x: 1\n  y: 2\nc: [1,2]\n");
  });

  it("WHEN a folded scalar is replaced THEN its pair is rewritten and the keys around it are kept", () => {
    const result = edited(HAND_WRITTEN, [{ path: ["long"], value: "short" }]);
    expect(result.exact).toBe(true);
    expect(result.text).toBe(HAND_WRITTEN.replace(">-\n  folded text\n  more\n", "short\n"));
  });

  it("WHEN the file has no final line break THEN an appended key starts on a new line", () => {
    const result = edited("a: 1", [{ path: ["b"], value: 2 }]);
    expect(result).toMatchObject({ text: "a: 1\nb: 2\n", exact: true });
  });

  it("WHEN the file is empty THEN the key is written", () => {
    expect(edited("", [{ path: ["model", "default"], value: "m" }]).text).toBe("model:\n  default: m\n");
  });

  it("WHEN several edits touch one mapping THEN each is applied and the result means what the library would make", () => {
    const edits: YamlEdit[] = [
      { path: ["model", "default"], value: "m2" },
      { path: ["model", "base_url"], value: "http://127.0.0.1:11434/v1" },
      { path: ["model", "provider"], value: "custom" },
      { path: ["mcp_servers", "docs", "timeout"], value: undefined },
      { path: ["mcp_servers", "docs", "tools", "include"], value: ["search"] },
    ];
    const result = edited(HAND_WRITTEN, edits);
    expect(result.exact).toBe(true);
    const expected = parseDocument(HAND_WRITTEN);
    expected.setIn(["model", "default"], "m2");
    expected.setIn(["model", "base_url"], "http://127.0.0.1:11434/v1");
    expected.setIn(["model", "provider"], "custom");
    expected.deleteIn(["mcp_servers", "docs", "timeout"]);
    expected.setIn(["mcp_servers", "docs", "tools", "include"], ["search"]);
    expect(result.json).toEqual(expected.toJSON());
    // What the text means comes back with it (parsed once, to check the splice).
    expect(result.value).toEqual(result.json);
    expect(
      result.text.startsWith("# my notes about this agent\nmodel:\n  default: m2   # the cheap one\n"),
    ).toBe(true);
    expect(result.text).toContain(
      "list:\n- a\n- b\nflow: [1, 2]\nquoted: 'single'\nlong: >-\n  folded text\n  more\n",
    );
  });

  it("WHEN a scalar's new value needs quoting THEN it is quoted so the meaning is exact", () => {
    const result = edited("a: x\n", [{ path: ["a"], value: "yes: no # not a comment" }]);
    expect(result.exact).toBe(true);
    expect(parseDocument(result.text).toJSON()).toEqual({ a: "yes: no # not a comment" });
  });

  it("WHEN a key sits in a sequence item THEN the splice is not attempted and the library's rendering is used", () => {
    const text = "items:\n- name: a   # odd\n  v: 1\n";
    const result = editYamlText(text, [{ path: ["items"], value: [{ name: "b" }] }]);
    expect(parseDocument(result.text).toJSON()).toEqual({ items: [{ name: "b" }] });
  });

  it("WHEN the root is a flow mapping THEN the library's rendering is used and its meaning comes back with it", () => {
    const result = editYamlText("{a: 1}\n", [{ path: ["b"], value: 2 }]);
    expect(result.exact).toBe(false);
    expect(parseDocument(result.text).toJSON()).toEqual({ a: 1, b: 2 });
    expect(result.value).toEqual({ a: 1, b: 2 });
  });
});

describe("GIVEN what an edit must mean, computed on plain data instead of a second document", () => {
  // The splice is checked against editedValue; it must agree with the library's own edit
  // (applyToDocument) or a right splice would be thrown away — or a wrong one kept.
  const cases: { name: string; text: string; edits: YamlEdit[] }[] = [
    { name: "a scalar set", text: HAND_WRITTEN, edits: [{ path: ["model", "default"], value: "m" }] },
    {
      name: "a new nested path",
      text: HAND_WRITTEN,
      edits: [{ path: ["skills", "disabled"], value: ["a", "b"] }],
    },
    {
      name: "a key removed",
      text: HAND_WRITTEN,
      edits: [{ path: ["mcp_servers", "docs", "timeout"], value: undefined }],
    },
    {
      name: "the only server removed (its mapping goes)",
      text: HAND_WRITTEN,
      edits: [{ path: ["mcp_servers", "docs"], value: undefined }],
    },
    {
      name: "a missing key removed under an empty mapping",
      text: "a: 1\nm: {}\n",
      edits: [{ path: ["m", "x"], value: undefined }],
    },
    {
      name: "a missing key removed under a missing parent",
      text: "a: 1\n",
      edits: [{ path: ["m", "x", "y"], value: undefined }],
    },
    {
      name: "an object set over a scalar's place",
      text: "a: 1\nm:\n  k: v\n",
      edits: [{ path: ["m"], value: { k: ["x", { y: null }] } }],
    },
    {
      name: "a value with undefined inside",
      text: "a: 1\n",
      edits: [{ path: ["m"], value: { k: undefined, j: 2 } }],
    },
    {
      name: "set then removed",
      text: "a: 1\n",
      edits: [
        { path: ["m", "k"], value: 1 },
        { path: ["m", "k"], value: undefined },
      ],
    },
    { name: "an empty document", text: "", edits: [{ path: ["model", "default"], value: "m" }] },
    {
      name: "a key named __proto__",
      text: "mcp_servers:\n  a: {url: x}\n",
      edits: [{ path: ["mcp_servers", "__proto__"], value: { url: "y" } }],
    },
  ];
  for (const { name, text, edits } of cases)
    it(`WHEN ${name} THEN it means what the library's edit means`, () => {
      const library = parseDocument(text);
      for (const edit of edits) applyToDocument(library, edit);
      expect(JSON.stringify(editedValue(parseDocument(text).toJSON(), edits))).toBe(
        JSON.stringify(library.toJSON()),
      );
    });

  it("WHEN the caller hands the text's meaning THEN it is spliced key by key and the meaning comes back edited", () => {
    const edits: YamlEdit[] = [
      { path: ["model", "default"], value: "m3" },
      { path: ["mcp_servers", "docs"], value: undefined },
    ];
    const result = editYamlText(HAND_WRITTEN, edits, { value: parseDocument(HAND_WRITTEN).toJSON() });
    expect(result).toEqual(editYamlText(HAND_WRITTEN, edits));
    expect(result.exact).toBe(true);
    expect(result.value).toEqual(parseDocument(result.text).toJSON());
  });
});
