// A blueprint as a CommonGround profile (field by field in the README, "CommonGround"):
//   name                   ← commonground.name, else the blueprint's name
//   description            ← description
//   worker_target          ← commonground.worker_target, else the configured default, else worker_generic
//   tags                   ← commonground.tags, else the persona's category and tags
//   system_prompt_template ← the identity text (SOUL.md), then the persona's text
//   allowed_tools          ← commonground.allowed_tools, else the tools the MCP servers' filters name
//                            (least privilege: nothing the user did not choose; no filter, no tools)
//   allowed_internal_tools, must_end_with, delegation_policy ← commonground.*, when given
//   llm_config             ← the model in LiteLLM's naming (+ api_base), then commonground.llm_config
//   other keys             ← commonground.extra
// What has no counterpart is named in `notes`; keys never leave: only the names of the
// environment variables the worker needs.
import type { Blueprint } from "../blueprint.ts";
import { DEFAULT_WORKER_TARGET } from "./cg-section.ts";
import { toLiteLlm } from "./litellm-model.ts";

export interface ExportPersona {
  readonly id: string;
  readonly category: string;
  readonly tags: readonly string[];
  readonly body: string;
}

export interface ExportInput {
  readonly blueprint: Blueprint;
  /** The identity text the profile has (SOUL.md), or would get from a Create. */
  readonly identity: string;
  /** The blueprint's persona as the library has it (overlay mode only). */
  readonly persona?: ExportPersona;
  /** The operator's default worker (COMMONGROUND_WORKER_TARGET). */
  readonly defaultWorkerTarget?: string;
  /** Built-in, optional and hub skills the profile has (for the notes). */
  readonly skills?: readonly string[];
}

export interface CgExport {
  /** The profile document, keys in the order CommonGround's examples use. */
  readonly profile: Readonly<Record<string, unknown>>;
  readonly notes: readonly string[];
  /** Environment variables the worker needs (names only). */
  readonly env: readonly string[];
}

/** Between the identity text and the persona's text in the one prompt CommonGround has. */
export const PROMPT_JOIN = "\n\n";

export function exportCommonGround(input: ExportInput): CgExport {
  const { blueprint, persona } = input;
  const section = blueprint.commonground ?? undefined;
  const notes: string[] = [];
  const env: string[] = [];

  const worker = section?.worker_target ?? input.defaultWorkerTarget ?? DEFAULT_WORKER_TARGET;
  if (!section?.worker_target)
    notes.push(
      `worker_target: ${worker} (${input.defaultWorkerTarget ? "COMMONGROUND_WORKER_TARGET" : "the default; set COMMONGROUND_WORKER_TARGET or commonground.worker_target"})`,
    );
  const tags = section?.tags ?? (persona ? [...new Set([persona.category, ...persona.tags])] : []);
  const prompt = [input.identity.trim(), persona?.body.trim() ?? ""]
    .filter((part) => part !== "")
    .join(PROMPT_JOIN);

  const filtered = blueprint.mcp_servers.flatMap((server) => server.tools?.include ?? []);
  // null: the CommonGround profile this came from had no allowed_tools, and gets none back.
  const allowed =
    section?.allowed_tools === null ? undefined : (section?.allowed_tools ?? [...new Set(filtered)]);
  const unfiltered = blueprint.mcp_servers.filter((server) => !server.tools).map((server) => server.name);
  if (section?.allowed_tools === undefined && unfiltered.length > 0)
    notes.push(
      `MCP servers without a tool filter (${unfiltered.join(", ")}): none of their tools is allowed; name the ones the worker may use under commonground.allowed_tools`,
    );

  const llm: Record<string, unknown> = {};
  if (blueprint.model) {
    const mapped = toLiteLlm(blueprint.model);
    if (mapped) {
      llm["model"] = mapped.model;
      if (mapped.api_base) llm["api_base"] = mapped.api_base;
      if (mapped.keyEnv) env.push(mapped.keyEnv);
    } else
      notes.push(
        `model: provider '${blueprint.model.provider}' has no LiteLLM route here; set commonground.llm_config.model`,
      );
    if (blueprint.model.context_length)
      notes.push(
        `model.context_length ${blueprint.model.context_length}: not exported (LiteLLM reads the model's window itself)`,
      );
  }
  if (
    blueprint.model &&
    section?.llm_config?.["model"] !== undefined &&
    section.llm_config["model"] !== llm["model"]
  )
    notes.push(
      `llm_config.model: commonground.llm_config names ${JSON.stringify(section.llm_config["model"])}, which is exported instead of the blueprint's model`,
    );
  Object.assign(llm, section?.llm_config ?? {});
  if (!("model" in llm)) notes.push("llm_config: no model; CommonGround's default (gpt-3.5-turbo) applies");

  const unexported = [
    ...(blueprint.display_name ? [`display_name (${blueprint.display_name})`] : []),
    ...(blueprint.clone_from ? [`clone_from (${blueprint.clone_from})`] : []),
    ...(input.skills && input.skills.length > 0 ? [`skills (${input.skills.join(", ")})`] : []),
    ...(blueprint.toolsets
      ? [
          `toolsets (${Array.isArray(blueprint.toolsets) ? blueprint.toolsets.join(", ") : Object.keys(blueprint.toolsets).join(", ")}: Hermes' own groups; CommonGround's tools are its workers')`,
        ]
      : []),
    ...(blueprint.mcp_servers.length > 0
      ? [`MCP servers as servers (${blueprint.mcp_servers.map((s) => s.name).join(", ")})`]
      : []),
    ...(blueprint.plugins.length > 0 ? [`plugins (${blueprint.plugins.join(", ")})`] : []),
    ...(blueprint.persona?.mode === "delegate" ? [`persona ${blueprint.persona.id} in delegate mode`] : []),
  ];
  if (unexported.length > 0)
    notes.push(`not exported (no CommonGround counterpart): ${unexported.join("; ")}`);

  const profile: Record<string, unknown> = {
    name: section?.name ?? blueprint.name,
    ...(blueprint.description ? { description: blueprint.description } : {}),
    worker_target: worker,
    tags,
    system_prompt_template: prompt,
    ...(allowed ? { allowed_tools: allowed } : {}),
    ...(section?.allowed_internal_tools ? { allowed_internal_tools: section.allowed_internal_tools } : {}),
    ...(section?.must_end_with ? { must_end_with: section.must_end_with } : {}),
    ...(Object.keys(llm).length > 0 ? { llm_config: llm } : {}),
    ...(section?.delegation_policy ? { delegation_policy: section.delegation_policy } : {}),
  };
  for (const [key, value] of Object.entries(section?.extra ?? {})) {
    if (key in profile || key === "system_prompt")
      notes.push(`commonground.extra.${key}: not exported (the blueprint's own ${key} is)`);
    else profile[key] = value;
  }
  return { profile, notes, env };
}
