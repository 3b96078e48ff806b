// Asks a local or self-hosted model server which models it serves: Ollama's GET /api/tags, or the
// OpenAI-compatible GET /v1/models. Bounded in time and size; any failure is a value, not a throw.
import { z } from "zod";
import type { ProviderInfo } from "../core/catalog.ts";
import { MODEL_ID_MAX_CHARS, MODEL_LIST_MAX } from "../core/limits.ts";

/** A model list bigger than this is not a model list. */
export const MODEL_LIST_MAX_BYTES = 1024 * 1024;

const ollamaTags = z.object({ models: z.array(z.object({ name: z.string() }).loose()) }).loose();
const openaiModels = z.object({ data: z.array(z.object({ id: z.string() }).loose()) }).loose();

export type ModelListing = { ok: true; models: string[] } | { ok: false; reason: string };

export function modelsUrl(provider: ProviderInfo, baseUrl: string): string | undefined {
  const base = baseUrl.replace(/\/+$/, "");
  if (provider.models_endpoint === "ollama") return `${base.replace(/\/v1$/, "")}/api/tags`;
  if (provider.models_endpoint === "openai")
    return /\/v1$/.test(base) ? `${base}/models` : `${base}/v1/models`;
  return undefined;
}

export async function listServerModels(
  provider: ProviderInfo,
  baseUrl: string,
  timeoutMs: number,
): Promise<ModelListing> {
  const url = modelsUrl(provider, baseUrl);
  if (!url) return { ok: false, reason: "this provider has no model listing" };
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), redirect: "error" });
    if (!response.ok) return { ok: false, reason: `HTTP ${response.status}` };
    const declared = Number(response.headers.get("content-length") ?? "0");
    if (declared > MODEL_LIST_MAX_BYTES) return { ok: false, reason: "the answer is too large" };
    const text = await response.text();
    if (text.length > MODEL_LIST_MAX_BYTES) return { ok: false, reason: "the answer is too large" };
    const json: unknown = JSON.parse(text);
    const ids =
      provider.models_endpoint === "ollama"
        ? ollamaTags.parse(json).models.map((model) => model.name)
        : openaiModels.parse(json).data.map((model) => model.id);
    const usable = ids.filter((id) => id.length > 0 && id.length <= MODEL_ID_MAX_CHARS && !/\s/.test(id));
    return { ok: true, models: [...new Set(usable)].slice(0, MODEL_LIST_MAX) };
  } catch (error) {
    const name = (error as Error).name;
    if (name === "TimeoutError") return { ok: false, reason: `no answer within ${timeoutMs} ms` };
    if (name === "SyntaxError" || name === "ZodError")
      return { ok: false, reason: "the answer is not a model list" };
    const cause = (error as { cause?: { code?: string } }).cause?.code;
    return { ok: false, reason: cause ?? "the server cannot be reached" };
  }
}
