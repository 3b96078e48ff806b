// Where the program's own files are (library/, bin/): the checkout or the installed package.
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

/**
 * The nearest folder above this module with a package.json (src/app/system/ from the sources,
 * dist/src/app/system/ from a build).
 */
export const PACKAGE_ROOT = packageRootFrom(path.dirname(fileURLToPath(import.meta.url)));

function packageRootFrom(start: string): string {
  for (let dir = start; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, "package.json"))) return dir;
    if (path.dirname(dir) === dir) return path.resolve(start, "../../..");
  }
}
