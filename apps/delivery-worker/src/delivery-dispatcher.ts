import { Agent, buildConnector } from "undici";
import { guardedLookup, type ResolveAll } from "./guarded-lookup.ts";
import { createSsrfGuard, parseIpLiteral, SsrfBlockedError } from "./ssrf-guard.ts";

export type DeliveryDispatcherOptions = {
  /** CIDRs exempt from the SSRF guard (DELIVERY_ALLOW_PRIVATE_NETWORKS); empty by default. */
  allowPrivateNetworks?: readonly string[];
  /** Budget for DNS + TCP (+ TLS) connect; the request's own deadline still applies. */
  connectTimeoutMs: number;
  keepAliveTimeoutMs?: number;
  /** Replaces `dns.lookup`, e.g. to test an answer that mixes public and private addresses. */
  resolve?: ResolveAll;
};

/**
 * The one undici Agent every POST goes through: keep-alive pools per origin, and the SSRF
 * guard on the address each socket actually dials. A hostname is resolved once by the
 * guarded lookup and the socket connects to what it returned; an IP-literal URL never
 * reaches `lookup` (net skips it), so it is checked here before dialing. Either way a
 * blocked address fails the request with `SsrfBlockedError` and nothing is sent.
 *
 * @example
 * const dispatcher = createDeliveryDispatcher({ connectTimeoutMs: 15_000, allowPrivateNetworks: [] });
 * await request("https://hooks.clinic.example/insurer", { dispatcher, method: "POST", body });
 */
export function createDeliveryDispatcher({
  allowPrivateNetworks = [],
  connectTimeoutMs,
  keepAliveTimeoutMs = 30_000,
  resolve,
}: DeliveryDispatcherOptions): Agent {
  const guard = createSsrfGuard({ allow: allowPrivateNetworks });
  const connectGuarded = buildConnector({
    timeout: connectTimeoutMs,
    lookup: guardedLookup(guard, resolve),
  });
  const connect: buildConnector.connector = (options, callback) => {
    if (parseIpLiteral(options.hostname)) {
      const refusal = guard(options.hostname);
      if (refusal) return callback(new SsrfBlockedError(refusal), null);
    }
    connectGuarded(options, callback);
  };
  return new Agent({ connect, keepAliveTimeout: keepAliveTimeoutMs });
}
