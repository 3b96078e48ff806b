import { mkdir, readFile, readdir, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { EditPlan } from "../../../src/core/edit/plan-edit.ts";
import { applyLocalEdit } from "../../../src/app/profile/edit/apply-local-edit.ts";
import { UNDO_DIR, undoLocalEdit } from "../../../src/app/profile/edit/edit-undo.ts";
import { readProfileTexts } from "../../../src/app/profile/edit/profile-texts.ts";
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
