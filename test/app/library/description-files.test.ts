import { mkdir, symlink, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { descriptionFiles } from "../../../src/app/library/skill-tree.ts";
import { useTempDirs } from "../../helpers/temp-dir.ts";

const tempDir = useTempDirs();

async function writeTree(root: string, relatives: readonly string[]): Promise<void> {
  for (const relative of relatives) {
    await mkdir(path.dirname(path.join(root, relative)), { recursive: true });
    await writeFile(path.join(root, relative), `${relative}\n`);
  }
}

describe("GIVEN a built-in skills tree and its category descriptions", () => {
  it("WHEN they lie at every depth, beside links and look-alikes THEN each is found once, relative and sorted", async () => {
    const dir = await tempDir();
    const root = path.join(dir, "skills");
    await writeTree(root, [
      "DESCRIPTION.md",
      "mlops/DESCRIPTION.md",
      "mlops/training/DESCRIPTION.md",
      "mlops/training/trl/SKILL.md",
      "mlops/training/trl/references/DESCRIPTION.md",
      "devops/DESCRIPTION.md",
      "devops-x/DESCRIPTION.md",
      "notes/description.md",
      "notes/plain/SKILL.md",
    ]);
    await writeTree(dir, ["elsewhere/DESCRIPTION.md"]);
    // A folder of that name is not a file; a linked file is taken, a linked folder not entered.
    await mkdir(path.join(root, "notes", "plain", "DESCRIPTION.md"));
    await symlink(path.join(dir, "elsewhere", "DESCRIPTION.md"), path.join(root, "notes", "DESCRIPTION.md"));
    await symlink(path.join(dir, "elsewhere"), path.join(root, "linked"));
    expect(await descriptionFiles(root)).toEqual([
      "DESCRIPTION.md",
      "devops-x/DESCRIPTION.md",
      "devops/DESCRIPTION.md",
      "mlops/DESCRIPTION.md",
      "mlops/training/DESCRIPTION.md",
      "mlops/training/trl/references/DESCRIPTION.md",
      "notes/DESCRIPTION.md",
    ]);
  });

  it("WHEN the tree does not exist THEN there are none", async () => {
    expect(await descriptionFiles(path.join(await tempDir(), "missing"))).toEqual([]);
  });
});
