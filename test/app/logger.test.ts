import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { createLogger } from "../../src/app/logger.ts";

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
