// Which server addresses mean "this machine" (and so a different machine on a Hermes host).
import { describe, expect, it } from "vitest";
import { isLoopbackUrl } from "../../src/core/loopback-url.ts";

describe("GIVEN a server address", () => {
  it.each([
    "http://127.0.0.1:11434/v1",
    "http://127.8.9.10",
    "http://localhost:1234/v1",
    "https://LOCALHOST",
    "http://[::1]:11434",
    "http://0.0.0.0:8000/v1",
    "http://user@localhost:11434",
  ])("WHEN it is %s THEN it is loopback", (url) => {
    expect(isLoopbackUrl(url)).toBe(true);
  });

  it.each([
    "http://192.168.1.20:11434",
    "http://localhost.example.com",
    "http://127.0.0.1.nip.io",
    "https://ollama.example.com/v1",
    "http://[fd00::1]:11434",
  ])("WHEN it is %s THEN it is not", (url) => {
    expect(isLoopbackUrl(url)).toBe(false);
  });
});
