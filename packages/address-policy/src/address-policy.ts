import ipaddr from "ipaddr.js";

type Ip = ipaddr.IPv4 | ipaddr.IPv6;

/** One allow-list entry: an address and its prefix length. */
export type AllowedRange = readonly [Ip, number];

/** Parsed allowed ranges (DELIVERY_ALLOW_PRIVATE_NETWORKS, ENDPOINT_ALLOW_PRIVATE_NETWORKS); build it with `parseAllowList`. */
export type AllowList = readonly AllowedRange[];

/**
 * The only IPv6 block IANA allocates for global unicast (RFC 4291 §2.4). ipaddr.js calls
 * every address outside its named ranges "unicast", including unallocated space and the
 * deprecated IPv4-compatible `::a.b.c.d` form, so IPv6 must also fall inside this block.
 */
const GLOBAL_UNICAST_V6: AllowedRange = [ipaddr.IPv6.parse("2000::"), 3];

/**
 * Reads one `address/prefix` (a bare address means a single host). Throws a `RangeError`
 * naming the entry when it is not one. IPv4 must be four decimal parts, as a socket
 * address is written; ipaddr.js would otherwise read `10.1/8` or octal parts.
 *
 * @example
 * parseCidr("127.0.0.0/8"); // [IPv4 127.0.0.0, 8]
 */
export function parseCidr(text: string): AllowedRange {
  const entry = text.trim();
  const host = entry.includes("/") ? undefined : parseIpLiteral(entry);
  if (host) return [host, host.kind() === "ipv4" ? 32 : 128];
  if (ipaddr.IPv4.isValidCIDRFourPartDecimal(entry) || ipaddr.IPv6.isValidCIDR(entry)) {
    return ipaddr.parseCIDR(entry);
  }
  throw new RangeError(`'${text}' is not a CIDR range such as 10.0.0.0/8 or fd00::/8`);
}

/** Reads allow-list entries (`10.0.0.0/8`, `::1`); throws a `RangeError` naming a bad one. */
export function parseAllowList(entries: readonly string[]): AllowList {
  return entries.map(parseCidr);
}

/**
 * Reads an IP address as a socket sees it: brackets (`[::1]`) are dropped, a zone id
 * (`fe80::1%eth0`) is kept by ipaddr.js and changes no range. Returns undefined for text
 * that is not an IP literal (a hostname), including IPv4 forms a socket would not take
 * literally (`127.1`, `0x7f.0.0.1`, `010.0.0.1`).
 */
export function parseIpLiteral(text: string): Ip | undefined {
  const bare = text.replace(/^\[(.*)\]$/, "$1");
  if (ipaddr.IPv4.isValidFourPartDecimal(bare)) return ipaddr.IPv4.parse(bare);
  if (ipaddr.IPv6.isValid(bare)) return ipaddr.IPv6.parse(bare);
  return undefined;
}

/**
 * Why a delivery may not be sent to this IP address, or null when it may. An address
 * may be reached when it is global unicast — ipaddr.js's `range()` is `"unicast"`, and for
 * IPv6 it lies in 2000::/3 — or when the allow-list covers it. Every range ipaddr.js
 * names (loopback, private, carrierGradeNat, linkLocal, reserved, 6to4, teredo, rfc6052,
 * uniqueLocal, …) is refused under that name, so no deny-list is kept here. An
 * IPv4-mapped address (`::ffff:7f00:1`) is judged as the IPv4 address a dual-stack socket
 * dials. Text that is not an IP literal is refused: the caller must resolve names first.
 *
 * Pure and free of configuration: the delivery worker judges the address it dials with
 * it, and the insurer an endpoint URL's IP literal when the endpoint is registered.
 *
 * @example
 * describeRefusedAddress("2002:7f00:1::", []);
 * // "address 2002:7f00:1:: is in the 6to4 range, which deliveries may not reach"
 * describeRefusedAddress("127.0.0.1", parseAllowList(["127.0.0.0/8"])); // null
 * describeRefusedAddress("93.184.215.14", []); // null
 */
export function describeRefusedAddress(address: string, allowList: AllowList): string | null {
  const bare = address.replace(/^\[(.*)\]$/, "$1");
  const dialed = parseIpLiteral(bare);
  if (!dialed) return `address ${address} is not an IP address, which deliveries may not reach`;
  const judged: Ip = mappedIpv4(dialed) ?? dialed;
  if (allowList.some((range) => inRange(judged, range) || inRange(dialed, range))) return null;

  const shown = judged === dialed ? bare : `${bare} (IPv4 ${judged.toString()})`;
  const range: string = judged.range();
  if (range !== "unicast") {
    return `address ${shown} is in the ${range} range, which deliveries may not reach`;
  }
  if (judged.kind() === "ipv6" && !inRange(judged, GLOBAL_UNICAST_V6)) {
    return `address ${shown} is outside 2000::/3, the only IPv6 range deliveries may reach`;
  }
  return null;
}

/** The IPv4 address an IPv4-mapped IPv6 address (`::ffff:a.b.c.d`) stands for. */
function mappedIpv4(ip: Ip): ipaddr.IPv4 | undefined {
  return ip instanceof ipaddr.IPv6 && ip.isIPv4MappedAddress() ? ip.toIPv4Address() : undefined;
}

/** ipaddr.js throws when families differ; an IPv4 range never contains an IPv6 address. */
function inRange(ip: Ip, [network, prefix]: AllowedRange): boolean {
  return ip.kind() === network.kind() && ip.match(network, prefix);
}
