// Hub search without Hermes (the bundled hub's index), the reading of Hermes' JSON answer, and the
// cache and bound around both; a Hermes that hangs, crashes or prints garbage gives a reason.
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { discoverHermes } from "../../src/app/hermes/discover.ts";
import { BundledHubIndex } from "../../src/app/hub-search/bundled-hub-index.ts";
import { parseHermesSearch, searchWithHermes } from "../../src/app/hub-search/hermes-hub-search.ts";
import { HUB_SEARCH_CONCURRENCY, HubSearch } from "../../src/app/hub-search/hub-search.ts";
import { type HubSearchAnswer } from "../../src/app/ports/hub-searcher.ts";
import { REPO_ROOT } from "../helpers/cli.ts";
import { writeFakeHermes } from "../helpers/fake-hermes.ts";
import { useTempDirs } from "../helpers/temp-dir.ts";

const tempDir = useTempDirs();
const shipped = new BundledHubIndex(() => Promise.resolve(path.join(REPO_ROOT, "library/hub")));

describe("GIVEN the bundled hub's index", () => {
  it("WHEN a word is searched THEN matching skills come with Hermes' source and trust for each", async () => {
    expect(await shipped.search("password")).toEqual({
      ok: true,
      value: [
        expect.objectContaining({
          identifier: "official/security/password-audit",
          name: "password-audit",
          source: "official",
          trust: "builtin",
        }),
      ],
    });
    const answer = await shipped.search("skills");
    const trusts = answer.ok
      ? new Map(answer.value.map((hit) => [hit.identifier.split("/")[0], hit.trust]))
      : undefined;
    expect(trusts?.get("anthropics")).toBe("trusted");
    expect(trusts?.get("shady")).toBe("community");
  });

  it("WHEN every word must match, in any case or accent THEN only skills with all of them are found", async () => {
    const hub = await tempDir();
    const skill = path.join(hub, "acme", "tools", "resume-writer");
    await mkdir(skill, { recursive: true });
    await writeFile(
      path.join(skill, "SKILL.md"),
      "---\nname: resume-writer\ndescription: Écrit un Résumé\n---\n",
    );
    const index = new BundledHubIndex(() => Promise.resolve(hub));
    expect((await index.search("RESUME écrit")).ok && (await index.search("RESUME écrit"))).toMatchObject({
      value: [{ identifier: "acme/tools/resume-writer", trust: "community", source: "github" }],
    });
    expect(await index.search("resume docker")).toEqual({ ok: true, value: [] });
  });

  it("WHEN the query is hostile THEN it is answered (nothing found), never an error", async () => {
    for (const query of ["$(touch /tmp/pwned)", ".*", "日本語 ✓ 🚀", "x".repeat(200), "' OR 1=1 --"])
      expect(await shipped.search(query)).toEqual({ ok: true, value: [] });
  });
});

describe("GIVEN Hermes' JSON answer", () => {
  it("WHEN rows are good, bad or duplicated THEN good rows are kept once, bad ones dropped", () => {
    const rows = [
      { name: "a", identifier: "official/x/a", source: "official", trust_level: "builtin", description: "A" },
      { name: "a", identifier: "official/x/a", source: "official", trust_level: "builtin", description: "A" },
      {
        name: "meta",
        identifier: "http://169.254.169.254/SKILL.md",
        source: "url",
        trust_level: "community",
      },
      { name: "", identifier: "o/r/empty", source: "github", trust_level: "community", description: "" },
      "not a row",
    ];
    expect(parseHermesSearch(`a log line\n${JSON.stringify(rows)}`)).toEqual({
      ok: true,
      value: [
        { identifier: "official/x/a", name: "a", source: "official", trust: "builtin", description: "A" },
      ],
    });
  });

  it("WHEN the answer is garbage THEN the search fails with a readable reason", () => {
    expect(parseHermesSearch("\u00ff{{{ not json ]]]")).toEqual({
      ok: false,
      reason: "Hermes answered something that is not a search result",
    });
    expect(parseHermesSearch('{"name": "x"}')).toMatchObject({ ok: false });
  });
});

describe("GIVEN a Hermes that misbehaves", () => {
  it.each([
    ["hang", "Hermes did not answer in 1 s"],
    ["crash", "Hermes' search failed (exit code 1)"],
    ["garbage", "Hermes answered something that is not a search result"],
  ] as const)(
    "WHEN it is asked to search and it %s THEN the search fails saying %j",
    async (mode, reason) => {
      const bin = await writeFakeHermes(await tempDir(), mode);
      const found = await discoverHermes(bin, { PATH: process.env["PATH"] ?? "" });
      expect(found.status).toBe("found");
      expect(await searchWithHermes(bin, { PATH: process.env["PATH"] ?? "" }, "docker", 1000)).toEqual({
        ok: false,
        reason,
      });
    },
  );
});

describe("GIVEN the search service", () => {
  it("WHEN the same query comes again THEN the answer is reused; a failed one is tried again", async () => {
    const calls: string[] = [];
    let fail = true;
    const search = new HubSearch((query): Promise<HubSearchAnswer> => {
      calls.push(query);
      return Promise.resolve(fail ? { ok: false, reason: "down" } : { ok: true, value: [] });
    });
    expect(await search.search("Docker")).toEqual({ ok: false, reason: "down" });
    fail = false;
    await search.search("docker");
    await search.search("  DOCKER ");
    expect(calls).toEqual(["Docker", "docker"]);
  });

  it("WHEN many searches come at once THEN at most the bound run together and every one is answered", async () => {
    let running = 0;
    let peak = 0;
    const search = new HubSearch(async (): Promise<HubSearchAnswer> => {
      running += 1;
      peak = Math.max(peak, running);
      await new Promise((resolve) => setTimeout(resolve, 30));
      running -= 1;
      return { ok: true, value: [] };
    });
    const answers = await Promise.all(Array.from({ length: 7 }, (_, index) => search.search(`q${index}`)));
    expect(answers.every((answer) => answer.ok)).toBe(true);
    expect(peak).toBe(HUB_SEARCH_CONCURRENCY);
  });
});
