// Asks a local model server what it knows about one model, after the user picked it: Ollama's
// POST /api/show (model_info["<arch>.context_length"], and `capabilities`, which names "tools" when
// the model can call tools), or an OpenAI-compatible server's GET /v1/models entry for the model
// (vLLM's `max_model_len`, llama.cpp's `meta.n_ctx_train`, a `context_length` some servers add).
// Made exactly like the model list (net/model-server-request.ts: address policy, one deadline, a byte
// cap); only numbers and a yes/no come out of the answer, never its text.
import { z } from "zod";
import type { ProviderInfo } from "../../core/catalog.ts";
import { isUsableContextLength, type ModelFacts } from "../../core/model-fit.ts";
import type { AddressPolicy } from "./address-policy.ts";
import { modelsUrl } from "./model-lister.ts";
import { askModelServer } from "./model-server-request.ts";
import { decodeJson } from "./upstream-http.ts";
import type { Outcome } from "../ports/outcome.ts";

/** An /api/show answer holds the template, license and parameters too; more than this is not one. */
export const MODEL_FACTS_MAX_BYTES = 2 * 1024 * 1024;

const ollamaShow = z
  .object({
    model_info: z.record(z.string(), z.unknown()).optional(),
    capabilities: z.array(z.unknown()).optional(),
  })
  .loose();
const openaiEntry = z
  .object({
    id: z.string(),
    context_length: z.unknown().optional(),
    max_model_len: z.unknown().optional(),
    meta: z.object({ n_ctx_train: z.unknown().optional() }).loose().optional(),
  })
  .loose();
const openaiModels = z.object({ data: z.array(z.unknown()) }).loose();

export function showUrl(provider: ProviderInfo, baseUrl: string): string | undefined {
  const base = baseUrl.replace(/\/+$/, "");
  if (provider.models_endpoint === "ollama") return `${base.replace(/\/v1$/, "")}/api/show`;
  return modelsUrl(provider, baseUrl);
}

export async function askModelFacts(
  provider: ProviderInfo,
  baseUrl: string,
  model: string,
  timeoutMs: number,
  policy: AddressPolicy,
): Promise<Outcome<ModelFacts>> {
  const url = showUrl(provider, baseUrl);
  if (!url) return { ok: false, reason: "this provider does not describe its models" };
  const ollama = provider.models_endpoint === "ollama";
  const answer = await askModelServer({
    url,
    policy,
    timeoutMs,
    maxBytes: MODEL_FACTS_MAX_BYTES,
    // Ollama reads `model`; Hermes 0.19 (and older Ollama) send `name`: both, so either reads it.
    ...(ollama ? { json: { model, name: model } } : {}),
  });
  if (!answer.ok) return answer;
  const json = decodeJson(answer.value);
  const facts = json.ok ? (ollama ? ollamaFacts(json.value) : openaiFacts(json.value, model)) : undefined;
  return facts ? { ok: true, value: facts } : { ok: false, reason: "the answer does not describe the model" };
}

function ollamaFacts(value: unknown): ModelFacts | undefined {
  const parsed = ollamaShow.safeParse(value);
  if (!parsed.success) return undefined;
  const info = parsed.data.model_info ?? {};
  const arch = info["general.architecture"];
  // The architecture's own key first; else any *.context_length, as Hermes' own probe reads it.
  const named = typeof arch === "string" ? info[`${arch}.context_length`] : undefined;
  const contextLength = isUsableContextLength(named)
    ? named
    : Object.entries(info).find(
        ([key, entry]) => key.endsWith(".context_length") && isUsableContextLength(entry),
      )?.[1];
  const capabilities = parsed.data.capabilities;
  return {
    ...(isUsableContextLength(contextLength) ? { contextLength } : {}),
    // No capabilities list (an Ollama before 0.6): unknown, not "cannot".
    ...(capabilities ? { tools: capabilities.includes("tools") } : {}),
  };
}

function openaiFacts(value: unknown, model: string): ModelFacts | undefined {
  const parsed = openaiModels.safeParse(value);
  if (!parsed.success) return undefined;
  for (const raw of parsed.data.data) {
    const entry = openaiEntry.safeParse(raw);
    if (!entry.success || entry.data.id !== model) continue;
    const found = [entry.data.context_length, entry.data.max_model_len, entry.data.meta?.n_ctx_train].find(
      isUsableContextLength,
    );
    return found === undefined ? {} : { contextLength: found };
  }
  return {};
}
