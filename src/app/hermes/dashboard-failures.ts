// How the dashboard client tells a failure: sorted into what the operator must do about it (a wrong
// token is not a network fault), worded by the host alone, and quoting what Hermes said only through
// the bot's KnownSecrets (a host may echo the token it was sent) with every path of its machine
// replaced, so no token, key or server path reaches a chat.
import { cleanOutsideText, OUTSIDE_DETAIL_MAX_CHARS } from "../../core/outside-text.ts";
import type { KnownSecrets } from "../secrets/known-secrets.ts";
import type { UpstreamAnswer } from "../net/upstream-http.ts";

export type DashboardFault =
  | "token" // 401: no token, a wrong one or an expired one
  | "forbidden" // 403: the token is good but may not do this
  | "not found" // 404: no such profile (or no such endpoint on this Hermes)
  | "refused" // 4xx other than these: Hermes refused the request itself (a name taken, a bad field)
  | "server" // 5xx, after the retries
  | "network" // no answer: down, unreachable, timed out
  | "garbage"; // an answer that is not what this endpoint returns

export interface DashboardFailure {
  readonly fault: DashboardFault;
  readonly status?: number;
  /** For a person: names the host and what to do; holds no token and no server path. */
  readonly message: string;
  /**
   * The request went out but its answer could not be read (timed out, broken off, too large, not
   * what the endpoint returns): it may have taken effect on the host.
   */
  readonly unread?: boolean;
}

/** A request that got no readable answer; `refusedConnection` when nothing was sent at all. */
export function transportFailure(
  host: string,
  answer: Extract<UpstreamAnswer, { ok: false }>,
  timeoutMs: number,
  maxBytes: number,
): { failure: DashboardFailure; refusedConnection: boolean } {
  const messages: Record<typeof answer.fault, string> = {
    timeout: `Hermes at ${host} did not answer in ${timeoutMs < 1000 ? `${timeoutMs} ms` : `${Math.round(timeoutMs / 1000)} s`}. Check that it is running and reachable, then try again.`,
    refused: `Hermes at ${host} cannot be reached (${answer.code ?? "no connection"}). Check that \`hermes serve\` runs there and the address is right.`,
    unreachable: `Hermes at ${host} cannot be reached (${answer.code ?? "no connection"}). Check that \`hermes serve\` runs there and the address is right.`,
    broken: `Hermes at ${host} broke off its answer (${answer.code ?? "connection closed"}). Try again; if it keeps happening, check the host and any proxy in front of it.`,
    "too large": `Something at ${host} answered with more than ${maxBytes / (1024 * 1024)} MiB, which no answer of Hermes' dashboard is; the read was stopped. Check the address (a proxy or another service?).`,
  };
  return {
    refusedConnection: answer.fault === "refused",
    failure: {
      fault: answer.fault === "too large" ? "garbage" : "network",
      message: messages[answer.fault],
      ...(answer.fault === "refused" || answer.fault === "unreachable" ? {} : { unread: true }),
    },
  };
}

/** An answer outside 2xx, with Hermes' own `detail` quoted where it helps. */
export function statusFailure(
  host: string,
  status: number,
  json: unknown,
  secrets: KnownSecrets,
): DashboardFailure {
  const said = hermesDetail(json, secrets);
  if (status === 401)
    return {
      fault: "token",
      status,
      message: `Hermes at ${host} refused the token (401). Check HERMES_TOKEN against HERMES_DASHBOARD_SESSION_TOKEN on that host; it may have changed.`,
    };
  if (status === 403)
    return {
      fault: "forbidden",
      status,
      message: `Hermes at ${host} does not allow this (403)${said}.`,
    };
  if (status === 404)
    return {
      fault: "not found",
      status,
      message: `Hermes at ${host} has no such thing (404)${said}.`,
    };
  if (status >= 300 && status < 400)
    return {
      fault: "garbage",
      status,
      message: `Something at ${host} redirected the request (${status}); the bot follows no redirect. Set the dashboard's own address (a proxy in front of it?).`,
    };
  if (status >= 500)
    return {
      fault: "server",
      status,
      message: `Hermes at ${host} failed (${status})${said}. Try again later, or look at its log.`,
    };
  return {
    fault: "refused",
    status,
    message: `Hermes at ${host} refused the request (${status})${said}.`,
  };
}

/** A 2xx whose body is not what the endpoint returns. */
export function garbageFailure(host: string, status: number): DashboardFailure {
  return {
    fault: "garbage",
    status,
    message: `Something at ${host} answered, but not as Hermes' dashboard does. Check the address (a proxy or another service?).`,
  };
}

/**
 * Hermes' own `detail` text, fit to quote: one clean line, no secret the bot holds (a host may
 * echo the token it was sent), every absolute path replaced, at most OUTSIDE_DETAIL_MAX_CHARS.
 */
function hermesDetail(json: unknown, secrets: KnownSecrets): string {
  const detail =
    json !== null && typeof json === "object" ? (json as { detail?: unknown }).detail : undefined;
  if (typeof detail !== "string") return "";
  const redacted = secrets.quote(detail, Number.MAX_SAFE_INTEGER).replace(HOST_PATH, "…");
  const quoted = cleanOutsideText(redacted, OUTSIDE_DETAIL_MAX_CHARS);
  return quoted === "" ? "" : `: ${quoted}`;
}

/** An absolute path of the host's machine: Hermes puts folder paths into some errors. */
const HOST_PATH = /(?:\/[^\s/'"]+)+\/?/g;
