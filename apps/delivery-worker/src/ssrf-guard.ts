import { BlockList } from "node:net";
import { type Cidr, embeddedIpv4, parseCidr, parseIpAddress } from "./ip-address.ts";

/**
 * Addresses a webhook must never be POSTed to (issue 3 item 7): a clinic registers the
 * URL, so without this a clinic could make the worker reach the insurer's own network,
 * its loopback services or the cloud metadata endpoint (169.254.169.254, fd00:ec2::254).
 * Each range is named so a blocked attempt says why.
 */
export const BLOCKED_RANGES: readonly { cidr: string; rule: string }[] = [
  { cidr: "0.0.0.0/8", rule: "unspecified ('this network')" },
  { cidr: "127.0.0.0/8", rule: "loopback" },
  { cidr: "10.0.0.0/8", rule: "private (RFC 1918)" },
  { cidr: "172.16.0.0/12", rule: "private (RFC 1918)" },
  { cidr: "192.168.0.0/16", rule: "private (RFC 1918)" },
  { cidr: "100.64.0.0/10", rule: "shared address space (CGNAT, RFC 6598)" },
  { cidr: "169.254.0.0/16", rule: "link-local (incl. cloud metadata 169.254.169.254)" },
  { cidr: "192.0.0.0/24", rule: "IETF protocol assignments" },
  { cidr: "192.0.2.0/24", rule: "documentation (TEST-NET-1)" },
  { cidr: "198.51.100.0/24", rule: "documentation (TEST-NET-2)" },
  { cidr: "203.0.113.0/24", rule: "documentation (TEST-NET-3)" },
  { cidr: "198.18.0.0/15", rule: "benchmarking (RFC 2544)" },
  { cidr: "224.0.0.0/4", rule: "multicast" },
  { cidr: "240.0.0.0/4", rule: "reserved (incl. broadcast)" },
  { cidr: "::/128", rule: "unspecified" },
  { cidr: "::1/128", rule: "loopback" },
  { cidr: "fc00::/7", rule: "unique local (ULA, incl. cloud metadata fd00:ec2::254)" },
  { cidr: "fe80::/10", rule: "link-local" },
  { cidr: "fec0::/10", rule: "site-local (deprecated)" },
  { cidr: "ff00::/8", rule: "multicast" },
  { cidr: "100::/64", rule: "discard-only (RFC 6666)" },
  { cidr: "2001:db8::/32", rule: "documentation" },
  // Local-use NAT64 embeds the IPv4 address at a prefix-dependent offset; the well-known
  // 64:ff9b::/96 is checked through its embedded address instead (see embeddedIpv4).
  { cidr: "64:ff9b:1::/48", rule: "local-use NAT64 (RFC 8215)" },
];

export type SsrfVerdict =
  | { allowed: true }
  | {
      allowed: false;
      /** The address as dialed. */
      address: string;
      /** The IPv4 address it stands for, when it is IPv4-mapped or NAT64. */
      via?: string;
      /** The blocked range that matched, e.g. `127.0.0.0/8`. */
      range: string;
      rule: string;
    };

export type SsrfGuard = {
  /** Whether the worker may connect to this IP address (not a hostname). */
  check(address: string): SsrfVerdict;
};

/**
 * Builds the address policy: every BLOCKED_RANGES entry is refused unless the address is
 * in one of the `allow` CIDRs (DELIVERY_ALLOW_PRIVATE_NETWORKS; dev and tests allow
 * loopback). An IPv6 address that embeds an IPv4 one is judged by the IPv4 address.
 * Throws a `RangeError` for an `allow` entry that is not a CIDR.
 *
 * @example
 * const guard = createSsrfGuard({ allow: ["127.0.0.0/8", "::1/128"] });
 * guard.check("127.0.0.1"); // { allowed: true }
 * guard.check("::ffff:a9fe:a9fe"); // { allowed: false, via: "169.254.169.254", rule: "link-local …", … }
 */
export function createSsrfGuard({ allow = [] }: { allow?: readonly string[] } = {}): SsrfGuard {
  const allowed = blockListOf(allow.map(parseCidr));
  const blocked = BLOCKED_RANGES.map(({ cidr, rule }) => ({
    cidr,
    rule,
    list: blockListOf([parseCidr(cidr)]),
  }));

  return {
    check(text) {
      const ip = parseIpAddress(text);
      // Only addresses reach the guard; refusing anything else keeps it fail-closed.
      if (!ip) return { allowed: false, address: text, range: "-", rule: "not an IP address" };
      const via = ip.family === "ipv6" ? embeddedIpv4(ip.address) : undefined;
      const target = via ? { address: via, family: "ipv4" as const } : ip;
      if (allowed.check(target.address, target.family)) return { allowed: true };
      const match = blocked.find(({ list }) => list.check(target.address, target.family));
      if (!match) return { allowed: true };
      return { allowed: false, address: ip.address, via, range: match.cidr, rule: match.rule };
    },
  };
}

/**
 * Why a delivery was not sent. `code` lets the outcome classifier recognise it wherever
 * undici or net rethrows it.
 */
export class SsrfBlockedError extends Error {
  override readonly name = "SsrfBlockedError";
  readonly code = "ERR_SSRF_BLOCKED";

  constructor(verdict: Extract<SsrfVerdict, { allowed: false }>) {
    const via = verdict.via ? ` (IPv4 ${verdict.via})` : "";
    super(
      `${verdict.address}${via} is in ${verdict.range}, ${verdict.rule}; ` +
        "not delivered (DELIVERY_ALLOW_PRIVATE_NETWORKS can allow a range)",
    );
  }
}

function blockListOf(cidrs: readonly Cidr[]): BlockList {
  const list = new BlockList();
  for (const { address, prefix, family } of cidrs) list.addSubnet(address, prefix, family);
  return list;
}
