// Asks a local or self-hosted model server which models it serves: Ollama's GET /api/tags, or the
// OpenAI-compatible GET /v1/models. Bounded in time and size, no redirects, only to addresses the
// policy allows (net/address-policy.ts); any failure is a value, not a throw, and the server's
// answer is never shown: only the model ids it lists, or a reason. The answer is read the one
// bounded way (net/upstream-http.ts): one deadline for the whole exchange, the byte cap enforced
// while streaming. An id with control, bidi or zero-width characters, or too long, is dropped.
import { lookup, type LookupAddress, type LookupOptions } from "node:dns";
import { isIP } from "node:net";
import { z } from "zod";
import type { ProviderInfo } from "../../core/catalog.ts";
import { MODEL_LIST_MAX } from "../../core/limits.ts";
import { isUsableModelId } from "../../core/model-id.ts";
import type { AddressPolicy } from "./address-policy.ts";
import { decodeJson, upstreamRequest } from "./upstream-http.ts";
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

/** The error code a refused address is reported by (the guarded lookup's). */
const ADDRESS_REFUSED = "EADDRREFUSED";

/** Why a request was not made: the address is on the bot's own network and not allowed. */
class AddressRefused extends Error {
  readonly code = ADDRESS_REFUSED;
}

type LookupCallback = (error: Error | null, address: string | LookupAddress[], family?: number) => void;

/** dns.lookup that hands the socket only addresses the policy allows (checked at connect time). */
function guardedLookup(host: string, policy: AddressPolicy) {
  return (hostname: string, options: LookupOptions, callback: LookupCallback): void => {
    lookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, "");
      if (addresses.length === 0 || addresses.some((entry) => !policy.allows(host, entry.address)))
        return callback(new AddressRefused(), "");
      if (options.all) return callback(null, addresses);
      const first = addresses[0];
      return callback(null, first?.address ?? "", first?.family);
    });
  };
}

export async function listServerModels(
  provider: ProviderInfo,
  baseUrl: string,
  timeoutMs: number,
  policy: AddressPolicy,
): Promise<ModelListing> {
  const url = modelsUrl(provider, baseUrl);
  if (!url) return { ok: false, reason: "this provider has no model listing" };
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    return { ok: false, reason: "the address is not a URL" };
  }
  const host = target.hostname.replace(/^\[|\]$/g, "");
  if (isIP(host) !== 0 && !policy.allows(host, host)) return { ok: false, reason: REFUSED_REASON };
  const answer = await upstreamRequest({
    url: target,
    maxBytes: MODEL_LIST_MAX_BYTES,
    deadlineMs: timeoutMs,
    lookup: guardedLookup(host, policy),
  });
  if (!answer.ok) {
    if (answer.code === ADDRESS_REFUSED) return { ok: false, reason: REFUSED_REASON };
    if (answer.fault === "timeout") return { ok: false, reason: `no answer within ${timeoutMs} ms` };
    if (answer.fault === "too large") return { ok: false, reason: "the answer is too large" };
    if (answer.fault === "broken") return { ok: false, reason: "the server broke off its answer" };
    return { ok: false, reason: answer.code ?? "the server cannot be reached" };
  }
  // Redirects are not followed: a 3xx is a failure like any other status.
  if (answer.status < 200 || answer.status > 299) return { ok: false, reason: `HTTP ${answer.status}` };
  const ids = modelIds(provider, answer.body);
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

const REFUSED_REASON =
  "it is on the bot's own network, which the bot contacts from a chat only when the operator allows it (MODEL_SERVER_HOSTS)";
