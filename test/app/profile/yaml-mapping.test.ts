import { describe, expect, it } from "vitest";
import {
  rememberYamlMapping,
  YAML_MAPPING_MEMORY_MAX_TOTAL_CHARS,
  YAML_MAPPING_MEMORY_MAX_CHARS,
  yamlMapping,
  yamlMappingOrEmpty,
} from "../../../src/app/profile/yaml-mapping.ts";

// Each test uses texts of its own (the memory is shared by the process).
const unique = (tag: string) => `${tag}: ${Math.random().toString(36).slice(2)}\n`;

describe("GIVEN a profile's YAML read as a mapping", () => {
  it("WHEN a text is read twice and the first answer was changed by its caller THEN the second is untouched", () => {
    const text = `model:\n  default: a\nlist: [1, 2]\n${unique("k")}`;
    const first = yamlMapping(text, "config.yaml");
    if (!first.ok) throw new Error(first.reason);
    (first.value["model"] as Record<string, unknown>)["default"] = "changed";
    (first.value["list"] as number[]).push(3);
    const second = yamlMapping(text, "config.yaml");
    expect(second.ok && second.value["model"]).toEqual({ default: "a" });
    expect(second.ok && second.value["list"]).toEqual([1, 2]);
  });

  it("WHEN what a text means was told to the memory THEN the next read answers from it without parsing", () => {
    const text = unique("told");
    rememberYamlMapping(text, { told: "from the edit" });
    expect(yamlMapping(text, "config.yaml")).toEqual({ ok: true, value: { told: "from the edit" } });
  });

  it(`WHEN other texts of more than ${YAML_MAPPING_MEMORY_MAX_TOTAL_CHARS} characters in all are remembered THEN the oldest is parsed again`, () => {
    const text = unique("oldest");
    rememberYamlMapping(text, { oldest: "remembered" });
    const filler = "# x\n".repeat(16 * 1024);
    for (let chars = 0; chars <= YAML_MAPPING_MEMORY_MAX_TOTAL_CHARS; chars += filler.length)
      rememberYamlMapping(`${unique(`other${chars}`)}${filler}`, {});
    const again = yamlMapping(text, "config.yaml");
    expect(again.ok && Object.values(again.value)[0]).not.toBe("remembered");
    expect(again.ok && Object.keys(again.value)).toEqual(["oldest"]);
  });

  it(`WHEN a text is longer than ${YAML_MAPPING_MEMORY_MAX_CHARS} characters THEN it is never remembered`, () => {
    const text = `${unique("big")}# ${"x".repeat(YAML_MAPPING_MEMORY_MAX_CHARS)}\n`;
    rememberYamlMapping(text, { big: "remembered" });
    const read = yamlMapping(text, "config.yaml");
    expect(read.ok && read.value["big"]).not.toBe("remembered");
  });

  it("WHEN a text does not parse, is not a mapping or expands aliases past the limit THEN it is refused", () => {
    expect(yamlMapping("a: [1,\n", "config.yaml")).toMatchObject({ ok: false });
    expect(yamlMapping("- a\n- b\n", "config.yaml")).toEqual({
      ok: false,
      reason: "config.yaml is not a mapping; fix it first, nothing was changed",
    });
    const laughs = [
      "a: &a [x, x, x, x, x, x, x, x, x, x]",
      ...Array.from({ length: 6 }, (_, i) => {
        const prev = i === 0 ? "a" : `l${i - 1}`;
        return `l${i}: &l${i} [*${prev}, *${prev}, *${prev}, *${prev}, *${prev}, *${prev}, *${prev}, *${prev}, *${prev}, *${prev}]`;
      }),
    ].join("\n");
    expect(yamlMapping(laughs, "config.yaml")).toMatchObject({ ok: false });
    expect(yamlMappingOrEmpty(laughs)).toEqual({});
    expect(yamlMappingOrEmpty(undefined)).toEqual({});
  });
});
