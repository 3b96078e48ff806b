import { execFile } from "node:child_process";
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import {
  PROFILE_TEXT_SYNC_MAX_BYTES,
  readProfileTexts,
} from "../../../src/app/profile/edit/profile-texts.ts";
import { useTempDirs } from "../../helpers/temp-dir.ts";

const tempDir = useTempDirs();
const run = promisify(execFile);

describe("GIVEN a profile's files read for an edit", () => {
  it("WHEN some are there and some are not THEN each present one is read whole and the others are undefined", async () => {
    const dir = await tempDir();
    await writeFile(path.join(dir, "config.yaml"), "model:\n  default: a\n");
    await writeFile(path.join(dir, ".env"), "# header\nKEY=1\n", { mode: 0o600 });
    await mkdir(path.join(dir, "skills"));
    await writeFile(path.join(dir, "skills", ".bundled_manifest"), "a:1\n");
    expect(await readProfileTexts(dir)).toEqual({
      config: "model:\n  default: a\n",
      meta: undefined,
      soul: undefined,
      env: "# header\nKEY=1\n",
      lock: undefined,
      manifest: "a:1\n",
    });
  });

  it(`WHEN config.yaml is over ${PROFILE_TEXT_SYNC_MAX_BYTES} bytes THEN it is still read whole (off the event loop)`, async () => {
    const dir = await tempDir();
    const big = `# ${"x".repeat(PROFILE_TEXT_SYNC_MAX_BYTES)}\nmodel:\n  default: a\n`;
    await writeFile(path.join(dir, "config.yaml"), big);
    await writeFile(path.join(dir, "SOUL.md"), "soul");
    const texts = await readProfileTexts(dir);
    expect(texts.config).toBe(big);
    expect(texts.soul).toBe("soul");
  });

  it("WHEN SOUL.md is a FIFO and profile.yaml a folder THEN both read as missing and nothing waits on the FIFO", async () => {
    const dir = await tempDir();
    await writeFile(path.join(dir, "config.yaml"), "a: 1\n");
    await run("mkfifo", [path.join(dir, "SOUL.md")]);
    await mkdir(path.join(dir, "profile.yaml"));
    const texts = await readProfileTexts(dir);
    expect(texts).toMatchObject({ config: "a: 1\n", soul: undefined, meta: undefined });
  });
});
