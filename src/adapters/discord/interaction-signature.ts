// Is this request from Discord? In HTTP interactions mode anyone can POST to the endpoint, so every
// request must carry Discord's Ed25519 signature of X-Signature-Timestamp followed by the raw body,
// made with the application's key and checked here with the public key from the Developer Portal,
// by Node's own crypto. Anything else is refused before its body is even parsed.
import { createPublicKey, verify, type KeyObject } from "node:crypto";
import type { IngressRequest } from "../http/ingress-types.ts";
import { DISCORD_SIGNATURE_MAX_SKEW_MS } from "./limits.ts";

/** The application's public key as the portal shows it: 32 bytes in hex. */
export const DISCORD_PUBLIC_KEY_PATTERN = /^[0-9a-fA-F]{64}$/;
/** An Ed25519 signature is 64 bytes, sent as hex. */
const SIGNATURE_PATTERN = /^[0-9a-fA-F]{128}$/;
/** Discord's timestamp is Unix time in seconds. */
const TIMESTAMP_PATTERN = /^\d{1,12}$/;

export type SignatureCheck = (request: IngressRequest) => boolean;

/** A KeyObject for the raw 32-byte key (Node takes raw Ed25519 keys only as a JWK). */
export function ed25519PublicKey(hex: string): KeyObject {
  if (!DISCORD_PUBLIC_KEY_PATTERN.test(hex)) throw new Error("an Ed25519 public key is 64 hex characters");
  const x = Buffer.from(hex, "hex").toString("base64url");
  return createPublicKey({ key: { kty: "OKP", crv: "Ed25519", x }, format: "jwk" });
}

/** True only for a request Discord signed, with a timestamp near the bot's clock. */
export function discordSignatureCheck(publicKeyHex: string, now: () => number): SignatureCheck {
  const key = ed25519PublicKey(publicKeyHex);
  return (request) => {
    const signature = singleHeader(request.headers["x-signature-ed25519"]);
    const timestamp = singleHeader(request.headers["x-signature-timestamp"]);
    if (!signature || !timestamp) return false;
    if (!SIGNATURE_PATTERN.test(signature) || !TIMESTAMP_PATTERN.test(timestamp)) return false;
    if (Math.abs(now() - Number(timestamp) * 1000) > DISCORD_SIGNATURE_MAX_SKEW_MS) return false;
    try {
      const signed = Buffer.concat([Buffer.from(timestamp, "utf8"), request.body]);
      return verify(null, signed, key, Buffer.from(signature, "hex"));
    } catch {
      return false;
    }
  };
}

/** A header sent exactly once; a repeated one is not trusted. */
function singleHeader(value: string | readonly string[] | undefined): string | undefined {
  return typeof value === "string" ? value.trim() : undefined;
}
