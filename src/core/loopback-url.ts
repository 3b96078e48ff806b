// Whether a server address names "this machine" (loopback): such an address means a different
// machine depending on who uses it — the bot when it lists models, a Hermes host when its agent runs.

/** Host names and addresses that always mean the machine itself. */
const LOOPBACK_HOST = /^(localhost|localhost\.|127(\.\d{1,3}){3}|::1|0\.0\.0\.0|0:0:0:0:0:0:0:1)$/i;

export function isLoopbackUrl(url: string): boolean {
  const match = /^https?:\/\/(?:[^@/?#]*@)?(\[[^\]]*\]|[^:/?#]*)/i.exec(url);
  const host = match?.[1]?.replace(/^\[|\]$/g, "") ?? "";
  return LOOPBACK_HOST.test(host);
}
