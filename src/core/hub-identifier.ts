// Which hub identifiers a chat may hand to the installer: the forms Hermes documents, and nothing
// that would make the installer fetch from a place a chat user should not reach (the bot's own
// network: loopback, link-local metadata, private addresses).
//   official/<category>/<name> · <owner>/<repo>/<path> · skills-sh/<…>   (path form, 2–8 segments)
//   well-known:<https URL> · https://…/SKILL.md                           (URL form)
// With HERMES_ALLOW_PRIVATE_URLS=true (Hermes' own switch) URLs may also be http and private.
import { HUB_IDENTIFIER_MAX_CHARS } from "./limits.ts";

const SEGMENT = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;
const PATH_SEGMENTS = { min: 2, max: 8 } as const;
const WELL_KNOWN = "well-known:";

function isPathForm(id: string): boolean {
  const segments = id.split("/");
  return (
    segments.length >= PATH_SEGMENTS.min &&
    segments.length <= PATH_SEGMENTS.max &&
    segments.every((segment) => SEGMENT.test(segment) && !segment.includes(".."))
  );
}

/**
 * An https URL whose host is a DNS name with a dot: no credentials, no IP literal (decimal, hex or
 * IPv6), no `localhost`. A name that resolves to a private address is the installer's to refuse.
 */
function isPublicHttpsUrl(text: string): boolean {
  const match = /^https:\/\/([^/?#\s]+)(\/[^\s]*)?$/.exec(text);
  const authority = match?.[1];
  if (!authority || authority.includes("@") || text.includes("..")) return false;
  const host = authority.replace(/:\d{1,5}$/, "").toLowerCase();
  if (host.startsWith("[") || host === "localhost" || host.endsWith(".localhost")) return false;
  if (/^[0-9.]+$/.test(host) || /^0x[0-9a-f]+$/.test(host)) return false;
  return /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$/.test(host);
}

/**
 * An identifier as a refusal quotes it back: visible ASCII only, at most 60 characters, and any
 * `user:password@` blanked (a refusal must not repeat a credential someone pasted by mistake).
 */
export function shownIdentifier(id: string): string {
  const safe = id.replace(/\/\/[^/@\s]*@/g, "//…@").replace(/[^\x20-\x7e…]/g, "?");
  return safe.length > 60 ? `${safe.slice(0, 60)}…` : safe;
}

/**
 * Hermes' own switch for skill servers on the operator's network (`HERMES_ALLOW_PRIVATE_URLS=true`,
 * tools/url_safety.py): the operator has told Hermes that private and loopback addresses are fine,
 * so the bot lets such URLs through too (http or https). Like Hermes, cloud-metadata names and
 * link-local addresses stay refused. Process-wide because Hermes reads it from its environment,
 * which is the bot's: set once at start-up, before any identifier is checked.
 */
let privateUrlsAllowed = false;

export function allowPrivateHubUrls(allowed: boolean): void {
  privateUrlsAllowed = allowed;
}

/** Hermes' always-blocked hosts, even with private URLs allowed (metadata services, link-local). */
const ALWAYS_BLOCKED_HOST =
  /^(metadata\.google\.internal|metadata\.goog|169\.254\.\d{1,3}\.\d{1,3}|\[fe80:.*\])$/;

/** An http(s) URL to any host but the always-blocked ones; no credentials, no `..`. */
function isOperatorNetworkUrl(text: string): boolean {
  const match = /^https?:\/\/([^/?#\s]+)(\/[^\s]*)?$/.exec(text);
  const authority = match?.[1];
  if (!authority || authority.includes("@") || text.includes("..")) return false;
  const host = authority.replace(/:\d{1,5}$/, "").toLowerCase();
  return !ALWAYS_BLOCKED_HOST.test(host);
}

export function isHubIdentifier(id: string): boolean {
  if (id.length === 0 || id.length > HUB_IDENTIFIER_MAX_CHARS) return false;
  const isUrl = privateUrlsAllowed ? isOperatorNetworkUrl : isPublicHttpsUrl;
  if (id.startsWith(WELL_KNOWN)) return isUrl(id.slice(WELL_KNOWN.length));
  if (id.includes("://")) return isUrl(id);
  return isPathForm(id);
}
