import { execFile } from "node:child_process";
import { mkdir, readFile, readdir, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import type { EditPlan } from "../../../src/core/edit/plan-edit.ts";
import { applyLocalEdit } from "../../../src/app/profile/edit/apply-local-edit.ts";
import { readProfileTexts } from "../../../src/app/profile/edit/profile-texts.ts";
import { editLocalProfile, readLocalForEdit } from "../../../src/app/profile/edit/local-profile-editor.ts";
import { parseBlueprintYaml } from "../../../src/core/blueprint-yaml.ts";
import type { Blueprint } from "../../../src/core/blueprint.ts";
import { CONFIG_CHANGED_MEANWHILE } from "../../../src/app/backend/local-backend.ts";
import { localBackend } from "../../helpers/backend.ts";
import { shippedLibrary } from "../../helpers/catalog.ts";
import { useTempDirs } from "../../helpers/temp-dir.ts";

const tempDir = useTempDirs();
const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, "../../..");

function plan(parts: Partial<EditPlan>): EditPlan {
  return { changes: [], config: [], meta: [], installs: [], copies: [], notes: [], ...parts };
}

async function profile(): Promise<string> {
  const dir = await tempDir();
  await writeFile(path.join(dir, "config.yaml"), "model:\n  default: a   # mine\n");
  await writeFile(path.join(dir, ".env"), "# header\nKEEP=1\n", { mode: 0o600 });
  return dir;
}

/** Profile `p` in a Hermes home, and a persona command's config.yaml read and changed, not yet written. */
async function personaWriteReady() {
  const hermesHome = await tempDir();
  const dir = path.join(hermesHome, "profiles", "p");
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, "config.yaml"), "model:\n  default: a   # mine\n");
  const backend = await localBackend({ hermesHome });
  const config = await backend.readConfig("p");
  if (!config.ok) throw new Error(config.reason);
  config.value.doc.setIn(["display", "personality"], "helper");
  return { dir, backend, config };
}

describe("GIVEN a profile read for an edit", () => {
  it("WHEN someone changes config.yaml between the editor's read and Apply THEN nothing is written and the reply names the file", async () => {
    const dir = await profile();
    const read = await readLocalForEdit(dir);
    if (!read.ok) throw new Error(read.reason);
    // What `hermes config set` would do meanwhile.
    await writeFile(path.join(dir, "config.yaml"), "model:\n  default: b\n");
    const parsed = parseBlueprintYaml("name: p\ndisplay_name: Bee\nsoul: new soul\n");
    if (!parsed.ok) throw new Error("bad fixture");
    const applied = await editLocalProfile(
      dir,
      {
        blueprint: parsed.blueprint,
        keys: new Set(["display_name", "soul"]),
        fingerprint: read.value.fingerprint,
        secrets: new Map(),
      },
      await shippedLibrary(),
    );
    expect(applied).toEqual({
      ok: false,
      reason: "the profile changed since the editor read it (config.yaml); nothing was written",
    });
    expect(await readFile(path.join(dir, "config.yaml"), "utf8")).toBe("model:\n  default: b\n");
    await expect(stat(path.join(dir, "SOUL.md"))).rejects.toThrow();
  });

  it("WHEN a persona command writes config.yaml while an Apply of the profile runs THEN its write waits for the Apply to end", async () => {
    const { dir, backend, config } = await personaWriteReady();
    const parsed = parseBlueprintYaml("name: p\nsoul: applied soul\n");
    if (!parsed.ok) throw new Error("bad fixture");
    const ended: string[] = [];
    await Promise.all([
      backend
        .applyEdit("p", { blueprint: parsed.blueprint, keys: new Set(["soul"]), secrets: new Map() })
        .then(() => ended.push("apply")),
      backend.writeConfig("p", config.value).then(() => ended.push("persona write")),
    ]);
    expect(ended).toEqual(["apply", "persona write"]);
    expect(await readFile(path.join(dir, "SOUL.md"), "utf8")).toBe("applied soul");
    expect(await readFile(path.join(dir, "config.yaml"), "utf8")).toContain("personality: helper");
  });

  it("WHEN an Apply changes config.yaml between a persona command's read and its write THEN the command's older document is refused and the Apply's file stays", async () => {
    const { dir, backend, config } = await personaWriteReady();
    const read = await backend.readForEdit("p");
    if (!read.ok) throw new Error(read.reason);
    const parsed = parseBlueprintYaml("name: p\nmodel: { provider: openrouter, model: b }\n");
    if (!parsed.ok) throw new Error("bad fixture");
    const applied = await backend.applyEdit("p", {
      blueprint: parsed.blueprint,
      keys: new Set(["model"]),
      fingerprint: read.value.fingerprint,
      secrets: new Map(),
    });
    expect(applied.ok).toBe(true);
    const afterApply = await readFile(path.join(dir, "config.yaml"), "utf8");
    expect(afterApply).toContain("default: b");

    expect(await backend.writeConfig("p", config.value)).toEqual({
      ok: false,
      reason: CONFIG_CHANGED_MEANWHILE,
    });
    expect(await readFile(path.join(dir, "config.yaml"), "utf8")).toBe(afterApply);

    // Read again, the same change is written; a second write of that document follows its own.
    const again = await backend.readConfig("p");
    if (!again.ok) throw new Error(again.reason);
    again.value.doc.setIn(["display", "personality"], "helper");
    expect(await backend.writeConfig("p", again.value)).toEqual({ ok: true, value: true });
    again.value.doc.setIn(["display", "personality"], "other");
    expect(await backend.writeConfig("p", again.value)).toEqual({ ok: true, value: true });
    const final = await readFile(path.join(dir, "config.yaml"), "utf8");
    expect(final).toContain("default: b");
    expect(final).toContain("personality: other");
  });

  it("WHEN it applies THEN only changed files are written, .env stays 0600 with its other lines, no temp file is left", async () => {
    const dir = await profile();
    const read = await readProfileTexts(dir);
    const applied = await applyLocalEdit(
      dir,
      plan({ config: [{ path: ["model", "default"], value: "c" }] }),
      read,
      { set: [["NEW_KEY", "value-1"]], delete: [] },
    );
    expect(applied).toMatchObject({ ok: true, value: { written: ["config.yaml", ".env"], reformatted: [] } });
    expect(await readFile(path.join(dir, "config.yaml"), "utf8")).toBe("model:\n  default: c   # mine\n");
    expect(await readFile(path.join(dir, ".env"), "utf8")).toBe("# header\nKEEP=1\nNEW_KEY=value-1\n");
    expect((await stat(path.join(dir, ".env"))).mode & 0o777).toBe(0o600);
    // Beside the files: only the copy an Undo puts back (config.yaml as it was; never .env).
    expect((await readdir(dir)).sort()).toEqual([".blueprint-undo", ".env", "config.yaml"]);
    expect(await readdir(path.join(dir, ".blueprint-undo"))).toEqual(["snapshot.json"]);
    expect((await stat(path.join(dir, ".blueprint-undo", "snapshot.json"))).mode & 0o777).toBe(0o600);
  });
});

