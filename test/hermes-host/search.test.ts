// Hermes' own hub search, as the bot runs it (`hermes skills search --json … -- <query>`), against
// the pinned Hermes offline: it finds a skill of Hermes' official tree with Hermes' source and trust,
// and a query of any size or script — or one shaped like an option or a shell command — is answered,
// never an error, and never runs anything.
import { readdir } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { searchWithHermes } from "../../src/app/hub-search/hermes-hub-search.ts";
import { hermesHostEnv, HERMES_SEARCH_WAIT_MS } from "../helpers/hermes-host.ts";
import { useTempDirs } from "../helpers/temp-dir.ts";
import { hermesBin } from "../helpers/hermes.ts";

const tempDir = useTempDirs();

describe("GIVEN the real Hermes 0.19's hub search", () => {
  it(
    "WHEN the bot searches THEN Hermes' official skill is found with Hermes' source and trust, and hostile queries are answered empty",
    async () => {
      const data = await tempDir();
      const canary = path.join(data, "pwned");
      const env = { PATH: process.env["PATH"] ?? "", ...hermesHostEnv(data) };
      const queries = ["arxiv", "--help", `$(touch ${canary})`, "日本語 ✓ 🚀", "x".repeat(200)];
      const answers = await Promise.all(queries.map((query) => searchWithHermes(hermesBin(), env, query)));
      expect(answers[0]).toEqual({
        ok: true,
        value: [
          {
            identifier: "official/research/arxiv-digest",
            name: "arxiv-digest",
            source: "official",
            trust: "builtin",
            description: "Find recent arXiv papers on a topic and write a short digest with links.",
          },
        ],
      });
      for (const answer of answers.slice(1)) expect(answer).toEqual({ ok: true, value: [] });
      expect(await readdir(data)).not.toContain("pwned");
    },
    HERMES_SEARCH_WAIT_MS * 2,
  );
});
