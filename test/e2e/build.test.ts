// `npm run build` compiles the bot (tsconfig.build.json) and the compiled CLI runs. Built into a
// scratch folder inside the checkout (so node_modules resolves) and removed after, so the rest of
// the suite keeps running the sources.
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readdir, rm } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "../helpers/cli.ts";

const run = promisify(execFile);

describe("GIVEN the build configuration", () => {
  it("WHEN the sources are compiled THEN the JavaScript CLI runs a command end to end", async () => {
    const out = path.join(REPO_ROOT, `.build-test-${randomBytes(4).toString("hex")}`);
    try {
      await run(
        process.execPath,
        [
          path.join(REPO_ROOT, "node_modules/typescript/bin/tsc"),
          "-p",
          "tsconfig.build.json",
          "--outDir",
          out,
        ],
        {
          cwd: REPO_ROOT,
        },
      );
      expect(await readdir(path.join(out, "src/main"))).toContain("cli.js");
      const linted = await run(
        process.execPath,
        [
          path.join(out, "src/main/cli.js"),
          "personas",
          "lint",
          "--dir",
          path.join(REPO_ROOT, "library/personas"),
        ],
        { cwd: REPO_ROOT, env: { PATH: process.env["PATH"] ?? "", HOME: process.env["HOME"] ?? "/tmp" } },
      );
      expect(linted.stdout).toMatch(/16 persona\(s\)/);
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  }, 60_000);
});