describe("GIVEN a process killed while it writes a file atomically", () => {
  it("THEN the file is always the old text or the new one, never a mix", async () => {
    const dir = await tempDir();
    const file = path.join(dir, "config.yaml");
    const old = `${"a: 1\n".repeat(50_000)}`;
    const next = `${"b: 2\n".repeat(50_000)}`;
    await writeFile(file, old);
    // .mts: the temp folder has no package.json, so only the extension makes this an ES module.
    const script = path.join(dir, "writer.mts");
    await writeFile(
      script,
      `import { writeFileAtomic } from ${JSON.stringify(path.join(ROOT, "src/app/profile/edit/write-atomic.ts"))};
const texts = [${JSON.stringify(next)}, ${JSON.stringify(old)}];
let i = 0;
setTimeout(() => process.kill(process.pid, "SIGKILL"), Number(process.argv[2]));
for (;;) await writeFileAtomic(${JSON.stringify(file)}, texts[i++ % 2]);
`,
    );
    for (const delay of [300, 450, 600, 750, 900, 1050]) {
      const killed = await run(process.execPath, ["--import", "tsx", script, String(delay)], {
        cwd: ROOT,
      }).catch((error: { signal?: string }) => error);
      expect((killed as { signal?: string }).signal).toBe("SIGKILL");
      const text = await readFile(file, "utf8");
      expect(text === old || text === next, "old or new, never a mix").toBe(true);
    }
    // A temp file a kill left behind is never the file itself; the next write replaces it.
    expect((await readdir(dir)).filter((name) => name === "config.yaml")).toHaveLength(1);
  }, 60_000);
});

describe("GIVEN a .env where a later empty line hides a key's value", () => {
  it("WHEN the key is deleted through the editor THEN every line of it goes (the secret is not left behind)", async () => {
    const dir = await tempDir();
    await writeFile(path.join(dir, ".env"), "# header\nOLD_KEY=sk-hidden-by-later-line\nOLD_KEY=\nKEEP=1\n", {
      mode: 0o600,
    });
    const library = await shippedLibrary();
    const edited = await editLocalProfile(
      dir,
      {
        blueprint: { ...(parseBlueprintYaml("name: p\n") as { ok: true; blueprint: Blueprint }).blueprint },
        keys: new Set(),
        secrets: new Map(),
        deleteKeys: ["OLD_KEY"],
      },
      library,
    );
    expect(edited.ok && edited.value.changes.map((change) => change.what)).toEqual(["key OLD_KEY"]);
    expect(await readFile(path.join(dir, ".env"), "utf8")).toBe("# header\nKEEP=1\n");
  });
});
