// The bot's secrets are never repeated back, however a host dresses them up.
import { describe, expect, it } from "vitest";
import { KnownSecrets, KNOWN_SECRETS_MAX, REDACTED } from "../../src/app/secrets/known-secrets.ts";

const TOKEN = "hermes-session-token-0123456789";

describe("GIVEN the secrets the bot holds", () => {
  it("WHEN a host echoes the token plainly, percent-encoded or JSON-escaped THEN each is redacted", () => {
    const secrets = new KnownSecrets([TOKEN, 'quote"d-key-value']);
    expect(secrets.redact(`bad token ${TOKEN}!`)).toBe(`bad token ${REDACTED}!`);
    expect(secrets.redact(`?t=${encodeURIComponent('quote"d-key-value')}`)).toBe(`?t=${REDACTED}`);
    expect(secrets.redact(JSON.stringify({ d: 'quote"d-key-value' }))).toBe(`{"d":"${REDACTED}"}`);
  });

  it("WHEN the echo is split by invisible characters or over lines THEN quote finds it whole", () => {
    const secrets = new KnownSecrets([TOKEN]);
    const disguised = `token ${TOKEN.slice(0, 5)}\u200B${TOKEN.slice(5, 9)}\u001b[0m${TOKEN.slice(9)}`;
    expect(secrets.quote(disguised, 200)).toBe(`token ${REDACTED}`);
  });

  it("WHEN the quote is capped THEN the cut comes after redaction, never leaving the token's head", () => {
    const secrets = new KnownSecrets([TOKEN]);
    const quoted = secrets.quote(`${"x".repeat(20)} ${TOKEN}`, 30);
    expect(quoted).not.toContain(TOKEN.slice(0, 8));
    expect(quoted.length).toBeLessThanOrEqual(30);
  });

  it("WHEN values are short or absent THEN they are not taken (too likely to occur by chance)", () => {
    const secrets = new KnownSecrets([undefined, "abc", ""]);
    expect(secrets.size).toBe(0);
    expect(secrets.redact("abc")).toBe("abc");
  });

  it("WHEN more keys are added than it keeps THEN the oldest is let go and the newest kept", () => {
    const secrets = new KnownSecrets();
    for (let index = 0; index <= KNOWN_SECRETS_MAX; index++) secrets.add(`key-value-${index}`);
    expect(secrets.size).toBe(KNOWN_SECRETS_MAX);
    expect(secrets.redact("key-value-0 ")).toBe("key-value-0 ");
    expect(secrets.redact(`key-value-${KNOWN_SECRETS_MAX}`)).toBe(REDACTED);
  });

  it("WHEN more keys are typed than it keeps THEN the configuration's tokens are never the ones let go", () => {
    const secrets = new KnownSecrets([TOKEN]);
    for (let index = 0; index <= 2 * KNOWN_SECRETS_MAX; index++) secrets.add(`typed-key-${index}`);
    expect(secrets.redact(`echo ${TOKEN}`)).toBe(`echo ${REDACTED}`);
    expect(secrets.size).toBe(KNOWN_SECRETS_MAX + 1);
  });

  it("WHEN many keys share their start and one contains another THEN each is found wherever it stands, the longer whole, and text without one comes back as it was", () => {
    const secrets = new KnownSecrets([TOKEN]);
    const keys = Array.from(
      { length: 300 },
      (_, index) => `sk-or-v1-${String(index).padStart(4, "0")}abcdef`,
    );
    for (const key of keys) secrets.add(key);
    secrets.add(`${keys[7] ?? ""}-extended`);
    const plain = `Profile updated: sk-or-v1- prefix alone, ${TOKEN.slice(0, -1)} and abcdef are no key`;
    expect(secrets.redact(plain)).toBe(plain);
    expect(secrets.redact(`${keys[299] ?? ""}`)).toBe(REDACTED);
    expect(secrets.redact(`at the start ${keys[0] ?? ""}x, at the end ${keys[150] ?? ""}`)).toBe(
      `at the start ${REDACTED}x, at the end ${REDACTED}`,
    );
    expect(secrets.redact(`whole: ${keys[7] ?? ""}-extended.`)).toBe(`whole: ${REDACTED}.`);
    expect(secrets.redact(encodeURIComponent(`"${TOKEN}"`))).toBe(`%22${REDACTED}%22`);
  });
});
