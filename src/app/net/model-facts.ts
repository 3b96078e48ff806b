// Asks a local model server what it knows about one model, after the user picked it: Ollama's
// POST /api/show (a `num_ctx` its Modelfile sets, else model_info["<arch>.context_length"], and
// `capabilities`, which names "tools" when the model can call tools), or an OpenAI-compatible
// server's GET /v1/models entry for the model (a `context_length` some servers add, vLLM's
// `max_model_len`). The window is the one the server runs, as Hermes' own probe takes it
// (agent/model_metadata.py): Ollama's Modelfile `num_ctx` before the model's training maximum, and
// not llama.cpp's `meta.n_ctx_train` (a training maximum: Hermes asks llama.cpp's /props for the
// context it allocated) — a number written here is used by Hermes before any probe of its own.
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
    parameters: z.string().optional(),
    capabilities: z.array(z.unknown()).optional(),
  })
  .loose();
const openaiEntry = z
  .object({
    id: z.string(),
    context_length: z.unknown().optional(),
    max_model_len: z.unknown().optional(),
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
  const runtime = modelfileNumCtx(parsed.data.parameters ?? "");
  const window = runtime ?? contextLength;
  return {
    ...(isUsableContextLength(window) ? { contextLength: window } : {}),
    // No capabilities list (an Ollama before 0.6): unknown, not "cannot".
    ...(capabilities ? { tools: capabilities.includes("tools") } : {}),
  };
}

/**
 * The `num_ctx` a Modelfile sets (`/api/show` `parameters`, one "name value" per line), read as
 * Hermes reads it: the first line naming num_ctx whose last word is a whole number.
 */
export function modelfileNumCtx(parameters: string): number | undefined {
  for (const line of parameters.split("\n")) {
    if (!line.includes("num_ctx")) continue;
    const words = line.trim().split(/\s+/);
    const last = words.at(-1) ?? "";
    if (words.length >= 2 && /^[+-]?\d+$/.test(last)) {
      const value = Number(last);
      return isUsableContextLength(value) ? value : undefined;
    }
  }
  return undefined;
}

function openaiFacts(value: unknown, model: string): ModelFacts | undefined {
  const parsed = openaiModels.safeParse(value);
  if (!parsed.success) return undefined;
  for (const raw of parsed.data.data) {
    const entry = openaiEntry.safeParse(raw);
    if (!entry.success || entry.data.id !== model) continue;
    const found = [entry.data.context_length, entry.data.max_model_len].find(isUsableContextLength);
    return found === undefined ? {} : { contextLength: found };
  }
  return {};
}
