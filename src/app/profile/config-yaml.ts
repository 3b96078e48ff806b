// config.yaml: the blueprint laid onto a YAML document. A fresh profile starts from an empty
// document; a clone starts from the source's file, whose comments and key order are kept.
import { Document, isMap, isSeq, parseDocument } from "yaml";
import type { Blueprint } from "../../core/blueprint.ts";
import { mcpServerConfig } from "../../core/edit/mcp-config.ts";
import { hermesProviderId, type Catalog, type ProviderInfo } from "../../core/catalog.ts";
import { planToolsets } from "../../core/edit/plan-toolsets.ts";
import { applyToDocument } from "../../core/edit/yaml-splice.ts";

export const CONFIG_HEADER =
  " Hermes profile config written by agent-blueprint. Hermes deep-merges it over its defaults.";

/** Top-level keys of messaging-platform settings, stripped from a cloned config. */
const PLATFORM_CONFIG_KEYS = [
  "platforms",
  "telegram",
  "discord",
  "slack",
  "whatsapp",
  "signal",
  "matrix",
  "mattermost",
];

export function newConfigDocument(): Document {
  const doc = new Document({});
  doc.commentBefore = CONFIG_HEADER;
  return doc;
}

/** Parses a cloned config.yaml; a file that is not a mapping is replaced by a fresh document. */
export function parseConfigDocument(text: string): { doc: Document; replaced: boolean } {
  const doc: Document = parseDocument(text);
  if (doc.errors.length > 0 || (doc.contents !== null && !isMap(doc.contents))) {
    return { doc: newConfigDocument(), replaced: true };
  }
  // An empty file (Hermes' dashboard makes one for a profile created without a model): a mapping
  // bound to the document's schema, so setIn can create nested keys in it.
  if (doc.contents === null) doc.contents = doc.createNode({});
  return { doc, replaced: false };
}

export function stripPlatformConfig(doc: Document): string[] {
  return PLATFORM_CONFIG_KEYS.filter((key) => doc.has(key) && doc.delete(key));
}

/**
 * The model's context window where Hermes reads it first (agent_init.py: config.yaml
 * model.context_length, a plain integer, before any probe). Without one, a cloned config's number is
 * dropped: it described another model.
 */
export function applyContextLength(doc: Document, contextLength: number | null | undefined): void {
  if (contextLength) doc.setIn(["model", "context_length"], contextLength);
  else if (doc.hasIn(["model", "context_length"])) doc.deleteIn(["model", "context_length"]);
}

export function applyBlueprint(
  doc: Document,
  blueprint: Blueprint,
  provider: ProviderInfo | undefined,
  disabledSkills: readonly string[],
): void {
  const { model } = blueprint;
  if (model && provider) {
    // Hermes' spelling: its provider id (Ollama and other OpenAI-compatible servers are `custom`).
    doc.setIn(["model", "provider"], hermesProviderId(provider));
    doc.setIn(["model", "default"], model.model);
    const baseUrl = model.base_url ?? provider.base_url?.default;
    if (provider.base_url && baseUrl) doc.setIn(["model", "base_url"], baseUrl);
    else if (doc.hasIn(["model", "base_url"])) doc.deleteIn(["model", "base_url"]);
    applyContextLength(doc, model.context_length);
  }

  for (const server of blueprint.mcp_servers) {
    doc.setIn(["mcp_servers", server.name], doc.createNode(mcpServerConfig(server)));
  }
  if (disabledSkills.length > 0) {
    const existing: unknown = doc.getIn(["skills", "disabled"]);
    const current: unknown = isSeq(existing) ? existing.toJSON() : [];
    const merged = [...new Set([...(Array.isArray(current) ? current.map(String) : []), ...disabledSkills])];
    doc.setIn(["skills", "disabled"], doc.createNode(merged, { flow: true }));
  }
}

/**
 * The toolsets a blueprint chooses, written as `hermes tools enable|disable` writes them, by the same
 * plan an edit makes (plan-toolsets.ts) over the config as it stands: a clone's MCP entries and
 * `no_mcp` in its lists are kept, its `agent.disabled_toolsets` reconciled.
 */
export function applyToolsetChoice(doc: Document, blueprint: Blueprint, catalog: Catalog): void {
  if (!blueprint.toolsets) return;
  const config = doc.toJSON() as Record<string, unknown> | null;
  const current = {
    config: config ?? {},
    meta: {},
    soul: undefined,
    hubInstalls: [],
    builtinsPresent: undefined,
  };
  for (const edit of planToolsets(current, blueprint, catalog).config) applyToDocument(doc, edit);
}
