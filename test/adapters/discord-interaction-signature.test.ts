// The HTTP interactions endpoint's first gate: only requests Discord signed with the application's
// key, over this timestamp and these exact bytes, get past it (401 otherwise, as Discord requires).
import { memoryInbound } from "../helpers/memory-inbound.ts";
import { generateKeyPairSync, sign } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { IngressRequest } from "../../src/adapters/http/ingress-types.ts";
import type { HttpAnswers } from "../../src/adapters/discord/http-answers.ts";
import { discordSignatureCheck, ed25519PublicKey } from "../../src/adapters/discord/interaction-signature.ts";
import { interactionsEndpoint } from "../../src/adapters/discord/interactions-endpoint.ts";
import { DISCORD_SIGNATURE_MAX_SKEW_MS } from "../../src/adapters/discord/limits.ts";
import { memoryLogger } from "../helpers/silent-logger.ts";

const NOW = 1_750_000_000_000;
const keys = generateKeyPairSync("ed25519");
const other = generateKeyPairSync("ed25519");
const hexOf = (key: typeof keys.publicKey): string =>
  Buffer.from(String(key.export({ format: "jwk" }).x), "base64url").toString("hex");
const check = discordSignatureCheck(hexOf(keys.publicKey), () => NOW);

function signed(
  body: string,
  options: { at?: number; key?: typeof keys.privateKey; headers?: Record<string, string | string[]> } = {},
): IngressRequest {
  const timestamp = String(Math.floor((options.at ?? NOW) / 1000));
  const signature = sign(null, Buffer.from(timestamp + body), options.key ?? keys.privateKey).toString("hex");
  return {
    method: "POST",
    headers: { "x-signature-ed25519": signature, "x-signature-timestamp": timestamp, ...options.headers },
    body: Buffer.from(body),
  };
}

describe("GIVEN Discord's Ed25519 request signature", () => {
  it("WHEN the request is signed with the application's key THEN it passes", () => {
    expect(check(signed('{"type":1}'))).toBe(true);
  });

  it("WHEN it is signed with another key, or the signature is altered THEN it is refused", () => {
    expect(check(signed('{"type":1}', { key: other.privateKey }))).toBe(false);
    const request = signed('{"type":1}');
    const altered = String(request.headers["x-signature-ed25519"]).replace(/^./, (c) =>
      c === "0" ? "1" : "0",
    );
    expect(check({ ...request, headers: { ...request.headers, "x-signature-ed25519": altered } })).toBe(
      false,
    );
  });

  it("WHEN the body or the timestamp was changed after signing THEN it is refused", () => {
    const request = signed('{"type":2,"data":{"custom_id":"a"}}');
    expect(check({ ...request, body: Buffer.from('{"type":2,"data":{"custom_id":"b"}}') })).toBe(false);
    const stamp = String(Number(request.headers["x-signature-timestamp"]) + 1);
    expect(check({ ...request, headers: { ...request.headers, "x-signature-timestamp": stamp } })).toBe(
      false,
    );
  });

  it("WHEN a header is missing, repeated or not hex / digits THEN it is refused without throwing", () => {
    const request = signed('{"type":1}');
    const { "x-signature-ed25519": signature, "x-signature-timestamp": timestamp } = request.headers;
    expect(check({ ...request, headers: { "x-signature-timestamp": timestamp } })).toBe(false);
    expect(check({ ...request, headers: { "x-signature-ed25519": signature } })).toBe(false);
    expect(
      check({ ...request, headers: { ...request.headers, "x-signature-ed25519": "zz".repeat(64) } }),
    ).toBe(false);
    expect(check({ ...request, headers: { ...request.headers, "x-signature-ed25519": "ab" } })).toBe(false);
    expect(check({ ...request, headers: { ...request.headers, "x-signature-timestamp": "soon" } })).toBe(
      false,
    );
    expect(
      check({
        ...request,
        headers: { ...request.headers, "x-signature-ed25519": [String(signature), String(signature)] },
      }),
    ).toBe(false);
  });

  it(`WHEN the signed timestamp is more than DISCORD_SIGNATURE_MAX_SKEW_MS (${DISCORD_SIGNATURE_MAX_SKEW_MS} ms) from the clock THEN it is refused as a replay`, () => {
    expect(DISCORD_SIGNATURE_MAX_SKEW_MS).toBe(5 * 60 * 1000);
    expect(check(signed("{}", { at: NOW - DISCORD_SIGNATURE_MAX_SKEW_MS + 1000 }))).toBe(true);
    expect(check(signed("{}", { at: NOW - DISCORD_SIGNATURE_MAX_SKEW_MS - 1000 }))).toBe(false);
    expect(check(signed("{}", { at: NOW + DISCORD_SIGNATURE_MAX_SKEW_MS + 1000 }))).toBe(false);
  });

  it("WHEN the public key is not 64 hex characters THEN no key is made of it", () => {
    expect(() => ed25519PublicKey("abc")).toThrow(/64 hex/);
    expect(ed25519PublicKey(hexOf(keys.publicKey)).asymmetricKeyType).toBe("ed25519");
  });
});

