import { describeRefusedAddress, parseAllowList } from "@claimwire/address-policy";

// The policy itself is shared with the insurer (@claimwire/address-policy); the worker
// applies it to every address it dials.
export {
  type AllowedRange,
  type AllowList,
  describeRefusedAddress,
  parseAllowList,
  parseCidr,
  parseIpLiteral,
} from "@claimwire/address-policy";

/**
 * The worker's address policy with DELIVERY_ALLOW_PRIVATE_NETWORKS applied: returns the
 * refusal for an address, or null. Throws a `RangeError` for an entry that is not a CIDR.
 *
 * @example
 * const refusal = createSsrfGuard({ allow: ["127.0.0.0/8", "::1/128"] });
 * refusal("127.0.0.1"); // null
 * refusal("::ffff:a9fe:a9fe"); // "address ::ffff:a9fe:a9fe (IPv4 169.254.169.254) is in the linkLocal range, …"
 */
export function createSsrfGuard({ allow = [] }: { allow?: readonly string[] } = {}): SsrfGuard {
  const allowList = parseAllowList(allow);
  return (address) => describeRefusedAddress(address, allowList);
}

/** Why the worker may not connect to an IP address (not a hostname), or null if it may. */
export type SsrfGuard = (address: string) => string | null;

/**
 * Why a delivery was not sent. `code` lets the outcome classifier recognise it wherever
 * undici or net rethrows it.
 */
export class SsrfBlockedError extends Error {
  override readonly name = "SsrfBlockedError";
  readonly code = "ERR_SSRF_BLOCKED";

  /** @param refusal what `describeRefusedAddress` said about the dialed address */
  constructor(refusal: string) {
    super(`${refusal}; not delivered (DELIVERY_ALLOW_PRIVATE_NETWORKS can allow a range)`);
  }
}
