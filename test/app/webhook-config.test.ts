// The replicated mode's settings as the configuration reads them: where the HTTP server listens
// (HTTP_HOST, HTTP_PORT) and Telegram's webhook mode (TELEGRAM_WEBHOOK_URL with
// TELEGRAM_WEBHOOK_SECRET). Unset, nothing changes: no webhook, polling as before.
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../src/app/system/config.ts";
import {
  DEFAULT_HTTP_HOST,
  DEFAULT_HTTP_PORT,
  TELEGRAM_WEBHOOK_PORTS,
} from "../../src/app/system/webhook-config.ts";

const CWD = "/srv/bot";
const PKG = "/opt/agent-blueprint";
const TOKEN = "123456:ABCdefGHIjklMNOpqrSTUvwxYZ012345678";
const SECRET = "webhook_Secret-0123456789abcdef";
const URL_OK = "https://bot.example.com/telegram";

function problems(env: Record<string, string>): string {
  const loaded = loadConfig({ TELEGRAM_BOT_TOKEN: TOKEN, ...env }, CWD, PKG);
  return loaded.ok ? "" : loaded.problems.join("\n");
}

describe("GIVEN the replicated mode's settings", () => {
  it("WHEN none is set THEN there is no webhook, and the HTTP server would listen on 127.0.0.1:8080", () => {
    expect(DEFAULT_HTTP_HOST).toBe("127.0.0.1");
    expect(DEFAULT_HTTP_PORT).toBe(8080);
    expect(TELEGRAM_WEBHOOK_PORTS).toEqual([443, 80, 88, 8443]);
    const loaded = loadConfig({ TELEGRAM_BOT_TOKEN: TOKEN }, CWD, PKG);
    expect(loaded).toMatchObject({ ok: true, config: { http: { host: "127.0.0.1", port: 8080 } } });
    expect(loaded.ok && "telegramWebhook" in loaded.config).toBe(false);
  });

  it("WHEN the webhook URL and secret are set THEN webhook mode is configured", () => {
    const loaded = loadConfig(
      { TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_WEBHOOK_URL: ` ${URL_OK} `, TELEGRAM_WEBHOOK_SECRET: SECRET },
      CWD,
      PKG,
    );
    expect(loaded).toMatchObject({ ok: true, config: { telegramWebhook: { url: URL_OK, secret: SECRET } } });
  });

  it("WHEN the URL is set without a secret THEN the start is refused, saying what to set", () => {
    const said = problems({ TELEGRAM_WEBHOOK_URL: URL_OK });
    expect(said).toContain("TELEGRAM_WEBHOOK_SECRET: webhook mode (TELEGRAM_WEBHOOK_URL) needs a secret");
    expect(said).toContain("1–256 characters of A-Z, a-z, 0-9, _ and -");
  });

  it("WHEN the secret is set without a URL THEN the start is refused, saying what to set", () => {
    expect(problems({ TELEGRAM_WEBHOOK_SECRET: SECRET })).toContain(
      "TELEGRAM_WEBHOOK_URL: TELEGRAM_WEBHOOK_SECRET is set, so give the public https URL",
    );
  });

  it.each([
    ["one character", "a"],
    ["256 characters", "A-z_9".repeat(51) + "x"],
  ])("WHEN the secret is %s of Telegram's alphabet THEN it is taken", (_case, secret) => {
    expect(problems({ TELEGRAM_WEBHOOK_URL: URL_OK, TELEGRAM_WEBHOOK_SECRET: secret })).toBe("");
  });

  it.each([
    ["257 characters", "a".repeat(257)],
    ["a space", "two words"],
    ["a character outside A-Z a-z 0-9 _ -", "secret!value"],
    ["a non-ASCII letter", "sécret"],
  ])("WHEN the secret holds %s THEN it is refused with Telegram's rule, and not quoted", (_case, secret) => {
    const said = problems({ TELEGRAM_WEBHOOK_URL: URL_OK, TELEGRAM_WEBHOOK_SECRET: secret });
    expect(said).toContain(
      "TELEGRAM_WEBHOOK_SECRET: 1–256 characters of A-Z, a-z, 0-9, _ and - (Telegram's rule)",
    );
    expect(said).not.toContain(secret);
  });

  it.each([
    ["https on 443", "https://bot.example.com/telegram"],
    ["https on 8443", "https://bot.example.com:8443/telegram"],
    ["https on 88", "https://bot.example.com:88/telegram"],
    ["http on loopback (tests)", "http://127.0.0.1:40123/telegram"],
    ["http on localhost (tests)", "http://localhost:40123/telegram"],
  ])("WHEN the URL is %s THEN it is taken", (_case, url) => {
    expect(problems({ TELEGRAM_WEBHOOK_URL: url, TELEGRAM_WEBHOOK_SECRET: SECRET })).toBe("");
  });

  it.each([
    ["plain http to a public host", "http://bot.example.com/telegram", "only to https URLs"],
    [
      "https on a port Telegram does not deliver to",
      "https://bot.example.com:8080/telegram",
      "ports 443, 80, 88, 8443",
    ],
    ["not a URL", "bot.example.com/telegram", "not a URL"],
    ["credentials in it", "https://user:pass@bot.example.com/telegram", "must not hold credentials"],
    ["the bot token in its path", `https://bot.example.com/bot${TOKEN}`, "must not contain the bot token"],
    [
      "the webhook secret in its query",
      `https://bot.example.com/telegram?s=${SECRET}`,
      "must not contain the bot token or the webhook secret",
    ],
  ])("WHEN the URL has %s THEN it is refused: %s", (_case, url, message) => {
    const said = problems({ TELEGRAM_WEBHOOK_URL: url, TELEGRAM_WEBHOOK_SECRET: SECRET });
    expect(said).toContain("TELEGRAM_WEBHOOK_URL: ");
    expect(said).toContain(message);
    expect(said).not.toContain(SECRET);
    expect(said).not.toContain(TOKEN);
  });

  it("WHEN HTTP_HOST and HTTP_PORT are set THEN the server listens there; port 0 asks the system for a free one", () => {
    const loaded = loadConfig({ HTTP_HOST: "0.0.0.0", HTTP_PORT: "0" }, CWD, PKG);
    expect(loaded).toMatchObject({ ok: true, config: { http: { host: "0.0.0.0", port: 0 } } });
    const ipv6 = loadConfig({ HTTP_HOST: "::1", HTTP_PORT: "65535" }, CWD, PKG);
    expect(ipv6).toMatchObject({ ok: true, config: { http: { host: "::1", port: 65535 } } });
  });

  it.each([
    ["HTTP_PORT", "65536", "a port number, 0–65535"],
    ["HTTP_PORT", "-1", "a port number, 0–65535"],
    ["HTTP_PORT", "80.5", "a port number, 0–65535"],
    ["HTTP_PORT", "http", "a port number, 0–65535"],
    ["HTTP_HOST", "bad host", "an IP address or host name to listen on"],
    ["HTTP_HOST", "http://0.0.0.0", "an IP address or host name to listen on"],
  ])("WHEN %s is %j THEN config names it: %s", (key, value, message) => {
    const loaded = loadConfig({ [key]: value }, CWD, PKG);
    expect(loaded.ok).toBe(false);
    if (!loaded.ok) expect(loaded.problems.join("\n")).toContain(`${key}: ${message}`);
  });
});
