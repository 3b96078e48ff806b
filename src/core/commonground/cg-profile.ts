// A CommonGround profile document read as CommonGround's management API reads an upload (v1r4, as
// observed on the real server): a mapping; `name` and `worker_target` non-blank strings, trimmed;
// `tags` a list (items stringified and trimmed, empty ones dropped, so `null` becomes "None") or a
// comma-separated string; `system_prompt` standing in for a missing `system_prompt_template`;
// `description` a string; tool lists lists of strings; `llm_config` a mapping; `delegation_policy`
// `{target_tags, target_profiles}`; other top-level keys kept. A document the server would refuse
// is refused here with the server's words, so nothing the bot takes in would fail there.
import { utf8ByteLength } from "../text-rules.ts";
import { safeLoad } from "./pyyaml.ts";
import { pyStr } from "./python-values.ts";

/** A profile document larger than this is refused before it is parsed (a profile is a few KB). */
export const CG_DOCUMENT_MAX_BYTES = 1024 * 1024;

/**
 * How a profile document is written for the server: YAML 1.1, as PyYAML reads it, so a string such
 * as `yes`, `off` or `12:30` is quoted and reaches the server as the string it is.
 */
export const CG_YAML_OPTIONS = { version: "1.1", lineWidth: 0 } as const;

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
  /** `system_prompt` was given beside a `system_prompt_template`, which wins. */
  readonly aliasIgnored: boolean;
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
  return items.map((item) => pyStr(item).trim()).filter((item) => item !== "");
}

/**
 * What PyYAML read, as plain data the rest of the bot handles: Python ints (bigint) as numbers when
 * they fit, dates as the text Python prints, so an export writes the same value back.
 */
function plain(value: unknown): unknown {
  if (typeof value === "bigint")
    return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER)
      ? Number(value)
      : value.toString();
  if (value instanceof Date) return pyStr(value);
  if (Array.isArray(value)) return value.map(plain);
  if (value instanceof Map)
    return Object.fromEntries([...value.entries()].map(([key, item]) => [pyStr(key), plain(item)]));
  if (value instanceof Set) return [...value].map(plain);
  if (value !== null && typeof value === "object" && !(value instanceof Uint8Array))
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, plain(item)]));
  return value;
}

export function readCgProfile(text: string): CgRead {
  if (utf8ByteLength(text) > CG_DOCUMENT_MAX_BYTES)
    return refuse(`the file is larger than ${CG_DOCUMENT_MAX_BYTES} bytes`);
  // The server reads with PyYAML's safe_load (YAML 1.1 as PyYAML resolves it: `yes` is true, `y` is not).
  let loaded: unknown;
  try {
    loaded = safeLoad(text);
  } catch (error) {
    return refuse(`not valid YAML (${(error as Error).message.split("\n")[0] ?? ""})`);
  }
  if (loaded === null || typeof loaded !== "object" || Array.isArray(loaded))
    return refuse("YAML root must be a mapping");
  // Tags from what PyYAML gave (Python's str() of an int and of a float differ); the rest as plain data.
  const rawTags = (loaded as Record<string, unknown>)["tags"];
  const data = plain(loaded);
  const root = data as Record<string, unknown>;
  const name = typeof root["name"] === "string" ? root["name"].trim() : "";
  if (name === "") return refuse("profile name is required");
  const worker = typeof root["worker_target"] === "string" ? root["worker_target"].trim() : "";
  if (worker === "") return refuse("profile worker_target is required");
  const tags = tagsOf(rawTags);
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
      aliasIgnored:
        root["system_prompt_template"] !== undefined &&
        root["system_prompt_template"] !== null &&
        root["system_prompt"] !== undefined,
    },
  };
}
