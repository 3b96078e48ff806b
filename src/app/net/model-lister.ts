// Asks a local or self-hosted model server which models it serves: Ollama's GET /api/tags, or the
// OpenAI-compatible GET /v1/models. Bounded in time and size, no redirects, only to addresses the
// policy allows (net/address-policy.ts); any failure is a value, not a throw, and the server's
// answer is never shown: only the model ids it lists, or a reason. The answer is read the one
// bounded way (net/upstream-http.ts): one deadline for the whole exchange, the byte cap enforced
// while streaming. An id with control, bidi or zero-width characters, or too long, is dropped.
import { z } from "zod";
import type { ProviderInfo } from "../../core/catalog.ts";
import { MODEL_LIST_MAX } from "../../core/limits.ts";
import { isUsableModelId } from "../../core/model-id.ts";
import type { AddressPolicy } from "./address-policy.ts";
import { askModelServer } from "./model-server-request.ts";
import { decodeJson } from "./upstream-http.ts";
import type { Outcome } from "../ports/outcome.ts";

/** A model list bigger than this is not a model list. */
export const MODEL_LIST_MAX_BYTES = 1024 * 1024;

const ollamaTags = z.object({ models: z.array(z.object({ name: z.string() }).loose()) }).loose();
const openaiModels = z.object({ data: z.array(z.object({ id: z.string() }).loose()) }).loose();

/** The model ids a server reports, or why there are none. */
export type ModelListing = Outcome<string[]>;

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
  policy: AddressPolicy,
): Promise<ModelListing> {
  const url = modelsUrl(provider, baseUrl);
  if (!url) return { ok: false, reason: "this provider has no model listing" };
  const answer = await askModelServer({ url, policy, timeoutMs, maxBytes: MODEL_LIST_MAX_BYTES });
  if (!answer.ok) return answer;
  const ids = modelIds(provider, answer.value);
  if (!ids) return { ok: false, reason: "the answer is not a model list" };
  return { ok: true, value: [...new Set(ids.filter(isUsableModelId))].slice(0, MODEL_LIST_MAX) };
}

/** The ids a model list names, or undefined when the body is not one. */
function modelIds(provider: ProviderInfo, body: Buffer): string[] | undefined {
  const json = decodeJson(body);
  if (!json.ok) return undefined;
  if (provider.models_endpoint === "ollama") {
    const parsed = ollamaTags.safeParse(json.value);
    return parsed.success ? parsed.data.models.map((model) => model.name) : undefined;
  }
  const parsed = openaiModels.safeParse(json.value);
  return parsed.success ? parsed.data.data.map((model) => model.id) : undefined;
}