describe("GIVEN the interactions endpoint", () => {
  const dispatched: unknown[] = [];
  const inbound = memoryInbound();
  const answers = {
    answer: (_payload: unknown, handle: () => Promise<void>) =>
      handle().then(() => ({ status: 200, body: '{"type":6}' })),
  } as unknown as HttpAnswers;
  const endpoint = interactionsEndpoint({
    signedByDiscord: check,
    answers,
    dispatch: (payload) => Promise.resolve(void dispatched.push(payload)),
    inbound,
    logger: memoryLogger().logger,
  });

  it("WHEN Discord PINGs THEN it answers {type:1} and dispatches nothing", async () => {
    const answer = await endpoint(signed('{"type":1,"id":"1","application_id":"2"}'));
    expect(answer).toMatchObject({ status: 200, headers: { "content-type": "application/json" } });
    expect(JSON.parse(answer.body ?? "")).toEqual({ type: 1 });
    expect(dispatched).toEqual([]);
  });

  it("WHEN the signature is bad THEN 401 before the body is read; a wrong method 405", async () => {
    expect((await endpoint(signed("not json", { key: other.privateKey }))).status).toBe(401);
    expect((await endpoint({ ...signed('{"type":1}'), method: "GET" })).status).toBe(405);
    expect(dispatched).toEqual([]);
  });

  it("WHEN a well-signed body is not JSON, or not an interaction THEN 400 and nothing is dispatched", async () => {
    expect((await endpoint(signed("{not json"))).status).toBe(400);
    expect((await endpoint(signed("[1,2]"))).status).toBe(400);
    expect((await endpoint(signed('{"type":2,"id":"x","token":"t","application_id":"1"}'))).status).toBe(400);
    expect(dispatched).toEqual([]);
  });

  it("WHEN a well-signed interaction arrives THEN it is dispatched and its answer is the HTTP answer", async () => {
    const payload = {
      type: 3,
      id: "1300000000000000001",
      token: "tok",
      application_id: "1100000000000000001",
    };
    const answer = await endpoint(signed(JSON.stringify(payload)));
    expect(answer).toEqual({ status: 200, body: '{"type":6}' });
    expect(dispatched).toEqual([payload]);
  });

  it("WHEN the same interaction is delivered again (another replica, a retry) THEN 409 and it is dispatched once", async () => {
    const payload = {
      type: 3,
      id: "1300000000000000002",
      token: "tok2",
      application_id: "1100000000000000001",
    };
    const before = dispatched.length;
    expect((await endpoint(signed(JSON.stringify(payload)))).status).toBe(200);
    expect((await endpoint(signed(JSON.stringify(payload)))).status).toBe(409);
    expect(dispatched.length - before).toBe(1);
    expect(inbound.finished.has(`discord:${payload.id}`)).toBe(true);
  });

  it("WHEN a forged request names a real interaction's id THEN it is refused before the id is taken", async () => {
    const payload = {
      type: 3,
      id: "1300000000000000003",
      token: "tok3",
      application_id: "1100000000000000001",
    };
    expect((await endpoint(signed(JSON.stringify(payload), { key: other.privateKey }))).status).toBe(401);
    expect((await endpoint(signed(JSON.stringify(payload)))).status).toBe(200);
  });

  it("WHEN the store cannot take the interaction THEN 503 and nothing is dispatched", async () => {
    const down = interactionsEndpoint({
      signedByDiscord: check,
      answers,
      dispatch: (payload) => Promise.resolve(void dispatched.push(payload)),
      inbound: { claimInbound: () => Promise.resolve("unavailable"), finishInbound: () => Promise.resolve() },
      logger: memoryLogger().logger,
    });
    const before = dispatched.length;
    const payload = {
      type: 3,
      id: "1300000000000000004",
      token: "tok4",
      application_id: "1100000000000000001",
    };
    expect((await down(signed(JSON.stringify(payload)))).status).toBe(503);
    expect(dispatched.length).toBe(before);
  });
});
