// A blueprint file read for `create --from` and `apply --from`: size-checked before it is read,
// parsed and validated, with the top-level keys it gives (an apply matches only those).
import { readFile, stat } from "node:fs/promises";
import { parseDocument } from "yaml";
import type { Blueprint } from "../core/blueprint.ts";
import {
  BLUEPRINT_FILE_MAX_BYTES,
  parseBlueprintYaml,
  YAML_MAX_ALIAS_COUNT,
} from "../core/blueprint-yaml.ts";
import { describe } from "../core/messages.ts";

export type BlueprintFile =
  { ok: true; blueprint: Blueprint; present: ReadonlySet<string> } | { ok: false; problems: string[] };

export async function readBlueprintFile(file: string): Promise<BlueprintFile> {
  let text: string;
  try {
    const info = await stat(file);
    if (!info.isFile())
      return {
        ok: false,
        problems: [
          describe({ code: "blueprint_unreadable", params: { file, reason: "not a regular file" } }),
        ],
      };
    if (info.size > BLUEPRINT_FILE_MAX_BYTES)
      return {
        ok: false,
        problems: [
          describe({
            code: "blueprint_too_large",
            params: { size: info.size, max: BLUEPRINT_FILE_MAX_BYTES },
          }),
        ],
      };
    text = await readFile(file, "utf8");
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? "unknown error";
    return { ok: false, problems: [describe({ code: "blueprint_unreadable", params: { file, reason } })] };
  }
  const parsed = parseBlueprintYaml(text);
  if (!parsed.ok) return parsed;
  // The parse above has accepted the text as a mapping, so its keys are plain strings.
  const data: unknown = parseDocument(text).toJS({ maxAliasCount: YAML_MAX_ALIAS_COUNT });
  return { ok: true, blueprint: parsed.blueprint, present: new Set(Object.keys(data as object)) };
}
