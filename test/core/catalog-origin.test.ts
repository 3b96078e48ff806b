// The one line a wizard step shows about whose list it offers when the profile goes to a Hermes
// host: the host's, or this bot's (with why, when the host could have given its own).
import { describe, expect, it } from "vitest";
import { originLine, type CatalogOrigin } from "../../src/core/catalog-origin.ts";

const fromHost: CatalogOrigin = {
  host: "box:9119",
  builtinSkills: "host",
  optionalSkills: "bot",
  mcps: "host",
};

describe("GIVEN the lists of a create", () => {
  it("WHEN the create is on this machine THEN no step says whose list it is", () => {
    expect(originLine(undefined, "builtinSkills")).toEqual([]);
    expect(originLine(undefined, "mcps")).toEqual([]);
  });

  it("WHEN the host gave its lists THEN those steps say so, and the optional skills say they are the bot's", () => {
    expect(originLine(fromHost, "builtinSkills")).toEqual([
      "Built-in skills: the list of Hermes on box:9119.",
    ]);
    expect(originLine(fromHost, "mcps")).toEqual(["MCP catalog: the list of Hermes on box:9119."]);
    expect(originLine(fromHost, "optionalSkills")).toEqual([
      "Optional skills: this bot's list; Hermes on box:9119 may have others.",
    ]);
  });

  it("WHEN the host did not give a list THEN that step says it is the bot's and why; the optional skills name no problem", () => {
    const failed: CatalogOrigin = {
      ...fromHost,
      builtinSkills: "bot",
      problems: { builtinSkills: "Hermes at box:9119 did not answer in 5 s" },
    };
    expect(originLine(failed, "builtinSkills")).toEqual([
      "Built-in skills: this bot's list (box:9119 did not give its own: Hermes at box:9119 did not answer in 5 s); Hermes on box:9119 may have others.",
    ]);
    expect(originLine(failed, "mcps")).toEqual(["MCP catalog: the list of Hermes on box:9119."]);
    expect(originLine(failed, "optionalSkills")).toEqual([
      "Optional skills: this bot's list; Hermes on box:9119 may have others.",
    ]);
  });
});
