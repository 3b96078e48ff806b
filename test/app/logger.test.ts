import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { KnownSecrets } from "../../src/app/secrets/known-secrets.ts";
import { createLogger, terminalSafeLogLine } from "../../src/app/system/logger.ts";
import { UNSAFE_OUTBOUND_CHARS } from "../helpers/echoing-dashboard.ts";

describe("GIVEN the logger", () => {
  it("WHEN an object with secret fields is logged THEN their values are redacted at any of two levels", () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const logger = createLogger("info", sink);
    logger.info({ token: "tg-123", nested: { apiKey: "sk-1", secret: "s-2" }, user: "alice" }, "hello");
    const text = lines.join("");
    expect(text).not.toMatch(/tg-123|sk-1|s-2/);
    expect(JSON.parse(text)).toMatchObject({
      token: "[redacted]",
      nested: { apiKey: "[redacted]" },
      user: "alice",
      msg: "hello",
    });
  });
});

describe("GIVEN a log line quoting a host's text", () => {
  function logged(message: string, secrets?: KnownSecrets): { text: string; parsed: { msg: string } } {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    createLogger("info", sink, secrets).warn(message);
    const text = lines.join("");
    return { text, parsed: JSON.parse(text) as { msg: string } };
  }

  it("WHEN it holds escapes, C0/C1 controls, bidi and zero-width characters THEN the line is still JSON and none of them is left, escaped or raw", () => {
    const { text, parsed } = logged(
      "a\u001b[2Jb\u001b]0;t\u0007c\r\u0000d\u009b31m\u202ee\u200bf\ttab\nline\\u001b",
    );
    expect(text).not.toMatch(UNSAFE_OUTBOUND_CHARS);
    expect(parsed.msg).toBe("a[2Jb]0;tcd31mef\ttab\nline\\u001b");
  });

  it("WHEN it quotes a known secret THEN the secret is redacted", () => {
    const secret = "logger-test-secret-value";
    expect(logged(`detail: ${secret}`, new KnownSecrets([secret])).parsed.msg).toBe("detail: [redacted]");
  });
});

it("GIVEN a JSON line WHEN made terminal-safe THEN an escaped backslash before a 'u001b' is left as it is", () => {
  expect(terminalSafeLogLine(String.raw`{"msg":"x\\u001b"}`)).toBe(String.raw`{"msg":"x\\u001b"}`);
  expect(terminalSafeLogLine(String.raw`{"msg":"x\\\u001by"}`)).toBe(String.raw`{"msg":"x\\y"}`);
});
