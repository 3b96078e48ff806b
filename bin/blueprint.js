#!/usr/bin/env node
// The one executable: `npm start`, `npm run blueprint -- <command>` and the installed `blueprint`.
// With a build present (`npm run build` → dist/) it runs the compiled JavaScript; otherwise it
// runs the TypeScript sources through tsx's loader, so a fresh checkout needs no build step.
// A build older than any source file is ignored (an edited checkout never runs stale code);
// BLUEPRINT_SOURCES=1 forces the sources.
import { existsSync, readdirSync, statSync } from "node:fs";
import process from "node:process";
import { fileURLToPath, URL } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const built = `${root}dist/src/main/cli.js`;

/** The newest modification time under the source folders (about 200 files: a few milliseconds). */
function newestSource() {
  let newest = 0;
  for (const folder of ["src", "commands"]) {
    const dir = `${root}${folder}`;
    if (!existsSync(dir)) continue;
    for (const entry of readdirSync(dir, { recursive: true })) {
      const mtime = statSync(`${dir}/${String(entry)}`).mtimeMs;
      if (mtime > newest) newest = mtime;
    }
  }
  return newest;
}

const useBuild =
  process.env.BLUEPRINT_SOURCES !== "1" && existsSync(built) && statSync(built).mtimeMs >= newestSource();

if (useBuild) {
  await import("../dist/src/main/cli.js");
} else {
  const { register } = await import("tsx/esm/api");
  register();
  await import("../src/main/cli.ts");
}
