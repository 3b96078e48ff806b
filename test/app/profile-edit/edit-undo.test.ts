import { lstat, mkdir, readFile, readdir, rm, stat, symlink, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { EditPlan } from "../../../src/core/edit/plan-edit.ts";
import { applyLocalEdit } from "../../../src/app/profile/edit/apply-local-edit.ts";
import { snapshotForUndo, UNDO_DIR, undoLocalEdit } from "../../../src/app/profile/edit/edit-undo.ts";
import { fingerprint, readProfileTexts } from "../../../src/app/profile/edit/profile-texts.ts";
import { useTempDirs } from "../../helpers/temp-dir.ts";

const tempDir = useTempDirs();
const CONFIG = "# mine\nmodel:\n  default: a   # keep\n";

function plan(parts: Partial<EditPlan>): EditPlan {
  return { changes: [], config: [], meta: [], installs: [], copies: [], notes: [], ...parts };
}

async function applied(dir: string) {
  const read = await readProfileTexts(dir);
  const result = await applyLocalEdit(
    dir,
    plan({
      config: [{ path: ["model", "default"], value: "b" }],
      meta: [{ path: ["display_name"], value: "Bee" }],
    }),
    read,
    { set: [["NEW_KEY", "value-1"]], delete: [] },
  );
  if (!result.ok) throw new Error(result.reason);
  return result.value;
}

async function profile(): Promise<string> {
  const dir = await tempDir();
  await writeFile(path.join(dir, "config.yaml"), CONFIG);
  await writeFile(path.join(dir, ".env"), "# header\n", { mode: 0o600 });
  return dir;
}

describe("GIVEN an Apply of the editor", () => {
  it("WHEN it is undone THEN config.yaml is byte for byte as before, a file it created is gone, .env keeps the key", async () => {
    const dir = await profile();
    const { fingerprint } = await applied(dir);
    expect((await stat(path.join(dir, UNDO_DIR))).mode & 0o777).toBe(0o700);
    // An install finishing after the Apply changes lock.json: that does not block the Undo.
    await mkdir(path.join(dir, "skills", ".hub"), { recursive: true });
    await writeFile(path.join(dir, "skills", ".hub", "lock.json"), '{"version":1,"installed":{}}');
    expect(await undoLocalEdit(dir, fingerprint)).toEqual({
      ok: true,
      value: ["config.yaml", "profile.yaml"],
    });
    expect(await readFile(path.join(dir, "config.yaml"), "utf8")).toBe(CONFIG);
    expect((await readdir(dir)).sort()).toEqual([".env", "config.yaml", "skills"]);
    expect(await readFile(path.join(dir, ".env"), "utf8")).toBe("# header\nNEW_KEY=value-1\n");
  });

  it("WHEN config.yaml changed after the Apply THEN Undo refuses, names the file and writes nothing", async () => {
    const dir = await profile();
    const { fingerprint } = await applied(dir);
    await writeFile(path.join(dir, "config.yaml"), "model:\n  default: by-hand\n");
    const undone = await undoLocalEdit(dir, fingerprint);
    expect(undone.ok).toBe(false);
    expect(!undone.ok && undone.reason).toContain("the profile changed after that Apply (config.yaml)");
    expect(await readFile(path.join(dir, "config.yaml"), "utf8")).toBe("model:\n  default: by-hand\n");
  });

  it("WHEN it was undone already THEN a second Undo says there is nothing to undo", async () => {
    const dir = await profile();
    const { fingerprint } = await applied(dir);
    expect((await undoLocalEdit(dir, fingerprint)).ok).toBe(true);
    const again = await undoLocalEdit(dir, fingerprint);
    expect(again.ok).toBe(false);
  });
});

describe("GIVEN the copy an Undo puts back", () => {
  it("WHEN a later Apply made its copy and was killed before writing THEN the earlier Apply's Undo does not use that copy and writes nothing", async () => {
    const dir = await profile();
    const { fingerprint: first } = await applied(dir);
    const afterFirst = await readFile(path.join(dir, "config.yaml"), "utf8");
    // The second Apply kept the files as the first left them, then the process died.
    await snapshotForUndo(dir, ["config.yaml"], () => afterFirst, "config=not-yet-written");
    const undone = await undoLocalEdit(dir, first);
    expect(undone).toEqual({
      ok: false,
      reason: "nothing to undo here any more (the copy of the old files is gone)",
    });
    expect(await readFile(path.join(dir, "config.yaml"), "utf8")).toBe(afterFirst);
  });

  it("WHEN it was kept in the older layout (each file beside a manifest) THEN Undo still puts it back", async () => {
    const dir = await profile();
    await writeFile(path.join(dir, "config.yaml"), "model:\n  default: applied\n");
    await mkdir(path.join(dir, UNDO_DIR), { mode: 0o700 });
    await writeFile(path.join(dir, UNDO_DIR, "config.yaml"), CONFIG);
    await writeFile(
      path.join(dir, UNDO_DIR, "manifest.json"),
      JSON.stringify({ files: { "config.yaml": true, "SOUL.md": false } }),
    );
    await writeFile(path.join(dir, "SOUL.md"), "made by the Apply\n");
    const now = fingerprint(await readProfileTexts(dir));
    expect(await undoLocalEdit(dir, now)).toEqual({ ok: true, value: ["config.yaml", "SOUL.md"] });
    expect(await readFile(path.join(dir, "config.yaml"), "utf8")).toBe(CONFIG);
    expect((await readdir(dir)).sort()).toEqual([".env", "config.yaml"]);
  });

  it("WHEN its folder is a link, or holds anything else THEN the link is replaced by a folder of its own (nothing written through it) and the rest goes", async () => {
    const dir = await profile();
    const elsewhere = await tempDir();
    await symlink(elsewhere, path.join(dir, UNDO_DIR));
    await applied(dir);
    expect(await readdir(elsewhere)).toEqual([]);
    const folder = await lstat(path.join(dir, UNDO_DIR));
    expect(folder.isDirectory() && (folder.mode & 0o777) === 0o700).toBe(true);

    // An older layout's files and a temporary file a kill left are gone after the next Apply.
    await writeFile(path.join(dir, UNDO_DIR, "manifest.json"), "{}");
    await writeFile(path.join(dir, UNDO_DIR, "snapshot.json.1.ab.edit-tmp"), "half");
    await writeFile(path.join(dir, "config.yaml"), CONFIG);
    const { fingerprint: last } = await applied(dir);
    expect(await readdir(path.join(dir, UNDO_DIR))).toEqual(["snapshot.json"]);
    expect((await undoLocalEdit(dir, last)).ok).toBe(true);
  });

  it("WHEN a later Apply sets only keys THEN the earlier Apply's copy is kept and its Undo still puts config.yaml back", async () => {
    const dir = await profile();
    const { fingerprint: first } = await applied(dir);
    const keysOnly = await applyLocalEdit(dir, plan({}), await readProfileTexts(dir), {
      set: [["OTHER_KEY", "value-2"]],
      delete: [],
    });
    expect(keysOnly).toMatchObject({ ok: true, value: { written: [".env"] } });
    expect(await undoLocalEdit(dir, first)).toEqual({ ok: true, value: ["config.yaml", "profile.yaml"] });
    expect(await readFile(path.join(dir, "config.yaml"), "utf8")).toBe(CONFIG);
    expect(await readFile(path.join(dir, ".env"), "utf8")).toBe(
      "# header\nNEW_KEY=value-1\nOTHER_KEY=value-2\n",
    );
  });

  it("WHEN the folder was replaced by a link to a copy someone made THEN Undo reads nothing through it and writes nothing", async () => {
    const dir = await profile();
    const { fingerprint: after } = await applied(dir);
    const elsewhere = await tempDir();
    await writeFile(
      path.join(elsewhere, "snapshot.json"),
      JSON.stringify({ after, files: { "config.yaml": "planted: true\n" } }),
    );
    await rm(path.join(dir, UNDO_DIR), { recursive: true });
    await symlink(elsewhere, path.join(dir, UNDO_DIR));
    const undone = await undoLocalEdit(dir, after);
    expect(undone.ok).toBe(false);
    expect(await readFile(path.join(dir, "config.yaml"), "utf8")).not.toContain("planted");
  });
});
