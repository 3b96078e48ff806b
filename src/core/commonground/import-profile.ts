// A CommonGround profile as a blueprint, the reverse of export-profile.ts: what Hermes has a place
// for goes to the blueprint's keys (name, description, the prompt as the identity text, the model),
// everything else to its `commonground:` section, so the export of the result gives the same
// profile back. A key (`api_key` in llm_config, a secret-looking top-level key) is never kept: it
// is named in the notes and belongs in the profile's .env.
import { checkBlueprintData, type BlueprintParse } from "../blueprint-yaml.ts";
import { DESCRIPTION_MAX_CHARS, SOUL_MAX_CHARS } from "../limits.ts";
import { checkProfileName } from "../profile-name.ts";
import { hasDisallowedChars } from "../text-rules.ts";
import type { CgProfile } from "./cg-profile.ts";
import { secretPaths } from "./cg-section.ts";
import { fromLiteLlm, toLiteLlm } from "./litellm-model.ts";

export type CgImport =
  | { ok: true; blueprint: BlueprintParse & { ok: true }; data: Record<string, unknown>; notes: string[] }
  | { ok: false; problems: string[] };

/** A CommonGround name as a Hermes profile name: lower-cased, other characters as `-`. */
function hermesName(name: string): string | undefined {
  const direct = checkProfileName(name);
  if (direct.ok) return direct.value.name;
  const slug = name
    .toLowerCase()
    .replace(/[^a-z0-9_-]+/g, "-")
    .replace(/^[^a-z0-9]+/, "")
    .replace(/-+$/, "")
    .slice(0, 64);
  const checked = checkProfileName(slug);
  return checked.ok ? checked.value.name : undefined;
}

/** The value without what holds a secret (secret-profile paths), each named in `dropped`. */
function withoutSecrets(
  value: Record<string, unknown>,
  at: string,
  dropped: string[],
): Record<string, unknown> {
  const found = new Set(secretPaths(value, at));
  dropped.push(...found);
  const strip = (inner: unknown, path: string): unknown => {
    if (found.has(path)) return undefined;
    if (Array.isArray(inner))
      return inner
        .map((item, index) => strip(item, `${path}[${index}]`))
        .filter((item) => item !== undefined);
    if (inner !== null && typeof inner === "object")
      return Object.fromEntries(
        Object.entries(inner as Record<string, unknown>)
          .map(([key, item]) => [key, strip(item, path ? `${path}.${key}` : key)] as const)
          .filter(([, item]) => item !== undefined),
      );
    return inner;
  };
  return strip(value, at) as Record<string, unknown>;
}

export function importCommonGround(profile: CgProfile): CgImport {
  const notes: string[] = [];
  const problems: string[] = [];
  const name = hermesName(profile.name);
  if (!name)
    return {
      ok: false,
      problems: [
        `name: '${profile.name.slice(0, 80)}' cannot be made a Hermes profile name (lowercase letters, digits, '-' and '_'); rename it in the file`,
      ],
    };
  if (name !== profile.name)
    notes.push(
      `name: '${profile.name}' → '${name}' (Hermes' name rule); the original is kept as commonground.name`,
    );
  if (profile.description !== undefined && profile.description.trim().length > DESCRIPTION_MAX_CHARS)
    problems.push(
      `description: ${profile.description.trim().length} characters; a Hermes profile takes ${DESCRIPTION_MAX_CHARS}`,
    );
  const prompt = profile.system_prompt_template;
  if (prompt.length > SOUL_MAX_CHARS)
    problems.push(`system_prompt_template: ${prompt.length} characters; SOUL.md takes ${SOUL_MAX_CHARS}`);
  else if (hasDisallowedChars(prompt.replace(/\r\n?/g, "\n")))
    problems.push("system_prompt_template: holds control or invisible characters SOUL.md does not take");
  if (problems.length > 0) return { ok: false, problems };

  const dropped: string[] = [];
  let model: Record<string, unknown> | undefined;
  let llmRest: Record<string, unknown> | undefined;
  if (profile.llm_config) {
    const llm = withoutSecrets(profile.llm_config, "llm_config", dropped);
    const options = llm["provider_options"];
    const custom =
      options &&
      typeof options === "object" &&
      typeof (options as Record<string, unknown>)["custom_llm_provider"] === "string"
        ? String((options as Record<string, unknown>)["custom_llm_provider"])
        : undefined;
    const apiBase = typeof llm["api_base"] === "string" ? llm["api_base"] : undefined;
    const mapped = typeof llm["model"] === "string" ? fromLiteLlm(llm["model"], apiBase, custom) : undefined;
    const rest = { ...llm };
    if (mapped) {
      model = { provider: mapped.provider, model: mapped.model, base_url: mapped.base_url ?? null };
      // What the export gives back from the model; anything it would write otherwise stays in the section.
      const back = toLiteLlm(mapped);
      if (back?.model === llm["model"]) delete rest["model"];
      if (back?.api_base !== undefined && back.api_base === apiBase) delete rest["api_base"];
    } else if (llm["model"] !== undefined)
      notes.push(
        `llm_config.model ${JSON.stringify(llm["model"])}: no Hermes provider here; kept in commonground.llm_config, the Hermes profile gets no model`,
      );
    if (Object.keys(rest).length > 0) llmRest = rest;
  }
  const extra = withoutSecrets({ ...profile.extra }, "", dropped);
  for (const path of profile.ignored) notes.push(`${path}: CommonGround ignores it; not kept`);
  if (profile.aliasIgnored)
    notes.push("system_prompt: CommonGround uses system_prompt_template when both are given; not kept");
  for (const path of dropped)
    notes.push(
      `${path}: a key is never kept in a blueprint; give it to the worker's environment (a Hermes profile: its .env)`,
    );

  const section: Record<string, unknown> = {
    ...(name !== profile.name ? { name: profile.name } : {}),
    worker_target: profile.worker_target,
    tags: [...profile.tags],
    allowed_tools: profile.allowed_tools ? [...profile.allowed_tools] : null,
    ...(profile.allowed_internal_tools
      ? { allowed_internal_tools: [...profile.allowed_internal_tools] }
      : {}),
    ...(profile.must_end_with ? { must_end_with: [...profile.must_end_with] } : {}),
    ...(profile.delegation_policy ? { delegation_policy: { ...profile.delegation_policy } } : {}),
    ...(llmRest ? { llm_config: llmRest } : {}),
    ...(Object.keys(extra).length > 0 ? { extra } : {}),
  };
  notes.push(
    `kept under commonground: (Hermes has no place for them): ${Object.keys(section)
      .filter((key) => key !== "name")
      .join(", ")}`,
  );
  const data: Record<string, unknown> = {
    name,
    ...(profile.description?.trim() ? { description: profile.description.trim() } : {}),
    ...(model ? { model } : {}),
    ...(prompt.trim() ? { soul: prompt } : {}),
    commonground: section,
  };
  const checked = checkBlueprintData(data);
  if (!checked.ok) return { ok: false, problems: checked.problems };
  return { ok: true, blueprint: checked, data, notes };
}
