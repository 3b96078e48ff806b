// Blueprint <-> YAML. Parsing reports every problem with its path in the file; writing keeps the
// key order of the README's example, so a written blueprint reads like the documented one.
import { isMap, parseDocument, stringify } from "yaml";
import type { z } from "zod";
import { blueprintSchema, type Blueprint } from "./blueprint.ts";
import { describe } from "./messages.ts";
import { utf8ByteLength } from "./text-rules.ts";

/** A blueprint file larger than this is refused before it is read (a blueprint is a few KB). */
export const BLUEPRINT_FILE_MAX_BYTES = 1024 * 1024;
/** YAML aliases expanded at most this many times: a "billion laughs" file is refused, not expanded. */
export const YAML_MAX_ALIAS_COUNT = 100;

export type BlueprintParse = { ok: true; blueprint: Blueprint } | { ok: false; problems: string[] };

export function parseBlueprintYaml(text: string): BlueprintParse {
  const size = utf8ByteLength(text);
  if (size > BLUEPRINT_FILE_MAX_BYTES) {
    return {
      ok: false,
      problems: [describe({ code: "blueprint_too_large", params: { size, max: BLUEPRINT_FILE_MAX_BYTES } })],
    };
  }
  const document = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (document.errors.length > 0) {
    return {
      ok: false,
      problems: document.errors.map((error) =>
        describe({ code: "blueprint_not_yaml", params: { reason: firstLine(error.message) } }),
      ),
    };
  }
  if (!isMap(document.contents)) {
    const kind =
      document.contents === null ? "empty document" : Array.isArray(document.toJS()) ? "list" : "scalar";
    return { ok: false, problems: [describe({ code: "blueprint_not_mapping", params: { kind } })] };
  }
  let data: unknown;
  try {
    data = document.toJS({ maxAliasCount: YAML_MAX_ALIAS_COUNT });
  } catch (error) {
    // The yaml package throws here only for alias expansion beyond maxAliasCount.
    return {
      ok: false,
      problems: [describe({ code: "blueprint_not_yaml", params: { reason: firstLine(String(error)) } })],
    };
  }
  return checkBlueprintData(data);
}

/** Validates already-parsed data (YAML, JSON or a form) against the blueprint schema. */
export function checkBlueprintData(data: unknown): BlueprintParse {
  const parsed = blueprintSchema.safeParse(data);
  if (parsed.success) return { ok: true, blueprint: parsed.data };
  return { ok: false, problems: parsed.error.issues.flatMap(formatIssue) };
}

function formatIssue(issue: z.core.$ZodIssue): string[] {
  if (issue.code === "unrecognized_keys") {
    return issue.keys.map((key) => {
      const path = formatPath([...issue.path, key]);
      return `${path}: ${describe({ code: "unknown_key", params: { key } })}`;
    });
  }
  return [`${formatPath(issue.path) || "(top level)"}: ${issue.message}`];
}

/** `["mcp_servers", 1, "url"]` → `mcp_servers[1].url` */
export function formatPath(path: readonly PropertyKey[]): string {
  return path
    .map((part, index) =>
      typeof part === "number" ? `[${part}]` : `${index === 0 ? "" : "."}${String(part)}`,
    )
    .join("");
}

export function blueprintToYaml(blueprint: Blueprint): string {
  const ordered = {
    name: blueprint.name,
    display_name: blueprint.display_name ?? null,
    description: blueprint.description ?? null,
    clone_from: blueprint.clone_from ?? null,
    model: blueprint.model
      ? {
          provider: blueprint.model.provider,
          model: blueprint.model.model,
          base_url: blueprint.model.base_url ?? null,
          ...(blueprint.model.context_length ? { context_length: blueprint.model.context_length } : {}),
        }
      : null,
    skills: blueprint.skills,
    mcp_servers: blueprint.mcp_servers,
    persona: blueprint.persona ?? null,
    ...(blueprint.soul ? { soul: blueprint.soul } : {}),
    ...(blueprint.toolsets ? { toolsets: blueprint.toolsets } : {}),
    ...(blueprint.plugins.length > 0 ? { plugins: blueprint.plugins } : {}),
    ...(blueprint.commonground ? { commonground: blueprint.commonground } : {}),
  };
  return stringify(ordered, { lineWidth: 0 });
}

function firstLine(text: string): string {
  return text.split("\n", 1)[0] ?? text;
}
