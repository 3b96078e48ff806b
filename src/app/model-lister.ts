// Asks a local or self-hosted model server which models it serves: Ollama's GET /api/tags, or the
// OpenAI-compatible GET /v1/models. Bounded in time and size, no redirects, only to addresses the
// policy allows (net/address-policy.ts); any failure is a value, not a throw, and the server's
// answer is never shown: only the model ids it lists, or a reason.
import { lookup, type LookupAddress, type LookupOptions } from "node:dns";
import { get as httpGet } from "node:http";
import { get as httpsGet } from "node:https";
import { isIP } from "node:net";
import { z } from "zod";
import type { ProviderInfo } from "../core/catalog.ts";
import { MODEL_ID_MAX_CHARS, MODEL_LIST_MAX } from "../core/limits.ts";
import type { AddressPolicy } from "./net/address-policy.ts";

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

/** Why a request was not made: the address is on the bot's own network and not allowed. */
class AddressRefused extends Error {
  readonly code = "EADDRREFUSED";
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

/** GET `url`: no redirects, at most MODEL_LIST_MAX_BYTES, within `timeoutMs`, only allowed addresses. */
function getText(
  url: URL,
  timeoutMs: number,
  policy: AddressPolicy,
): Promise<{ status: number; text: string }> {
  const host = url.hostname.replace(/^\[|\]$/g, "");
  if (isIP(host) !== 0 && !policy.allows(host, host)) return Promise.reject(new AddressRefused());
  const get = url.protocol === "https:" ? httpsGet : httpGet;
  return new Promise((resolve, reject) => {
    const request = get(
      url,
      { signal: AbortSignal.timeout(timeoutMs), lookup: guardedLookup(host, policy) },
      (response) => {
        const declared = Number(response.headers["content-length"] ?? "0");
        if (declared > MODEL_LIST_MAX_BYTES) {
          response.destroy();
          return reject(new Error("too large"));
        }
        const chunks: Buffer[] = [];
        let size = 0;
        response.on("data", (chunk: Buffer) => {
          size += chunk.length;
          if (size > MODEL_LIST_MAX_BYTES) {
            response.destroy();
            reject(new Error("too large"));
          } else chunks.push(chunk);
        });
        response.on("end", () =>
          resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString("utf8") }),
        );
        response.on("error", reject);
      },
    );
    request.on("error", reject);
  });
}

export async function listServerModels(
  provider: ProviderInfo,
  baseUrl: string,
  timeoutMs: number,
  policy: AddressPolicy,
): Promise<ModelListing> {
  const url = modelsUrl(provider, baseUrl);
  if (!url) return { ok: false, reason: "this provider has no model listing" };
  try {
    const response = await getText(new URL(url), timeoutMs, policy);
    // Redirects are not followed: a 3xx is a failure like any other status.
    if (response.status < 200 || response.status > 299)
      return { ok: false, reason: `HTTP ${response.status}` };
    const json: unknown = JSON.parse(response.text);
    const ids =
      provider.models_endpoint === "ollama"
        ? ollamaTags.parse(json).models.map((model) => model.name)
        : openaiModels.parse(json).data.map((model) => model.id);
    const usable = ids.filter((id) => id.length > 0 && id.length <= MODEL_ID_MAX_CHARS && !/\s/.test(id));
    return { ok: true, models: [...new Set(usable)].slice(0, MODEL_LIST_MAX) };
  } catch (error) {
    if (error instanceof AddressRefused)
      return {
        ok: false,
        reason:
          "it is on the bot's own network, which the bot contacts from a chat only when the operator allows it (MODEL_SERVER_HOSTS)",
      };
    const name = (error as Error).name;
    if (name === "TimeoutError" || name === "AbortError")
      return { ok: false, reason: `no answer within ${timeoutMs} ms` };
    if ((error as Error).message === "too large") return { ok: false, reason: "the answer is too large" };
    if (name === "SyntaxError" || name === "ZodError")
      return { ok: false, reason: "the answer is not a model list" };
    const code = (error as { code?: string }).code;
    return { ok: false, reason: code ?? "the server cannot be reached" };
  }
}
