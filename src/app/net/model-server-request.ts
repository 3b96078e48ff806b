// One request to a local or self-hosted model server, the way the Model step makes them all (the
// model list, a model's facts): only to addresses the policy allows (checked again at connect time,
// so a name cannot resolve somewhere else later), one deadline, a byte cap, no redirect; any failure
// is a reason in plain words, never the server's own text.
import { lookup, type LookupAddress, type LookupOptions } from "node:dns";
import { isIP } from "node:net";
import type { AddressPolicy } from "./address-policy.ts";
import { upstreamRequest } from "./upstream-http.ts";
import type { Outcome } from "../ports/outcome.ts";

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

export const REFUSED_REASON =
  "it is on the bot's own network, which the bot contacts from a chat only when the operator allows it (MODEL_SERVER_HOSTS)";

export interface ModelServerRequest {
  readonly url: string;
  readonly policy: AddressPolicy;
  readonly timeoutMs: number;
  readonly maxBytes: number;
  /** A JSON body to POST; absent: a GET. */
  readonly json?: unknown;
}

/** The body of a 2xx answer, or why there is none. */
export async function askModelServer(request: ModelServerRequest): Promise<Outcome<Buffer>> {
  let target: URL;
  try {
    target = new URL(request.url);
  } catch {
    return { ok: false, reason: "the address is not a URL" };
  }
  const { policy, timeoutMs } = request;
  const host = target.hostname.replace(/^\[|\]$/g, "");
  if (isIP(host) !== 0 && !policy.allows(host, host)) return { ok: false, reason: REFUSED_REASON };
  const answer = await upstreamRequest({
    url: target,
    maxBytes: request.maxBytes,
    deadlineMs: timeoutMs,
    lookup: guardedLookup(host, policy),
    ...(request.json === undefined
      ? {}
      : {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify(request.json),
        }),
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
  return { ok: true, value: answer.body };
}
