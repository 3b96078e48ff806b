// The checks on Hermes' provider registry as the discovery probe reports it, for the two kinds the
// Model step offers: a key provider (its .env key name must be one) and an OAuth provider (no key,
// `login: "oauth"` exactly); anything else is dropped, and labels are plain text.
import { describe, expect, it } from "vitest";
import { checkHermesProviders } from "../../src/app/hermes/hermes-providers.ts";

describe("GIVEN a provider registry from the probe", () => {
  it("WHEN it holds OAuth providers THEN they come without a key; a provider with neither a key nor OAuth, or another login, is dropped", () => {
    expect(
      checkHermesProviders([
        { id: "nous", name: "Nous Portal", login: "oauth", models: ["Hermes-4-405B", 7] },
        { id: "qwen-oauth", name: "\u001b]0;pwned\u0007Qwen\u202e OAuth", login: "oauth", models: [] },
        { id: "aws", name: "Bedrock", login: "aws_sdk", models: [] },
        { id: "nokey", name: "No Key", models: [] },
        { id: "fireworks", name: "Fireworks AI", env: "FIREWORKS_API_KEY", models: [] },
      ]),
    ).toEqual([
      { id: "nous", name: "Nous Portal", env: null, login: "oauth", models: ["Hermes-4-405B"] },
      { id: "qwen-oauth", name: "Qwen OAuth", env: null, login: "oauth", models: [] },
      { id: "fireworks", name: "Fireworks AI", env: "FIREWORKS_API_KEY", models: [] },
    ]);
  });
});
