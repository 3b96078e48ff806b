// The rules for the replicated mode's settings: where its HTTP server listens, and the Telegram
// webhook (the URL Telegram delivers updates to and the secret it sends with each). Loopback
// addresses are allowed over plain http so a test can stand in for Telegram on this machine.
import { isLoopbackUrl } from "../../core/loopback-url.ts";

/** Where the HTTP server listens unless HTTP_HOST says otherwise: only this machine (a proxy in front). */
export const DEFAULT_HTTP_HOST = "127.0.0.1";
/** The HTTP server's port unless HTTP_PORT says otherwise (0 asks the system for a free one). */
export const DEFAULT_HTTP_PORT = 8080;
/** An IP address or host name to listen on. */
export const HTTP_HOST_PATTERN = /^[A-Za-z0-9.:_-]{1,253}$/;

/** Telegram's own rule for setWebhook's secret_token: 1–256 characters of A-Z, a-z, 0-9, _ and -. */
export const TELEGRAM_WEBHOOK_SECRET_PATTERN = /^[A-Za-z0-9_-]{1,256}$/;
/** The only ports Telegram delivers a webhook to. */
export const TELEGRAM_WEBHOOK_PORTS: readonly number[] = [443, 80, 88, 8443];

/** What is wrong with a TELEGRAM_WEBHOOK_URL, or undefined when Telegram can use it. */
export function webhookUrlProblem(url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return "not a URL; give the public https URL Telegram delivers updates to, e.g. https://bot.example.com/telegram";
  }
  if (parsed.username || parsed.password) return "must not hold credentials (user:password@)";
  if (isLoopbackUrl(url) && (parsed.protocol === "http:" || parsed.protocol === "https:")) return undefined;
  if (parsed.protocol !== "https:")
    return "Telegram delivers only to https URLs (http is allowed on loopback, for tests)";
  const port = parsed.port === "" ? 443 : Number(parsed.port);
  if (!TELEGRAM_WEBHOOK_PORTS.includes(port))
    return `Telegram delivers only to ports ${TELEGRAM_WEBHOOK_PORTS.join(", ")}; put a reverse proxy on one of them`;
  return undefined;
}
