// Which identifiers reach the installer, with and without Hermes' HERMES_ALLOW_PRIVATE_URLS.
import { afterEach, describe, expect, it } from "vitest";
import { allowPrivateHubUrls, isHubIdentifier } from "../../src/core/hub-identifier.ts";

afterEach(() => allowPrivateHubUrls(false));

const PRIVATE_URLS = [
  "http://127.0.0.1:8123/skills/x/SKILL.md",
  "https://localhost/x/SKILL.md",
  "http://10.0.0.5/team/SKILL.md",
  "well-known:http://skills.internal",
];
const NEVER = [
  "http://169.254.169.254/latest/SKILL.md",
  "http://metadata.google.internal/x/SKILL.md",
  "http://user:pw@127.0.0.1/x/SKILL.md",
  "http://127.0.0.1/../etc/SKILL.md",
  "ftp://127.0.0.1/x/SKILL.md",
];

describe("GIVEN the hub identifier rule", () => {
  it("WHEN private URLs are not allowed (the default) THEN loopback, private and plain-http URLs are refused", () => {
    for (const id of [...PRIVATE_URLS, ...NEVER]) expect([id, isHubIdentifier(id)]).toEqual([id, false]);
    expect(isHubIdentifier("https://skills.example.com/x/SKILL.md")).toBe(true);
    expect(isHubIdentifier("official/devops/docker-debug")).toBe(true);
  });

  it("WHEN the operator allows private URLs as Hermes does THEN they pass, but metadata addresses and credentials never do", () => {
    allowPrivateHubUrls(true);
    for (const id of PRIVATE_URLS) expect([id, isHubIdentifier(id)]).toEqual([id, true]);
    for (const id of NEVER) expect([id, isHubIdentifier(id)]).toEqual([id, false]);
    expect(isHubIdentifier("official/devops/docker-debug")).toBe(true);
  });
});
