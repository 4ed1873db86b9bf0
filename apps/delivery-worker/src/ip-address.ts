import { isIP } from "node:net";

/** An IP address in one canonical family, as BlockList wants it. */
export type IpAddress = { address: string; family: "ipv4" | "ipv6" };

/** A CIDR range such as `127.0.0.0/8` or `::1/128`. */
export type Cidr = IpAddress & { prefix: number };

/**
 * Reads an address as a socket sees it: brackets (`[::1]`) and a zone id (`fe80::1%eth0`)
 * are dropped, because neither changes which host is dialed. Returns undefined for text
 * that is not an IP address (a hostname).
 */
export function parseIpAddress(text: string): IpAddress | undefined {
  const bare = text.replace(/^\[(.*)\]$/, "$1").replace(/%.*$/, "");
  const version = isIP(bare);
  if (version === 4) return { address: bare, family: "ipv4" };
  if (version === 6) return { address: bare.toLowerCase(), family: "ipv6" };
  return undefined;
}

/**
 * Reads `address/prefix` (a bare address means a single host). Throws a `RangeError`
 * naming the entry when it is not a CIDR.
 *
 * @example
 * parseCidr("127.0.0.0/8"); // { address: "127.0.0.0", family: "ipv4", prefix: 8 }
 */
export function parseCidr(text: string): Cidr {
  const [addressText = "", prefixText, ...rest] = text.trim().split("/");
  const ip = parseIpAddress(addressText);
  const max = ip?.family === "ipv4" ? 32 : 128;
  const prefix = prefixText === undefined ? max : Number(prefixText);
  if (!ip || rest.length > 0 || !/^\d+$/.test(prefixText ?? "0") || prefix > max) {
    throw new RangeError(`'${text}' is not a CIDR range such as 10.0.0.0/8 or fd00::/8`);
  }
  return { ...ip, prefix };
}

/**
 * The IPv4 address an IPv6 address stands for, when it embeds one that the packet will
 * really reach: IPv4-mapped `::ffff:a.b.c.d` (a dual-stack socket dials the IPv4 host),
 * the deprecated IPv4-compatible `::a.b.c.d`, and well-known-prefix NAT64
 * `64:ff9b::a.b.c.d` (RFC 6052; the gateway dials the IPv4 host).
 *
 * @example
 * embeddedIpv4("::ffff:7f00:1"); // "127.0.0.1"
 */
export function embeddedIpv4(ipv6: string): string | undefined {
  const groups = ipv6Groups(ipv6);
  if (!groups) return undefined;
  const [g0, g1, g2, g3, g4, g5, g6 = 0, g7 = 0] = groups;
  const zeroes = g2 === 0 && g3 === 0 && g4 === 0;
  const mapped = g0 === 0 && g1 === 0 && zeroes && g5 === 0xffff;
  // `::` and `::1` are IPv6's own unspecified and loopback addresses, not IPv4-compatible
  // ones, so that form needs a non-zero upper half (anything in 0.0.x.x is blocked anyway).
  const compatible = g0 === 0 && g1 === 0 && zeroes && g5 === 0 && g6 !== 0;
  const nat64 = g0 === 0x64 && g1 === 0xff9b && zeroes && g5 === 0;
  if (!mapped && !compatible && !nat64) return undefined;
  return [g6 >> 8, g6 & 0xff, g7 >> 8, g7 & 0xff].join(".");
}

/** The eight 16-bit groups of a valid IPv6 address, or undefined if it is not one. */
function ipv6Groups(text: string): number[] | undefined {
  if (isIP(text) !== 6) return undefined;
  // A dotted IPv4 tail (`::ffff:127.0.0.1`) is two groups written differently.
  const dotted = text.match(/^(.*:)(\d+)\.(\d+)\.(\d+)\.(\d+)$/);
  const hex = dotted
    ? `${dotted[1]}${((Number(dotted[2]) << 8) | Number(dotted[3])).toString(16)}:${((Number(dotted[4]) << 8) | Number(dotted[5])).toString(16)}`
    : text;
  const [head = "", tail] = hex.split("::");
  const parse = (part: string) => (part ? part.split(":").map((g) => Number.parseInt(g, 16)) : []);
  const left = parse(head);
  const right = tail === undefined ? [] : parse(tail);
  const zeroes = new Array<number>(8 - left.length - right.length).fill(0);
  return [...left, ...zeroes, ...right];
}
