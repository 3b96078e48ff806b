// A CommonGround profile document read as CommonGround's management API reads an upload (v1r4, as
// observed on the real server): a mapping; `name` and `worker_target` non-blank strings, trimmed;
// `tags` a list (items stringified and trimmed, empty ones dropped, so `null` becomes "None") or a
// comma-separated string; `system_prompt` standing in for a missing `system_prompt_template`;
// `description` a string; tool lists lists of strings; `llm_config` a mapping; `delegation_policy`
// `{target_tags, target_profiles}`; other top-level keys kept. A document the server would refuse
// is refused here with the server's words, so nothing the bot takes in would fail there.
import { parseDocument } from "yaml";
import { utf8ByteLength } from "../text-rules.ts";

/** A profile document larger than this is refused before it is parsed (a profile is a few KB). */
export const CG_DOCUMENT_MAX_BYTES = 1024 * 1024;
/** YAML aliases expanded at most this many times (an alias bomb is refused, not expanded). */
const MAX_ALIAS_COUNT = 100;

export interface CgDelegationPolicy {
  readonly target_tags: readonly string[];
  readonly target_profiles: readonly string[] | null;
}

export interface CgProfile {
  readonly name: string;
  readonly worker_target: string;
  readonly tags: readonly string[];
  readonly system_prompt_template: string;
  readonly description?: string;
  readonly allowed_tools?: readonly string[];
  readonly allowed_internal_tools?: readonly string[];
  readonly must_end_with?: readonly string[];
  readonly llm_config?: Readonly<Record<string, unknown>>;
  readonly delegation_policy?: CgDelegationPolicy;
  /** Keys the server does not know, kept in its card. */
  readonly extra: Readonly<Record<string, unknown>>;
  /** Keys the server reads past and drops (unknown keys inside delegation_policy). */
  readonly ignored: readonly string[];
}

const KNOWN = new Set([
  "name",
  "worker_target",
  "tags",
  "system_prompt_template",
  "system_prompt",
  "description",
  "allowed_tools",
  "allowed_internal_tools",
  "must_end_with",
  "llm_config",
  "delegation_policy",
]);

export type CgRead = { ok: true; profile: CgProfile } | { ok: false; problem: string };

const refuse = (problem: string): CgRead => ({ ok: false, problem });

function stringList(value: unknown, key: string): readonly string[] | string {
  if (!Array.isArray(value) || value.some((item) => typeof item !== "string"))
    return `${key}: a list of strings`;
  return value as string[];
}

/** The server's tag rule: a list, each item as Python's str() gives it, trimmed, empty ones dropped. */
function tagsOf(value: unknown): readonly string[] | undefined {
  if (value === undefined || value === null) return [];
  const items = typeof value === "string" ? value.split(",") : Array.isArray(value) ? value : undefined;
  if (!items) return undefined;
  return items.map((item) => pythonStr(item).trim()).filter((item) => item !== "");
}

function pythonStr(value: unknown): string {
  if (value === null || value === undefined) return "None";
  if (value === true) return "True";
  if (value === false) return "False";
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "bigint") return String(value);
  return JSON.stringify(value);
}

export function readCgProfile(text: string): CgRead {
  if (utf8ByteLength(text) > CG_DOCUMENT_MAX_BYTES)
    return refuse(`the file is larger than ${CG_DOCUMENT_MAX_BYTES} bytes`);
  // The server reads YAML 1.1 (PyYAML's safe_load): `yes` is true there, so it is here.
  const document = parseDocument(text.replace(/^\uFEFF/, ""), { version: "1.1", uniqueKeys: false });
  if (document.errors.length > 0)
    return refuse(`not valid YAML (${document.errors[0]?.message.split("\n")[0] ?? ""})`);
  let data: unknown;
  try {
    data = document.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    return refuse(`not valid YAML (${String(error).split("\n")[0] ?? ""})`);
  }
  if (data === null || typeof data !== "object" || Array.isArray(data))
    return refuse("YAML root must be a mapping");
  const root = data as Record<string, unknown>;
  const name = typeof root["name"] === "string" ? root["name"].trim() : "";
  if (name === "") return refuse("profile name is required");
  const worker = typeof root["worker_target"] === "string" ? root["worker_target"].trim() : "";
  if (worker === "") return refuse("profile worker_target is required");
  const tags = tagsOf(root["tags"]);
  if (!tags) return refuse("profile tags must be a list of strings");
  const template = root["system_prompt_template"] ?? root["system_prompt"] ?? "";
  if (typeof template !== "string") return refuse("system_prompt_template: a string");
  const description = root["description"];
  if (description !== undefined && description !== null && typeof description !== "string")
    return refuse("description: a string");
  const lists: Record<string, readonly string[]> = {};
  for (const key of ["allowed_tools", "allowed_internal_tools", "must_end_with"] as const) {
    const value = root[key];
    if (value === undefined || value === null) continue;
    const list = stringList(value, key);
    if (typeof list === "string") return refuse(list);
    lists[key] = list;
  }
  const llm = root["llm_config"];
  if (llm !== undefined && llm !== null && (typeof llm !== "object" || Array.isArray(llm)))
    return refuse("llm_config: a mapping");
  const policy = root["delegation_policy"];
  const ignored: string[] = [];
  let delegation: CgDelegationPolicy | undefined;
  if (policy !== undefined && policy !== null) {
    if (typeof policy !== "object" || Array.isArray(policy)) return refuse("delegation_policy: a mapping");
    const raw = policy as Record<string, unknown>;
    const targetTags =
      raw["target_tags"] === undefined ? [] : stringList(raw["target_tags"], "delegation_policy.target_tags");
    if (typeof targetTags === "string") return refuse(targetTags);
    const targetProfiles =
      raw["target_profiles"] === undefined || raw["target_profiles"] === null
        ? null
        : stringList(raw["target_profiles"], "delegation_policy.target_profiles");
    if (typeof targetProfiles === "string") return refuse(targetProfiles);
    delegation = { target_tags: targetTags, target_profiles: targetProfiles };
    ignored.push(
      ...Object.keys(raw)
        .filter((key) => key !== "target_tags" && key !== "target_profiles")
        .map((key) => `delegation_policy.${key}`),
    );
  }
  const extra = Object.fromEntries(Object.entries(root).filter(([key]) => !KNOWN.has(key)));
  return {
    ok: true,
    profile: {
      name,
      worker_target: worker,
      tags,
      system_prompt_template: template,
      ...(typeof description === "string" ? { description } : {}),
      ...lists,
      ...(llm ? { llm_config: llm as Record<string, unknown> } : {}),
      ...(delegation ? { delegation_policy: delegation } : {}),
      extra,
      ignored,
    },
  };
}
