// Where the model's context window is written: config.yaml model.context_length, by the local
// writer on Create (a cloned config's old number dropped when the new model has none), by an edit
// that changes the model, and refused in a blueprint file unless a plain positive whole number.
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import type { LoadedLibrary } from "../../src/app/library/library-loader.ts";
import { writeProfile } from "../../src/app/profile/profile-writer.ts";
import { parseBlueprintYaml } from "../../src/core/blueprint-yaml.ts";
import { planEdit } from "../../src/core/edit/plan-edit.ts";
import { CONTEXT_LENGTH_MAX } from "../../src/core/model-fit.ts";
import { shippedLibrary } from "../helpers/catalog.ts";
import { useTempDirs } from "../helpers/temp-dir.ts";

const tempDir = useTempDirs();
let library: LoadedLibrary;
beforeAll(async () => {
  library = await shippedLibrary();
});

function blueprint(yaml: string) {
  const parsed = parseBlueprintYaml(yaml);
  if (!parsed.ok) throw new Error(parsed.problems.join("\n"));
  return parsed.blueprint;
}

const OLLAMA = "model: { provider: ollama, model: qwen3:8b";

describe("GIVEN a blueprint whose model has a context window", () => {
  it("WHEN created THEN config.yaml has model.context_length; WHEN cloned without one THEN the source's old number is dropped", async () => {
    const hermesHome = await tempDir();
    const profilesRoot = path.join(hermesHome, "profiles");
    const dirs = { hermesHome, profilesRoot, library };
    const made = await writeProfile(
      blueprint(`name: win\n${OLLAMA}, context_length: 131072 }\n`),
      new Map(),
      dirs,
    );
    expect(made.ok).toBe(true);
    const config = parseYaml(await readFile(path.join(profilesRoot, "win", "config.yaml"), "utf8")) as {
      model: Record<string, unknown>;
    };
    expect(config.model["context_length"]).toBe(131_072);

    await mkdir(path.join(profilesRoot, "base"), { recursive: true });
    await writeFile(
      path.join(profilesRoot, "base", "config.yaml"),
      "model:\n  provider: custom\n  default: old\n  context_length: 8192\n",
    );
    const cloned = await writeProfile(
      blueprint(`name: copy\nclone_from: base\n${OLLAMA} }\n`),
      new Map(),
      dirs,
    );
    expect(cloned.ok).toBe(true);
    const copy = parseYaml(await readFile(path.join(profilesRoot, "copy", "config.yaml"), "utf8")) as {
      model: Record<string, unknown>;
    };
    expect(copy.model).not.toHaveProperty("context_length");
    expect(copy.model["default"]).toBe("qwen3:8b");
  });

  it.each([["0"], ["-1"], ["128K"], ["1.5"], [String(CONTEXT_LENGTH_MAX + 1)]])(
    "WHEN context_length is %s THEN the file is refused",
    (value) => {
      expect(parseBlueprintYaml(`name: bad\n${OLLAMA}, context_length: ${value} }\n`).ok).toBe(false);
    },
  );
});

describe("GIVEN an edit of a profile's model", () => {
  const current = (model: Record<string, unknown>) => ({
    config: { model },
    meta: {},
    soul: undefined,
    hubInstalls: [],
    builtinsPresent: undefined,
  });

  it("WHEN the model changes with a window THEN it is written; without one THEN the old number is removed; the same model keeps its own", () => {
    const old = {
      provider: "custom",
      default: "old",
      base_url: "http://127.0.0.1:11434/v1",
      context_length: 8192,
    };
    const keys = new Set(["name", "model"]);
    const withWindow = planEdit(
      current(old),
      blueprint(`name: p\n${OLLAMA}, context_length: 40960 }\n`),
      keys,
      {
        catalog: library.catalog,
      },
    );
    expect(withWindow.config).toContainEqual({ path: ["model", "context_length"], value: 40_960 });
    const without = planEdit(current(old), blueprint(`name: p\n${OLLAMA} }\n`), keys, {
      catalog: library.catalog,
    });
    expect(without.config).toContainEqual({ path: ["model", "context_length"], value: undefined });
    const same = planEdit(
      current({ ...old, default: "qwen3:8b" }),
      blueprint(`name: p\n${OLLAMA} }\n`),
      keys,
      { catalog: library.catalog },
    );
    expect(same.config.map((edit) => edit.path.join("."))).not.toContain("model.context_length");
    // Only the window changes: the change line says so, quoting a hand-edited value only as a number.
    const byHand = planEdit(
      current({ ...old, default: "qwen3:8b", context_length: "\u001b[2J128K" }),
      blueprint(`name: p\n${OLLAMA}, context_length: 40960 }\n`),
      keys,
      { catalog: library.catalog },
    );
    expect(byHand.changes).toEqual([
      { kind: "changed", what: "model", detail: "context window set by hand → 40960 tokens" },
    ]);
  });
});
