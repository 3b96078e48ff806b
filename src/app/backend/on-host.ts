// How a reply names where it acted: nothing for the Hermes home on this machine (as replies always
// were), " on <host>" for a Hermes reached through its dashboard.
import type { ProfileBackend } from "./profile-backend.ts";

export function onHost(backend: Pick<ProfileBackend, "host">): string {
  return backend.host ? ` on ${backend.host}` : "";
}
