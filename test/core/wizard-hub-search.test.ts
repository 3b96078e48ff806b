// The Skills step's hub search, through the real step(): a query becomes one searchHub effect, only
// the answer to the search on screen is shown, results toggle in and out of the hub list, and a
// result is checked like a typed identifier.
import { describe, expect, it } from "vitest";
import { HUB_SEARCH_QUERY_MAX_CHARS, type HubHit } from "../../src/core/hub-search.ts";
import { HUB_SKILLS_MAX } from "../../src/core/limits.ts";
import { shippedContext } from "../helpers/catalog.ts";
import { WizardDriver } from "../helpers/wizard-driver.ts";

const hit = (identifier: string, name = identifier.split("/").at(-1) ?? identifier): HubHit => ({
  identifier,
  name,
  source: "official",
  trust: "builtin",
  description: `About ${name}`,
});

async function atSearch(): Promise<WizardDriver> {
  const driver = new WizardDriver(await shippedContext());
  driver.type("searcher");
  for (const label of [
    "Next",
    "OpenRouter",
    "anthropic/claude-sonnet-4",
    "Skip",
    "Optional skills",
    "Hub skills",
  ])
    driver.press(label);
  driver.press("🔎 Search the hub");
  expect(driver.state.step).toBe("skills.hub_search");
  return driver;
}

function answer(driver: WizardDriver, query: string, hits: HubHit[], failure?: string) {
  return driver.send({
    type: "hubSearched",
    query,
    hits,
    ...(failure ? { failure } : {}),
    at: driver.clock + 1,
  });
}

describe("GIVEN the hub search screen", () => {
  it("WHEN words are sent THEN one search runs for the cleaned query and the screen says it is searching", async () => {
    const driver = await atSearch();
    driver.type("  release\u0007   notes \u202e ");
    expect(driver.effect("searchHub")).toEqual({ type: "searchHub", query: "release notes" });
    expect(driver.view.body[0]).toBe("Searching the hub for “release notes”…");
  });

  it("WHEN the answer comes THEN the hits are a multi-select with name, trust, identifier and source, and a press adds then removes one", async () => {
    const driver = await atSearch();
    driver.type("audit");
    answer(driver, "audit", [hit("official/security/password-audit"), hit("acme/agent-skills/sql-explain")]);
    const items = driver.view.choices?.items ?? [];
    expect(items.map((item) => [item.label, item.description])).toEqual([
      ["password-audit · builtin", "official/security/password-audit (official) — About password-audit"],
      ["sql-explain · builtin", "acme/agent-skills/sql-explain (official) — About sql-explain"],
    ]);
    driver.press("password-audit · builtin");
    expect(driver.state.draft.hub).toEqual(["official/security/password-audit"]);
    expect(driver.view.choices?.items[0]?.selected).toBe(true);
    driver.press("password-audit · builtin");
    expect(driver.state.draft.hub).toEqual([]);
  });

  it("WHEN an answer is for an older query THEN it is dropped; the newer one is shown", async () => {
    const driver = await atSearch();
    driver.type("first");
    driver.type("second");
    const stale = answer(driver, "first", [hit("official/a/first")]);
    expect(stale.effects).toEqual([]);
    answer(driver, "second", [hit("official/b/second")]);
    expect(driver.view.choices?.items.map((item) => item.label)).toEqual(["second · builtin"]);
    // An answer after the user left the screen changes nothing either.
    driver.type("third");
    driver.press("◀ Back");
    expect(answer(driver, "third", [hit("official/c/third")]).effects).toEqual([]);
    expect(driver.state.step).toBe("skills.hub");
  });

  it("WHEN the search failed or found nothing THEN the screen says so and how to go on", async () => {
    const driver = await atSearch();
    driver.type("docker");
    answer(driver, "docker", [], "Hermes did not answer in 45 s");
    expect(driver.view.body.slice(0, 2)).toEqual([
      "The search for “docker” did not finish: Hermes did not answer in 45 s.",
      "Search again, or go back and type an identifier.",
    ]);
    driver.type("zzz");
    answer(driver, "zzz", []);
    expect(driver.view.body[0]).toBe(
      "No skill in the hub matches “zzz”. Try other words, or go back and type an identifier.",
    );
  });

  it("WHEN a hit's identifier breaks the identifier rule, or the list is full THEN the press is refused and nothing is added", async () => {
    const driver = await atSearch();
    driver.type("bad");
    answer(driver, "bad", [hit("http://169.254.169.254/latest/SKILL.md", "metadata")]);
    driver.press("metadata · builtin");
    expect(driver.state.draft.hub).toEqual([]);
    expect(driver.view.notice?.text).toContain("is not a hub skill identifier");

    const full = await atSearch();
    full.press("◀ Back");
    full.type(Array.from({ length: HUB_SKILLS_MAX }, (_, index) => `official/x/skill-${index}`).join(" "));
    full.press("🔎 Search the hub");
    full.type("more");
    answer(full, "more", [hit("official/y/one-more")]);
    full.press("one-more · builtin");
    expect(full.state.draft.hub).toHaveLength(HUB_SKILLS_MAX);
    expect(full.view.notice?.text).toContain(`At most ${HUB_SKILLS_MAX} hub skills`);
  });

  it("WHEN the query is empty, only controls, or huge THEN empty is refused with what to send, huge is cut, nothing crashes", async () => {
    const driver = await atSearch();
    driver.type(" \u0000\u200f ");
    expect(driver.effect("searchHub")).toBeUndefined();
    expect(driver.view.notice?.text).toContain("Send a word or two");
    driver.type(`日本語 ✓ ${"x".repeat(10_000)}`);
    const query = driver.effect("searchHub")?.query ?? "";
    expect(query.startsWith("日本語 ✓ x")).toBe(true);
    expect(query.length).toBeLessThanOrEqual(HUB_SEARCH_QUERY_MAX_CHARS);
  });

  it("WHEN the bot restarts during a search THEN the search is run again", async () => {
    const driver = await atSearch();
    driver.type("arxiv");
    driver.send({ type: "restored", at: driver.clock + 1 });
    expect(driver.effect("searchHub")).toEqual({ type: "searchHub", query: "arxiv" });
  });
});
