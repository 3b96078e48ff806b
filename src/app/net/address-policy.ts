// Which addresses the bot itself may contact on a chat user's word (the Model step asks a model
// server for its models). Anything that is not a public address — loopback, private ranges, link-
// local cloud metadata (169.254.169.254), CGNAT, unspecified, multicast, reserved — is refused
// unless the operator allows it in MODEL_SERVER_HOSTS; the terminal wizard, run by the operator,
// may also reach loopback and private ranges. The check runs on the resolved address at connect
// time, so a name that resolves to an inner address (DNS rebinding included) is refused too.
import { BlockList, isIP } from "node:net";
import type { Outcome } from "../ports/outcome.ts";

/** Keywords of MODEL_SERVER_HOSTS: `loopback` and `private` (RFC 1918 and IPv6 unique-local). */
const RANGES: Record<"loopback" | "private", [string, number, "ipv4" | "ipv6"][]> = {
  loopback: [
    ["127.0.0.0", 8, "ipv4"],
    ["::1", 128, "ipv6"],
  ],
  private: [
    ["10.0.0.0", 8, "ipv4"],
    ["172.16.0.0", 12, "ipv4"],
    ["192.168.0.0", 16, "ipv4"],
    ["fc00::", 7, "ipv6"],
  ],
};

/** Not public: refused unless allowed. */
const INNER: [string, number, "ipv4" | "ipv6"][] = [
  ...RANGES.loopback,
  ...RANGES.private,
  ["0.0.0.0", 8, "ipv4"],
  ["100.64.0.0", 10, "ipv4"],
  ["169.254.0.0", 16, "ipv4"],
  ["192.0.0.0", 24, "ipv4"],
  ["198.18.0.0", 15, "ipv4"],
  ["224.0.0.0", 3, "ipv4"],
  ["::", 128, "ipv6"],
  ["fe80::", 10, "ipv6"],
  ["ff00::", 8, "ipv6"],
  ["64:ff9b::", 96, "ipv6"],
];

export interface AddressPolicy {
  /** True when the bot may connect to this resolved address for a request naming `host`. */
  allows(host: string, address: string): boolean;
}

export type HostRulesParse = Outcome<HostRules>;

export interface HostRules {
  readonly ranges: BlockList;
  readonly hosts: ReadonlySet<string>;
}

/**
 * MODEL_SERVER_HOSTS: comma-separated `loopback`, `private`, IP addresses, CIDR ranges
 * (10.1.0.0/16) and host names (ollama.lan: whatever it resolves to).
 */
export function parseHostRules(spec: string): HostRulesParse {
  const ranges = new BlockList();
  const hosts = new Set<string>();
  for (const raw of spec.split(",").map((entry) => entry.trim().toLowerCase())) {
    if (raw === "") continue;
    if (raw === "loopback" || raw === "private") {
      for (const [net, prefix, type] of RANGES[raw]) ranges.addSubnet(net, prefix, type);
      continue;
    }
    const [address, prefixText] = raw.split("/");
    const family = isIP(address ?? "");
    if (family !== 0) {
      const max = family === 4 ? 32 : 128;
      const prefix = prefixText === undefined ? max : Number(prefixText);
      if (!Number.isInteger(prefix) || prefix < 0 || prefix > max)
        return { ok: false, reason: `'${raw}' has no valid prefix length (0-${max})` };
      ranges.addSubnet(address ?? "", prefix, family === 4 ? "ipv4" : "ipv6");
    } else if (/^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/.test(raw)) {
      hosts.add(raw);
    } else {
      return {
        ok: false,
        reason: `'${raw}' is not loopback, private, an address, a CIDR range or a host name`,
      };
    }
  }
  return { ok: true, value: { ranges, hosts } };
}

/** No MODEL_SERVER_HOSTS: no inner address is allowed from a chat. */
export const NO_INNER_HOSTS: HostRules = { ranges: new BlockList(), hosts: new Set() };

const inner = new BlockList();
for (const [net, prefix, type] of INNER) inner.addSubnet(net, prefix, type);

function familyOf(address: string): "ipv4" | "ipv6" {
  return isIP(address) === 6 ? "ipv6" : "ipv4";
}

/** An IPv4 address written as IPv6 (::ffff:10.0.0.1) is judged as the IPv4 address it is. */
function unmapped(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  return mapped?.[1] ?? address;
}

/** What the operator's own terminal may reach beyond public addresses: loopback and private ranges. */
const operatorRanges = new BlockList();
for (const [net, prefix, type] of [...RANGES.loopback, ...RANGES.private])
  operatorRanges.addSubnet(net, prefix, type);

export function addressPolicy(rules: HostRules, options: { operator: boolean }): AddressPolicy {
  return {
    allows(host, rawAddress) {
      const address = unmapped(rawAddress);
      const type = familyOf(address);
      if (!inner.check(address, type)) return true;
      if (rules.hosts.has(host.toLowerCase()) || rules.ranges.check(address, type)) return true;
      return options.operator && operatorRanges.check(address, type);
    },
  };
}
