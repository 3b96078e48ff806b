// The repository's own docs name files (`src/app/runtime/bot-runtime.ts`, `test/hostile/`): each
// name must still point at something, so a move that forgets a doc fails here instead of leaving
// a newcomer at a dead end. A `*` in a name matches within one folder level.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "../helpers/cli.ts";

const DOCS = ["README.md", "docs/ARCHITECTURE.md", "HERMES-COMPAT.md"];
const NAMED = /`((?:src|test|bench|commands|bin|docs)\/[A-Za-z0-9_.*/-]+)`/g;

/** Whether a repository path (segments may hold `*`) names at least one file or folder. */
function exists(relative: string): boolean {
  let matches = [REPO_ROOT];
  for (const segment of relative.replace(/\/$/, "").split("/")) {
    if (!segment.includes("*")) {
      matches = matches.map((dir) => path.join(dir, segment)).filter((candidate) => existsSync(candidate));
      continue;
    }
    const pattern = new RegExp(`^${segment.replace(/[.]/g, "\\.").replace(/\*/g, "[^/]*")}$`);
    matches = matches.flatMap((dir) =>
      existsSync(dir)
        ? readdirSync(dir)
            .filter((name) => pattern.test(name))
            .map((name) => path.join(dir, name))
        : [],
    );
  }
  return matches.length > 0;
}

describe("GIVEN the repository's docs", () => {
  it.each(DOCS)("WHEN %s names a file or folder of the repository THEN it exists", (doc) => {
    const text = readFileSync(path.join(REPO_ROOT, doc), "utf8");
    const named = [...new Set([...text.matchAll(NAMED)].map((match) => match[1] ?? ""))];
    expect(named.length).toBeGreaterThan(0);
    expect(named.filter((name) => !exists(name))).toEqual([]);
  });
});
